using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Schedules;

/// <summary>
/// 定期任务: a procedure an administrator set to start on a rule, with its start form's values, as a named user. The
/// schedule worker claims it with a lease when <see cref="NextRunAt"/> has passed (docs/decisions/026-schedules.md).
/// </summary>
public sealed class ScheduleRecord : Jobs.ILeasedRow
{
    public Guid Id { get; set; }
    /// <summary>The organization (root unit) whose calendar the rule counts working days on.</summary>
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }
    /// <summary>The procedure started (its published version at each occurrence).</summary>
    public required string DefinitionId { get; set; }
    /// <summary>The <see cref="ScheduleRule"/> as JSON.</summary>
    public required string RuleJson { get; set; }
    /// <summary>The start form's values, as JSON (an object).</summary>
    public required string DefaultsJson { get; set; }
    /// <summary>Who the item is started as.</summary>
    public required string UserId { get; set; }
    public bool Paused { get; set; }
    /// <summary>Occurrences up to and including this date are handled (started, skipped or failed), or were before the schedule began.</summary>
    public DateOnly HandledThrough { get; set; }
    /// <summary>The next occurrence; null when paused or there is none.</summary>
    public DateOnly? NextOccurrence { get; set; }
    /// <summary>When the worker should look: the start of <see cref="NextOccurrence"/> in China time.</summary>
    public DateTimeOffset? NextRunAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedByName { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

public static class ScheduleRunStatus
{
    /// <summary>The item was started.</summary>
    public const string Started = "started";
    /// <summary>Missed while the app was down and not the most recent missed occurrence: recorded, not started.</summary>
    public const string Skipped = "skipped";
    /// <summary>The start was refused (procedure unpublished, form changed, user gone); the reason is kept.</summary>
    public const string Failed = "failed";
}

/// <summary>
/// One occurrence of a schedule and what became of it. Unique per (schedule, occurrence): two app instances, or a retry
/// after a crash, cannot start the same occurrence twice — the second insert loses on the index.
/// </summary>
public sealed class ScheduleRunRecord
{
    public Guid Id { get; set; }
    public Guid ScheduleId { get; set; }
    public DateOnly Occurrence { get; set; }
    public required string Status { get; set; }
    public Guid? InstanceId { get; set; }
    public string? Reason { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class ScheduleRecordConfiguration : IEntityTypeConfiguration<ScheduleRecord>
{
    public void Configure(EntityTypeBuilder<ScheduleRecord> b)
    {
        b.ToTable("Schedules");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.DefinitionId).HasMaxLength(200);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.CreatedByName).HasMaxLength(200);
        b.Property(x => x.UpdatedByName).HasMaxLength(200);
        b.HasIndex(x => x.NextRunAt);
        b.HasIndex(x => x.OrganizationId);
    }
}

internal sealed class ScheduleRunRecordConfiguration : IEntityTypeConfiguration<ScheduleRunRecord>
{
    public void Configure(EntityTypeBuilder<ScheduleRunRecord> b)
    {
        b.ToTable("ScheduleRuns");
        b.HasKey(x => x.Id);
        b.Property(x => x.Status).HasMaxLength(20);
        b.Property(x => x.Reason).HasMaxLength(2000);
        b.HasIndex(x => new { x.ScheduleId, x.Occurrence }).IsUnique();
        b.HasOne<ScheduleRecord>().WithMany().HasForeignKey(x => x.ScheduleId).OnDelete(DeleteBehavior.Cascade);
    }
}
