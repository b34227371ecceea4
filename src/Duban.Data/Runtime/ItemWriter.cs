using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Tasks;
using Duban.Data.Timers;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime;

/// <summary>
/// Writes what the engine produced into a write's unit of work, and follows it through: children it started run their
/// first steps; children whose parent step went away are cancelled; an item that finished resumes its parent; an item
/// that ends takes its loose inbox tasks with it; an item in an incident holds its timers until it is retried. The
/// engine is the only thing that changes an item's state: handlers call it, and hand its result here. Nothing is saved
/// here — the door commits.
/// </summary>
public sealed class ItemWriter(WorkflowRunner runner, DefinitionCache definitions, IEnumerable<IItemEndedHandler> endedHandlers)
{
    /// <summary>Most items one event may touch: a guard against a procedure that starts itself as a sub-process.</summary>
    private const int MaxCascade = 500;

    public WorkflowRunner Runner => runner;

    /// <summary>What this attempt added and knows, per write (see <see cref="WriteContext.Part{T}"/>).</summary>
    internal sealed class Work
    {
        /// <summary>Tasks this attempt added; those still open at the commit are what the event opened.</summary>
        public List<TaskRecord> Opened { get; } = [];
        /// <summary>Timers this attempt added and has not removed again.</summary>
        public List<TimerRecord> NewTimers { get; } = [];
        /// <summary>Items that, as this attempt read them, had no open tasks outside the flow in the database.</summary>
        public HashSet<Guid> NoDetachedTasks { get; } = [];
    }

    /// <summary>The flow tasks the write opened that are still open, in the order they were created.</summary>
    public static IReadOnlyList<OpenedTask> Opened(WriteContext context) =>
        context.Part<Work>().Opened.Where(t => t.Status == HumanTaskStatus.Open)
            .Select(t => new OpenedTask(t.Id, t.InstanceId, t.ActivityId, t.Name, t.AssigneeUserId, t.CandidateUnitId, t.CandidateRole))
            .ToList();

    /// <summary>The read of the item showed it has no open task outside the flow: an end need not look for any.</summary>
    public static void KnowNoDetachedTasks(WriteContext context, Guid instanceId) => context.Part<Work>().NoDetachedTasks.Add(instanceId);

    public static WorkflowState StateOf(InstanceRecord instance) =>
        JsonSerializer.Deserialize<WorkflowState>(instance.StateJson, DefinitionJson.Options)!;

    public async Task<WorkflowDefinition> DefinitionOfAsync(DubanDbContext db, InstanceRecord instance, CancellationToken ct)
    {
        if (definitions.TryGetPublished(instance.DefinitionRecordId, out var known)) return known;
        var record = await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct);
        return definitions.Get(record);
    }

    /// <summary>The item's procedure version, or null when it cannot be read (missing, or no longer parses).</summary>
    private async Task<WorkflowDefinition?> DefinitionOrNullAsync(DubanDbContext db, InstanceRecord instance, CancellationToken ct)
    {
        if (definitions.TryGetPublished(instance.DefinitionRecordId, out var known)) return known;
        var record = await db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.Id == instance.DefinitionRecordId, ct);
        try
        {
            return record is null ? null : definitions.Get(record);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The newest published version of <paramref name="definitionId"/> in the organization <paramref name="organizationId"/>.</summary>
    public static Task<DefinitionRecord?> PublishedAsync(DubanDbContext db, string organizationId, string definitionId, CancellationToken ct) =>
        db.Definitions.AsNoTracking().Where(d => d.OrganizationId == organizationId && d.DefinitionId == definitionId && d.IsPublished)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    public WorkflowDefinition Parse(DefinitionRecord record) => definitions.Get(record);

    /// <summary>A new item's row, for a run that started it (the caller adds it to the context).</summary>
    public static async Task<InstanceRecord> NewInstanceAsync(WriteContext context, DefinitionRecord record, Guid id, WorkflowState state, Actor actor,
        (Guid Id, string Bookmark)? parent, CancellationToken ct)
    {
        context.KnowParticipants(id, []);
        KnowNoDetachedTasks(context, id);
        await context.AddParticipantAsync(id, actor.UnitId, ct);
        return new InstanceRecord
        {
            Id = id,
            OrganizationId = record.OrganizationId,
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
            CreatedAt = context.Now,
            UpdatedAt = context.Now,
        };
    }

    /// <summary>
    /// Writes one engine run, and the runs it leads to. Each follow-up is computed only when it is taken from the queue,
    /// from the state as it is by then — two children finishing in one transaction both count.
    /// </summary>
    /// <param name="before">The state <paramref name="firstResult"/> was computed from, when the caller has it: its
    /// bookmarks tell which kinds of rows can hang on a removed bookmark, so the others need not be looked for.</param>
    /// <param name="closingTaskId">The task the event itself closes (already handled by the caller).</param>
    public async Task ApplyAsync(WriteContext context, InstanceRecord first, RunResult firstResult, Actor actor, CancellationToken ct,
        WorkflowState? before = null, Guid? closingTaskId = null)
    {
        var db = context.Db;
        var work = context.Part<Work>();
        var queue = new Queue<Func<Task<(InstanceRecord, RunResult)?>>>();
        queue.Enqueue(() => Task.FromResult<(InstanceRecord, RunResult)?>((first, firstResult)));
        var depthGuard = 0;
        var asked = new List<(InstanceRecord Instance, ExecutionEffects Effects)>();
        while (queue.TryDequeue(out var next))
        {
            if (++depthGuard > MaxCascade)
                throw new WorkflowInputException("definitionId", $"子流程层层展开超过 {MaxCascade} 个事项，请检查流程是否循环调用子流程");
            if (await next() is not var (instance, result)) continue;
            // Parent and children are of one organization: the children's procedures are looked up in it.
            var org = context.OrganizationOf(instance);
            var state = result.State;
            var now = context.Now;
            var wasFaulted = instance.Status == WorkflowStatus.Faulted;
            instance.StateJson = JsonSerializer.Serialize(state, DefinitionJson.Options);
            // 来源 kept on the row for the ledger and the dashboard (issue 22): from the state just written — unless the
            // item's procedure version cannot be read (a run that writes the incident it caused), when it stays as it was.
            if (await DefinitionOrNullAsync(db, instance, ct) is { } definition)
                instance.Source = ReadModel.ItemSourceValue.Of(definition, state.Data);
            instance.Status = state.Status;
            instance.Title = Truncate(state.Title ?? instance.Title, 500);
            instance.Result = state.Result;
            instance.DueAt = state.DueAt;
            instance.IncidentMessage = state.Incident?.Message;
            instance.UpdatedAt = now;
            if (state.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled && instance.FinishedAt is null)
            {
                instance.FinishedAt = now;
                await EndedAsync(context, instance.Id, actor, ct);
            }

            foreach (var entry in result.Effects.Journal) context.Journal(instance.Id, entry);
            if (result.Effects.Documents.Count > 0 || result.Effects.Archived) asked.Add((instance, result.Effects));
            if (result.Effects.Assignments.Count > 0)
                await Assignments.AssignmentRecords.ApplyAsync(db, instance.Id, result.Effects.Assignments, actor, now, ct);
            if (result.Effects.Deadlines.Count > 0)
                await MoveDeadlinesAsync(db, work, instance.Id, result.Effects.Deadlines, ct);

            if (result.Effects.RemovedBookmarkIds.Count > 0)
            {
                var removed = result.Effects.RemovedBookmarkIds;
                var lookups = ReferenceEquals(result, firstResult) ? StoredRowsFor(removed, before, closingTaskId) : StoredRows.All;
                var stored = lookups.HasFlag(StoredRows.Tasks)
                    ? await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && removed.Contains(t.BookmarkId!)).ToListAsync(ct)
                    : [];
                // Tasks created earlier in this same transaction are not in the database yet. (Only this class adds flow
                // tasks and timers; its lists are cheaper than EF's Local views, which are built on each use.)
                var added = work.Opened.Where(t => t.InstanceId == instance.Id && t.BookmarkId is not null && removed.Contains(t.BookmarkId));
                foreach (var task in stored.Concat(added).Distinct().Where(t => t.Status == HumanTaskStatus.Open))
                    context.Cancel(task, actor, null);
                if (lookups.HasFlag(StoredRows.Timers))
                    db.Timers.RemoveRange(await db.Timers.Where(t => t.InstanceId == instance.Id && removed.Contains(t.BookmarkId)).ToListAsync(ct));
                foreach (var timer in work.NewTimers.Where(t => t.InstanceId == instance.Id && removed.Contains(t.BookmarkId)).ToList())
                {
                    db.Timers.Remove(timer);
                    work.NewTimers.Remove(timer);
                }

                // Children of a step that went away (the parent ended or was cancelled) are cancelled with it.
                var children = lookups.HasFlag(StoredRows.Children)
                    ? await db.Instances.Where(i => i.ParentInstanceId == instance.Id && removed.Contains(i.ParentBookmarkId!)).ToListAsync(ct)
                    : [];
                // Tracked rows carry this transaction's changes: a child that has just finished is not an orphan.
                foreach (var child in children.Where(c => c.Status is not (WorkflowStatus.Completed or WorkflowStatus.Cancelled)))
                    queue.Enqueue(async () => ((InstanceRecord, RunResult)?)(child,
                        runner.Cancel(await DefinitionOfAsync(db, child, ct), child.Id, StateOf(child), actor, "上级事项已结束", org)));
            }

            if (result.Effects.ReopenedTaskIds.Count > 0 || result.Effects.CancelledTaskIds.Count > 0)
                await ReopenAndCancelAsync(context, instance.Id, result.Effects, actor, ct);

            foreach (var request in result.Effects.NewTasks)
            {
                var opened = new TaskRecord
                {
                    Id = request.Id,
                    InstanceId = instance.Id,
                    OrganizationId = instance.OrganizationId,
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
                work.Opened.Add(opened);
                await context.AddParticipantAsync(instance.Id, request.Assignee.UnitId ?? (request.Assignee.UserId is { } u ? org.FindUser(u)?.UnitId : null), ct);
            }

            foreach (var timer in result.Effects.NewTimers)
            {
                var added = new TimerRecord
                {
                    Id = Guid.CreateVersion7(),
                    InstanceId = instance.Id,
                    BookmarkId = timer.BookmarkId,
                    ActivityId = timer.ActivityId,
                    DueAt = timer.DueAt.ToUniversalTime(),
                };
                db.Timers.Add(added);
                work.NewTimers.Add(added);
            }

            await HoldOrReleaseTimersAsync(db, work, instance.Id, wasFaulted, state.Status == WorkflowStatus.Faulted, ct);

            foreach (var child in result.Effects.NewChildren)
            {
                var record = await PublishedAsync(db, instance.OrganizationId, child.DefinitionId, ct)
                    ?? throw new WorkflowInputException("definitionId", $"子流程「{child.DefinitionId}」不存在或尚未发布");
                var childResult = runner.Start(definitions.Get(record), child.InstanceId, new StartRequest(actor, null, child.Input, child.Title), org);
                var childInstance = await NewInstanceAsync(context, record, child.InstanceId, childResult.State, actor, (instance.Id, child.ParentBookmarkId), ct);
                childInstance.ChildIndex = child.Index;
                db.Instances.Add(childInstance);
                await context.AddParticipantAsync(child.InstanceId, instance.InitiatorUnitId, ct);
                var (ci, cr) = (childInstance, childResult);
                queue.Enqueue(() => Task.FromResult<(InstanceRecord, RunResult)?>((ci, cr)));
            }

            if (state.Status == WorkflowStatus.Completed && instance.ParentInstanceId is { } parentId && instance.ParentBookmarkId is { } parentBookmark)
            {
                var childId = instance.Id;
                var childResult = state.Result;
                queue.Enqueue(async () =>
                {
                    var parent = await db.Instances.FindAsync([parentId], ct)
                        ?? throw new InvalidOperationException($"Parent instance {parentId} is missing");
                    var parentState = StateOf(parent);
                    // The parent step may be gone already (the parent ended or was cancelled): nothing to resume.
                    if (parentState.FindBookmark(parentBookmark) is null || parentState.Status is not WorkflowStatus.Suspended)
                        return null;
                    return (parent, runner.Resume(await DefinitionOfAsync(db, parent, ct), parent.Id, parentState, parentBookmark,
                        new ResumeRequest(actor) { ChildInstanceId = childId, ChildResult = childResult }, org));
                });
            }
        }

        // What the outcomes asked for besides the flow (decision 047), once the event's rows are all in the unit of work:
        // the documents first (they read the units the event assigned), then 归档.
        foreach (var (instance, effects) in asked)
        {
            if (effects.Documents.Count > 0 && context.Services.GetService(typeof(IDesignedDocuments)) is IDesignedDocuments documents)
                await documents.ForOutcomesAsync(context, instance, effects.Documents, actor, ct);
            if (effects.Archived) await ArchiveAsync(context, instance, actor, ct);
        }
    }

    /// <summary>
    /// 立卷归档 (decision 047): the item is marked archived and, from the next write on, read-only
    /// (<see cref="ArchivedItems"/>). Whatever is still open on it is closed now — its tasks and notices, its timers (its
    /// chasing stops by itself: an archived item has no deadline to chase) — so nobody is asked for what can no longer be done.
    /// </summary>
    private static async Task ArchiveAsync(WriteContext context, InstanceRecord instance, Actor actor, CancellationToken ct)
    {
        if (instance.ArchivedAt is not null) return;
        var db = context.Db;
        instance.ArchivedAt = context.Now;
        instance.ArchivedByName = actor.Name;
        var open = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open).ToListAsync(ct);
        var added = db.Tasks.Local.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open);
        foreach (var task in open.Concat(added).Distinct().Where(t => t.Status == HumanTaskStatus.Open).ToList()) context.Cancel(task, actor, "事项已归档");
        db.Timers.RemoveRange(await db.Timers.Where(t => t.InstanceId == instance.Id).ToListAsync(ct));
        foreach (var timer in context.Part<Work>().NewTimers.Where(t => t.InstanceId == instance.Id).ToList())
        {
            db.Timers.Remove(timer);
            context.Part<Work>().NewTimers.Remove(timer);
        }
        instance.UpdatedAt = context.Now;
        context.Journal(instance.Id, JournalKind.ItemArchived, actor, null, null, comment: "立卷归档：事项已归档，不能再修改");
    }

    /// <summary>
    /// A 撤回 opened a step's tasks again: each is open as it was, for whoever held it, its outcome and comment cleared.
    /// A 减签 took a signer off a step that goes on: his open task is cancelled (decision 031).
    /// </summary>
    private static async Task ReopenAndCancelAsync(WriteContext context, Guid instanceId, ExecutionEffects effects, Actor actor, CancellationToken ct)
    {
        var ids = effects.ReopenedTaskIds.Concat(effects.CancelledTaskIds).ToList();
        var tasks = await context.Db.Tasks.Where(t => t.InstanceId == instanceId && ids.Contains(t.Id)).ToListAsync(ct);
        foreach (var task in tasks)
        {
            if (effects.CancelledTaskIds.Contains(task.Id))
            {
                if (task.Status == HumanTaskStatus.Open) context.Cancel(task, actor, "减签");
                continue;
            }
            task.Status = HumanTaskStatus.Open;
            task.CompletedAt = null;
            task.CompletedById = null;
            task.CompletedByName = null;
            task.Outcome = null;
            task.Comment = null;
        }
    }

    /// <summary>
    /// An item in an incident holds its timers: a timer that falls due meanwhile is not claimed (it would only find the
    /// item stopped). When the item is retried they are released, their failures forgotten, and fire if due.
    /// </summary>
    private static async Task HoldOrReleaseTimersAsync(DubanDbContext db, Work work, Guid instanceId, bool wasFaulted, bool isFaulted, CancellationToken ct)
    {
        if (isFaulted)
        {
            foreach (var timer in work.NewTimers.Where(t => t.InstanceId == instanceId)) timer.Suspended = true;
            if (!wasFaulted)
                foreach (var timer in await db.Timers.Where(t => t.InstanceId == instanceId && !t.Suspended).ToListAsync(ct))
                    timer.Suspended = true;
        }
        else if (wasFaulted)
        {
            foreach (var timer in await db.Timers.Where(t => t.InstanceId == instanceId && t.Suspended).ToListAsync(ct))
            {
                timer.Suspended = false;
                timer.Attempts = 0;
                timer.LastError = null;
                timer.LeaseOwner = null;
                timer.LeaseUntil = null;
            }
        }
    }

    /// <summary>Steps whose deadline the engine moved (an approved extension): their inbox tasks carry the new date.</summary>
    private static async Task MoveDeadlinesAsync(DubanDbContext db, Work work, Guid instanceId, IReadOnlyList<DeadlineChange> changes, CancellationToken ct)
    {
        var ids = changes.Select(c => c.TaskId).ToList();
        var tasks = work.Opened.Where(t => ids.Contains(t.Id)).ToList();
        var missing = ids.Except(tasks.Select(t => t.Id)).ToList();
        if (missing.Count > 0)
            tasks.AddRange(await db.Tasks.Where(t => t.InstanceId == instanceId && missing.Contains(t.Id)).ToListAsync(ct));
        foreach (var change in changes)
            if (tasks.FirstOrDefault(t => t.Id == change.TaskId) is { Status: HumanTaskStatus.Open } task)
                task.DueAt = change.DueAt;
    }

    /// <summary>
    /// An item that ends takes with it the inbox tasks no flow step waits for — 延期审批, a 催办 to record, a written reply
    /// to a 催办通知 — so nobody is asked to act on a closed item; then each feature closes its own loose ends
    /// (<see cref="IItemEndedHandler"/>). The query runs only when the event's read did not already show there are none.
    /// </summary>
    private async Task EndedAsync(WriteContext context, Guid instanceId, Actor actor, CancellationToken ct)
    {
        var cancelled = new List<TaskRecord>();
        if (!context.Part<Work>().NoDetachedTasks.Contains(instanceId))
        {
            cancelled = await context.Db.Tasks.Where(t => t.InstanceId == instanceId && t.BookmarkId == null && t.Status == HumanTaskStatus.Open).ToListAsync(ct);
            foreach (var task in cancelled) context.Cancel(task, actor, "事项已结束");
        }
        foreach (var handler in endedHandlers) await handler.EndedAsync(context, instanceId, cancelled, ct);
    }

    [Flags]
    private enum StoredRows { None = 0, Tasks = 1, Timers = 2, Children = 4, All = Tasks | Timers | Children }

    /// <summary>
    /// Which stored rows can hang on the removed bookmarks, judged from the state before the run. A bookmark made in this
    /// run has no stored rows (its rows are in this unit of work). A task or notice bookmark has open tasks only for the
    /// ids it still lists as pending, apart from the one the event closes; a timer bookmark has a timer; a children
    /// bookmark has child instances. Any other or unknown kind: look for everything.
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

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>A task an event opened, still open when the event committed (the next step's work, for whoever it is).</summary>
public sealed record OpenedTask(Guid Id, Guid InstanceId, string ActivityId, string Name, string? AssigneeUserId, string? CandidateUnitId, string? CandidateRole);

/// <summary>
/// A feature's loose ends on an item that ended (a pending extension request is closed, say), run inside the write that
/// ended it. The cancelled tasks it is given are the inbox tasks outside the flow that the end cancelled.
/// </summary>
public interface IItemEndedHandler
{
    Task EndedAsync(WriteContext context, Guid instanceId, IReadOnlyList<TaskRecord> cancelledTasks, CancellationToken ct);
}
