using Duban.Data.Instances;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Duban.Data.Writes;

/// <summary>
/// Keeps the item row's deadline columns (<see cref="InstanceRecord.OpenStepDeadlines"/>, <see cref="InstanceRecord.NearestStepDueAt"/>,
/// <see cref="InstanceRecord.LedgerDueAt"/>, <see cref="InstanceRecord.RedFrom"/>) in line with its open steps, in the same
/// transaction as the write that changed them: the write door runs it before every save (docs/decisions/042). The ledger then
/// sorts by deadline, filters by it and finds red items on indexed columns instead of a sub-query per item.
/// <para>It works from the tracked rows: a step opened, closed or moved changes the count and the nearest deadline. The
/// database is asked only when a closed or moved step may have been the nearest and other steps with a deadline stay open
/// (parallel steps); a sequential flow — one step closes, the next opens — costs no query.</para>
/// </summary>
public static class ItemDeadlines
{
    /// <summary>Does a step with these values count: open, a step of the work (not a notice), with a deadline.</summary>
    private static bool Counts(HumanTaskStatus status, TaskKind kind, DateTimeOffset? dueAt) =>
        status == HumanTaskStatus.Open && kind == TaskKind.Task && dueAt is not null;

    public static async Task RefreshAsync(DubanDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tracker = db.ChangeTracker;
        tracker.DetectChanges();
        var steps = new Dictionary<Guid, List<EntityEntry<TaskRecord>>>();
        foreach (var entry in tracker.Entries<TaskRecord>())
        {
            var relevant = entry.State switch
            {
                EntityState.Added or EntityState.Deleted => true,
                EntityState.Modified => entry.Property(t => t.Status).IsModified || entry.Property(t => t.DueAt).IsModified || entry.Property(t => t.Kind).IsModified,
                _ => false,
            };
            if (!relevant) continue;
            (steps.TryGetValue(entry.Entity.InstanceId, out var list) ? list : steps[entry.Entity.InstanceId] = []).Add(entry);
        }
        var items = new Dictionary<Guid, EntityEntry<InstanceRecord>>();
        foreach (var entry in tracker.Entries<InstanceRecord>())
        {
            if (entry.State is EntityState.Added
                || (entry.State is EntityState.Modified && (entry.Property(i => i.DueAt).IsModified || entry.Property(i => i.Status).IsModified))
                || (entry.State is not EntityState.Deleted and not EntityState.Detached && steps.ContainsKey(entry.Entity.Id)))
                items[entry.Entity.Id] = entry;
        }
        var untracked = steps.Keys.Where(id => !items.ContainsKey(id)).ToList();
        if (untracked.Count > 0)
            foreach (var record in await db.Instances.Where(i => untracked.Contains(i.Id)).ToListAsync(ct))
                items[record.Id] = db.Entry(record);

        foreach (var (id, item) in items)
        {
            var record = item.Entity;
            var added = item.State == EntityState.Added;
            var remaining = added ? 0 : item.Property(i => i.OpenStepDeadlines).OriginalValue;
            var nearest = added ? null : item.Property(i => i.NearestStepDueAt).OriginalValue;
            var mayHaveBeenNearest = false;
            var ownSteps = steps.GetValueOrDefault(id) ?? [];
            var counted = new List<DateTimeOffset>();
            foreach (var step in ownSteps)
            {
                if (step.State != EntityState.Added)
                {
                    var was = step.OriginalValues;
                    var wasDue = was.GetValue<DateTimeOffset?>(nameof(TaskRecord.DueAt));
                    if (Counts(was.GetValue<HumanTaskStatus>(nameof(TaskRecord.Status)), was.GetValue<TaskKind>(nameof(TaskRecord.Kind)), wasDue))
                    {
                        remaining--;
                        if (nearest is null || wasDue <= nearest) mayHaveBeenNearest = true;
                    }
                }
                var task = step.Entity;
                if (step.State != EntityState.Deleted && Counts(task.Status, task.Kind, task.DueAt)) counted.Add(task.DueAt!.Value);
            }
            if (remaining < 0 || (remaining > 0 && mayHaveBeenNearest))
            {
                // The nearest deadline may have gone while other steps with one stay open: read theirs.
                var trackedIds = ownSteps.Select(s => s.Entity.Id).ToList();
                var others = await db.Tasks.AsNoTracking()
                    .Where(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.DueAt != null && !trackedIds.Contains(t.Id))
                    .Select(t => t.DueAt!.Value).ToListAsync(ct);
                remaining = others.Count;
                nearest = others.Count == 0 ? null : others.Min();
            }
            else if (remaining == 0) nearest = null;
            var count = remaining + counted.Count;
            var stepDue = counted.Count == 0 ? nearest : nearest is { } n && n < counted.Min() ? n : counted.Min();
            Apply(record, count, count == 0 ? null : stepDue);
        }
    }

    /// <summary>Sets the columns from the open steps' count and nearest deadline and the item's own deadline and status.</summary>
    public static void Apply(InstanceRecord record, int openStepDeadlines, DateTimeOffset? nearestStepDueAt)
    {
        ArgumentNullException.ThrowIfNull(record);
        var closed = record.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled;
        var own = closed ? null : record.DueAt;
        if (record.OpenStepDeadlines != openStepDeadlines) record.OpenStepDeadlines = openStepDeadlines;
        if (record.NearestStepDueAt != nearestStepDueAt) record.NearestStepDueAt = nearestStepDueAt;
        var ledgerDueAt = record.DueAt ?? nearestStepDueAt;
        if (record.LedgerDueAt != ledgerDueAt) record.LedgerDueAt = ledgerDueAt;
        DateTimeOffset? redFrom = own is null ? nearestStepDueAt : nearestStepDueAt is null || own < nearestStepDueAt ? own : nearestStepDueAt;
        if (record.RedFrom != redFrom) record.RedFrom = redFrom;
    }
}
