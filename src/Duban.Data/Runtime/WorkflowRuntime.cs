using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Timers;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Runtime;

public sealed record CompleteTaskCommand(
    string? Outcome,
    JsonObject? Data,
    string? Comment,
    Dictionary<string, List<string>>? NextAssignees = null);

/// <summary>
/// Turns events into transactions. Each event — start, a task completed, returned, claimed, transferred, a notice
/// read, a timer due — loads the instance, lets the engine handle it, and writes the new state, new tasks, timers,
/// children and journal rows in one SaveChanges. Instances and tasks carry concurrency tokens: when two events
/// race, one commits; the other is retried from fresh data and then finds the task done (409) or carries on.
/// </summary>
public sealed class WorkflowRuntime(
    DubanDbContext db,
    WorkflowRunner runner,
    DefinitionCache definitions,
    OrganizationCache organizationCache,
    ICommitGate gate,
    TimeProvider clock,
    ILogger<WorkflowRuntime> logger)
{
    private const int MaxAttempts = 5;

    public async Task<InstanceRecord> StartAsync(string definitionId, CurrentUser user, JsonObject? data, CancellationToken ct = default)
    {
        var record = await db.Definitions.AsNoTracking()
            .Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException($"流程「{definitionId}」不存在或尚未发布");
        var org = await organizationCache.GetAsync(ct);
        var id = Guid.CreateVersion7();
        var result = runner.Start(definitions.Get(record), id, new StartRequest(user.ToActor(), data), org);
        var instance = NewInstance(record, id, result.State, user.ToActor(), parent: null);
        db.Instances.Add(instance);
        await ApplyAsync(instance, result, user.ToActor(), org, ct);
        await db.SaveChangesAsync(ct);
        return instance;
    }

    public Task CompleteTaskAsync(Guid taskId, CurrentUser user, CompleteTaskCommand command, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "complete", async (task, instance, org) =>
        {
            if (task.Kind == TaskKind.Notice)
                throw new WorkflowInputException("taskId", "阅知事项只需确认已阅");
            var actor = user.ToActor();
            var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, StateOf(instance), task.BookmarkId!,
                new ResumeRequest(actor)
                {
                    TaskId = task.Id, Outcome = command.Outcome, Data = command.Data, Comment = command.Comment,
                    NextAssignees = command.NextAssignees,
                }, org);
            var done = result.Effects.Journal.FirstOrDefault(j => j.Kind == JournalKind.TaskCompleted && j.TaskId == task.Id);
            Close(task, user, HumanTaskStatus.Completed, done?.Outcome ?? command.Outcome, command.Comment);
            await ApplyAsync(instance, result, actor, org, ct);
        }, ct);

    /// <summary>退回: along the step's 退回 port, or (with <paramref name="targetActivityId"/>) to a chosen earlier step.</summary>
    public Task ReturnTaskAsync(Guid taskId, CurrentUser user, string? targetActivityId, string? comment, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "return", async (task, instance, org) =>
        {
            if (task.Kind == TaskKind.Notice)
                throw new WorkflowInputException("taskId", "阅知事项不能退回");
            var actor = user.ToActor();
            var result = runner.Return(await DefinitionOf(instance, ct), instance.Id, StateOf(instance), task.BookmarkId!,
                task.Id, targetActivityId, comment, actor, org);
            Close(task, user, HumanTaskStatus.Completed, "退回", comment);
            await ApplyAsync(instance, result, actor, org, ct);
        }, ct);

    /// <summary>已阅 on a 阅知 notice. If the flow waits for read confirmations, this resumes it.</summary>
    public Task ReadNoticeAsync(Guid taskId, CurrentUser user, string? comment, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "read", async (task, instance, org) =>
        {
            if (task.Kind != TaskKind.Notice)
                throw new WorkflowInputException("taskId", "只有阅知事项可以确认已阅");
            var actor = user.ToActor();
            Close(task, user, HumanTaskStatus.Completed, "已阅", comment);
            if (task.BookmarkId is not null)
            {
                var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, StateOf(instance), task.BookmarkId,
                    new ResumeRequest(actor) { TaskId = task.Id, Comment = comment }, org);
                await ApplyAsync(instance, result, actor, org, ct);
            }
            else
            {
                AddJournal(instance.Id, Journal(JournalKind.NoticeRead, task, actor, "已阅", comment));
                instance.UpdatedAt = clock.GetUtcNow();
            }
        }, ct);

    /// <summary>Takes a task offered to a unit or a role, so that only this user sees and does it.</summary>
    public Task ClaimTaskAsync(Guid taskId, CurrentUser user, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "claim", (task, instance, _) =>
        {
            if (task.AssigneeUserId is not null)
                throw new WorkflowConflictException(task.AssigneeUserId == user.Id ? "您已签收该待办" : "该待办已被他人签收");
            task.AssigneeUserId = user.Id;
            task.ClaimedAt = clock.GetUtcNow();
            AddJournal(instance.Id, Journal(JournalKind.TaskClaimed, task, user.ToActor(), null, null));
            instance.UpdatedAt = clock.GetUtcNow();
            return Task.CompletedTask;
        }, ct);

    /// <summary>Hands a task to another person (转办). The holder or the supervision office may do it.</summary>
    public Task TransferTaskAsync(Guid taskId, CurrentUser user, string toUserId, string? comment, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "transfer", (task, instance, org) =>
        {
            var target = org.FindUser(toUserId)
                ?? throw new WorkflowInputException("toUserId", "转办对象不存在");
            if (target.Id == task.AssigneeUserId)
                throw new WorkflowInputException("toUserId", "不能转办给当前办理人");
            var from = task.AssigneeUserId;
            task.AssigneeUserId = target.Id;
            task.CandidateUnitId = null;
            task.CandidateRole = null;
            AddJournal(instance.Id, Journal(JournalKind.TaskTransferred, task, user.ToActor(), null, comment) with
            {
                Data = new() { ["from"] = from, ["to"] = target.Id, ["toName"] = target.DisplayName },
            });
            AddParticipant(instance.Id, target.UnitId);
            instance.UpdatedAt = clock.GetUtcNow();
            return Task.CompletedTask;
        }, ct, allowSupervisor: true);

    public Task CancelInstanceAsync(Guid instanceId, CurrentUser user, string? reason, CancellationToken ct = default) =>
        OnInstanceAsync(instanceId, "cancel", async (instance, org) =>
        {
            var result = runner.Cancel(await DefinitionOf(instance, ct), instance.Id, StateOf(instance), user.ToActor(), reason, org);
            await ApplyAsync(instance, result, user.ToActor(), org, ct);
        }, ct);

    public Task RetryIncidentAsync(Guid instanceId, CurrentUser user, CancellationToken ct = default) =>
        OnInstanceAsync(instanceId, "retry", async (instance, org) =>
        {
            var result = runner.Retry(await DefinitionOf(instance, ct), instance.Id, StateOf(instance), user.ToActor(), org);
            await ApplyAsync(instance, result, user.ToActor(), org, ct);
        }, ct);

    /// <summary>Fires a claimed timer: resumes its bookmark and deletes the row, in one transaction. False if it was already gone.</summary>
    public async Task<bool> FireTimerAsync(Guid timerId, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == timerId, ct);
            if (timer is null) return false;
            var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == timer.InstanceId, ct);
            var state = instance is null ? null : StateOf(instance);
            db.Timers.Remove(timer);
            if (instance is not null && state!.FindBookmark(timer.BookmarkId) is not null && state.Status == WorkflowStatus.Suspended)
            {
                var org = await organizationCache.GetAsync(ct);
                var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, state, timer.BookmarkId, new ResumeRequest(Actor.System), org);
                await ApplyAsync(instance, result, Actor.System, org, ct);
            }
            try
            {
                await gate.BeforeCommitAsync("timer", timerId, ct);
                await db.SaveChangesAsync(ct);
                return true;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Timer {TimerId} raced with another event; retrying", timerId);
            }
        }
    }

    private async Task OnOpenTaskAsync(Guid taskId, CurrentUser user, string operation,
        Func<TaskRecord, InstanceRecord, IOrganization, Task> handle, CancellationToken ct, bool allowSupervisor = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var org = await organizationCache.GetAsync(ct);
            var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct)
                ?? throw new NotFoundException("待办不存在");
            var mayAct = user.CanAct(task, org) || (allowSupervisor && (user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin)));
            if (!mayAct)
            {
                // Someone else of the same unit or role got there first: that is a lost race, not a trespass.
                if (user.IsCandidate(task, org))
                    throw new WorkflowConflictException(task.Status == HumanTaskStatus.Open ? "该待办已被他人签收" : "该待办已由他人办理");
                if (await CanSeeInstanceAsync(user, task.InstanceId, ct))
                    throw new ForbiddenException("您不是该待办的办理人");
                throw new NotFoundException("待办不存在");
            }
            if (task.Status != HumanTaskStatus.Open)
                throw new WorkflowConflictException(task.Status == HumanTaskStatus.Cancelled ? "该待办已取消" : "该待办已办理，不能重复提交");
            var instance = await db.Instances.FirstAsync(i => i.Id == task.InstanceId, ct);
            await handle(task, instance, org);
            try
            {
                await gate.BeforeCommitAsync(operation, taskId, ct);
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Task {TaskId} {Operation} raced with another event; retrying on fresh data", taskId, operation);
            }
        }
    }

    private async Task OnInstanceAsync(Guid instanceId, string operation, Func<InstanceRecord, IOrganization, Task> handle, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var org = await organizationCache.GetAsync(ct);
            var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, ct)
                ?? throw new NotFoundException("事项不存在");
            await handle(instance, org);
            try
            {
                await gate.BeforeCommitAsync(operation, instanceId, ct);
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("Instance {InstanceId} {Operation} raced; retrying", instanceId, operation);
            }
        }
    }

    public async Task<bool> CanSeeInstanceAsync(CurrentUser user, Guid instanceId, CancellationToken ct = default) =>
        user.SeesAllItems
        || await db.Instances.AnyAsync(i => i.Id == instanceId && i.InitiatorId == user.Id, ct)
        || (user.UnitId is { } unit && await db.InstanceUnits.AnyAsync(x => x.InstanceId == instanceId && x.UnitId == unit, ct))
        || await db.Tasks.AnyAsync(t => t.InstanceId == instanceId && (t.AssigneeUserId == user.Id || t.CompletedById == user.Id), ct);

    private void Close(TaskRecord task, CurrentUser user, HumanTaskStatus status, string? outcome, string? comment)
    {
        task.Status = status;
        task.AssigneeUserId ??= user.Id;
        task.CompletedAt = clock.GetUtcNow();
        task.CompletedById = user.Id;
        task.CompletedByName = user.DisplayName;
        task.Outcome = outcome;
        task.Comment = comment;
    }

    /// <summary>
    /// Writes what one engine run produced into the unit of work, and follows it through: children it started run
    /// their first steps, and an instance that finished resumes its parent. Nothing is saved here.
    /// </summary>
    private async Task ApplyAsync(InstanceRecord first, RunResult firstResult, Actor actor, IOrganization org, CancellationToken ct)
    {
        var work = new Queue<(InstanceRecord Instance, RunResult Result)>();
        work.Enqueue((first, firstResult));
        while (work.TryDequeue(out var item))
        {
            var (instance, result) = item;
            var state = result.State;
            var now = clock.GetUtcNow();
            instance.StateJson = JsonSerializer.Serialize(state, DefinitionJson.Options);
            instance.Status = state.Status;
            instance.Title = state.Title ?? instance.Title;
            instance.Result = state.Result;
            instance.IncidentMessage = state.Incident?.Message;
            instance.UpdatedAt = now;
            if (state.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled) instance.FinishedAt ??= now;

            foreach (var entry in result.Effects.Journal) AddJournal(instance.Id, entry);

            if (result.Effects.RemovedBookmarkIds.Count > 0)
            {
                var removed = result.Effects.RemovedBookmarkIds;
                var open = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && removed.Contains(t.BookmarkId!)).ToListAsync(ct);
                foreach (var task in open.Where(t => t.Status == HumanTaskStatus.Open))
                {
                    task.Status = HumanTaskStatus.Cancelled;
                    task.CompletedAt = now;
                    AddJournal(instance.Id, Journal(JournalKind.TaskCancelled, task, actor, null, null));
                }
                db.Timers.RemoveRange(await db.Timers.Where(t => t.InstanceId == instance.Id && removed.Contains(t.BookmarkId)).ToListAsync(ct));
            }

            foreach (var request in result.Effects.NewTasks)
            {
                db.Tasks.Add(new TaskRecord
                {
                    Id = request.Id,
                    InstanceId = instance.Id,
                    BookmarkId = request.BookmarkId,
                    ActivityId = request.ActivityId,
                    ExecutionId = request.ExecutionId,
                    Name = request.Name,
                    Kind = request.Kind,
                    Status = HumanTaskStatus.Open,
                    AssigneeUserId = request.Assignee.UserId,
                    CandidateUnitId = request.Assignee.UnitId,
                    CandidateRole = request.Assignee.Role,
                    FormId = request.FormId,
                    PermissionsJson = JsonSerializer.Serialize(request.Permissions, DefinitionJson.Options),
                    OutcomesJson = JsonSerializer.Serialize(request.Outcomes, DefinitionJson.Options),
                    Sequence = request.Sequence,
                    Message = request.Message,
                    CreatedAt = now,
                    DueAt = request.DueAt,
                });
                AddParticipant(instance.Id, request.Assignee.UnitId ?? (request.Assignee.UserId is { } u ? org.FindUser(u)?.UnitId : null));
            }

            foreach (var timer in result.Effects.NewTimers)
                db.Timers.Add(new TimerRecord
                {
                    Id = Guid.CreateVersion7(), InstanceId = instance.Id, BookmarkId = timer.BookmarkId,
                    ActivityId = timer.ActivityId, DueAt = timer.DueAt,
                });

            foreach (var child in result.Effects.NewChildren)
            {
                var record = await db.Definitions.AsNoTracking()
                    .Where(d => d.DefinitionId == child.DefinitionId && d.IsPublished)
                    .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct)
                    ?? throw new WorkflowInputException("definitionId", $"子流程「{child.DefinitionId}」不存在或尚未发布");
                var childResult = runner.Start(definitions.Get(record), child.InstanceId, new StartRequest(actor, null, child.Input, child.Title), org);
                var childInstance = NewInstance(record, child.InstanceId, childResult.State, actor, (instance.Id, child.ParentBookmarkId));
                db.Instances.Add(childInstance);
                AddParticipant(child.InstanceId, instance.InitiatorUnitId);
                work.Enqueue((childInstance, childResult));
            }

            if (state.Status == WorkflowStatus.Completed && instance.ParentInstanceId is { } parentId && instance.ParentBookmarkId is { } parentBookmark)
            {
                var parent = await db.Instances.FindAsync([parentId], ct)
                    ?? throw new InvalidOperationException($"Parent instance {parentId} is missing");
                var parentResult = runner.Resume(await DefinitionOf(parent, ct), parent.Id, StateOf(parent), parentBookmark,
                    new ResumeRequest(actor) { ChildInstanceId = instance.Id, ChildResult = state.Result }, org);
                work.Enqueue((parent, parentResult));
            }
        }
    }

    private readonly HashSet<(Guid, string)> _participantsAdded = [];

    private void AddParticipant(Guid instanceId, string? unitId)
    {
        if (unitId is null || !_participantsAdded.Add((instanceId, unitId))) return;
        var known = db.InstanceUnits.Local.Any(x => x.InstanceId == instanceId && x.UnitId == unitId)
            || db.InstanceUnits.Any(x => x.InstanceId == instanceId && x.UnitId == unitId);
        if (!known) db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = instanceId, UnitId = unitId });
    }

    private void AddJournal(Guid instanceId, JournalRecord entry) =>
        db.Journal.Add(new JournalEntryRecord
        {
            InstanceId = instanceId,
            Kind = entry.Kind,
            At = entry.At,
            ActivityId = entry.ActivityId,
            ActivityName = entry.ActivityName,
            ExecutionId = entry.ExecutionId,
            Round = entry.Round,
            ActorId = entry.ActorId,
            ActorName = entry.ActorName,
            TaskId = entry.TaskId,
            Outcome = entry.Outcome,
            Comment = entry.Comment,
            DataJson = entry.Data?.ToJsonString(DefinitionJson.Options),
        });

    private JournalRecord Journal(JournalKind kind, TaskRecord task, Actor actor, string? outcome, string? comment) => new()
    {
        Kind = kind,
        At = clock.GetUtcNow(),
        ActivityId = task.ActivityId,
        ActivityName = task.Name,
        ExecutionId = task.ExecutionId,
        ActorId = actor.Id,
        ActorName = actor.Name,
        TaskId = task.Id,
        Outcome = outcome,
        Comment = comment,
    };

    private InstanceRecord NewInstance(DefinitionRecord record, Guid id, WorkflowState state, Actor actor, (Guid Id, string Bookmark)? parent)
    {
        var now = clock.GetUtcNow();
        AddParticipant(id, actor.UnitId);
        return new InstanceRecord
        {
            Id = id,
            DefinitionRecordId = record.Id,
            DefinitionId = record.DefinitionId,
            DefinitionVersion = record.Version,
            DefinitionName = record.Name,
            Title = state.Title ?? record.Name,
            Status = state.Status,
            StateJson = "{}",
            InitiatorId = actor.Id,
            InitiatorName = actor.Name,
            InitiatorUnitId = actor.UnitId,
            ParentInstanceId = parent?.Id,
            ParentBookmarkId = parent?.Bookmark,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public static WorkflowState StateOf(InstanceRecord instance) =>
        JsonSerializer.Deserialize<WorkflowState>(instance.StateJson, DefinitionJson.Options)!;

    private async Task<WorkflowDefinition> DefinitionOf(InstanceRecord instance, CancellationToken ct)
    {
        var record = await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct);
        return definitions.Get(record);
    }
}
