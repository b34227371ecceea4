using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Storage;
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

/// <summary>A task an event opened, still open when the event committed (the next step's work, for whoever it is).</summary>
public sealed record OpenedTask(Guid Id, Guid InstanceId, string ActivityId, string Name, string? AssigneeUserId, string? CandidateUnitId, string? CandidateRole);

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
    ILogger<WorkflowRuntime> logger,
    Supervision.IDetachedTaskHandler? detachedTasks = null)
{
    private const int MaxAttempts = 5;

    public async Task<InstanceRecord> StartAsync(string definitionId, CurrentUser user, JsonObject? data, CancellationToken ct = default)
    {
        var record = await PublishedAsync(definitionId, ct)
            ?? throw new NotFoundException($"流程「{definitionId}」不存在或尚未发布");
        var org = await organizationCache.GetAsync(ct);
        var id = Guid.CreateVersion7();
        var result = runner.Start(definitions.Get(record), id, new StartRequest(user.ToActor(), data), org);
        ForgetUnitOfWork();
        var instance = await NewInstanceAsync(record, id, result.State, user.ToActor(), parent: null, ct);
        db.Instances.Add(instance);
        await ApplyAsync(instance, result, user.ToActor(), org, ct);
        await EventSave.SaveAsync(db, ct);
        return instance;
    }

    /// <returns>The flow's tasks the completion opened (the next steps), in the order they were created; none when the
    /// item ended or waits for something else. Inbox tasks outside the flow (an extension's next approval stage, a
    /// chase to record) are not listed.</returns>
    public async Task<IReadOnlyList<OpenedTask>> CompleteTaskAsync(Guid taskId, CurrentUser user, CompleteTaskCommand command, CancellationToken ct = default)
    {
        await OnOpenTaskAsync(taskId, user, "complete", async (task, instance, org) =>
        {
            if (task.Kind == TaskKind.Notice)
                throw new WorkflowInputException("taskId", "阅知事项只需确认已阅");
            if (task.BookmarkId is null && detachedTasks is not null)
            {
                // A task outside the flow (a chase to record, a notice to answer, an extension to decide).
                await detachedTasks.CompleteAsync(task, instance, user, command, ct);
                return;
            }
            var actor = user.ToActor();
            var before = StateOf(instance);
            var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, before, task.BookmarkId!,
                new ResumeRequest(actor)
                {
                    TaskId = task.Id, Outcome = command.Outcome, Data = command.Data, Comment = command.Comment,
                    NextAssignees = command.NextAssignees, TaskDueAt = task.DueAt,
                }, org);
            var done = result.Effects.Journal.FirstOrDefault(j => j.Kind == JournalKind.TaskCompleted && j.TaskId == task.Id);
            Close(task, user, HumanTaskStatus.Completed, done?.Outcome ?? command.Outcome, command.Comment);
            await ApplyAsync(instance, result, actor, org, ct, before, task.Id);
        }, ct);
        return _opened.Where(t => t.Status == HumanTaskStatus.Open)
            .Select(t => new OpenedTask(t.Id, t.InstanceId, t.ActivityId, t.Name, t.AssigneeUserId, t.CandidateUnitId, t.CandidateRole))
            .ToList();
    }

    /// <summary>退回: along the step's 退回 port, or (with <paramref name="targetActivityId"/>) to a chosen earlier step.</summary>
    public Task ReturnTaskAsync(Guid taskId, CurrentUser user, string? targetActivityId, string? comment, CancellationToken ct = default) =>
        OnOpenTaskAsync(taskId, user, "return", async (task, instance, org) =>
        {
            if (task.Kind == TaskKind.Notice)
                throw new WorkflowInputException("taskId", "阅知事项不能退回");
            if (task.BookmarkId is null)
                throw new WorkflowInputException("taskId", "该待办不在流程中，不能退回");
            var actor = user.ToActor();
            var before = StateOf(instance);
            var result = runner.Return(await DefinitionOf(instance, ct), instance.Id, before, task.BookmarkId!,
                task.Id, targetActivityId, comment, actor, org);
            Close(task, user, HumanTaskStatus.Completed, "退回", comment);
            await ApplyAsync(instance, result, actor, org, ct, before, task.Id);
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
                var before = StateOf(instance);
                var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, before, task.BookmarkId,
                    new ResumeRequest(actor) { TaskId = task.Id, Comment = comment }, org);
                await ApplyAsync(instance, result, actor, org, ct, before, task.Id);
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
        OnOpenTaskAsync(taskId, user, "transfer", async (task, instance, org) =>
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
            await AddParticipantAsync(instance.Id, target.UnitId, ct);
            instance.UpdatedAt = clock.GetUtcNow();
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

    /// <summary>
    /// An event for a waiting step that is not a person's task — the supervision office changing a 交办's units.
    /// <paramref name="resume"/> picks the bookmark and the request from the instance's current state (it runs again
    /// on fresh data after a lost race, and may throw to refuse).
    /// </summary>
    public Task ResumeStepAsync(Guid instanceId, string operation, CurrentUser user,
        Func<WorkflowState, (string BookmarkId, ResumeRequest Request)> resume, CancellationToken ct = default) =>
        OnInstanceAsync(instanceId, operation, async (instance, org) =>
        {
            var before = StateOf(instance);
            var (bookmarkId, request) = resume(before);
            var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, before, bookmarkId, request, org);
            await ApplyAsync(instance, result, user.ToActor(), org, ct, before);
        }, ct);

    /// <summary>
    /// Fires a claimed timer: resumes its bookmark and deletes the row, in one transaction. A timer whose bookmark is
    /// gone is deleted; one whose instance is faulted stays (its lease runs out and it is tried again after a retry).
    /// Returns false when there was nothing to fire.
    /// </summary>
    public async Task<bool> FireTimerAsync(Guid timerId, CancellationToken ct = default)
    {
        var fired = false;
        await CommitWithRetryAsync("timer", timerId, async org =>
        {
            fired = false;
            var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == timerId, ct);
            if (timer is null) return;
            var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == timer.InstanceId, ct);
            var state = instance is null ? null : StateOf(instance);
            if (instance is null || state!.FindBookmark(timer.BookmarkId) is null || state.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            {
                db.Timers.Remove(timer);
                return;
            }
            if (state.Status == WorkflowStatus.Faulted) return;
            db.Timers.Remove(timer);
            var result = runner.Resume(await DefinitionOf(instance, ct), instance.Id, state, timer.BookmarkId, new ResumeRequest(Actor.System), org);
            await ApplyAsync(instance, result, Actor.System, org, ct, state, closingTaskId: null);
            fired = true;
        }, ct);
        return fired;
    }

    /// <summary>
    /// An item that ends takes with it the inbox tasks no flow step waits for — 延期审批, a 催办 to record, a written
    /// reply to a 催办通知 — so nobody is asked to act on a closed item. A request still waiting for approval is closed
    /// too. One query, run only when the item ends and the event's read did not already show there are none.
    /// </summary>
    private async Task CloseDetachedTasksAsync(Guid instanceId, Actor actor, DateTimeOffset now, CancellationToken ct)
    {
        if (_noDetachedTasks.Contains(instanceId)) return;
        var open = await db.Tasks.Where(t => t.InstanceId == instanceId && t.BookmarkId == null && t.Status == HumanTaskStatus.Open).ToListAsync(ct);
        if (open.Count == 0) return;
        foreach (var task in open) Cancel(task, actor, now, "事项已结束");
        var approvals = open.Where(t => t.ActivityId == Supervision.DetachedTasks.Extension).Select(t => (Guid?)t.Id).ToList();
        if (approvals.Count == 0) return;
        foreach (var request in await db.Set<Supervision.ExtensionRecord>()
                     .Where(e => e.InstanceId == instanceId && e.Status == Supervision.ExtensionStatus.Pending && approvals.Contains(e.ApprovalTaskId)).ToListAsync(ct))
            request.Status = Supervision.ExtensionStatus.Closed;
    }

    private Task OnOpenTaskAsync(Guid taskId, CurrentUser user, string operation,
        Func<TaskRecord, InstanceRecord, IOrganization, Task> handle, CancellationToken ct, bool allowSupervisor = false) =>
        CommitWithRetryAsync(operation, taskId, async org =>
        {
            var row = await OpenTaskQuery(db)(db, taskId, ct) ?? throw new NotFoundException("待办不存在");
            var task = row.Task;
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
            _storedUnits[row.Instance.Id] = string.IsNullOrEmpty(row.Units) ? [] : row.Units.Split(UnitSeparator).ToHashSet(StringComparer.Ordinal);
            if (!row.HasDetachedTasks) _noDetachedTasks.Add(row.Instance.Id);
            await handle(task, row.Instance, org);
        }, ct);

    private sealed record OpenTaskRow(TaskRecord Task, InstanceRecord Instance, string? Units, bool HasDetachedTasks);

    /// <summary>Between the participant unit ids in <see cref="OpenTaskRow.Units"/>: a control character no unit id
    /// contains (ids are letters, digits, - and _).</summary>
    private const string UnitSeparator = "\u001f";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Microsoft.EntityFrameworkCore.Metadata.IModel,
        Func<DubanDbContext, Guid, CancellationToken, Task<OpenTaskRow?>>> OpenTaskQueries = new();

    /// <summary>
    /// The task, its instance, the instance's participant units and whether it has open inbox tasks outside the flow
    /// (which an item that ends must close) in one round trip — the read of every task event,
    /// compiled once per model (SQLite and PostgreSQL each have theirs; EF refuses a compiled query on another model).
    /// A join, not a First() per row inside the projection: EF turns that into ROW_NUMBER() over every instance, a
    /// full scan of WorkflowInstances on each completion (decision 008).
    /// </summary>
    private static Func<DubanDbContext, Guid, CancellationToken, Task<OpenTaskRow?>> OpenTaskQuery(DubanDbContext db) =>
        OpenTaskQueries.GetOrAdd(db.Model, static _ => EF.CompileAsyncQuery((DubanDbContext db, Guid taskId, CancellationToken ct) =>
            (from t in db.Tasks
             where t.Id == taskId
             join i in db.Instances on t.InstanceId equals i.Id
             select new OpenTaskRow(t, i, db.InstanceUnits.Where(u => u.InstanceId == t.InstanceId).GroupBy(u => u.InstanceId)
                     .Select(g => string.Join(UnitSeparator, g.Select(u => u.UnitId))).FirstOrDefault(),
                 db.Tasks.Any(d => d.InstanceId == t.InstanceId && d.BookmarkId == null && d.Status == HumanTaskStatus.Open)))
            .FirstOrDefault()));

    private Task OnInstanceAsync(Guid instanceId, string operation, Func<InstanceRecord, IOrganization, Task> handle, CancellationToken ct) =>
        CommitWithRetryAsync(operation, instanceId, async org =>
        {
            var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == instanceId, ct)
                ?? throw new NotFoundException("事项不存在");
            await handle(instance, org);
        }, ct);

    /// <summary>
    /// The one unit-of-work loop: start from fresh data, do the work, commit once. A concurrency conflict means
    /// another event committed first; the work runs again on what that event left, and usually then reports the
    /// conflict to the caller (the task is done) or carries on (an unrelated change to the same instance).
    /// </summary>
    private async Task CommitWithRetryAsync(string operation, Guid subjectId, Func<IOrganization, Task> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            ForgetUnitOfWork();
            await work(await organizationCache.GetAsync(ct));
            try
            {
                await gate.BeforeCommitAsync(operation, subjectId, ct);
                await EventSave.SaveAsync(db, ct);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < MaxAttempts)
            {
                logger.LogDebug("{Operation} on {SubjectId} raced with another event; retrying on fresh data", operation, subjectId);
            }
        }
    }

    public Task<bool> CanSeeInstanceAsync(CurrentUser user, Guid instanceId, CancellationToken ct = default) =>
        ItemVisibility.CanSeeAsync(db, user, instanceId, ct);

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
    /// their first steps; children whose parent step went away are cancelled; an instance that finished resumes
    /// its parent. Each follow-up is computed only when it is taken from the queue, from the state as it is by
    /// then — two children finishing in one transaction both count. Nothing is saved here.
    /// </summary>
    /// <param name="before">The state <paramref name="firstResult"/> was computed from, when the caller has it: its
    /// bookmarks tell which kinds of rows can hang on a removed bookmark, so the others need not be looked for.</param>
    /// <param name="closingTaskId">The task the event itself closes (already handled by the caller).</param>
    private async Task ApplyAsync(InstanceRecord first, RunResult firstResult, Actor actor, IOrganization org, CancellationToken ct,
        WorkflowState? before = null, Guid? closingTaskId = null)
    {
        var work = new Queue<Func<Task<(InstanceRecord, RunResult)?>>>();
        work.Enqueue(() => Task.FromResult<(InstanceRecord, RunResult)?>((first, firstResult)));
        var depthGuard = 0;
        while (work.TryDequeue(out var next))
        {
            if (++depthGuard > MaxCascade)
                throw new WorkflowInputException("definitionId", $"子流程层层展开超过 {MaxCascade} 个事项，请检查流程是否循环调用子流程");
            if (await next() is not var (instance, result)) continue;
            var state = result.State;
            var now = clock.GetUtcNow();
            instance.StateJson = JsonSerializer.Serialize(state, DefinitionJson.Options);
            instance.Status = state.Status;
            instance.Title = Truncate(state.Title ?? instance.Title, 500);
            instance.Result = state.Result;
            instance.DueAt = state.DueAt;
            instance.IncidentMessage = state.Incident?.Message;
            instance.UpdatedAt = now;
            if (state.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled && instance.FinishedAt is null)
            {
                instance.FinishedAt = now;
                await CloseDetachedTasksAsync(instance.Id, actor, now, ct);
            }

            foreach (var entry in result.Effects.Journal) AddJournal(instance.Id, entry);
            if (result.Effects.Assignments.Count > 0)
                await Assignments.AssignmentRecords.ApplyAsync(db, instance.Id, result.Effects.Assignments, actor, now, ct);

            if (result.Effects.RemovedBookmarkIds.Count > 0)
            {
                var removed = result.Effects.RemovedBookmarkIds;
                var lookups = ReferenceEquals(result, firstResult) ? StoredRowsFor(removed, before, closingTaskId) : StoredRows.All;
                var stored = lookups.HasFlag(StoredRows.Tasks)
                    ? await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && removed.Contains(t.BookmarkId!)).ToListAsync(ct)
                    : [];
                // Tasks created earlier in this same transaction are not in the database yet. (Only this method adds
                // flow tasks and timers; the lists are cheaper than EF's Local views, which are built on each use.)
                var added = _opened.Where(t => t.InstanceId == instance.Id && t.BookmarkId is not null && removed.Contains(t.BookmarkId));
                foreach (var task in stored.Concat(added).Distinct().Where(t => t.Status == HumanTaskStatus.Open))
                    Cancel(task, actor, now, null);
                if (lookups.HasFlag(StoredRows.Timers))
                    db.Timers.RemoveRange(await db.Timers.Where(t => t.InstanceId == instance.Id && removed.Contains(t.BookmarkId)).ToListAsync(ct));
                foreach (var timer in _newTimers.Where(t => t.InstanceId == instance.Id && removed.Contains(t.BookmarkId)).ToList())
                {
                    db.Timers.Remove(timer);
                    _newTimers.Remove(timer);
                }

                // Children of a step that went away (the parent ended or was cancelled) are cancelled with it.
                var children = lookups.HasFlag(StoredRows.Children)
                    ? await db.Instances.Where(i => i.ParentInstanceId == instance.Id && removed.Contains(i.ParentBookmarkId!)).ToListAsync(ct)
                    : [];
                // Tracked rows carry this transaction's changes: a child that has just finished is not an orphan.
                foreach (var child in children.Where(c => c.Status is not (WorkflowStatus.Completed or WorkflowStatus.Cancelled)))
                    work.Enqueue(async () => ((InstanceRecord, RunResult)?)(child, runner.Cancel(await DefinitionOf(child, ct), child.Id, StateOf(child), actor, "上级事项已结束", org)));
            }

            foreach (var request in result.Effects.NewTasks)
            {
                var opened = new TaskRecord
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
                };
                db.Tasks.Add(opened);
                _opened.Add(opened);
                await AddParticipantAsync(instance.Id, request.Assignee.UnitId ?? (request.Assignee.UserId is { } u ? org.FindUser(u)?.UnitId : null), ct);
            }

            foreach (var timer in result.Effects.NewTimers)
            {
                var added = new TimerRecord
                {
                    Id = Guid.CreateVersion7(), InstanceId = instance.Id, BookmarkId = timer.BookmarkId,
                    ActivityId = timer.ActivityId, DueAt = timer.DueAt.ToUniversalTime(),
                };
                db.Timers.Add(added);
                _newTimers.Add(added);
            }

            foreach (var child in result.Effects.NewChildren)
            {
                var record = await PublishedAsync(child.DefinitionId, ct)
                    ?? throw new WorkflowInputException("definitionId", $"子流程「{child.DefinitionId}」不存在或尚未发布");
                var childResult = runner.Start(definitions.Get(record), child.InstanceId, new StartRequest(actor, null, child.Input, child.Title), org);
                var childInstance = await NewInstanceAsync(record, child.InstanceId, childResult.State, actor, (instance.Id, child.ParentBookmarkId), ct);
                db.Instances.Add(childInstance);
                await AddParticipantAsync(child.InstanceId, instance.InitiatorUnitId, ct);
                var (ci, cr) = (childInstance, childResult);
                work.Enqueue(() => Task.FromResult<(InstanceRecord, RunResult)?>((ci, cr)));
            }

            if (state.Status == WorkflowStatus.Completed && instance.ParentInstanceId is { } parentId && instance.ParentBookmarkId is { } parentBookmark)
            {
                var childId = instance.Id;
                var childResult = state.Result;
                work.Enqueue(async () =>
                {
                    var parent = await db.Instances.FindAsync([parentId], ct)
                        ?? throw new InvalidOperationException($"Parent instance {parentId} is missing");
                    var parentState = StateOf(parent);
                    // The parent step may be gone already (the parent ended or was cancelled): nothing to resume.
                    if (parentState.FindBookmark(parentBookmark) is null || parentState.Status is not WorkflowStatus.Suspended)
                        return null;
                    return (parent, runner.Resume(await DefinitionOf(parent, ct), parent.Id, parentState, parentBookmark,
                        new ResumeRequest(actor) { ChildInstanceId = childId, ChildResult = childResult }, org));
                });
            }
        }
    }

    [Flags]
    private enum StoredRows { None = 0, Tasks = 1, Timers = 2, Children = 4, All = Tasks | Timers | Children }

    /// <summary>
    /// Which stored rows can hang on the removed bookmarks, judged from the state before the run. A bookmark made
    /// in this run has no stored rows (its rows are in this unit of work). A task or notice bookmark has open tasks
    /// only for the ids it still lists as pending, apart from the one the event closes; a timer bookmark has a timer;
    /// a children bookmark has child instances. Any other or unknown kind: look for everything.
    /// </summary>
    private static StoredRows StoredRowsFor(IReadOnlyCollection<string> removed, WorkflowState? before, Guid? closingTaskId)
    {
        if (before is null) return StoredRows.All;
        var closing = closingTaskId?.ToString();
        var rows = StoredRows.None;
        foreach (var id in removed)
        {
            if (before.FindBookmark(id) is not { } bookmark) continue;
            rows |= bookmark.Kind switch
            {
                BookmarkKinds.Task or BookmarkKinds.Notice => bookmark.Payload["pending"] is JsonArray pending
                    ? pending.Any(p => p is null || p.GetValueKind() != JsonValueKind.String || p.GetValue<string>() != closing) ? StoredRows.Tasks : StoredRows.None
                    : StoredRows.Tasks,
                BookmarkKinds.Timer => StoredRows.Timers,
                BookmarkKinds.Children => StoredRows.Children,
                _ => StoredRows.All,
            };
        }
        return rows;
    }

    /// <summary>Clears what the runtime remembers about the unit of work, before an event starts or starts again.</summary>
    private void ForgetUnitOfWork()
    {
        _participants.Clear();
        _storedUnits.Clear();
        _opened.Clear();
        _newTimers.Clear();
        _noDetachedTasks.Clear();
    }

    /// <summary>Most instances one event may touch: a guard against a procedure that starts itself as a sub-process.</summary>
    private const int MaxCascade = 500;

    private readonly HashSet<(Guid, string)> _participants = [];
    /// <summary>Tasks this unit of work added; those still open at the commit are what the event opened.</summary>
    private readonly List<TaskRecord> _opened = [];
    /// <summary>Instances that, as this unit of work read them, had no open tasks outside the flow in the database.</summary>
    private readonly HashSet<Guid> _noDetachedTasks = [];
    /// <summary>Timers this unit of work added and has not removed again.</summary>
    private readonly List<TimerRecord> _newTimers = [];
    /// <summary>Participant units already in the database, per instance, where this unit of work has read them (or
    /// knows there are none: a new instance). Instances not listed are asked about one unit at a time.</summary>
    private readonly Dictionary<Guid, HashSet<string>> _storedUnits = [];

    private async Task AddParticipantAsync(Guid instanceId, string? unitId, CancellationToken ct)
    {
        if (unitId is null || !_participants.Add((instanceId, unitId))) return;
        var stored = _storedUnits.TryGetValue(instanceId, out var known)
            ? known.Contains(unitId)
            : await db.InstanceUnits.AnyAsync(x => x.InstanceId == instanceId && x.UnitId == unitId, ct);
        if (!stored)
            db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = instanceId, UnitId = unitId });
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>An open task that nobody is to act on any more: cancelled, with its journal line.</summary>
    private void Cancel(TaskRecord task, Actor actor, DateTimeOffset now, string? comment)
    {
        task.Status = HumanTaskStatus.Cancelled;
        task.CompletedAt = now;
        AddJournal(task.InstanceId, Journal(JournalKind.TaskCancelled, task, actor, null, comment));
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

    private async Task<InstanceRecord> NewInstanceAsync(DefinitionRecord record, Guid id, WorkflowState state, Actor actor, (Guid Id, string Bookmark)? parent, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        _storedUnits[id] = [];
        _noDetachedTasks.Add(id);
        await AddParticipantAsync(id, actor.UnitId, ct);
        return new InstanceRecord
        {
            Id = id,
            DefinitionRecordId = record.Id,
            DefinitionId = record.DefinitionId,
            DefinitionVersion = record.Version,
            DefinitionName = record.Name,
            Title = Truncate(state.Title ?? record.Name, 500),
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

    private Task<DefinitionRecord?> PublishedAsync(string definitionId, CancellationToken ct) =>
        db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    public static WorkflowState StateOf(InstanceRecord instance) =>
        JsonSerializer.Deserialize<WorkflowState>(instance.StateJson, DefinitionJson.Options)!;

    private async Task<WorkflowDefinition> DefinitionOf(InstanceRecord instance, CancellationToken ct)
    {
        if (definitions.TryGetPublished(instance.DefinitionRecordId, out var known)) return known;
        var record = await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct);
        return definitions.Get(record);
    }
}
