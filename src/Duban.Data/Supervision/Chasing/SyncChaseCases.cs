using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// Brings the cases in line with the open steps: a case for every (item, unit) with an open step that has a deadline,
/// its deadline the nearest one; cases whose unit has nothing open any more are closed. Idempotent. Two processes
/// syncing at once both add the same new case: the second insert loses on the unique index and the door runs the sync
/// again, which then finds the case (<see cref="IRetryOnDuplicateKey"/>). Answers how many cases changed.
/// </summary>
public sealed record SyncChaseCases : IWrite<int>, IRetryOnDuplicateKey
{
    public string Operation => "chase-sync";
    public string Subject => "cases";
}

internal sealed class SyncChaseCasesHandler : IWriteHandler<SyncChaseCases, int>
{
    public async Task<int> HandleAsync(SyncChaseCases write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization;
        var now = context.Now;
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var rows = await (
            from t in db.Tasks
            where t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null
            join i in db.Instances on t.InstanceId equals i.Id
            where i.Status != WorkflowStatus.Completed && i.Status != WorkflowStatus.Cancelled
            select new { t.InstanceId, t.CandidateUnitId, t.AssigneeUserId, TaskDue = t.DueAt, ItemDue = i.DueAt }).AsNoTracking().ToListAsync(ct);
        var wanted = rows
            .Select(r => (r.InstanceId, Unit: HandlingUnits.UnitOf(r.CandidateUnitId, r.AssigneeUserId, org), Due: r.TaskDue ?? r.ItemDue))
            .Where(r => r.Due is not null && HandlingUnits.IsHandlingUnit(org, r.Unit, kinds))
            .GroupBy(r => (r.InstanceId, r.Unit!))
            .ToDictionary(g => g.Key, g => g.Min(r => r.Due!.Value));

        var cases = await db.Set<ChaseCaseRecord>().Where(c => c.DueAt != null).ToListAsync(ct);
        var wantedIds = wanted.Keys.Select(k => k.InstanceId).Distinct().ToList();
        var known = cases.Select(c => c.Id).ToHashSet();
        foreach (var chunk in wantedIds.Chunk(500))
            cases.AddRange((await db.Set<ChaseCaseRecord>().Where(c => chunk.Contains(c.InstanceId)).ToListAsync(ct)).Where(c => known.Add(c.Id)));
        var byKey = cases.ToDictionary(c => (c.InstanceId, c.UnitId));

        var changed = 0;
        foreach (var ((instanceId, unitId), due) in wanted)
        {
            if (byKey.Remove((instanceId, unitId), out var existing))
            {
                if (Chases.Retarget(existing, due, now)) changed++;
                continue;
            }
            db.Set<ChaseCaseRecord>().Add(Chases.NewCase(instanceId, unitId, due, now));
            changed++;
        }
        foreach (var stale in byKey.Values.Where(c => c.DueAt is not null))
            if (Chases.Retarget(stale, null, now)) changed++;
        return changed;
    }
}
