using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>
/// 延期审批: the stages a request goes through (<c>options.extensions.approval</c>: the office, then optionally a
/// leader), each an inbox task, and what a decision does — the same from the item page (<see cref="DecideExtension"/>)
/// and from the inbox (<see cref="ExtensionApprovalTask"/>). The last approval moves the deadlines through the engine.
/// </summary>
public static class ExtensionApproval
{
    /// <summary>Activity id of the approval tasks, and of the journal lines about requests.</summary>
    public const string ActivityId = "extension";
    public const string ActivityName = "延期申请";
    public const string Approve = "同意";
    public const string Reject = "不同意";

    /// <summary>
    /// Who decides a stage: the office (督查员), any 领导, or — at the 分管领导 stage — the asking unit's 分管领导
    /// (<see cref="UnitDirectory.SupervisorOf"/>), any 领导 when none is named up its tree.
    /// </summary>
    public static bool MayDecide(CurrentUser user, string stage, IOrganization org, string unitId) => stage switch
    {
        ExtensionPolicy.Leader => user.IsInRole(Roles.Leader),
        ExtensionPolicy.Supervisor => org.SupervisorOf(unitId) is { } supervisor ? user.Id == supervisor : user.IsInRole(Roles.Leader),
        _ => user.IsInRole(Roles.Supervisor),
    };

    public static string StageName(string stage) => stage switch
    {
        ExtensionPolicy.Leader => "领导审批",
        ExtensionPolicy.Supervisor => "分管领导审批",
        _ => "督查部门审核",
    };

    private static string RefusalOf(string stage) => stage switch
    {
        ExtensionPolicy.Leader => "该延期申请需由领导审批",
        ExtensionPolicy.Supervisor => "该延期申请需由申请单位的分管领导审批",
        _ => "只有督查部门可以审批延期申请",
    };

    /// <summary>The inbox task of the stage the request waits in.</summary>
    internal static TaskRecord OpenTask(WriteContext context, ExtensionRecord extension, InstanceRecord instance, string stage)
    {
        var unitName = HandlingUnits.NameOf(context.Organization, extension.UnitId);
        var message = $"{unitName}申请将「{instance.Title}」的完成时限由{StepDeadline.Describe(extension.CurrentDueAt)}延至{StepDeadline.Describe(extension.RequestedDueAt)}。"
            + $"{(extension.Late ? "（逾期后申请）" : "")}延期理由：{extension.Reason}"
            + (RestDayWarning(context.Organization, extension) is { } warning ? $"。注意：{warning}" : "");
        var (name, assignee) = stage switch
        {
            ExtensionPolicy.Leader => ("延期审批（领导）", TaskAssignee.ForRole(Roles.Leader)),
            ExtensionPolicy.Supervisor => ("延期审批（分管领导）", context.OrganizationOf(instance).SupervisorOf(extension.UnitId) is { } supervisor
                ? TaskAssignee.User(supervisor)
                : TaskAssignee.ForRole(Roles.Leader)),
            _ => ("延期审批", TaskAssignee.ForRole(Roles.Supervisor)),
        };
        return context.OpenDetachedTask(instance, ActivityId, $"{ActivityId}:{extension.Id:N}:{extension.Stage}", name, TaskKind.Task,
            assignee, formId: null, [Approve, Reject], message, dueAt: null);
    }

    /// <summary>
    /// The warning an approver sees when the date asked for is a rest day in the organization's calendar (the procedure
    /// keeps such dates as typed, <c>extensions.restDay: warn</c>); null on a working day.
    /// </summary>
    public static string? RestDayWarning(IOrganization org, ExtensionRecord extension)
    {
        var calendar = org.CalendarFor(extension.UnitId);
        var date = ChinaTime.DateOf(extension.RequestedDueAt);
        if (calendar.IsWorkingDay(date)) return null;
        return $"新的完成时限{StepDeadline.Describe(extension.RequestedDueAt)}是休息日，下一个工作日是{StepDeadline.Describe(ChinaTime.EndOf(calendar.NextWorkingDay(date)))}";
    }

    /// <summary>
    /// A decision on the stage the request waits in: kept with the request and journaled; the stage's task closes. A
    /// rejection ends the request; an approval passes it to the next stage, or, at the last, moves the deadlines.
    /// </summary>
    /// <param name="task">The stage's task when the decision completes it from the inbox; null from the item page.</param>
    internal static async Task DecideAsync(WriteContext context, ItemWriter items, ExtensionRecord extension, InstanceRecord instance, CurrentUser user,
        bool approve, string? opinion, TaskRecord? task, CancellationToken ct)
    {
        if (extension.Status == ExtensionStatus.Closed) throw new WorkflowConflictException("事项已结束，延期申请不再审批");
        if (extension.Status != ExtensionStatus.Pending) throw new WorkflowConflictException("该延期申请已处理");
        var stages = JsonSerializer.Deserialize<List<string>>(extension.StagesJson, DefinitionJson.Options)!;
        var stage = stages[extension.Stage];
        // The 分管领导 stage's task names its person: from the inbox it was his to act on (or his deputy's, decision 031).
        if (!(task is not null && stage == ExtensionPolicy.Supervisor) && !MayDecide(user, stage, context.OrganizationOf(instance), extension.UnitId))
            throw new ForbiddenException(RefusalOf(stage));
        opinion = opinion?.Trim();
        if (!approve && string.IsNullOrEmpty(opinion)) throw new WorkflowInputException("opinion", "不同意延期时请填写意见");
        if (opinion?.Length > 2000) throw new WorkflowInputException("opinion", "审批意见不能超过 2000 字");

        var db = context.Db;
        var now = context.Now;
        task ??= extension.ApprovalTaskId is { } taskId ? await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct) : null;
        if (task is not null && task.Status == HumanTaskStatus.Open)
            context.Close(task, user, HumanTaskStatus.Completed, approve ? Approve : Reject, opinion);

        var decisions = JsonSerializer.Deserialize<List<ExtensionDecision>>(extension.DecisionsJson, DefinitionJson.Options) ?? [];
        decisions.Add(new ExtensionDecision(extension.Stage, StageName(stage), approve, user.Id, user.DisplayName, now, opinion));
        extension.DecisionsJson = JsonSerializer.Serialize(decisions, DefinitionJson.Options);
        var data = new JsonObject
        {
            ["extensionId"] = extension.Id.ToString(), ["unitId"] = extension.UnitId, ["unitName"] = HandlingUnits.NameOf(context.Organization, extension.UnitId),
            ["stage"] = StageName(stage), ["from"] = extension.CurrentDueAt, ["to"] = extension.RequestedDueAt,
        };
        instance.UpdatedAt = now;
        var actor = user.ToActor();

        if (!approve)
        {
            extension.Status = ExtensionStatus.Rejected;
            extension.DecidedAt = now;
            extension.ApprovalTaskId = null;
            context.Journal(instance.Id, JournalKind.ExtensionRejected, actor, ActivityId, ActivityName, Reject, opinion, data);
            return;
        }
        if (extension.Stage + 1 < stages.Count)
        {
            extension.Stage++;
            extension.ApprovalTaskId = OpenTask(context, extension, instance, stages[extension.Stage]).Id;
            context.Journal(instance.Id, JournalKind.ExtensionStageApproved, actor, ActivityId, ActivityName, Approve, opinion, data);
            return;
        }

        extension.Status = ExtensionStatus.Approved;
        extension.DecidedAt = now;
        extension.ApprovalTaskId = null;
        await MoveDeadlinesAsync(context, items, extension, instance, actor, ct);
        context.Journal(instance.Id, JournalKind.ExtensionApproved, actor, ActivityId, ActivityName, Approve, opinion, data);
    }

    /// <summary>
    /// The approved extension goes through the engine, the only thing that changes an item's state: it moves the item's
    /// deadline (kept in the state, so later steps counted from it follow) and the steps <see cref="StepsToMove"/> names,
    /// each journaled, which <see cref="ItemWriter.ApplyAsync"/> writes to their tasks. The chase cases of the units whose
    /// steps moved start a new cycle against the new date.
    /// </summary>
    private static async Task MoveDeadlinesAsync(WriteContext context, ItemWriter items, ExtensionRecord extension, InstanceRecord instance, Actor actor,
        CancellationToken ct)
    {
        var db = context.Db;
        var org = context.Organization;
        var to = extension.RequestedDueAt;
        var open = await db.Tasks
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .ToListAsync(ct);
        var openIds = open.Select(t => t.Id).ToList();
        var roles = await db.Set<AssignmentRecord>().Where(a => a.InstanceId == instance.Id && openIds.Contains(a.TaskId))
            .ToDictionaryAsync(a => a.TaskId, a => a.Role, ct);
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var policy = ProcedureOptions.Extensions(definition.Options);
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var steps = StepsToMove(extension, open, roles, policy, org, unitId => HandlingUnits.IsHandlingUnit(org, unitId, kinds));
        var before = ItemWriter.StateOf(instance);
        var result = items.Runner.Extend(definition, instance.Id, before,
            new ExtendRequest(actor, to, steps.Select(t => new StepDue(t.Id, t.DueAt, t.ActivityId, HandlingUnits.UnitOf(t, org))).ToList(),
                Note: new JsonObject { ["extensionId"] = extension.Id.ToString() }), context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, actor, ct, before);

        var units = steps.Select(t => HandlingUnits.UnitOf(t, org)).OfType<string>().Append(extension.UnitId).Distinct().ToList();
        foreach (var chase in await db.Set<ChaseCaseRecord>().Where(c => c.InstanceId == instance.Id && units.Contains(c.UnitId)).ToListAsync(ct))
            Chases.Retarget(chase, to, context.Now);
    }

    /// <summary>
    /// The open steps an approved extension moves — the one place that decides it; the engine call and the chase cases
    /// above follow what this returns. Always the asking unit's; with <c>units: leadAndCo</c> (the default) also the
    /// 协办's of each 交办 step the asking unit leads (000 第十一条: the 协办 work for the 主办's task, so its date cannot stay
    /// behind); with <c>all</c> every handling unit's open step on the item. The office's own steps never move.
    /// </summary>
    /// <param name="roles">The 交办 role (<c>lead</c>/<c>co</c>) of each open task that belongs to a 交办 step.</param>
    internal static List<TaskRecord> StepsToMove(ExtensionRecord extension, IReadOnlyList<TaskRecord> open, IReadOnlyDictionary<Guid, string> roles,
        ExtensionPolicy policy, IOrganization org, Func<string, bool> isHandlingUnit)
    {
        var asking = open.Where(t => HandlingUnits.UnitOf(t, org) == extension.UnitId).ToList();
        var moved = policy.UnitScope switch
        {
            ExtensionPolicy.UnitsAll => open.Where(t => HandlingUnits.UnitOf(t, org) is { } unit && isHandlingUnit(unit)),
            ExtensionPolicy.UnitsLeadAndCo => asking.Concat(open.Where(t =>
                roles.GetValueOrDefault(t.Id) == AssignActivity.Co
                && asking.Any(a => roles.GetValueOrDefault(a.Id) == AssignActivity.Lead && a.ActivityId == t.ActivityId && a.ExecutionId == t.ExecutionId))),
            _ => asking,
        };
        return moved.DistinctBy(t => t.Id).ToList();
    }
}
