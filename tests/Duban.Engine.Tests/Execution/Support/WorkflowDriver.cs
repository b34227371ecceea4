using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Execution.Support;

/// <summary>
/// Plays the host: keeps the instance state between events, keeps the tasks, notices, timers and children the
/// effects asked for (dropping those whose bookmark went away), and lets a test act as a user on an open task.
/// </summary>
public sealed class WorkflowDriver
{
    private readonly List<TaskRequest> _openTasks = [];
    private readonly List<TimerRequest> _timers = [];
    private readonly List<ChildRequest> _children = [];
    private readonly List<JournalRecord> _journal = [];

    public WorkflowDriver(WorkflowDefinition definition, IScriptEvaluator? scripts = null, FakeTimeProvider? clock = null, TestOrganization? organization = null)
    {
        Definition = definition;
        Scripts = scripts ?? TestScripts.Create();
        Clock = clock ?? new FakeTimeProvider();
        Organization = organization ?? new TestOrganization();
        Runner = new WorkflowRunner(ActivityRegistry.CreateDefault(), Scripts, Clock);
    }

    public WorkflowDefinition Definition { get; set; }
    public IScriptEvaluator Scripts { get; }
    public FakeTimeProvider Clock { get; }
    public TestOrganization Organization { get; }
    public WorkflowRunner Runner { get; }
    public Guid InstanceId { get; } = Guid.CreateVersion7();
    public WorkflowState State { get; private set; } = null!;
    public ExecutionEffects LastEffects { get; private set; } = null!;

    /// <summary>Open tasks and waited-for notices (those with a bookmark), plus fire-and-forget notices until read.</summary>
    public IReadOnlyList<TaskRequest> OpenTasks => _openTasks;
    public IReadOnlyList<TimerRequest> PendingTimers => _timers;
    public IReadOnlyList<ChildRequest> RunningChildren => _children;
    /// <summary>Every journal row of every event so far.</summary>
    public IReadOnlyList<JournalRecord> Journal => _journal;

    public IEnumerable<TaskRequest> OpenTasksOf(string activityId) => _openTasks.Where(t => t.ActivityId == activityId);

    public RunResult Start(string userId, JsonObject? data = null, JsonNode? input = null, string? title = null) =>
        Apply(Runner.Start(Definition, InstanceId, new StartRequest(Organization.ActorOf(userId), data, input, title), Organization));

    /// <summary>The open task of <paramref name="activityId"/> that <paramref name="userId"/> may take (named, liaison of the unit, holder of the role).</summary>
    public TaskRequest TaskOf(string activityId, string userId)
    {
        var candidates = _openTasks.Where(t => t.ActivityId == activityId && t.Kind == TaskKind.Task).ToList();
        return candidates.FirstOrDefault(t => Organization.CanTake(userId, t.Assignee))
            ?? throw new InvalidOperationException(
                $"no open task of {activityId} for {userId}; open: {string.Join(", ", _openTasks.Select(t => $"{t.ActivityId}→{t.Assignee}"))}");
    }

    /// <summary>Completes the open task of <paramref name="activityId"/> as <paramref name="userId"/>.</summary>
    public RunResult Complete(string activityId, string userId, string? outcome = null, JsonObject? data = null, string? comment = null,
        Dictionary<string, List<string>>? nextAssignees = null)
    {
        var task = TaskOf(activityId, userId);
        return CompleteTask(task, userId, outcome, data, comment, nextAssignees);
    }

    public RunResult CompleteTask(TaskRequest task, string userId, string? outcome = null, JsonObject? data = null, string? comment = null,
        Dictionary<string, List<string>>? nextAssignees = null)
    {
        var request = new ResumeRequest(Organization.ActorOf(userId))
        {
            TaskId = task.Id, Outcome = outcome, Data = data, Comment = comment, NextAssignees = nextAssignees, TaskDueAt = task.DueAt,
        };
        var result = Apply(Runner.Resume(Definition, InstanceId, State, task.BookmarkId!, request, Organization));
        _openTasks.Remove(task);
        return result;
    }

    /// <summary>已阅 on a notice of <paramref name="activityId"/>; a notice the flow does not wait for is simply closed.</summary>
    public RunResult? Read(string activityId, string userId)
    {
        var notice = _openTasks.First(t => t.ActivityId == activityId && t.Kind == TaskKind.Notice && Organization.CanTake(userId, t.Assignee));
        if (notice.BookmarkId is null)
        {
            _openTasks.Remove(notice);
            return null;
        }
        var result = Apply(Runner.Resume(Definition, InstanceId, State, notice.BookmarkId,
            new ResumeRequest(Organization.ActorOf(userId)) { TaskId = notice.Id, Outcome = "已阅" }, Organization));
        _openTasks.Remove(notice);
        return result;
    }

    /// <summary>The timer of <paramref name="activityId"/> falls due: the clock moves to its due time and the system resumes it.</summary>
    public RunResult FireTimer(string activityId)
    {
        var timer = _timers.Single(t => t.ActivityId == activityId);
        if (Clock.GetUtcNow() < timer.DueAt) Clock.SetUtcNow(timer.DueAt);
        return Apply(Runner.Resume(Definition, InstanceId, State, timer.BookmarkId, new ResumeRequest(Actor.System), Organization));
    }

    public RunResult CompleteChild(ChildRequest child, string result = "办结")
    {
        var outcome = Apply(Runner.Resume(Definition, InstanceId, State, child.ParentBookmarkId,
            new ResumeRequest(Actor.System) { ChildInstanceId = child.InstanceId, ChildResult = result }, Organization));
        _children.Remove(child);
        return outcome;
    }

    /// <summary>退回 from the open task of <paramref name="activityId"/>, to its 退回 port or to <paramref name="targetActivityId"/>.</summary>
    public RunResult Return(string activityId, string userId, string? targetActivityId, string? comment, JsonObject? data = null)
    {
        var task = TaskOf(activityId, userId);
        var result = Apply(Runner.Return(Definition, InstanceId, State, task.BookmarkId!, task.Id, targetActivityId, comment,
            Organization.ActorOf(userId), Organization, data));
        _openTasks.Remove(task);
        return result;
    }

    private readonly Dictionary<Guid, TaskRequest> _everyTask = [];

    /// <summary>撤回 of <paramref name="task"/> by <paramref name="userId"/> (docs/decisions/031).</summary>
    public RunResult Recall(TaskRequest task, string userId) =>
        Apply(Runner.Recall(Definition, InstanceId, State, task.Id, Organization.ActorOf(userId), Organization));

    public RunResult Withdraw(string userId, string? reason = null) =>
        Apply(Runner.Withdraw(Definition, InstanceId, State, Organization.ActorOf(userId), reason, Organization));

    public RunResult AddSigner(string activityId, string byUserId, string userId, DateTimeOffset? dueAt = null) =>
        Apply(Runner.AddSigner(Definition, InstanceId, State, State.Bookmarks.Single(b => b.ActivityId == activityId).Id, userId, dueAt, "加签",
            Organization.ActorOf(byUserId), Organization));

    public RunResult RemoveSigner(string activityId, string byUserId, Guid? taskId, string? queuedUserId = null) =>
        Apply(Runner.RemoveSigner(Definition, InstanceId, State, State.Bookmarks.Single(b => b.ActivityId == activityId).Id, taskId, queuedUserId, "减签",
            Organization.ActorOf(byUserId), Organization));

    public RunResult Retry(string userId = TestOrganization.Admin, string? assignTo = null) =>
        Apply(Runner.Retry(Definition, InstanceId, State, Organization.ActorOf(userId), Organization, assignTo));

    public RunResult Cancel(string userId, string? reason = null) =>
        Apply(Runner.Cancel(Definition, InstanceId, State, Organization.ActorOf(userId), reason, Organization));

    /// <summary>Lets a test change the stored state between events, as an administrator fixing data would.</summary>
    public void EditState(Action<WorkflowState> edit) => edit(State);

    /// <summary>The stored state as JSON, to check that a refused event changed nothing.</summary>
    public string StateJson() => JsonSerializer.Serialize(State, DefinitionJson.Options);

    public RunResult Apply(RunResult result)
    {
        State = result.State;
        LastEffects = result.Effects;
        var removed = result.Effects.RemovedBookmarkIds.ToHashSet();
        _openTasks.RemoveAll(t => t.BookmarkId is not null && removed.Contains(t.BookmarkId));
        _timers.RemoveAll(t => removed.Contains(t.BookmarkId));
        _children.RemoveAll(c => removed.Contains(c.ParentBookmarkId));
        _openTasks.AddRange(result.Effects.NewTasks);
        foreach (var task in result.Effects.NewTasks) _everyTask[task.Id] = task;
        _openTasks.RemoveAll(t => result.Effects.CancelledTaskIds.Contains(t.Id));
        foreach (var id in result.Effects.ReopenedTaskIds)
            if (_everyTask.TryGetValue(id, out var reopened) && !_openTasks.Contains(reopened)) _openTasks.Add(reopened);
        _timers.AddRange(result.Effects.NewTimers);
        _children.AddRange(result.Effects.NewChildren);
        _journal.AddRange(result.Effects.Journal);
        return result;
    }

    /// <summary>Rounds in which <paramref name="activityId"/> started, in order.</summary>
    public List<int> RoundsOf(string activityId) =>
        _journal.Where(j => j.Kind == JournalKind.ActivityStarted && j.ActivityId == activityId).Select(j => j.Round).ToList();
}
