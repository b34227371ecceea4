using Duban.Data.Instances;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// Compacts one closed item (docs/decisions/042, addendum "closed items compacted"): its journal lines that only the item's
/// own pages read move into one compressed block on the queue row (<see cref="ItemCompactionRecord"/>) and their rows go;
/// the lines other queries look for across items (<see cref="ItemJournal.Kept"/>) stay rows; and each of its tasks whose
/// field permissions are exactly its step's input keeps only a reference to that input (<see cref="StepPermissions"/>,
/// addendum "closed items smaller"). The item row, form data and state are untouched: the timeline, the 一事一卷 archive,
/// documents, the visibility rule and the scores read the same before and after. An item open again is left alone (its next closing queues it anew); one with a
/// child still open waits. With <see cref="Owner"/> the worker's lease must still be held (as for timers). Answers how many
/// lines moved.
/// </summary>
public sealed record CompactItem(Guid CompactionId, string? Owner = null) : IWrite<int>, ICompactsStorage
{
    public string Operation => "compact";
    public string Subject => CompactionId.ToString();
}

internal sealed class CompactItemHandler(ItemWriter items) : IWriteHandler<CompactItem, int>
{
    public async Task<int> HandleAsync(CompactItem write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var row = await db.Set<ItemCompactionRecord>().FirstOrDefaultAsync(c => c.Id == write.CompactionId, ct);
        if (row is null || row.DueAt is null || (write.Owner is not null && row.LeaseOwner != write.Owner)) return 0;
        var item = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == row.InstanceId, ct);
        if (item is null || !ClosedItems.IsClosed(item.Status))
        {
            Release(row, null, null);
            return 0;
        }
        if (await db.Instances.AnyAsync(i => i.ParentInstanceId == row.InstanceId && i.Status != Engine.Execution.WorkflowStatus.Completed
                && i.Status != Engine.Execution.WorkflowStatus.Cancelled, ct))
        {
            // The item and its children are compacted once all of them are closed.
            Release(row, context.Now + ClosedItems.Grace, null);
            return 0;
        }
        var lines = (await db.Journal.Where(j => j.InstanceId == row.InstanceId).OrderBy(j => j.Id).ToListAsync(ct))
            .Where(j => !ItemJournal.Kept(j)).ToList();
        if (lines.Count > 0)
        {
            var moved = row.Lines is null ? lines : [.. ItemJournal.Unpack(row.InstanceId, row.Lines), .. lines];
            row.Lines = ItemJournal.Pack(moved);
            row.LineCount = moved.Count;
            db.Journal.RemoveRange(lines);
        }
        var definition = await items.DefinitionOfAsync(db, item, ct);
        foreach (var task in await db.Tasks.Where(t => t.InstanceId == item.Id).ToListAsync(ct))
            if (StepPermissions.Compact(definition, task) is { } reference) task.PermissionsJson = reference;
        Release(row, null, context.Now);
        return lines.Count;
    }

    private static void Release(ItemCompactionRecord row, DateTimeOffset? dueAt, DateTimeOffset? compactedAt)
    {
        row.DueAt = dueAt;
        if (compactedAt is not null) row.CompactedAt = compactedAt;
        row.LeaseOwner = null;
        row.LeaseUntil = null;
        row.Attempts = 0;
        row.LastError = null;
    }
}
