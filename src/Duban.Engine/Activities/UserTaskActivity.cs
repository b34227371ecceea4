using System.Text.Json.Nodes;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>
/// A human step: its form with per-field permissions, who does it, the outcomes offered (each a port), and the
/// countersign mode — <c>single</c>, <c>all</c> (会签: everyone; any non-first outcome decides at once),
/// <c>any</c> (或签: the first to act decides) or <c>sequence</c> (依次: one after another).
/// </summary>
public sealed class UserTaskActivity : IActivityHandler
{
    public const string Single = "single";
    public const string All = "all";
    public const string Any = "any";
    public const string Sequence = "sequence";
    private static readonly string[] Modes = [Single, All, Any, Sequence];
    private static readonly List<string> DefaultOutcomes = ["提交"];

    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.UserTask, "人工办理", "人工",
        DefaultOutcomes, "由指定人员填写表单并选择办理结果；支持会签、或签、依次办理")
    {
        Inputs =
        [
            Input.Of("assignee", "办理人", InputHints.AssigneeRule, "Object", "办理人") with { Required = true, EditorOptions = new() { Noun = "办理人" } },
            Input.Choice("countersign", "多人时", InputHints.Dropdown, Single,
                [new(Single, "单人办理"), new(Any, "或签（任一人）"), new(All, "会签（全部）"), new(Sequence, "依次办理")], "办理人")
                with { EditorOptions = new() { AriaLabel = "会签方式" } },
            Input.Choice(ApproverEdgeRules.NoAssigneeInput, "找不到办理人时", InputHints.Dropdown, ApproverEdgeRules.Fault,
                [new(ApproverEdgeRules.Fault, "停止并提示管理员处理（运行异常）"), new(ApproverEdgeRules.AutoPass, "自动通过（记入事项日志）"),
                 new(ApproverEdgeRules.ToAdmin, "转交流程管理员"), new(ApproverEdgeRules.ToUser, "转交指定人员")], "办理人"),
            Input.Of(ApproverEdgeRules.NoAssigneeUserInput, "转交给", InputHints.UserPicker, category: "办理人") with
            {
                Description = "找不到办理人时由此人办理",
                EditorOptions = new() { RelatedInput = ApproverEdgeRules.NoAssigneeInput },
            },
            Input.Choice(ApproverEdgeRules.InitiatorInput, "办理人是发起人时", InputHints.Dropdown, ApproverEdgeRules.Keep,
                [new(ApproverEdgeRules.Keep, "仍由发起人办理"), new(ApproverEdgeRules.Skip, "自动跳过（记入事项日志）"),
                 new(ApproverEdgeRules.UnitHead, "改由发起人所在单位负责人办理")], "办理人"),
            Input.Of(ApproverEdgeRules.DedupeInput, "同一人已在前面环节审批同意的，自动通过", InputHints.Checkbox, "Boolean", "办理人") with
            {
                DefaultValue = false,
                Description = "只比较具体人员；按角色或单位签收的待办不去重",
            },
            Input.Form("form", "表单", "fieldPermissions", "表单与结果"),
            Input.Permissions("fieldPermissions", "表单字段权限", "form", "表单与结果"),
            Input.Outcomes("表单与结果", UserTaskSendBack.Input, UserTaskOutcomeScores.Input, UserTaskOutcomeDocuments.Input, UserTaskOutcomeDocuments.ArchiveInput),
            Input.SendsBack("表单与结果"),
            Input.OutcomeScores("表单与结果"),
            Input.OutcomeDocuments("表单与结果"),
            Input.ArchiveOutcomes("表单与结果"),
            Input.Choice(RedoRouting.Input, "退回后重新提交", InputHints.Dropdown, RedoRouting.Walk,
                [new(RedoRouting.Walk, "逐级流转"), new(RedoRouting.Direct, "直达退回环节")], "表单与结果") with
            {
                Description = "本环节退回后，被退回的环节重新提交时：逐级流转——按流程重新经过中间各环节；直达退回环节——直接回到本环节",
                EditorOptions = new() { AriaLabel = "退回后重新提交" },
            },
            Input.Deadline("时限与说明"),
            Input.LegacyDueIn("时限与说明"),
            Input.Of("outcomesUntilDue", "限期内才可选的结果", InputHints.OutcomeSubset, "Object", "时限与说明") with
            {
                Description = "过了本环节的办理期限，这些结果不再提供（如异议期过后不能再“退回”）；至少留一个结果不选",
                EditorOptions = new() { OutcomesInput = "outcomes", Placeholder = "不限" },
            },
            Input.Text("instructions", "办理说明", 2, "时限与说明"),
        ],
    };

    public IReadOnlyList<string> Ports(ActivityNode node) => Outcomes(node);

    public static List<string> Outcomes(ActivityNode node) =>
        node.Literal<List<string>>("outcomes") is { Count: > 0 } outcomes ? outcomes : DefaultOutcomes;

    /// <summary>
    /// Outcomes offered only until the step's deadline (<c>outcomesUntilDue</c>), e.g. a 交办异议 within 5 working days of
    /// assignment: once the deadline has passed, the step can only go on by its other outcomes.
    /// </summary>
    public static List<string> OutcomesUntilDue(ActivityNode node) => node.Literal<List<string>>("outcomesUntilDue") ?? [];

    /// <summary>The outcomes a task may still take at <paramref name="now"/>.</summary>
    public static List<string> OpenOutcomes(ActivityNode node, IReadOnlyList<string> outcomes, DateTimeOffset? dueAt, DateTimeOffset now)
    {
        var closing = OutcomesUntilDue(node);
        return closing.Count == 0 || dueAt is not { } due || now <= due ? [.. outcomes] : outcomes.Where(o => !closing.Contains(o)).ToList();
    }

    public static Dictionary<string, FieldPermission> Permissions(ActivityNode node) =>
        node.Literal<Dictionary<string, FieldPermission>>("fieldPermissions") ?? new();

    public ActivityResult Execute(ActivityContext context)
    {
        var node = context.Node;
        var rule = node.Literal<AssigneeRule>("assignee")
            ?? throw new ActivityFaultException($"「{node.DisplayName}」未设置办理人规则");
        var mode = node.LiteralString("countersign") ?? Single;
        var (assignees, passReason, passKind) = ApproverEdgeRules.Apply(context, Assignees.Resolve(context, rule, individually: mode is All or Sequence));
        if (passReason is not null)
        {
            // Passed by itself: no task; the journal says why, with the outcome it passed with (decision 029).
            var outcome = ApproverEdgeRules.PassOutcome(node, Outcomes(node));
            context.Journal(JournalKind.StepAutoPassed, outcome: outcome, comment: passReason, data: new JsonObject { ["reason"] = passKind });
            return ActivityResult.Outcome(outcome);
        }
        if (mode == Single && assignees.Count > 1) mode = Any;

        var bookmark = context.CreateBookmark(BookmarkKinds.Task, new JsonObject
        {
            ["mode"] = mode,
            ["pending"] = new JsonArray(),
            ["queue"] = new JsonArray(),
            ["results"] = new JsonArray(),
        });
        if (mode == Sequence)
        {
            CreateTask(context, bookmark, assignees[0], sequence: 1);
            foreach (var rest in assignees.Skip(1)) bookmark.Payload["queue"]!.AsArray().Add(rest.ToString());
        }
        else
        {
            foreach (var assignee in assignees) CreateTask(context, bookmark, assignee, sequence: 0);
        }
        return ActivityResult.Wait;
    }

    private static Guid CreateTask(ActivityContext context, Bookmark bookmark, TaskAssignee assignee, int sequence, bool keepDue = false, DateTimeOffset? dueAt = null)
    {
        var node = context.Node;
        var task = new TaskRequest
        {
            Id = Guid.CreateVersion7(),
            BookmarkId = bookmark.Id,
            ActivityId = node.Id,
            ExecutionId = context.ExecutionId,
            Name = node.DisplayName,
            Assignee = assignee,
            FormId = node.LiteralString("form"),
            Permissions = Permissions(node),
            Outcomes = Outcomes(node),
            Sequence = sequence,
            Message = node.LiteralString("instructions"),
            DueAt = keepDue ? dueAt : StepDeadline.DueAt(context),
        };
        context.Effects.NewTasks.Add(task);
        bookmark.Payload["pending"]!.AsArray().Add(task.Id.ToString());
        context.Journal(JournalKind.TaskCreated, task.Id, data: Assignees.ToJson(context.Organization, assignee));
        return task.Id;
    }

    /// <summary>
    /// 加签 (docs/decisions/031): one more person on a 会签 / 或签 / 依次 step, by name. In 会签 and 或签 he gets a task at
    /// once, due when the step's other tasks are (<paramref name="dueAt"/>); in 依次 he joins the end of the line. A
    /// single-person step has no signers to add to (转办 or 委派 instead).
    /// </summary>
    internal static void AddSigner(ActivityContext context, Bookmark bookmark, string userId, DateTimeOffset? dueAt, string? comment)
    {
        var mode = bookmark.Payload["mode"]?.GetValue<string>() ?? Single;
        if (mode == Single)
            throw new WorkflowInputException("userId", "单人办理的环节不能加签，可改用转办或委派");
        var user = context.Organization.FindUser(userId)
            ?? throw new WorkflowInputException("userId", "加签人员不存在");
        var key = TaskAssignee.User(userId).ToString();
        var signers = Signers(context, bookmark);
        if (signers.Contains(userId) || bookmark.Payload["queue"]!.AsArray().Any(q => q?.GetValue<string>() == key))
            throw new WorkflowInputException("userId", $"「{user.DisplayName}」已是本环节的办理人");
        var data = new JsonObject { ["userId"] = userId, ["userName"] = user.DisplayName, ["mode"] = mode };
        if (mode == Sequence)
        {
            bookmark.Payload["queue"]!.AsArray().Add(key);
        }
        else
        {
            var taskId = CreateTask(context, bookmark, TaskAssignee.User(userId), sequence: 0, keepDue: true, dueAt: dueAt);
            data["taskId"] = taskId.ToString();
        }
        context.Journal(JournalKind.SignerAdded, comment: comment, data: data);
    }

    /// <summary>
    /// 减签: a signer who has not acted leaves the step — his open task (the host cancels it), or his place in a 依次 line.
    /// One who already acted stays (his opinion is on record), and so does the last signer who has not acted.
    /// </summary>
    /// <remarks><paramref name="signerName"/> is the removed task's holder as the host knows him, for the journal line.</remarks>
    internal static void RemoveSigner(ActivityContext context, Bookmark bookmark, Guid? taskId, string? queuedUserId, string? comment,
        string? signerName = null)
    {
        var pending = bookmark.Payload["pending"]!.AsArray();
        var queue = bookmark.Payload["queue"]!.AsArray();
        var results = bookmark.Payload["results"]!.AsArray();
        if (taskId is { } id && results.OfType<JsonObject>().Any(r => r["taskId"]?.GetValue<string>() == id.ToString()))
            throw new WorkflowConflictException("该办理人已办理，不能减签");
        if (pending.Count + queue.Count <= 1)
            throw new WorkflowConflictException("至少要保留一位尚未办理的办理人，不能减签");
        var data = new JsonObject();
        if (taskId is { } open)
        {
            var entry = pending.FirstOrDefault(x => x?.GetValue<string>() == open.ToString())
                ?? throw new WorkflowConflictException("该办理人已不在本环节，请刷新后查看");
            pending.Remove(entry);
            context.Effects.CancelledTaskIds.Add(open);
            data["taskId"] = open.ToString();
            if (signerName is not null) data["userName"] = signerName;
            context.Journal(JournalKind.SignerRemoved, open, comment: comment, data: data);
            if ((bookmark.Payload["mode"]?.GetValue<string>() ?? Single) == Sequence && pending.Count == 0)
                NextInSequence(context, bookmark);
            return;
        }
        var key = TaskAssignee.User(queuedUserId ?? "").ToString();
        var queued = queue.FirstOrDefault(q => q?.GetValue<string>() == key)
            ?? throw new WorkflowInputException("userId", "该人员不在本环节的待办理名单中");
        queue.Remove(queued);
        data["userId"] = queuedUserId;
        data["userName"] = context.Organization.FindUser(queuedUserId!)?.DisplayName ?? queuedUserId;
        context.Journal(JournalKind.SignerRemoved, comment: comment, data: data);
    }

    /// <summary>Who has acted on the step: the actor ids of its results.</summary>
    private static HashSet<string> Signers(ActivityContext context, Bookmark bookmark) =>
        bookmark.Payload["results"]!.AsArray().OfType<JsonObject>().Select(r => r["actorId"]?.GetValue<string>()).OfType<string>().ToHashSet();

    public ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request)
    {
        var node = context.Node;
        var taskId = request.TaskId ?? throw new WorkflowInputException("taskId", "缺少待办编号");
        var pending = bookmark.Payload["pending"]!.AsArray();
        var entry = pending.FirstOrDefault(x => x?.GetValue<string>() == taskId.ToString())
            ?? throw new WorkflowConflictException("该待办已被处理，请刷新后查看");

        var outcomes = Outcomes(node);
        var outcome = request.Outcome ?? (outcomes.Count == 1 ? outcomes[0] : null);
        if (outcome is null || !outcomes.Contains(outcome))
            throw new WorkflowInputException("outcome",
                outcome is null ? $"请选择办理结果（{string.Join("、", outcomes)}）" : $"办理结果「{outcome}」无效，可选：{string.Join("、", outcomes)}");
        if (!OpenOutcomes(node, outcomes, request.TaskDueAt, context.Now).Contains(outcome))
            throw new WorkflowInputException("outcome",
                $"「{outcome}」须在办理期限（{request.TaskDueAt!.Value.ToOffset(Calendar.ChinaTime.Offset):yyyy-MM-dd HH:mm}）前提出，现已超过期限");

        // A send-back (退回, or any outcome the designer marked as sending back: 复办, 不满意重办 …) carries its reason
        // in the comment; what was typed into the form is not kept.
        var isReturn = UserTaskSendBack.SendsBack(node, outcome);
        if (isReturn && string.IsNullOrWhiteSpace(request.Comment))
            throw new WorkflowInputException("comment", "退回时请填写退回理由");
        var formId = node.LiteralString("form");
        JsonObject? sentBack = null;
        if (!isReturn)
            StepForms.Accept(context, formId, Permissions(node), request.Data);
        else
        {
            // The rest of the form is not taken, but the opinions typed before sending back go with the send-back, for
            // the one who redoes the step to read (docs/decisions/032).
            sentBack = new JsonObject { [UserTaskSendBack.JournalFlag] = true };
            if (RedoRouting.Opinions(context.Definition, formId, Permissions(node), request.Data) is { } opinions)
                sentBack[RedoRouting.OpinionsKey] = opinions;
            if (RedoRouting.IsDirect(node)) sentBack[RedoRouting.DirectKey] = true;
        }

        AcceptChosenAssignees(context, outcome, request.NextAssignees);

        context.Journal(JournalKind.TaskCompleted, taskId, outcome, request.Comment, sentBack);
        var completedLine = context.Effects.Journal.Count - 1;
        if (!isReturn && !context.State.Approvers.Contains(request.Actor.Id)) context.State.Approvers.Add(request.Actor.Id);
        pending.Remove(entry);
        bookmark.Payload["results"]!.AsArray().Add(new JsonObject
        {
            ["taskId"] = taskId.ToString(), ["outcome"] = outcome, ["actorId"] = request.Actor.Id,
        });

        var mode = bookmark.Payload["mode"]!.GetValue<string>();
        var decided = mode switch
        {
            All => outcome != outcomes[0] || pending.Count == 0,
            Sequence => outcome != outcomes[0] || !NextInSequence(context, bookmark),
            _ => true,
        };
        if (!decided) return ActivityResult.Wait;
        // The completion that decides the step is the one that counts in 考核 (one event per decision, not per signer).
        var line = context.Effects.Journal[completedLine];
        context.Effects.Journal[completedLine] = line with { Data = UserTaskOutcomeScores.Mark(context, outcome, line.Data) };
        UserTaskOutcomeDocuments.Mark(context, outcome);
        context.RemoveBookmark(bookmark);
        if (isReturn && RedoRouting.IsDirect(node)) RedoRouting.ExpectRedo(context.State, node.Id);
        return ActivityResult.Outcome(outcome);
    }

    /// <summary>
    /// Assignees picked by this step's handler for the next steps ("chosen by the previous step"). Each must name a
    /// human step of this procedure and real people or units; a next step on the chosen outcome whose rule is
    /// <c>previous</c> must get a choice now, unless one was made before.
    /// </summary>
    internal static void AcceptChosenAssignees(ActivityContext context, string outcome, Dictionary<string, List<string>>? chosen)
    {
        var org = context.Organization;
        foreach (var (activityId, ids) in AssignActivity.AcceptChoices(context, chosen ?? []))
        {
            var target = context.Definition.Root.Find(activityId);
            if (target is null || target.Type is not (ActivityTypes.UserTask or ActivityTypes.Notify))
                throw new WorkflowInputException("nextAssignees", $"环节「{activityId}」不存在或不是人工环节");
            if (ids.Count == 0)
                throw new WorkflowInputException("nextAssignees", $"请为「{target.DisplayName}」选择办理人");
            foreach (var id in ids)
            {
                var assignee = TaskAssignee.Parse(id);
                var exists = assignee switch
                {
                    { UserId: { } u } => org.FindUser(u) is not null,
                    { UnitId: { } unit } => org.FindUnit(unit) is not null,
                    _ => false,
                };
                if (!exists) throw new WorkflowInputException("nextAssignees", $"「{target.DisplayName}」的办理人「{id}」不存在");
            }
            context.State.ChosenAssignees[activityId] = ids;
        }

        foreach (var connection in context.Graph.Outbound(context.Node.Id).Where(c => FlowGraph.PortOf(c) == outcome))
        {
            var next = context.Definition.Root.Find(connection.Target.Activity);
            if (next is null) continue;
            if ((next.Literal<AssigneeRule>("assignee") is { Type: "previous" } && !context.State.ChosenAssignees.ContainsKey(next.Id))
                || AssignActivity.NeedsChoice(next, context.State))
                throw new WorkflowInputException("nextAssignees", $"请为下一环节「{next.DisplayName}」选择办理人");
        }
    }

    private static bool NextInSequence(ActivityContext context, Bookmark bookmark)
    {
        var queue = bookmark.Payload["queue"]!.AsArray();
        if (queue.Count == 0) return false;
        var next = TaskAssignee.Parse(queue[0]!.GetValue<string>())!;
        queue.RemoveAt(0);
        var sequence = bookmark.Payload["results"]!.AsArray().Count + 1;
        CreateTask(context, bookmark, next, sequence);
        return true;
    }

    /// <summary>Takes a step back without an outcome (退回 to a chosen earlier step): the step's open tasks are cancelled.</summary>
    internal static void Withdraw(ActivityContext context, Bookmark bookmark, Guid taskId, JournalKind kind, string? comment, JsonObject data)
    {
        if (string.IsNullOrWhiteSpace(comment))
            throw new WorkflowInputException("comment", "退回时请填写退回理由");
        var pending = bookmark.Payload["pending"]?.AsArray();
        if (pending?.Any(x => x?.GetValue<string>() == taskId.ToString()) != true)
            throw new WorkflowConflictException("该待办已被处理，请刷新后查看");
        context.Journal(kind, taskId, PortNames.Return, comment, data);
        context.RemoveBookmark(bookmark);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var form = definition.FindForm(node.LiteralString("form"));
        if (node.LiteralString("form") is { } formId && form is null) yield return $"引用的表单「{formId}」不存在";
        var rule = node.Literal<AssigneeRule>("assignee");
        if (rule is null) yield return "未设置办理人规则";
        else if (rule.Problem(definition, AllFieldKeys(definition)) is { } problem) yield return problem;
        var mode = node.LiteralString("countersign") ?? Single;
        if (!Modes.Contains(mode)) yield return $"会签方式「{mode}」无效";
        var outcomes = Outcomes(node);
        if (outcomes.Distinct().Count() != outcomes.Count) yield return "办理结果有重复";
        foreach (var closing in OutcomesUntilDue(node).Where(o => !outcomes.Contains(o)))
            yield return $"限期办理结果「{closing}」不在本环节的办理结果中";
        foreach (var back in UserTaskSendBack.Declared(node).Where(o => !outcomes.Contains(o)))
            yield return $"退回重办的结果「{back}」不在本环节的办理结果中";
        if (outcomes.Count > 0 && outcomes.All(o => UserTaskSendBack.SendsBack(node, o)))
            yield return "至少要有一个办理结果不是退回重办";
        foreach (var problem in UserTaskOutcomeScores.Problems(node, outcomes)) yield return problem;
        foreach (var problem in UserTaskOutcomeDocuments.Problems(node, outcomes)) yield return problem;
        foreach (var problem in UserTaskOutcomeDocuments.PathProblems(node, definition)) yield return problem;
        if (OutcomesUntilDue(node).Count > 0 && outcomes.All(OutcomesUntilDue(node).Contains))
            yield return "至少要有一个办理结果在期限过后仍可选择";
        if (form is not null)
            foreach (var key in Permissions(node).Keys.Where(k => form.Fields.All(f => f.Key != k)))
                yield return $"字段权限引用的字段「{key}」不在表单「{form.Name}」中";
        foreach (var problem in StepDeadline.Problems(node, definition)) yield return problem;
        foreach (var problem in ApproverEdgeRules.Problems(node)) yield return problem;
    }

    internal static IReadOnlyCollection<string> AllFieldKeys(WorkflowDefinition definition) =>
        definition.Forms.SelectMany(f => f.Fields).Select(f => f.Key).ToHashSet();
}
