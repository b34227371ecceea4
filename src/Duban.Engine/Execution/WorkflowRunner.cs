using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Expressions;

namespace Duban.Engine.Execution;

/// <summary>
/// Runs flowcharts. Each call takes an instance's state, handles one event (start, a bookmark resumed, a 退回,
/// a retry, a cancel) on a private copy, runs until every path waits or ends, and returns the new state with its
/// effects. It does no I/O: the host persists the result in one transaction, or throws it away.
/// </summary>
public sealed partial class WorkflowRunner(ActivityRegistry registry, IScriptEvaluator scripts, TimeProvider clock)
{
    /// <summary>Activities one event may run without waiting; more means a loop with no human or timer in it.</summary>
    public const int MaxStepsPerEvent = 10_000;

    public ActivityRegistry Registry { get; } = registry;

    public RunResult Start(WorkflowDefinition definition, Guid instanceId, StartRequest request, IOrganization organization)
    {
        var state = new WorkflowState
        {
            InitiatorId = request.Actor.Id,
            InitiatorUnitId = request.Actor.UnitId,
            Input = request.Input?.DeepClone(),
        };
        foreach (var variable in definition.Variables)
            state.Variables[variable.Name] = variable.Value?.DeepClone();

        var scope = NewScope(definition, instanceId, state, request.Actor, organization);
        state.StartedAt = scope.Now;
        var start = definition.Root.Activities.SingleOrDefault(a => a.Type == ActivityTypes.Start)
            ?? throw new WorkflowInputException("definitionId", "流程没有开始节点");

        var startContext = new ActivityContext(scope, start, ExecutionIdOf(start.Id, 1), 1, null);
        StartActivity.AcceptStartForm(startContext, request);
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.InstanceStarted,
            At = scope.Now,
            ActivityId = start.Id,
            ActivityName = start.DisplayName,
            ActorId = request.Actor.Id,
            ActorName = request.Actor.Name,
            Data = new() { ["definitionId"] = definition.DefinitionId, ["version"] = definition.Version, ["title"] = state.Title },
        });
        scope.Queue.AddLast(new ScheduledWork(start.Id, null));
        Drain(scope);
        return new RunResult(scope.State, scope.Effects);
    }

    public RunResult Resume(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, string bookmarkId, ResumeRequest request, IOrganization organization)
    {
        var scope = NewScope(definition, instanceId, ActiveCopy(stored), request.Actor, organization);
        var bookmark = scope.State.FindBookmark(bookmarkId)
            ?? throw new WorkflowConflictException("该事项已被他人处理，请刷新后查看");
        var (node, handler) = Resolve(definition, bookmark.ActivityId);
        var context = new ActivityContext(scope, node, bookmark.ExecutionId, RoundOf(bookmark.ExecutionId), null);
        var work = new ScheduledWork(node.Id, null);
        var recall = RecallWatch.Begin(scope, node, bookmark, request);
        try
        {
            Apply(scope, context, handler.Resume(context, bookmark, request));
        }
        catch (Exception e) when (e is ActivityFaultException or ScriptException)
        {
            // A retry runs the activity afresh (new bookmark, new tasks), so this waiting point must go now.
            scope.RemoveBookmark(bookmark);
            Fault(scope, context, work, e.Message);
            return new RunResult(scope.State, scope.Effects);
        }
        Drain(scope);
        recall?.End(scope);
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>
    /// 退回: sends the step that holds <paramref name="bookmarkId"/> back. Without a target it takes the step's
    /// own 退回 port; with one, it cancels this step and schedules the earlier step <paramref name="targetActivityId"/> again.
    /// </summary>
    /// <param name="formData">What was typed into the step's form: its opinions go with the send-back (see <see cref="RedoRouting.Opinions"/>).</param>
    public RunResult Return(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, string bookmarkId, Guid taskId, string? targetActivityId, string? comment, Actor actor, IOrganization organization, JsonObject? formData = null)
    {
        var scope = NewScope(definition, instanceId, ActiveCopy(stored), actor, organization);
        var bookmark = scope.State.FindBookmark(bookmarkId)
            ?? throw new WorkflowConflictException("该事项已被他人处理，请刷新后查看");
        var (node, handler) = Resolve(definition, bookmark.ActivityId);
        var context = new ActivityContext(scope, node, bookmark.ExecutionId, RoundOf(bookmark.ExecutionId), null);

        if (string.IsNullOrEmpty(targetActivityId))
        {
            if (!handler.Ports(node).Contains(PortNames.Return))
                throw new WorkflowInputException("targetActivityId", $"「{node.DisplayName}」没有退回出口，请选择要退回到的环节");
            return Resume(definition, instanceId, stored, bookmarkId,
                new ResumeRequest(actor) { TaskId = taskId, Outcome = PortNames.Return, Comment = comment, Data = formData }, organization);
        }

        var target = ReturnTargets(definition, scope.State, node.Id).FirstOrDefault(t => t.Id == targetActivityId)
            ?? throw new WorkflowInputException("targetActivityId", "只能退回到本环节之前已经办理过的人工环节");

        var data = new JsonObject { ["to"] = target.Id, ["toName"] = target.DisplayName };
        if (node.Type == ActivityTypes.UserTask
            && RedoRouting.Opinions(definition, node.LiteralString("form"), UserTaskActivity.Permissions(node), formData) is { } opinions)
            data[RedoRouting.OpinionsKey] = opinions;
        if (RedoRouting.IsDirect(node))
        {
            RedoRouting.Remember(scope.State, target.Id, node.Id);
            data[RedoRouting.DirectKey] = true;
        }
        handler.Withdraw(context, bookmark, taskId, comment, data);
        context.Journal(JournalKind.ActivityCompleted, outcome: PortNames.Return);
        scope.Queue.AddLast(new ScheduledWork(target.Id, null));
        scope.State.Status = WorkflowStatus.Running; // the copy is Suspended; Drain runs only while Running
        Drain(scope);
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>
    /// Where a step may be sent back to: human steps on the way to it that have been handled and are not waiting
    /// now (sending back into a branch that is still open would run it twice).
    /// </summary>
    public static IReadOnlyList<ActivityNode> ReturnTargets(WorkflowDefinition definition, WorkflowState state, string fromActivityId)
    {
        var before = new FlowGraph(definition.Root).Ancestors(fromActivityId);
        return definition.Root.Activities
            .Where(a => a.Type is ActivityTypes.UserTask or ActivityTypes.Assign && a.Id != fromActivityId && before.Contains(a.Id)
                        && state.Rounds.ContainsKey(a.Id) && state.Bookmarks.All(b => b.ActivityId != a.Id))
            .ToList();
    }

    /// <summary>Carries on after an incident: the faulted activity and everything queued behind it run again.</summary>
    /// <param name="assignTo">转办: the person who is to do the faulted human step when it runs again (a stuck step whose
    /// assignees cannot be found).</param>
    public RunResult Retry(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, Actor actor, IOrganization organization, string? assignTo = null)
    {
        if (stored.Status != WorkflowStatus.Faulted || stored.Incident is null)
            throw new WorkflowConflictException("该事项没有待处理的异常");
        var state = stored.Clone();
        var incident = state.Incident!;
        if (assignTo is not null)
        {
            var step = definition.Root.Find(incident.ActivityId);
            if (step?.Type is not (ActivityTypes.UserTask or ActivityTypes.Notify))
                throw new WorkflowInputException("toUserId", "该异常不在人工环节，不能转办；请重试或迁移到最新版本");
            if (organization.FindUser(assignTo) is null) throw new WorkflowInputException("toUserId", "转办对象不存在");
            state.AssigneeOverrides[incident.ActivityId] = assignTo;
        }
        state.Incident = null;
        state.Status = WorkflowStatus.Running;
        var scope = NewScope(definition, instanceId, state, actor, organization);
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.IncidentRetried, At = scope.Now, ActivityId = incident.ActivityId,
            ActorId = actor.Id, ActorName = actor.Name, Comment = incident.Message,
            Data = assignTo is null ? null : new JsonObject { ["assignTo"] = assignTo, ["assignToName"] = organization.FindUser(assignTo)!.DisplayName },
        });
        foreach (var work in state.Scheduled) scope.Queue.AddLast(work);
        state.Scheduled.Clear();
        Drain(scope);
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>
    /// An approved extension: deadlines move later, never earlier. The item's deadline no longer follows the procedure's
    /// options once extended. Nothing runs; the journal of the decision is the host's (it knows who approved what).
    /// </summary>
    public RunResult Extend(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, ExtendRequest request, IOrganization organization)
    {
        if (stored.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new WorkflowConflictException("事项已结束，不能延期");
        var scope = NewScope(definition, instanceId, stored.Clone(), request.Actor, organization);
        if (request.MoveItemDeadline && scope.State.DueAt is { } itemDue && itemDue < request.To)
        {
            scope.State.DueAt = request.To;
            scope.State.DueExtended = true;
        }
        foreach (var step in request.Steps)
        {
            if (step.DueAt is not { } due || due >= request.To) continue;
            scope.Effects.Deadlines.Add(new DeadlineChange(step.TaskId, request.To));
            var data = new JsonObject { ["from"] = due, ["to"] = request.To };
            if (step.UnitId is { } unitId)
            {
                data["unitId"] = unitId;
                data["unitName"] = organization.FindUnit(unitId)?.Name ?? unitId;
            }
            if (request.Note is { } note) foreach (var (key, value) in note) data[key] = value?.DeepClone();
            scope.Effects.Journal.Add(new JournalRecord
            {
                Kind = JournalKind.DeadlineExtended, At = scope.Now, TaskId = step.TaskId, ActivityId = step.ActivityId,
                ActivityName = step.ActivityId is { } a ? definition.Root.Find(a)?.DisplayName : null,
                ActorId = request.Actor.Id, ActorName = request.Actor.Name, Data = data,
            });
        }
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>The item's and its open steps' deadlines again, on the calendar as it now is (see <see cref="RecalculateRequest"/>).</summary>
    public RunResult Recalculate(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, RecalculateRequest request, IOrganization organization)
    {
        var scope = NewScope(definition, instanceId, stored.Clone(), request.Actor, organization);
        Deadlines.DeadlineRecalculation.Run(scope, request);
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>
    /// Stops the instance on an incident the host found (a timer that kept failing to fire): the administrator sees it
    /// among the faulted items and retries it. The waiting points stay; nothing is queued to run again. It needs no
    /// definition — what the host found may be that the definition cannot be read.
    /// </summary>
    public RunResult RaiseIncident(WorkflowState stored, string activityId, string? activityName, string message, Actor actor)
    {
        if (stored.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled or WorkflowStatus.Faulted)
            throw new WorkflowConflictException("该事项已结束或已处于异常状态");
        var state = stored.Clone();
        var effects = new ExecutionEffects();
        var now = clock.GetUtcNow();
        var executionId = state.Bookmarks.FirstOrDefault(b => b.ActivityId == activityId)?.ExecutionId ?? activityId;
        effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.ActivityFaulted,
            At = now,
            ActivityId = activityId,
            ActivityName = activityName,
            ExecutionId = executionId,
            ActorId = actor.Id,
            ActorName = actor.Name,
            Comment = message,
        });
        state.Incident = new Incident(activityId, executionId, message, now);
        state.Status = WorkflowStatus.Faulted;
        state.Scheduled = [];
        return new RunResult(state, effects);
    }

    public RunResult Cancel(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, Actor actor, string? reason, IOrganization organization) =>
        End(definition, instanceId, stored, actor, reason, organization, "已撤销", JournalKind.InstanceCancelled);

    private RunResult End(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, Actor actor, string? reason, IOrganization organization,
        string result, JournalKind kind)
    {
        if (stored.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new WorkflowConflictException(kind == JournalKind.InstanceCancelled ? "该事项已结束，不能撤销" : "该事项已结束，不能撤回");
        var scope = NewScope(definition, instanceId, stored.Clone(), actor, organization);
        foreach (var bookmark in scope.State.Bookmarks.ToList()) scope.RemoveBookmark(bookmark);
        scope.State.Scheduled.Clear();
        scope.State.Incident = null;
        scope.State.Status = WorkflowStatus.Cancelled;
        scope.State.Result = result;
        scope.State.Recall = null;
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = kind, At = scope.Now, ActorId = actor.Id, ActorName = actor.Name, Comment = reason,
        });
        return new RunResult(scope.State, scope.Effects);
    }

    private static WorkflowState ActiveCopy(WorkflowState stored) => stored.Status switch
    {
        WorkflowStatus.Completed or WorkflowStatus.Cancelled => throw new WorkflowConflictException("该事项已结束"),
        WorkflowStatus.Faulted => throw new WorkflowConflictException("该事项运行异常，需管理员处理后才能继续办理"),
        _ => stored.Clone(),
    };

    private RunScope NewScope(WorkflowDefinition definition, Guid instanceId, WorkflowState state, Actor actor, IOrganization organization) =>
        new(definition, new FlowGraph(definition.Root), instanceId, state, actor, clock.GetUtcNow(), organization, scripts);

    private (ActivityNode Node, IActivityHandler Handler) Resolve(WorkflowDefinition definition, string activityId)
    {
        var node = definition.Root.Find(activityId)
            ?? throw new ActivityFaultException($"流程中找不到节点「{activityId}」");
        return (node, Registry.Get(node.Type));
    }

    internal static string ExecutionIdOf(string activityId, int round) => $"{activityId}#{round}";

    private static int RoundOf(string executionId) =>
        int.TryParse(executionId[(executionId.LastIndexOf('#') + 1)..], out var round) ? round : 1;

    private void Drain(RunScope scope)
    {
        var state = scope.State;
        Deadlines.ItemDeadline.Refresh(scope);
        var steps = 0;
        while (scope.Queue.First is { } first && state.Status == WorkflowStatus.Running)
        {
            scope.Queue.RemoveFirst();
            var work = first.Value;
            var node = scope.Definition.Root.Find(work.ActivityId);
            if (node is null)
            {
                FaultWithoutContext(scope, work, $"流程中找不到节点「{work.ActivityId}」");
                return;
            }

            if (node.Type == ActivityTypes.Join && !JoinActivity.Arrive(scope, node, work))
                continue;

            var round = state.Rounds[node.Id] = state.Rounds.GetValueOrDefault(node.Id) + 1;
            var context = new ActivityContext(scope, node, ExecutionIdOf(node.Id, round), round, work.ConnectionKey);

            if (++steps > MaxStepsPerEvent)
            {
                Fault(scope, context, work, $"流程连续执行超过 {MaxStepsPerEvent} 步而没有等待，可能存在没有人工环节的死循环");
                return;
            }

            RedoRouting.OnStepStarting(state, node);
            context.Journal(JournalKind.ActivityStarted);
            Forms.DateStamps.Stamp(scope.Definition, state.Data, node.Id, Forms.StampTimes.Start, scope.Now);
            try
            {
                var handler = Registry.Get(node.Type);
                Apply(scope, context, handler.Execute(context));
            }
            catch (Exception e) when (e is ActivityFaultException or ScriptException or WorkflowInputException)
            {
                Fault(scope, context, work, e.Message);
                return;
            }
        }

        Deadlines.ItemDeadline.Refresh(scope);
        state.PendingDirectReturn = null; // a send-back that reached no human step in this event has nothing to redo
        if (state.Status == WorkflowStatus.Running)
            state.Status = state.Bookmarks.Count > 0 ? WorkflowStatus.Suspended : CompleteWithoutEnd(scope);
    }

    private static WorkflowStatus CompleteWithoutEnd(RunScope scope)
    {
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.InstanceCompleted, At = scope.Now, ActorId = scope.Actor.Id, ActorName = scope.Actor.Name,
            Outcome = scope.State.Result,
        });
        return WorkflowStatus.Completed;
    }

    private static void Apply(RunScope scope, ActivityContext context, ActivityResult result)
    {
        switch (result)
        {
            case ActivityResult.Done done:
                if (RedoRouting.StraightBack(scope.Definition, scope.State, context.Node, done.Ports) is { } back)
                {
                    // 直达退回环节: the redo goes straight back to the step that sent it back, past the steps in between.
                    context.Journal(JournalKind.ActivityCompleted, outcome: string.Join(",", done.Ports),
                        data: new JsonObject { [RedoRouting.DirectKey] = true, ["to"] = back.Id, ["toName"] = back.DisplayName });
                    Forms.DateStamps.Stamp(scope.Definition, scope.State.Data, context.Node.Id, Forms.StampTimes.Done, scope.Now);
                    scope.Queue.AddLast(new ScheduledWork(back.Id, null));
                    if (scope.State.Status == WorkflowStatus.Suspended) scope.State.Status = WorkflowStatus.Running;
                    break;
                }
                context.Journal(JournalKind.ActivityCompleted, outcome: string.Join(",", done.Ports));
                Forms.DateStamps.Stamp(scope.Definition, scope.State.Data, context.Node.Id, Forms.StampTimes.Done, scope.Now);
                var fireAll = context.Node.Type == ActivityTypes.Fork;
                foreach (var connection in scope.Graph.Outbound(context.Node.Id))
                    if (fireAll || done.Ports.Contains(FlowGraph.PortOf(connection)))
                        scope.Queue.AddLast(new ScheduledWork(connection.Target.Activity, connection.Key));
                    else if (scope.Graph.HasWaitAllActiveJoins)
                        DeadPaths.RuleOut(scope, connection);
                if (scope.State.Status == WorkflowStatus.Suspended) scope.State.Status = WorkflowStatus.Running;
                break;
            case ActivityResult.Ended:
                context.Journal(JournalKind.ActivityCompleted, outcome: scope.State.Result);
                context.Journal(JournalKind.InstanceCompleted, outcome: scope.State.Result);
                break;
            case ActivityResult.Waiting:
                if (scope.State.Status == WorkflowStatus.Suspended && scope.Queue.Count > 0) scope.State.Status = WorkflowStatus.Running;
                break;
        }
    }

    private static void Fault(RunScope scope, ActivityContext context, ScheduledWork work, string message)
    {
        context.Journal(JournalKind.ActivityFaulted, comment: message);
        StopOnIncident(scope, new Incident(context.Node.Id, context.ExecutionId, message, scope.Now), work);
    }

    private static void FaultWithoutContext(RunScope scope, ScheduledWork work, string message)
    {
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.ActivityFaulted, At = scope.Now, ActivityId = work.ActivityId, Comment = message,
            ActorId = scope.Actor.Id, ActorName = scope.Actor.Name,
        });
        StopOnIncident(scope, new Incident(work.ActivityId, work.ActivityId, message, scope.Now), work);
    }

    private static void StopOnIncident(RunScope scope, Incident incident, ScheduledWork work)
    {
        var state = scope.State;
        state.Incident = incident;
        state.Status = WorkflowStatus.Faulted;
        state.Scheduled = [work, .. scope.Queue];
        scope.Queue.Clear();
    }
}
