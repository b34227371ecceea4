using Duban.Data.Instances;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Writes;

/// <summary>
/// When a write closes an item (办结 or 撤销), the same transaction queues its compaction: an
/// <see cref="ItemCompactionRecord"/> due <see cref="Grace"/> after the closing (docs/decisions/042, addendum "closed items
/// compacted"). The door runs it before every save, beside <see cref="ItemDeadlines"/>, and so does
/// <see cref="DubanDbContext.SaveChangesAsync(bool, CancellationToken)"/>. It works from the tracked rows only: no query, one
/// more INSERT in the closing write's batch.
/// </summary>
public static class ClosedItems
{
    /// <summary>How long after closing an item is compacted: the work around a closing (documents, 归档, a 撤回) is done on the rows.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    public static void QueueCompaction(DubanDbContext db)
    {
        ArgumentNullException.ThrowIfNull(db);
        var tracker = db.ChangeTracker;
        List<InstanceRecord>? closed = null;
        foreach (var entry in tracker.Entries<InstanceRecord>())
        {
            if (!IsClosed(entry.Entity.Status)) continue;
            var closing = entry.State == EntityState.Added
                || (entry.State == EntityState.Modified && entry.Property(i => i.Status).IsModified
                    && !IsClosed((WorkflowStatus)entry.Property(i => i.Status).OriginalValue!));
            if (closing) (closed ??= []).Add(entry.Entity);
        }
        if (closed is null) return;
        var queued = tracker.Entries<ItemCompactionRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.InstanceId).ToHashSet();
        foreach (var item in closed.Where(i => !queued.Contains(i.Id)))
            db.Add(new ItemCompactionRecord { Id = Guid.CreateVersion7(), InstanceId = item.Id, DueAt = (item.FinishedAt ?? item.UpdatedAt) + Grace });
    }

    public static bool IsClosed(WorkflowStatus status) => status is WorkflowStatus.Completed or WorkflowStatus.Cancelled;
}
