using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision;

/// <summary>An organization's supervision settings: late extension requests, and its chasing ladder.</summary>
public sealed class SupervisionSettingsRecord
{
    public required string OrganizationId { get; set; }
    /// <summary>Units may ask for an extension after the deadline has passed.</summary>
    public bool AllowLateExtensionRequests { get; set; }
    /// <summary>The ladder (JSON array of rungs); null: the shipped default.</summary>
    public string? LadderJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

public static class ExtensionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    /// <summary>The item ended while the request waited: nobody decides it any more.</summary>
    public const string Closed = "closed";
}

/// <summary>
/// 延期申请: a unit asks, before its deadline, for a new date with a reason; the supervision office (and a leader,
/// if the procedure says so) decide in turn. Every decision is kept here and in the item's journal.
/// </summary>
public sealed class ExtensionRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string UnitId { get; set; }
    public required string RequestedById { get; set; }
    public string? RequestedByName { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string Reason { get; set; }
    /// <summary>The deadline when asked.</summary>
    public DateTimeOffset CurrentDueAt { get; set; }
    /// <summary>The new deadline asked for (the end of the chosen day).</summary>
    public DateTimeOffset RequestedDueAt { get; set; }
    public required string Status { get; set; }
    /// <summary>The approval stages in order (JSON array: office, leader).</summary>
    public required string StagesJson { get; set; }
    /// <summary>Index of the stage waiting for a decision.</summary>
    public int Stage { get; set; }
    /// <summary>Decisions so far (JSON array of { stage, approved, byId, byName, at, opinion }).</summary>
    public string DecisionsJson { get; set; } = "[]";
    /// <summary>The inbox task of the stage waiting for a decision.</summary>
    public Guid? ApprovalTaskId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    /// <summary>The request was made after the deadline, allowed by a setting.</summary>
    public bool Late { get; set; }
    public uint ConcurrencyToken { get; set; }
}

/// <summary>
/// The ladder's progress for one unit on one item (督办案件): the deadline it climbs against, the next rung, and when
/// the chase worker should look again. Claimed with a lease, like a timer, so two app processes never both raise a rung.
/// </summary>
public sealed class ChaseCaseRecord : Jobs.ILeasedRow
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string UnitId { get; set; }
    /// <summary>The deadline the ladder counts from; null when the unit has no open step with a deadline.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>A new deadline (extension, new round of work) starts a new cycle from the first rung.</summary>
    public int Cycle { get; set; }
    /// <summary>Index of the next rung to raise.</summary>
    public int NextRung { get; set; }
    /// <summary>When the next automatic rung falls due; null when none will by itself.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint ConcurrencyToken { get; set; }
}

public static class ChaseStatus
{
    /// <summary>Raised; the actor still has to record it, or the unit still has to reply.</summary>
    public const string Open = "open";
    public const string Done = "done";
    /// <summary>Withdrawn by the office (raised by mistake): kept, not counted.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// One chase (催办) of one unit on one item: which rung, raised by the ladder or by hand, what was recorded (phone
/// log, visit, meeting …) and the unit's written reply. Counted in the unit's score unless cancelled.
/// </summary>
public sealed class ChaseRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string UnitId { get; set; }
    public Guid? CaseId { get; set; }
    public int Cycle { get; set; }
    public int RungIndex { get; set; }
    public required string RungKey { get; set; }
    public required string RungName { get; set; }
    /// <summary>For rungs the ladder raised: case, cycle and rung, unique, so a rung is raised once per cycle.</summary>
    public string? AutoKey { get; set; }
    /// <summary><c>auto</c> (the ladder) or <c>manual</c> (by hand).</summary>
    public required string Trigger { get; set; }
    public string? ScoreEvent { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public string? RaisedById { get; set; }
    public string? RaisedByName { get; set; }
    /// <summary>The deadline at the time.</summary>
    public DateTimeOffset? DueAt { get; set; }
    public required string Status { get; set; }
    /// <summary>Role that acts (records it).</summary>
    public string? Actor { get; set; }
    /// <summary>What the actor records (a <see cref="Engine.Chasing.ChaseRecords"/> kind) and what was recorded.</summary>
    public string? RecordKind { get; set; }
    public string? RecordJson { get; set; }
    public DateTimeOffset? RecordedAt { get; set; }
    public string? RecordedByName { get; set; }
    public Guid? ActionTaskId { get; set; }
    public string? NoticeTitle { get; set; }
    public string? NoticeText { get; set; }
    public bool ReplyRequired { get; set; }
    public DateTimeOffset? ReplyDueAt { get; set; }
    public Guid? NoticeTaskId { get; set; }
    public string? ReplyJson { get; set; }
    public DateTimeOffset? RepliedAt { get; set; }
    public string? RepliedByName { get; set; }
    public string? Note { get; set; }
    public string? CancelReason { get; set; }
    public uint ConcurrencyToken { get; set; }
}

/// <summary>An organization's scoring rules for one year; years without a row use the shipped county table.</summary>
public sealed class ScoreRuleRecord
{
    public required string OrganizationId { get; set; }
    public int Year { get; set; }
    public decimal StartScore { get; set; }
    public decimal Floor { get; set; }
    public int RedoThreshold { get; set; }
    /// <summary>Deduction per event type (JSON object).</summary>
    public required string DeductionsJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

/// <summary>通报批评: a bulletin that criticised a unit (optionally about one item). Counted in the unit's score.</summary>
public sealed class BulletinRecord
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string UnitId { get; set; }
    public Guid? InstanceId { get; set; }
    public required string Title { get; set; }
    public DateOnly IssuedOn { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public bool Revoked { get; set; }
    public string? RevokeReason { get; set; }
}

internal sealed class SupervisionSettingsRecordConfiguration : IEntityTypeConfiguration<SupervisionSettingsRecord>
{
    public void Configure(EntityTypeBuilder<SupervisionSettingsRecord> b)
    {
        b.ToTable("SupervisionSettings");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
    }
}

internal sealed class ExtensionRecordConfiguration : IEntityTypeConfiguration<ExtensionRecord>
{
    public void Configure(EntityTypeBuilder<ExtensionRecord> b)
    {
        b.ToTable("Extensions");
        b.HasKey(x => x.Id);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.RequestedById).HasMaxLength(64);
        b.Property(x => x.RequestedByName).HasMaxLength(100);
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.StagesJson).HasMaxLength(200);
        b.HasIndex(x => new { x.InstanceId, x.RequestedAt });
        b.HasIndex(x => new { x.Status, x.RequestedAt });
    }
}

internal sealed class ChaseCaseRecordConfiguration : IEntityTypeConfiguration<ChaseCaseRecord>
{
    public void Configure(EntityTypeBuilder<ChaseCaseRecord> b)
    {
        b.ToTable("ChaseCases");
        b.HasKey(x => x.Id);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.InstanceId, x.UnitId }).IsUnique();
        b.HasIndex(x => x.NextCheckAt);
    }
}

internal sealed class ChaseRecordConfiguration : IEntityTypeConfiguration<ChaseRecord>
{
    public void Configure(EntityTypeBuilder<ChaseRecord> b)
    {
        b.ToTable("Chases");
        b.HasKey(x => x.Id);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.RungKey).HasMaxLength(40);
        b.Property(x => x.RungName).HasMaxLength(100);
        b.Property(x => x.AutoKey).HasMaxLength(100);
        b.Property(x => x.Trigger).HasMaxLength(10);
        b.Property(x => x.ScoreEvent).HasMaxLength(40);
        b.Property(x => x.RaisedById).HasMaxLength(64);
        b.Property(x => x.RaisedByName).HasMaxLength(100);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Actor).HasMaxLength(50);
        b.Property(x => x.RecordKind).HasMaxLength(40);
        b.Property(x => x.RecordedByName).HasMaxLength(100);
        b.Property(x => x.NoticeTitle).HasMaxLength(200);
        b.Property(x => x.NoticeText).HasMaxLength(4000);
        b.Property(x => x.RepliedByName).HasMaxLength(100);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CancelReason).HasMaxLength(500);
        b.HasIndex(x => x.AutoKey).IsUnique();
        b.HasIndex(x => new { x.InstanceId, x.RaisedAt });
        b.HasIndex(x => new { x.UnitId, x.RaisedAt });
    }
}

internal sealed class ScoreRuleRecordConfiguration : IEntityTypeConfiguration<ScoreRuleRecord>
{
    public void Configure(EntityTypeBuilder<ScoreRuleRecord> b)
    {
        b.ToTable("ScoreRules");
        b.HasKey(x => new { x.OrganizationId, x.Year });
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.StartScore).HasPrecision(9, 2);
        b.Property(x => x.Floor).HasPrecision(9, 2);
        b.Property(x => x.DeductionsJson).HasMaxLength(2000);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
    }
}

internal sealed class BulletinRecordConfiguration : IEntityTypeConfiguration<BulletinRecord>
{
    public void Configure(EntityTypeBuilder<BulletinRecord> b)
    {
        b.ToTable("Bulletins");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.Property(x => x.RevokeReason).HasMaxLength(500);
        b.HasIndex(x => new { x.UnitId, x.IssuedOn });
    }
}
