using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Deadlines;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// 一键催办: the initiator of an item (or the supervision office) presses 催办 on a step of it that is overdue, and the
/// organization's first rung for an overdue unit is raised against the unit holding the step — the same rung, under the
/// same key, the ladder job would raise: it is logged and counted once, whoever raises it first (docs/decisions/032).
/// </summary>
public sealed record UrgeOverdueStep(Guid TaskId, CurrentUser User) : IWrite<ChaseRecord>, IRetryOnDuplicateKey
{
    public string Operation => "urge";
    public string Subject => TaskId.ToString();
}

/// <remarks>
/// Two presses at once, or a press and the ladder job, insert the same <see cref="ChaseRecord.AutoKey"/> (case, cycle,
/// rung) and change the same case: the later one runs again and finds the rung raised — a 409 for a press, nothing to do
/// for the job.
/// </remarks>
internal sealed class UrgeOverdueStepHandler(ItemWriter items, SupervisionSettings settings) : IWriteHandler<UrgeOverdueStep, ChaseRecord>
{
    public async Task<ChaseRecord> HandleAsync(UrgeOverdueStep write, WriteContext context, CancellationToken ct)
    {
        var (db, org, user, now) = (context.Db, context.Organization, write.User, context.Now);
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == write.TaskId, ct) ?? throw new NotFoundException("待办不存在");
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == task.InstanceId, ct)
            ?? throw new NotFoundException("待办不存在");
        if (instance.InitiatorId != user.Id && !user.Has(Permission.Supervise))
            throw new ForbiddenException("只有事项的发起人或督查室可以催办");
        if (task.Status != HumanTaskStatus.Open)
            throw new WorkflowConflictException("该环节已办理，不需要催办");
        if (task.Kind != TaskKind.Task || task.BookmarkId is null)
            throw new WorkflowInputException("taskId", "只能催办流程中的办理环节");
        if (task.DueAt is not { } due || now <= due)
            throw new WorkflowConflictException(task.DueAt is { } d ? $"该环节尚未超期（办理期限 {StepDeadline.Describe(d)}），不能催办" : "该环节没有办理期限，不能催办");
        var unitId = HandlingUnits.UnitOf(task, org);
        if (unitId is null || !HandlingUnits.IsHandlingUnit(org, unitId, await HandlingUnits.KindsAsync(db, ct)))
            throw new WorkflowConflictException("该环节不由承办单位办理，不在催办范围内");

        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var ladder = await settings.LadderAsync(OrganizationScope.OrganizationOf(org, unitId) ?? unitId, definition, ct);
        // The first rung for an overdue unit: a reminder before the deadline is no 催办 of a late unit.
        var index = ladder.ToList().FindIndex(r => r.Trigger.Kind != RungTrigger.BeforeDue);
        if (index < 0) throw new WorkflowConflictException("本单位的催办阶梯没有逾期催办环节，请管理员设置催办规则");
        var rung = ladder[index];

        var chase = await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.InstanceId == instance.Id && c.UnitId == unitId, ct);
        if (chase is null)
        {
            chase = Chases.NewCase(instance.Id, unitId, await Chases.EffectiveDueAsync(db, instance, unitId, org, ct) ?? due, now);
            db.Set<ChaseCaseRecord>().Add(chase);
        }
        var raisedBefore = await db.Set<ChaseRecord>().AsNoTracking()
            .Where(c => c.CaseId == chase.Id && c.Cycle == chase.Cycle && c.RungIndex == index && c.Status != ChaseStatus.Cancelled)
            .Select(c => (DateTimeOffset?)c.RaisedAt).FirstOrDefaultAsync(ct);
        if (raisedBefore is { } at)
            throw new WorkflowConflictException($"已于 {at.ToOffset(Engine.Calendar.ChinaTime.Offset):yyyy-MM-dd HH:mm} 进行过{rung.Name}，不再重复催办");

        var earlier = await db.Set<ChaseRecord>().AsNoTracking()
            .Where(c => c.InstanceId == instance.Id && c.UnitId == unitId && c.Status != ChaseStatus.Cancelled)
            .OrderBy(c => c.RaisedAt).Select(c => c.RungName).ToListAsync(ct);
        var who = instance.InitiatorId == user.Id ? "发起人" : "督查室";
        var raised = Chases.Raise(context, instance, unitId, rung, index, chase, user.ToActor(), Chases.Manual, record: null,
            note: $"{who}一键催办「{task.Name}」", org.CalendarFor(unitId), await Chases.ItemOwnerAsync(db, instance.Id, ct),
            autoKey: $"{chase.Id:N}:{chase.Cycle}:{index}", earlier: earlier);
        if (index >= chase.NextRung)
        {
            chase.NextRung = index + 1;
            chase.NextCheckAt = now;
        }
        chase.UpdatedAt = now;
        return raised;
    }
}
