using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision;

public sealed record ExtensionDecision(int Stage, string StageName, bool Approved, string ById, string? ByName, DateTimeOffset At, string? Opinion);

/// <summary>What a unit may do about its deadline on an item right now, for the item page's 申请延期 button.</summary>
/// <param name="Deadline">The deadline an extension would move (the unit's nearest open step, else the item's).</param>
/// <param name="CanRequest">False with <paramref name="Reason"/> when the button should be disabled.</param>
/// <param name="Pending">The unit already has a request waiting for a decision.</param>
public sealed record ExtensionEligibility(string? UnitId, string? UnitName, DateTimeOffset? Deadline, bool CanRequest, string? Reason, bool Late, bool Pending = false);

/// <summary>
/// 延期申请: a unit asks before its deadline for a new date with a reason; the supervision office (and a leader, when
/// the procedure's <c>options.extensions.approval</c> says so) approve or reject in turn, from the item page or their
/// inbox. Approval moves the item's deadline, the unit's open steps and the chasing ladder. Asking after the deadline is
/// refused unless allowed (organization setting or <c>options.extensions.allowLate</c>).
/// </summary>
public sealed class ExtensionService(
    DubanDbContext db,
    DefinitionCache definitions,
    OrganizationCache organizationCache,
    SupervisionSettings settings,
    ICommitGate gate,
    TimeProvider clock)
{
    public const string ActivityName = "延期申请";
    public const string Approve = "同意";
    public const string Reject = "不同意";
    /// <summary>The furthest a new deadline may be from the current one.</summary>
    public const int MaxExtensionDays = 366;

    public async Task<ExtensionRecord> RequestAsync(Guid instanceId, CurrentUser user, string? reason, string? newDueDate, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason)) errors.Add(new("reason", "请填写延期理由"));
        else if (reason.Length > 2000) errors.Add(new("reason", "延期理由不能超过 2000 字"));
        if (string.IsNullOrWhiteSpace(newDueDate)) errors.Add(new("newDueDate", "请选择新的完成时限"));
        else if (!CalendarYear.TryDate(newDueDate, out _)) errors.Add(new("newDueDate", "新的完成时限应为 yyyy-MM-dd 格式的日期"));
        if (errors.Count > 0) throw new WorkflowInputException("延期申请填写有误", errors);
        CalendarYear.TryDate(newDueDate, out var requestedDate);
        var requested = ChinaTime.EndOf(requestedDate);

        return await Supervise.CommitAsync(db, gate, "extension-request", instanceId, async () =>
        {
            var org = await organizationCache.GetAsync(ct);
            var now = clock.GetUtcNow();
            var (instance, definition) = await LoadAsync(instanceId, user, ct);
            var eligibility = await EligibilityCoreAsync(instance, definition, user, org, now, ct);
            if (eligibility.Pending) throw new WorkflowConflictException(eligibility.Reason!);
            if (!eligibility.CanRequest)
                throw eligibility.Deadline is null || eligibility.UnitId is null
                    ? new WorkflowInputException("instanceId", eligibility.Reason!)
                    : new WorkflowInputException("newDueDate", eligibility.Reason!);
            var current = eligibility.Deadline!.Value;
            var currentDate = ChinaTime.DateOf(current);
            if (requestedDate <= currentDate)
                throw new WorkflowInputException("newDueDate", $"新的完成时限应晚于当前时限（{StepDeadline.Describe(current)}）");
            if (requestedDate.DayNumber - currentDate.DayNumber > MaxExtensionDays)
                throw new WorkflowInputException("newDueDate", $"一次延期不能超过 {MaxExtensionDays} 天");
            var unitId = eligibility.UnitId!;

            var stages = ProcedureOptions.Extensions(definition.Options).Stages.ToList();
            var extension = new ExtensionRecord
            {
                Id = Guid.CreateVersion7(),
                InstanceId = instance.Id,
                UnitId = unitId,
                RequestedById = user.Id,
                RequestedByName = user.DisplayName,
                RequestedAt = now,
                Reason = reason!,
                CurrentDueAt = current,
                RequestedDueAt = requested,
                Status = ExtensionStatus.Pending,
                StagesJson = JsonSerializer.Serialize(stages, DefinitionJson.Options),
                Stage = 0,
                Late = eligibility.Late,
            };
            db.Set<ExtensionRecord>().Add(extension);
            extension.ApprovalTaskId = AddApprovalTask(extension, instance, stages[0], org, now).Id;
            instance.UpdatedAt = now;
            Supervise.Journal(db, instance.Id, JournalKind.ExtensionRequested, now, user.ToActor(), DetachedTasks.Extension, ActivityName,
                comment: reason, data: new JsonObject
                {
                    ["extensionId"] = extension.Id.ToString(),
                    ["unitId"] = unitId,
                    ["unitName"] = Supervise.UnitName(org, unitId),
                    ["from"] = current,
                    ["to"] = requested,
                    ["late"] = eligibility.Late,
                });
            return extension;
        }, ct);
    }

    /// <summary>A decision from the item page (or the API). The same as completing the stage's inbox task.</summary>
    public Task DecideAsync(Guid extensionId, CurrentUser user, bool approve, string? opinion, CancellationToken ct) =>
        Supervise.CommitAsync(db, gate, "extension-decide", extensionId, async () =>
        {
            var extension = await db.Set<ExtensionRecord>().FirstOrDefaultAsync(e => e.Id == extensionId, ct)
                ?? throw new NotFoundException("延期申请不存在");
            if (!await ItemVisibility.CanSeeAsync(db, user, extension.InstanceId, ct)) throw new NotFoundException("延期申请不存在");
            var instance = await db.Instances.FirstAsync(i => i.Id == extension.InstanceId, ct);
            await DecideCoreAsync(extension, instance, user, approve, opinion, task: null, ct);
            return 0;
        }, ct);

    /// <summary>Completing the approval task in the inbox: 同意 / 不同意, the comment is the opinion.</summary>
    internal async Task CompleteTaskAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission command, CancellationToken ct)
    {
        if (command.Data is { Count: > 0 }) throw new WorkflowInputException("data", "延期审批没有表单，请只选择办理结果并填写意见");
        var approve = command.Outcome switch
        {
            Approve => true,
            Reject => false,
            _ => throw new WorkflowInputException("outcome", $"请选择办理结果（{Approve}、{Reject}）"),
        };
        var extension = await db.Set<ExtensionRecord>().FirstOrDefaultAsync(e => e.ApprovalTaskId == task.Id, ct)
            ?? throw new WorkflowConflictException("该延期申请已处理");
        await DecideCoreAsync(extension, instance, user, approve, command.Comment, task, ct);
    }

    private async Task DecideCoreAsync(ExtensionRecord extension, InstanceRecord instance, CurrentUser user, bool approve, string? opinion, TaskRecord? task, CancellationToken ct)
    {
        if (extension.Status == ExtensionStatus.Closed) throw new WorkflowConflictException("事项已结束，延期申请不再审批");
        if (extension.Status != ExtensionStatus.Pending) throw new WorkflowConflictException("该延期申请已处理");
        var stages = JsonSerializer.Deserialize<List<string>>(extension.StagesJson, DefinitionJson.Options)!;
        var stage = stages[extension.Stage];
        if (!MayDecide(user, stage))
            throw new ForbiddenException(stage == ExtensionPolicy.Leader ? "该延期申请需由领导审批" : "只有督查部门可以审批延期申请");
        opinion = opinion?.Trim();
        if (!approve && string.IsNullOrEmpty(opinion)) throw new WorkflowInputException("opinion", "不同意延期时请填写意见");
        if (opinion?.Length > 2000) throw new WorkflowInputException("opinion", "审批意见不能超过 2000 字");

        var org = await organizationCache.GetAsync(ct);
        var now = clock.GetUtcNow();
        task ??= extension.ApprovalTaskId is { } taskId ? await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct) : null;
        if (task is not null && task.Status == HumanTaskStatus.Open)
            Supervise.Close(task, user, HumanTaskStatus.Completed, approve ? Approve : Reject, opinion, now);

        var decisions = JsonSerializer.Deserialize<List<ExtensionDecision>>(extension.DecisionsJson, DefinitionJson.Options) ?? [];
        decisions.Add(new ExtensionDecision(extension.Stage, StageName(stage), approve, user.Id, user.DisplayName, now, opinion));
        extension.DecisionsJson = JsonSerializer.Serialize(decisions, DefinitionJson.Options);
        var unitName = Supervise.UnitName(org, extension.UnitId);
        var data = new JsonObject
        {
            ["extensionId"] = extension.Id.ToString(), ["unitId"] = extension.UnitId, ["unitName"] = unitName,
            ["stage"] = StageName(stage), ["from"] = extension.CurrentDueAt, ["to"] = extension.RequestedDueAt,
        };
        instance.UpdatedAt = now;

        if (!approve)
        {
            extension.Status = ExtensionStatus.Rejected;
            extension.DecidedAt = now;
            extension.ApprovalTaskId = null;
            Supervise.Journal(db, instance.Id, JournalKind.ExtensionRejected, now, user.ToActor(), DetachedTasks.Extension, ActivityName,
                Reject, opinion, data);
            return;
        }
        if (extension.Stage + 1 < stages.Count)
        {
            extension.Stage++;
            extension.ApprovalTaskId = AddApprovalTask(extension, instance, stages[extension.Stage], org, now).Id;
            Supervise.Journal(db, instance.Id, JournalKind.ExtensionStageApproved, now, user.ToActor(), DetachedTasks.Extension, ActivityName,
                Approve, opinion, data);
            return;
        }

        extension.Status = ExtensionStatus.Approved;
        extension.DecidedAt = now;
        extension.ApprovalTaskId = null;
        await MoveDeadlinesAsync(extension, instance, org, now, ct);
        Supervise.Journal(db, instance.Id, JournalKind.ExtensionApproved, now, user.ToActor(), DetachedTasks.Extension, ActivityName,
            Approve, opinion, data);
    }

    /// <summary>The item's deadline, the unit's open steps and its chasing ladder move to the new date.</summary>
    private async Task MoveDeadlinesAsync(ExtensionRecord extension, InstanceRecord instance, OrganizationSnapshot org, DateTimeOffset now, CancellationToken ct)
    {
        var to = extension.RequestedDueAt;
        if (instance.DueAt is { } itemDue && itemDue < to)
        {
            var state = ItemWriter.StateOf(instance);
            state.DueAt = to;
            state.DueExtended = true;
            instance.StateJson = JsonSerializer.Serialize(state, DefinitionJson.Options);
            instance.DueAt = to;
        }
        var open = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null).ToListAsync(ct);
        foreach (var task in open.Where(t => Supervise.UnitOf(t, org) == extension.UnitId && t.DueAt is { } due && due < to))
            task.DueAt = to;
        if (await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.InstanceId == instance.Id && c.UnitId == extension.UnitId, ct) is { } chase)
            ChaseService.Retarget(chase, to, now);
    }

    /// <summary>Requests on an item, newest first, for those who may see it.</summary>
    public async Task<IReadOnlyList<ExtensionRecord>> ListAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        if (!await ItemVisibility.CanSeeAsync(db, user, instanceId, ct)) throw new NotFoundException("事项不存在");
        return await db.Set<ExtensionRecord>().AsNoTracking().Where(e => e.InstanceId == instanceId)
            .OrderByDescending(e => e.RequestedAt).ToListAsync(ct);
    }

    public async Task<ExtensionEligibility> EligibilityAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        var org = await organizationCache.GetAsync(ct);
        var (instance, definition) = await LoadAsync(instanceId, user, ct, tracking: false);
        return await EligibilityCoreAsync(instance, definition, user, org, clock.GetUtcNow(), ct);
    }

    private async Task<ExtensionEligibility> EligibilityCoreAsync(InstanceRecord instance, WorkflowDefinition definition, CurrentUser user,
        OrganizationSnapshot org, DateTimeOffset now, CancellationToken ct)
    {
        ExtensionEligibility No(string reason, DateTimeOffset? deadline = null, bool late = false) =>
            new(user.UnitId, user.UnitId is { } u ? Supervise.UnitName(org, u) : null, deadline, false, reason, late);

        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled) return No("事项已结束，不能申请延期");
        var unitId = user.UnitId;
        var kinds = await Supervise.UnitKindsAsync(db, ct);
        if (unitId is null || !Supervise.IsHandlingUnit(org, unitId, kinds)) return No("只有承办单位可以申请延期");
        if (!user.IsInRole(Roles.Liaison) && org.FindUnit(unitId)?.LeaderUserId != user.Id)
            return No("只有承办单位的联络员或负责人可以申请延期");
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .ToListAsync(ct);
        var mine = open.Where(t => Supervise.UnitOf(t, org) == unitId).ToList();
        if (mine.Count == 0) return No("你单位在该事项中没有在办的环节，无需申请延期");
        var deadline = mine.Select(t => t.DueAt).Where(d => d is not null).Min() ?? instance.DueAt;
        if (deadline is null) return No("该事项没有办理时限，无需申请延期");
        if (await db.Set<ExtensionRecord>().AnyAsync(e => e.InstanceId == instance.Id && e.UnitId == unitId && e.Status == ExtensionStatus.Pending, ct))
            return No("你单位已有待审批的延期申请", deadline) with { Pending = true };
        var late = now > deadline.Value;
        var organizationId = OrganizationScope.OrganizationOf(org, unitId) ?? unitId;
        if (late && !await settings.AllowLateAsync(organizationId, definition, ct))
            return No($"已超过办理时限（{StepDeadline.Describe(deadline.Value)}），不能再申请延期；确需延期请联系督查部门", deadline, late: true);
        return new ExtensionEligibility(unitId, Supervise.UnitName(org, unitId), deadline, true, null, late);
    }

    private async Task<(InstanceRecord Instance, WorkflowDefinition Definition)> LoadAsync(Guid instanceId, CurrentUser user, CancellationToken ct, bool tracking = true)
    {
        var visible = ItemVisibility.Visible(db, user);
        var instance = await (tracking ? visible : visible.AsNoTracking()).FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        return (instance, await Supervise.DefinitionOfAsync(db, definitions, instance, ct));
    }

    private TaskRecord AddApprovalTask(ExtensionRecord extension, InstanceRecord instance, string stage, IOrganization org, DateTimeOffset now)
    {
        var unitName = Supervise.UnitName(org, extension.UnitId);
        var message = $"{unitName}申请将「{instance.Title}」的完成时限由{StepDeadline.Describe(extension.CurrentDueAt)}延至{StepDeadline.Describe(extension.RequestedDueAt)}。"
            + $"{(extension.Late ? "（逾期后申请）" : "")}延期理由：{extension.Reason}";
        var task = Supervise.DetachedTask(instance.Id, DetachedTasks.Extension, $"{DetachedTasks.Extension}:{extension.Id:N}:{extension.Stage}",
            stage == ExtensionPolicy.Leader ? "延期审批（领导）" : "延期审批", TaskKind.Task,
            TaskAssignee.ForRole(stage == ExtensionPolicy.Leader ? Roles.Leader : Roles.Supervisor), formId: null,
            [Approve, Reject], message, now, dueAt: null);
        db.Tasks.Add(task);
        return task;
    }

    public static bool MayDecide(CurrentUser user, string stage) =>
        stage == ExtensionPolicy.Leader ? user.IsInRole(Roles.Leader) : user.IsInRole(Roles.Supervisor);

    public static string StageName(string stage) => stage == ExtensionPolicy.Leader ? "领导审批" : "督查部门审核";
}
