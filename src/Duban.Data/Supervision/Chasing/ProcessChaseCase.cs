using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Chasing;
using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// The chase worker raises the rungs that have fallen due for one case it claimed, in one transaction, and lets the
/// case go. A worker whose lease ran out leaves the case to whoever holds it now. Answers how many rungs were raised.
/// </summary>
public sealed record ProcessChaseCase(Guid CaseId, string Owner) : IWrite<int>, IRetryOnDuplicateKey
{
    public string Operation => "chase";
    public string Subject => CaseId.ToString();
}

/// <remarks>
/// A rung the ladder raises has a unique <see cref="ChaseRecord.AutoKey"/> (case, cycle, rung): should another process
/// raise it first, the insert loses and the door runs this again on what that process left — the case has moved past the
/// rung, and nothing is raised twice.
/// </remarks>
internal sealed class ProcessChaseCaseHandler(ItemWriter items, SupervisionSettings settings) : IWriteHandler<ProcessChaseCase, int>
{
    public async Task<int> HandleAsync(ProcessChaseCase write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization;
        var now = context.Now;
        var chase = await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.Id == write.CaseId, ct);
        if (chase is null || chase.LeaseOwner != write.Owner) return 0;
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == chase.InstanceId, ct);
        Chases.Retarget(chase, instance is null ? null : await Chases.EffectiveDueAsync(db, instance, chase.UnitId, org, ct), now);
        Release(chase, now);
        if (chase.DueAt is not { } due || instance is null)
        {
            chase.NextCheckAt = null;
            return 0;
        }
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var organizationId = OrganizationScope.OrganizationOf(org, chase.UnitId) ?? chase.UnitId;
        var ladder = await settings.LadderAsync(organizationId, definition, ct);
        var calendar = org.CalendarFor(chase.UnitId);
        var plan = Ladder.Plan(ladder, chase.NextRung, ChinaTime.DateOf(due), now, calendar);
        var owner = plan.Due.Count > 0 ? await Chases.ItemOwnerAsync(db, instance.Id, ct) : null;
        foreach (var index in plan.Due)
        {
            // Dated when the rung fell due, not when this poll came round: a notice raised after a gap counts as of then.
            Chases.Raise(context, instance, chase.UnitId, ladder[index], index, chase, Actor.System, Chases.Auto, record: null, note: null, calendar,
                owner, autoKey: $"{chase.Id:N}:{chase.Cycle}:{index}", fellDueAt: Ladder.DueAt(ladder[index], ChinaTime.DateOf(due), calendar));
            await Chases.DocumentAsync(context, instance, ladder[index], chase.UnitId, Actor.System, ct);
        }
        chase.NextRung = plan.NextRung(chase.NextRung);
        chase.NextCheckAt = plan.NextCheck;
        return plan.Due.Count;
    }

    private static void Release(ChaseCaseRecord chase, DateTimeOffset now)
    {
        chase.LeaseOwner = null;
        chase.LeaseUntil = null;
        chase.Attempts = 0;
        chase.LastError = null;
        chase.UpdatedAt = now;
    }
}
