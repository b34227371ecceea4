using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Chasing;

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
    /// <summary>
    /// For a rung the ladder raised: when it fell due. A rung raised late (the job was not running) is dated then — its
    /// notice counts in the unit's score from that moment, as if the job had run on time (docs/decisions/027).
    /// </summary>
    public DateTimeOffset? FellDueAt { get; set; }
    public string? RaisedById { get; set; }
    public string? RaisedByName { get; set; }
    /// <summary>The deadline at the time.</summary>
    public DateTimeOffset? DueAt { get; set; }
    public required string Status { get; set; }
    /// <summary>Role that acts (records it).</summary>
    public string? Actor { get; set; }
    /// <summary>The person the task to record it went to instead of the role: the item's 专人, or the rung's named person.</summary>
    public string? ActorUserId { get; set; }
    /// <summary>The rung goes to the item's 专人: naming another 专人 hands its open task over.</summary>
    public bool ForItemOwner { get; set; }
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

public static class ChaseStatus
{
    /// <summary>Raised; the actor still has to record it, or the unit still has to reply.</summary>
    public const string Open = "open";
    public const string Done = "done";
    /// <summary>Withdrawn by the office (raised by mistake): kept, not counted.</summary>
    public const string Cancelled = "cancelled";
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
        b.Property(x => x.ActorUserId).HasMaxLength(64);
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
