using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;

namespace Duban.Engine.Execution;

/// <summary>
/// What staff do to a task besides completing it (docs/decisions/031): 撤回 a step they completed, 撤回 an item they
/// started, 加签 / 减签 on a countersign step. Pure like the rest of the runner: state in, state and effects out.
/// </summary>
public sealed partial class WorkflowRunner
{
    /// <summary>
    /// 撤回: the person who completed task <paramref name="taskId"/> takes the step back while the waiting points it led to
    /// are as they were made (nobody has acted, no signer changed). They go (the host cancels their tasks and timers);
    /// the step waits again with its task (and, for 或签, its fellow signers' tasks) open; the form values stay in the
    /// item's data, so the task reopens with them. A 交办's 主办 report comes back the same way with the whole step — its
    /// unit entries as they were, the 协办 tasks the report cancelled open again; a 协办's input is taken back while the
    /// 主办 has not submitted (<see cref="RecallCo"/>).
    /// </summary>
    public RunResult Recall(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, Guid taskId, Actor actor, IOrganization organization)
    {
        var scope = NewScope(definition, instanceId, ActiveCopy(stored), actor, organization);
        var state = scope.State;
        var point = state.Recall;
        if ((point is null || point.TaskId != taskId) && AssignActivity.IsWaitingCo(state, taskId))
            return RecallCo(definition, scope, taskId, actor);
        if (point is null || point.TaskId != taskId)
            throw new WorkflowConflictException("该环节已不能撤回：只能撤回本事项最近一次办理的环节");
        if (point.ActorId != actor.Id)
            throw new WorkflowConflictException("只有办理该环节的人可以撤回");
        var next = new List<Bookmark>();
        foreach (var made in point.Next)
        {
            var bookmark = state.FindBookmark(made.BookmarkId);
            if (bookmark is null || bookmark.Payload.ToJsonString() != made.Payload)
                throw new WorkflowConflictException("下一环节已办理或已有变动，不能撤回");
            if (bookmark.Kind == BookmarkKinds.Children)
                throw new WorkflowConflictException("下一环节已分解出子事项，不能撤回");
            next.Add(bookmark);
        }
        foreach (var bookmark in next) scope.RemoveBookmark(bookmark);

        // The step's waiting point, and for a 交办 the step's own bookmark and the 协办 tasks the 主办's submission ended.
        var restored = point.Bookmark with { Payload = (JsonObject)point.Bookmark.Payload.DeepClone() };
        var all = (point.Companions ?? []).Select(b => b with { Payload = (JsonObject)b.Payload.DeepClone() }).Prepend(restored).ToList();
        foreach (var bookmark in all)
        {
            state.Bookmarks.Add(bookmark);
            foreach (var pending in bookmark.Payload["pending"]?.AsArray() ?? [])
                if (pending is JsonValue v && Guid.TryParse(v.GetValue<string>(), out var id)) scope.Effects.ReopenedTaskIds.Add(id);
        }

        var node = definition.Root.Find(restored.ActivityId);
        var round = RoundOf(restored.ExecutionId);
        for (var i = state.Submissions.Count - 1; i >= point.SubmissionsBefore; i--)
            if (state.Submissions[i].ActivityId == restored.ActivityId && state.Submissions[i].Round == round)
                state.Submissions.RemoveAt(i);
        if (point.AddedApprover) state.Approvers.Remove(point.ActorId);
        state.AssignedAt = point.AssignedAtBefore;
        state.AssignedUnits = point.AssignedUnitsBefore;
        state.Recall = null;
        state.Status = WorkflowStatus.Suspended;
        var data = new JsonObject { ["cancelled"] = new JsonArray(next.Select(b => (JsonNode)JsonValue.Create(b.ActivityId)!).ToArray()) };
        if (AssignActivity.UnitOf(restored) is var (unitId, role))
        {
            // The 主办's report no longer stands: its record is as before the submission (the values stay in the item's data).
            data["role"] = role;
            data["roleName"] = AssignActivity.RoleName(role);
            data["unitId"] = unitId;
            data["unitName"] = organization.FindUnit(unitId)?.Name ?? unitId;
            scope.Effects.Assignments.Add(new AssignmentEffect
            {
                Kind = AssignmentEffectKind.Recalled, TaskId = taskId, ActivityId = restored.ActivityId, ExecutionId = restored.ExecutionId,
                UnitId = unitId, Role = role,
            });
        }
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.TaskRecalled, At = scope.Now, TaskId = taskId, ActivityId = restored.ActivityId,
            ActivityName = node?.DisplayName, ExecutionId = restored.ExecutionId, Round = round,
            ActorId = actor.Id, ActorName = actor.Name, Data = data,
        });
        Deadlines.ItemDeadline.Refresh(scope);
        return new RunResult(state, scope.Effects);
    }

    /// <summary>
    /// 撤回 of a 协办's input: allowed to the person who submitted it while the 交办 step still waits (the 主办 has not
    /// submitted). Other 协办 submitting, or the 主办 claiming and drafting, do not stand in the way: they do not use the
    /// input the way a next step does — the 主办's report, which would, has not been made.
    /// </summary>
    private RunResult RecallCo(WorkflowDefinition definition, RunScope scope, Guid taskId, Actor actor)
    {
        var state = scope.State;
        if (AssignActivity.CoRecallRefusal(state, taskId, actor.Id) is { } refusal) throw new WorkflowConflictException(refusal);
        var (step, entry) = AssignActivity.CoEntry(state, taskId)!.Value;
        var (node, _) = Resolve(definition, step.ActivityId);
        AssignActivity.RecallCo(new ActivityContext(scope, node, step.ExecutionId, RoundOf(step.ExecutionId), null), step, entry, taskId);
        return new RunResult(state, scope.Effects);
    }

    /// <summary>
    /// Whether <see cref="Recall"/> would let <paramref name="actorId"/> take task <paramref name="taskId"/> back, as far as
    /// the engine sees: the waiting points the completion led to, when they are all as made (none for a 协办's input,
    /// which leads nowhere until the 主办 submits); null when it would refuse. The host still checks their tasks (claimed,
    /// delegated) — the task operations answer uses this so the menu does not offer a 撤回 that would be refused.
    /// </summary>
    public static IReadOnlyList<string>? RecallableNext(WorkflowState state, Guid taskId, string actorId)
    {
        var point = state.Recall;
        if ((point is null || point.TaskId != taskId) && AssignActivity.IsWaitingCo(state, taskId))
            return AssignActivity.CoRecallRefusal(state, taskId, actorId) is null ? [] : null;
        if (point is null || point.TaskId != taskId || point.ActorId != actorId) return null;
        foreach (var made in point.Next)
        {
            var bookmark = state.FindBookmark(made.BookmarkId);
            if (bookmark is null || bookmark.Payload.ToJsonString() != made.Payload || bookmark.Kind == BookmarkKinds.Children) return null;
        }
        return point.Next.Select(n => n.BookmarkId).ToList();
    }

    /// <summary>撤回事项: the initiator takes the item back before anyone accepted it; it ends as 已撤回 (not 已撤销).</summary>
    public RunResult Withdraw(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, Actor actor, string? reason, IOrganization organization)
    {
        if (stored.InitiatorId != actor.Id)
            throw new WorkflowConflictException("只有发起人可以撤回事项");
        return End(definition, instanceId, stored, actor, reason, organization, WithdrawnResult, JournalKind.InstanceWithdrawn);
    }

    /// <summary>The result of an item its initiator withdrew.</summary>
    public const string WithdrawnResult = "已撤回";

    /// <summary>
    /// 加签: one more person on the countersign step waiting at <paramref name="bookmarkId"/>, with the step's deadline
    /// (<paramref name="dueAt"/>, as the host keeps it for the step's open tasks). 会签 then waits for him too; 依次 puts
    /// him at the end of the line.
    /// </summary>
    public RunResult AddSigner(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, string bookmarkId, string userId,
        DateTimeOffset? dueAt, string? comment, Actor actor, IOrganization organization) =>
        OnCountersign(definition, instanceId, stored, bookmarkId, actor, organization,
            (context, bookmark) => UserTaskActivity.AddSigner(context, bookmark, userId, dueAt, comment));

    /// <summary>
    /// 减签: takes a signer who has not acted off the countersign step — by his open task (<paramref name="taskId"/>), or,
    /// in 依次, by his place in the line (<paramref name="queuedUserId"/>). At least one signer who has not acted stays.
    /// </summary>
    public RunResult RemoveSigner(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, string bookmarkId, Guid? taskId,
        string? queuedUserId, string? comment, Actor actor, IOrganization organization, string? signerName = null) =>
        OnCountersign(definition, instanceId, stored, bookmarkId, actor, organization,
            (context, bookmark) => UserTaskActivity.RemoveSigner(context, bookmark, taskId, queuedUserId, comment, signerName));

    private RunResult OnCountersign(WorkflowDefinition definition, Guid instanceId, WorkflowState stored, string bookmarkId, Actor actor,
        IOrganization organization, Action<ActivityContext, Bookmark> change)
    {
        var scope = NewScope(definition, instanceId, ActiveCopy(stored), actor, organization);
        var bookmark = scope.State.FindBookmark(bookmarkId)
            ?? throw new WorkflowConflictException("该环节已办理完毕，请刷新后查看");
        var (node, _) = Resolve(definition, bookmark.ActivityId);
        if (node.Type != ActivityTypes.UserTask || bookmark.Kind != BookmarkKinds.Task)
            throw new WorkflowInputException("taskId", $"「{node.DisplayName}」不是多人办理环节，不能加签或减签");
        change(new ActivityContext(scope, node, bookmark.ExecutionId, RoundOf(bookmark.ExecutionId), null), bookmark);
        return new RunResult(scope.State, scope.Effects);
    }

    /// <summary>
    /// Watches one resume of a human step: when it completes the step and the item then waits, what it touched is kept as
    /// the item's <see cref="WorkflowState.Recall"/>. A completion that only counted towards a countersign, ended the
    /// item, or arrived at a join that waits for other branches leaves no recall point.
    /// </summary>
    private sealed class RecallWatch
    {
        private Guid _taskId;
        private Bookmark _bookmark = null!;
        private HashSet<string> _before = null!;
        private string _joins = "";
        private int _submissions;
        private bool _approver;
        private DateTimeOffset? _assignedAt;
        private AssignedUnits? _assignedUnits;
        private List<Bookmark>? _companions;

        public static RecallWatch? Begin(RunScope scope, ActivityNode node, Bookmark bookmark, ResumeRequest request)
        {
            if (bookmark.Kind != BookmarkKinds.Task || request.TaskId is not { } taskId) return null;
            var state = scope.State;
            // A 交办's 主办 report ends the step: its bookmark, its unit entries and the 协办 tasks still open come back
            // with a 撤回. A 协办's input leads nowhere (the step goes on) and is recalled from its entry instead.
            List<Bookmark>? companions = null;
            if (node.Type == ActivityTypes.Assign && AssignActivity.UnitOf(bookmark) is (_, AssignActivity.Lead))
                companions = state.Bookmarks
                    .Where(b => b.Id != bookmark.Id && b.ActivityId == bookmark.ActivityId && b.ExecutionId == bookmark.ExecutionId)
                    .Select(b => b with { Payload = (JsonObject)b.Payload.DeepClone() }).ToList();
            else if (node.Type != ActivityTypes.UserTask) return null;
            return new RecallWatch
            {
                _taskId = taskId,
                _companions = companions,
                _bookmark = bookmark with { Payload = (JsonObject)bookmark.Payload.DeepClone() },
                _before = state.Bookmarks.Select(b => b.Id).ToHashSet(),
                _joins = System.Text.Json.JsonSerializer.Serialize(state.JoinArrivals),
                _submissions = state.Submissions.Count,
                _approver = state.Approvers.Contains(request.Actor.Id),
                _assignedAt = state.AssignedAt,
                _assignedUnits = state.AssignedUnits,
            };
        }

        public void End(RunScope scope)
        {
            var state = scope.State;
            if (state.FindBookmark(_bookmark.Id) is not null) return; // a countersign still waiting for others
            if (state.Status != WorkflowStatus.Suspended || System.Text.Json.JsonSerializer.Serialize(state.JoinArrivals) != _joins)
            {
                state.Recall = null;
                return;
            }
            var next = state.Bookmarks.Where(b => !_before.Contains(b.Id))
                .Select(b => new RecallNext(b.Id, b.Kind, b.Payload.ToJsonString())).ToList();
            state.Recall = new RecallPoint(_taskId, scope.Actor.Id, _bookmark, next, _submissions,
                !_approver && state.Approvers.Contains(scope.Actor.Id), _assignedAt, _assignedUnits, _companions);
        }
    }
}
