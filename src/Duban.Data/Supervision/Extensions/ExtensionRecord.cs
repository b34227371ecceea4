using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Extensions;

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

public static class ExtensionStatus
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    /// <summary>The item ended while the request waited: nobody decides it any more.</summary>
    public const string Closed = "closed";
}

// One decision on a request, as ExtensionRecord.DecisionsJson keeps it. (No XML summary: it would add a description to
// the OpenAPI schema, which had none, and so change the web app's generated types.)
public sealed record ExtensionDecision(int Stage, string StageName, bool Approved, string ById, string? ByName, DateTimeOffset At, string? Opinion);

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
