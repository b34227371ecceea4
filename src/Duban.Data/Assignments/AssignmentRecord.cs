using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Assignments;

/// <summary>
/// One unit's part in a 交办 step: the 主办 or a 协办, keyed by the unit's task. What the task row already says (who
/// took it, when it was done, its outcome and comment, open / completed / cancelled) stays there; this row adds the
/// role, what the unit submitted (a 协办's own input), and whether the office replaced or removed the unit.
/// See docs/decisions (交办).
/// </summary>
public sealed class AssignmentRecord
{
    public Guid TaskId { get; set; }
    public Guid InstanceId { get; set; }
    public required string ActivityId { get; set; }
    public required string ExecutionId { get; set; }
    public required string UnitId { get; set; }
    /// <summary><c>lead</c> (主办) or <c>co</c> (协办).</summary>
    public required string Role { get; set; }
    public DateTimeOffset AssignedAt { get; set; }
    /// <summary>The unit's submission as JSON: a 协办's input, the 主办's values of the step form.</summary>
    public string? InputJson { get; set; }
    /// <summary>The task of the unit this one replaced (the office put this unit in its place).</summary>
    public Guid? ReplacesTaskId { get; set; }
    /// <summary><c>replaced</c> or <c>removed</c> when the office took the unit off the step.</summary>
    public string? EndReason { get; set; }
    public Guid? ReplacedByTaskId { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public string? EndedById { get; set; }
    public string? EndedByName { get; set; }
    /// <summary>The reason the office gave for the replacement or removal.</summary>
    public string? EndComment { get; set; }
}

internal sealed class AssignmentRecordConfiguration : IEntityTypeConfiguration<AssignmentRecord>
{
    public void Configure(EntityTypeBuilder<AssignmentRecord> b)
    {
        b.ToTable("Assignments");
        b.HasKey(x => x.TaskId);
        b.Property(x => x.ActivityId).HasMaxLength(100);
        b.Property(x => x.ExecutionId).HasMaxLength(120);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.Role).HasMaxLength(10);
        b.Property(x => x.EndReason).HasMaxLength(20);
        b.Property(x => x.EndedById).HasMaxLength(64);
        b.Property(x => x.EndedByName).HasMaxLength(100);
        b.Property(x => x.EndComment).HasMaxLength(2000);
        b.HasIndex(x => x.InstanceId);
        b.HasIndex(x => new { x.UnitId, x.Role });
    }
}

/// <summary>Writes what 交办 steps did (<see cref="AssignmentEffect"/>s) into the unit of work; the runtime saves it.</summary>
public static class AssignmentRecords
{
    public const string Replaced = "replaced";
    public const string Removed = "removed";

    public static async Task ApplyAsync(DubanDbContext db, Guid instanceId, IReadOnlyList<AssignmentEffect> effects, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        var set = db.Set<AssignmentRecord>();
        foreach (var effect in effects)
        {
            if (effect.Kind == AssignmentEffectKind.Assigned)
            {
                set.Add(new AssignmentRecord
                {
                    TaskId = effect.TaskId, InstanceId = instanceId, ActivityId = effect.ActivityId, ExecutionId = effect.ExecutionId,
                    UnitId = effect.UnitId, Role = effect.Role, AssignedAt = now, ReplacesTaskId = effect.OtherTaskId,
                });
                continue;
            }
            // Find looks at this unit of work first: a unit added and taken off in one event is still found.
            var record = await set.FindAsync([effect.TaskId], ct);
            if (record is null) continue; // a step that began before this record existed
            switch (effect.Kind)
            {
                case AssignmentEffectKind.Submitted:
                    record.InputJson = effect.Input?.ToJsonString(DefinitionJson.Options);
                    break;
                case AssignmentEffectKind.Recalled:
                    // 撤回: the submission no longer stands (its values go back to the holder as a draft, RecallTask).
                    record.InputJson = null;
                    break;
                case AssignmentEffectKind.Replaced or AssignmentEffectKind.Removed:
                    record.EndReason = effect.Kind == AssignmentEffectKind.Replaced ? Replaced : Removed;
                    record.ReplacedByTaskId = effect.OtherTaskId;
                    record.EndedAt = now;
                    record.EndedById = actor.Id;
                    record.EndedByName = actor.Name;
                    record.EndComment = effect.Reason;
                    break;
            }
        }
    }
}
