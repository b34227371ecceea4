using System.Text.Json.Serialization;
using Duban.Engine;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// Who is whose subordinate on one installation (上级交办, decision 050): an organization (root unit) and the organization
/// above it, set by the platform administrator by clicking. One superior per organization; none: no row.
/// </summary>
public sealed class OrganizationLinkRecord
{
    /// <summary>The subordinate organization (its root unit's id).</summary>
    public required string OrganizationId { get; set; }
    /// <summary>The organization that may assign items to it.</summary>
    public required string SuperiorOrganizationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

[JsonConverter(typeof(CamelCaseEnumConverter<ReferralStatus>))]
public enum ReferralStatus
{
    /// <summary>交办 sent, waiting in the subordinate office.</summary>
    Assigned,
    /// <summary>The subordinate office started its own item for it.</summary>
    Started,
    /// <summary>The 办结报告 went back to the superior.</summary>
    Reported,
    /// <summary>The superior's office withdrew it (撤回交办) before the report; its step is its own again.</summary>
    Withdrawn,
}

/// <summary>
/// 上级交办: one item of a superior organization assigned to one subordinate organization, with the superior's notice
/// (title, 办理要求, 时限), the subordinate's own item once started, and its 办结报告 once reported. The only row both
/// organizations read; each reads only its side's summary of it (decision 050).
/// </summary>
public sealed class ReferralRecord
{
    public Guid Id { get; set; }
    public required string SuperiorOrganizationId { get; set; }
    /// <summary>The superior's item (in <see cref="SuperiorOrganizationId"/>).</summary>
    public Guid SuperiorItemId { get; set; }
    /// <summary>The superior's step the report answers (its open task), or null: the report is only shown on the item.</summary>
    public Guid? SuperiorTaskId { get; set; }
    /// <summary>The field of that step's form the report's text fills.</summary>
    public string? ReportField { get; set; }
    public required string SubordinateOrganizationId { get; set; }
    public required string Title { get; set; }
    /// <summary>办理要求.</summary>
    public string? Requirements { get; set; }
    /// <summary>办结时限 the superior set.</summary>
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedByName { get; set; }
    public ReferralStatus Status { get; set; }
    /// <summary>The subordinate's own item (in <see cref="SubordinateOrganizationId"/>), once started.</summary>
    public Guid? SubordinateItemId { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>办结报告: the text the subordinate office sent back.</summary>
    public string? ReportText { get; set; }
    public DateTimeOffset? ReportedAt { get; set; }
    /// <summary>
    /// Files of the subordinate's item it marked for reporting (<see cref="ReportFile"/> list as JSON): the superior
    /// downloads them through the 交办, never through the subordinate's item.
    /// </summary>
    public string ReportFilesJson { get; set; } = "[]";
    /// <summary>The superior's step was completed by the report (false: its form needed more, the superior's people finish it).</summary>
    public bool CompletedSuperiorStep { get; set; }
    /// <summary>
    /// Files of the superior's item its office passed down with the notice (<see cref="PassedFile"/> list as JSON): the
    /// subordinate's office downloads them through the 交办, and they are copied onto its own item when it starts it.
    /// </summary>
    public string PassedFilesJson { get; set; } = "[]";
    /// <summary>撤回交办: when the superior's office withdrew it, who, and why (required).</summary>
    public DateTimeOffset? WithdrawnAt { get; set; }
    public string? WithdrawnByName { get; set; }
    public string? WithdrawnReason { get; set; }
    public uint ConcurrencyToken { get; set; }
}

/// <summary>A file sent up with the 办结报告.</summary>
public sealed record ReportFile(Guid Id, string Name, long Size);

/// <summary>
/// A file of the superior's item passed down with the 交办: its id there, and once the subordinate started its own item
/// the id of the copy on that item (<paramref name="CopyId"/>).
/// </summary>
public sealed record PassedFile(Guid Id, string Name, long Size, Guid? CopyId = null);

internal sealed class OrganizationLinkRecordConfiguration : IEntityTypeConfiguration<OrganizationLinkRecord>
{
    public void Configure(EntityTypeBuilder<OrganizationLinkRecord> b)
    {
        b.ToTable("OrganizationLinks");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.SuperiorOrganizationId).HasMaxLength(64);
        b.HasIndex(x => x.SuperiorOrganizationId);
    }
}

internal sealed class ReferralRecordConfiguration : IEntityTypeConfiguration<ReferralRecord>
{
    public void Configure(EntityTypeBuilder<ReferralRecord> b)
    {
        b.ToTable("Referrals");
        b.HasKey(x => x.Id);
        b.Property(x => x.SuperiorOrganizationId).HasMaxLength(64);
        b.Property(x => x.SubordinateOrganizationId).HasMaxLength(64);
        b.Property(x => x.ReportField).HasMaxLength(100);
        b.Property(x => x.Title).HasMaxLength(500);
        b.Property(x => x.Requirements).HasMaxLength(2000);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.ReportText).HasMaxLength(5000);
        b.Property(x => x.WithdrawnByName).HasMaxLength(100);
        b.Property(x => x.WithdrawnReason).HasMaxLength(500);
        // One live 交办 of an item to one subordinate: a second click finds the first; a withdrawn one may be followed
        // by a new one (the same SQL on SQLite and PostgreSQL).
        b.HasIndex(x => new { x.SuperiorItemId, x.SubordinateOrganizationId }).IsUnique().HasFilter("\"Status\" <> 'Withdrawn'");
        b.HasIndex(x => new { x.SubordinateOrganizationId, x.Status });
        b.HasIndex(x => x.SubordinateItemId);
    }
}

/// <summary>What 上级交办 tells people (decision 050): each office hears of the other's move in its bell.</summary>
internal static class ReferralNotices
{
    /// <summary>The notification's columns hold 300 and 2,000 characters; a long title or 办理要求 is cut with an ellipsis.</summary>
    private static string Clip(string text, int most) => text.Length <= most ? text : text[..(most - 1)] + "…";

    /// <summary>
    /// Tells the office of <paramref name="organizationId"/> — whoever holds 督查督办 there — about <paramref name="referral"/>;
    /// with <paramref name="instanceId"/> the message opens that item (the superior's), else the 上级交办 page.
    /// </summary>
    public static void Tell(WriteContext context, string organizationId, ReferralRecord referral, string title, string body, Guid? instanceId, string eventKey)
    {
        var people = context.Organization.HoldersOf(organizationId, Permission.Supervise).Select(u => u.Id);
        foreach (var userId in people)
            context.Db.Set<Notifications.NotificationRecord>().Add(new Notifications.NotificationRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = organizationId,
                UserId = userId,
                InstanceId = instanceId,
                Kind = Notifications.NotificationKinds.Referral,
                Title = Clip(title, 300),
                Body = Clip(body, 2000),
                EventKey = $"{eventKey}:{referral.Id:N}",
                CreatedAt = context.Now,
            });
    }
}

