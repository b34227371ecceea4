using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Instances;

/// <summary>
/// 撤回 takes a completion back (docs/decisions/031). Its <c>TaskCompleted</c> line stays in the journal — the item's file
/// records what happened — but nothing counted from completions (scores, send-back counts) may count it. A completion line
/// of a task is taken back when a <c>TaskRecalled</c> line of the same task follows it; the completion made again after the
/// 撤回 comes later than that line and counts.
/// </summary>
public static class RecalledCompletions
{
    /// <summary>The ids of those of <paramref name="lines"/> (journal id, task id) that a later 撤回 of their task took back.</summary>
    public static async Task<HashSet<long>> AmongAsync(DubanDbContext db, IEnumerable<(long Id, Guid? TaskId)> lines, CancellationToken ct)
    {
        var list = lines.Where(l => l.TaskId is not null).ToList();
        var taskIds = list.Select(l => l.TaskId!.Value).Distinct().ToList();
        var latest = new Dictionary<Guid, long>();
        foreach (var chunk in taskIds.Chunk(500))
            foreach (var recall in await db.Journal.AsNoTracking()
                         .Where(j => j.Kind == JournalKind.TaskRecalled && j.TaskId != null && chunk.Contains(j.TaskId.Value))
                         .Select(j => new { TaskId = j.TaskId!.Value, j.Id }).ToListAsync(ct))
                latest[recall.TaskId] = Math.Max(latest.GetValueOrDefault(recall.TaskId), recall.Id);
        if (latest.Count == 0) return [];
        return list.Where(l => latest.TryGetValue(l.TaskId!.Value, out var recalled) && recalled > l.Id).Select(l => l.Id).ToHashSet();
    }
}
