using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>
/// 交办: one item to a 主办 (lead) unit and any number of 协办 (co-handling) units. Each unit's liaisons get a task.
/// A 协办 submits its own input (its own form, or an opinion in the comment) without touching the item's data; the
/// 主办 sees every input received so far and submits one consolidated report on the step's form, choosing an
/// outcome — each outcome is a port, as on a UserTask, and <c>退回</c> sends the step back with a reason. The step
/// completes when the 主办 submits (<c>completion: lead</c>: open 协办 tasks are cancelled) or, with
/// <c>completion: all</c>, the 主办 may submit only once every 协办 has. The supervision office may add a 协办,
/// replace any unit whose task is still open, or take a 协办 off, while the step waits.
/// <para>
/// Units come from the <c>lead</c> and <c>co</c> inputs (literals or scripts yielding unit ids, e.g.
/// <c>item.leadUnit</c>), or, with <c>unitsFrom: previous</c>, from the step before: its handler picks them under
/// <c>nextAssignees["&lt;id&gt;"]</c> (the 主办) and <c>nextAssignees["&lt;id&gt;:co"]</c> (the 协办).
/// </para>
/// <para>
/// State: a step bookmark (kind <c>assign</c>) lists the units and their state; each unit's task hangs on a bookmark
/// of its own (kind <c>task</c>), so taking one unit off cancels exactly its task through the host's usual
/// "bookmark gone, task cancelled" path. Every change is journaled and reported as an <see cref="AssignmentEffect"/>.
/// </para>
/// </summary>
public sealed class AssignActivity : IActivityHandler
{
    public const string Lead = "lead";
    public const string Co = "co";
    public const string CompletionLead = "lead";
    public const string CompletionAll = "all";
    public const string FromInputs = "inputs";
    public const string FromPrevious = "previous";
    /// <summary>Bookmark kind of the step as a whole.</summary>
    public const string StepBookmark = "assign";
    /// <summary>The key suffix under which a previous step chooses the 协办 units (<c>assign:co</c>).</summary>
    public const string CoChoiceSuffix = ":co";
    /// <summary>The <see cref="ResumeRequest.Outcome"/> of a change the supervision office makes to the units.</summary>
    public const string ChangeSignal = "$assign.change";
    public const string ActionAdd = "add";
    public const string ActionReplace = "replace";
    public const string ActionRemove = "remove";

    private static readonly List<string> DefaultOutcomes = ["提交"];
    private static readonly List<string> CoOutcomes = ["提交"];

    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Assign, "交办", "督查",
        DefaultOutcomes, "交办给一个主办单位和若干协办单位：协办单位提交意见，主办单位汇总后提交办理情况")
    {
        Inputs =
        [
            Input.Choice("unitsFrom", "单位来源", InputHints.Radio, "inputs", [new("inputs", "在此设置"), new("previous", "上一环节选择")], "交办单位"),
            Input.Of("lead", "主办单位", InputHints.UnitPicker, "Object", "交办单位") with
            {
                Required = true,
                Description = "固定单位，或取登记表单中选择的单位字段",
                EditorOptions = new() { Multiple = false, ScriptHint = "返回单位编号或列表，如 item.leadUnit" },
            },
            Input.Of("co", "协办单位", InputHints.UnitPicker, "Object", "交办单位") with
            {
                Description = "固定单位，或取登记表单中选择的单位字段",
                EditorOptions = new() { Multiple = true, ScriptHint = "返回单位编号或列表，如 item.leadUnit" },
            },
            Input.Choice("completion", "办结方式", InputHints.Radio, "lead", [new("lead", "主办提交即完成"), new("all", "协办全部提交后主办才能提交")], "交办单位"),
            Input.Form("form", "主办表单", "fieldPermissions", "主办"),
            Input.Permissions("fieldPermissions", "主办表单字段权限", "form", "主办"),
            Input.Outcomes("主办"),
            Input.Text("instructions", "主办办理说明", 2, "主办"),
            Input.Deadline("主办"),
            Input.LegacyDueIn("主办"),
            Input.Form("coForm", "协办表单", "coFieldPermissions", "协办"),
            Input.Permissions("coFieldPermissions", "协办表单字段权限", "coForm", "协办"),
            Input.Text("coInstructions", "协办办理说明", 2, "协办"),
            Input.Of("coDeadline", "协办办理时限", InputHints.Deadline, "Object", "协办") with
            {
                Description = "不设置时与主办相同",
                EditorOptions = new() { LegacyInput = "coDueIn" },
            },
            Input.Of("coDueIn", "协办时长（旧格式 coDueIn）", InputHints.Duration, category: "协办") with { Browsable = false },
        ],
    };

    public IReadOnlyList<string> Ports(ActivityNode node) => Outcomes(node);

    public static List<string> Outcomes(ActivityNode node) =>
        node.Literal<List<string>>("outcomes") is { Count: > 0 } outcomes ? outcomes : DefaultOutcomes;

    public static string RoleName(string role) => role == Lead ? "主办" : "协办";

    public static bool ChoosesByPrevious(ActivityNode node) =>
        node.Type == ActivityTypes.Assign && (node.LiteralString("unitsFrom") ?? FromInputs) == FromPrevious;

    public ActivityResult Execute(ActivityContext context)
    {
        var node = context.Node;
        if (context.State.AssignedAt is null)
        {
            // The first 交办: deadlines "from the 交办" count from now, the item's included (its units' steps may follow it).
            context.State.AssignedAt = context.Now;
            Deadlines.ItemDeadline.Refresh(context.Scope);
        }
        var (lead, co) = ChooseUnits(context);
        var step = context.CreateBookmark(StepBookmark, new JsonObject
        {
            ["completion"] = node.LiteralString("completion") ?? CompletionLead,
            ["units"] = new JsonArray(),
        });
        AddUnit(context, step, lead, Lead, replaces: null);
        foreach (var unit in co) AddUnit(context, step, unit, Co, replaces: null);
        context.State.AssignedUnits = new AssignedUnits(lead, co);
        return ActivityResult.Wait;
    }

    /// <summary>
    /// The units of this run: the last choice recorded for the step (a previous step's pick, or the office's change in
    /// an earlier round, which stands); with <c>unitsFrom: previous</c> and no pick, the units of the latest 交办 as they
    /// stand (a 协办 the office added there is carried on); else the inputs.
    /// </summary>
    private static (string Lead, List<string> Co) ChooseUnits(ActivityContext context)
    {
        var node = context.Node;
        var org = context.Organization;
        string? lead;
        List<string> co;
        if (context.State.ChosenAssignees.TryGetValue(node.Id, out var chosenLead))
        {
            lead = chosenLead.Select(UnitIdOf).FirstOrDefault();
            co = context.State.ChosenAssignees.GetValueOrDefault(node.Id + CoChoiceSuffix, []).Select(UnitIdOf).OfType<string>().ToList();
        }
        else if (ChoosesByPrevious(node) && context.State.AssignedUnits is { } standing)
        {
            lead = standing.Lead;
            co = [.. standing.Co];
        }
        else if (ChoosesByPrevious(node))
        {
            throw new ActivityFaultException($"「{node.DisplayName}」的主办单位应由上一环节选择，但没有选择");
        }
        else
        {
            var leads = UnitIds(context, "lead");
            if (leads.Count != 1)
                throw new ActivityFaultException(leads.Count == 0
                    ? $"「{node.DisplayName}」没有得到主办单位，请检查主办单位的设置（或表单中是否已选择）"
                    : $"「{node.DisplayName}」只能有一个主办单位，实际得到 {leads.Count} 个");
            lead = leads[0];
            co = UnitIds(context, "co");
        }
        if (lead is null)
            throw new ActivityFaultException($"「{node.DisplayName}」没有得到主办单位");
        foreach (var id in co.Prepend(lead))
            if (org.FindUnit(id) is null)
                throw new ActivityFaultException($"「{node.DisplayName}」的单位「{id}」不存在");
        return (lead, co.Where(u => u != lead).Distinct().ToList());
    }

    /// <summary>Unit ids from an input: a string, <c>unit:ID</c>, or a list of them; empty when absent or null.</summary>
    private static List<string> UnitIds(ActivityContext context, string input)
    {
        if (context.Node.Input(input) is null) return [];
        // { "field": "leadUnit" }: the units picked in that form field (decision 029), no script needed.
        var value = FieldOf(context.Node, input) is { } field ? context.State.Data[field] : context.Evaluate(input);
        var ids = new List<string>();
        foreach (var text in context.ReadStrings(value))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            ids.Add(UnitIdOf(text) ?? throw new ActivityFaultException(
                $"「{context.Node.DisplayName}」的「{(input == "lead" ? "主办单位" : "协办单位")}」应为单位，实际为「{text}」"));
        }
        return ids;
    }

    /// <summary>"fzc" or "unit:fzc" → "fzc"; a person or role → null.</summary>
    internal static string? UnitIdOf(string text) =>
        text.StartsWith("unit:", StringComparison.Ordinal) ? text[5..]
        : text.Contains(':', StringComparison.Ordinal) ? null
        : text;

    private static Guid AddUnit(ActivityContext context, Bookmark step, string unitId, string role, Guid? replaces)
    {
        var node = context.Node;
        var lead = role == Lead;
        var taskId = Guid.CreateVersion7();
        var bookmark = context.CreateBookmark(BookmarkKinds.Task, new JsonObject
        {
            ["pending"] = new JsonArray(taskId.ToString()),
            ["step"] = step.Id,
            ["unitId"] = unitId,
            ["role"] = role,
        });
        var task = new TaskRequest
        {
            Id = taskId,
            BookmarkId = bookmark.Id,
            ActivityId = node.Id,
            ExecutionId = context.ExecutionId,
            Name = $"{node.DisplayName}（{RoleName(role)}）",
            Assignee = TaskAssignee.Unit(unitId),
            FormId = node.LiteralString(lead ? "form" : "coForm"),
            Permissions = Permissions(node, role),
            Outcomes = lead ? Outcomes(node) : CoOutcomes,
            Message = node.LiteralString(lead ? "instructions" : "coInstructions") ?? node.LiteralString("instructions"),
            DueAt = DueAt(context, role),
        };
        context.Effects.NewTasks.Add(task);
        Units(step).Add(new JsonObject
        {
            ["unitId"] = unitId,
            ["role"] = role,
            ["taskId"] = taskId.ToString(),
            ["bookmarkId"] = bookmark.Id,
            ["status"] = "open",
        });
        var data = Assignees.ToJson(context.Organization, task.Assignee);
        data["role"] = role;
        data["roleName"] = RoleName(role);
        data["unitId"] = unitId;
        context.Journal(JournalKind.TaskCreated, taskId, data: data);
        context.Effects.Assignments.Add(new AssignmentEffect
        {
            Kind = AssignmentEffectKind.Assigned, TaskId = taskId, ActivityId = node.Id, ExecutionId = context.ExecutionId,
            UnitId = unitId, Role = role, OtherTaskId = replaces,
        });
        return taskId;
    }

    public static Dictionary<string, FieldPermission> Permissions(ActivityNode node, string role) =>
        node.Literal<Dictionary<string, FieldPermission>>(role == Lead ? "fieldPermissions" : "coFieldPermissions") ?? new();

    /// <summary>
    /// The time limit of a unit's task: the same <c>deadline</c> (or older <c>dueIn</c>) input as a UserTask
    /// (<see cref="StepDeadline"/>); a 协办 uses <c>coDeadline</c> / <c>coDueIn</c> when either is set, e.g. 协办 opinions
    /// within 5 working days, the 主办's report within 10.
    /// </summary>
    private static DateTimeOffset? DueAt(ActivityContext context, string role) =>
        StepDeadline.DueAt(role == Co && CoDeadlineNode(context.Node) is { } co
            ? new ActivityContext(context.Scope, co, context.ExecutionId, context.Round, context.InboundConnection)
            : context);

    /// <summary>The node whose deadline inputs a unit's task of this step was given (the 协办's own when it has them).</summary>
    internal static ActivityNode DeadlineNodeOf(ActivityNode node, WorkflowState state, Guid taskId)
    {
        var role = state.Bookmarks.Where(b => b.ActivityId == node.Id && b.Kind == StepBookmark)
            .SelectMany(b => Units(b).OfType<JsonObject>())
            .FirstOrDefault(e => e["taskId"]?.GetValue<string>() == taskId.ToString())?["role"]?.GetValue<string>();
        return role == Co && CoDeadlineNode(node) is { } co ? co : node;
    }

    /// <summary>The node with the 协办 deadline inputs in the places <see cref="StepDeadline"/> reads; null when it has none.</summary>
    private static ActivityNode? CoDeadlineNode(ActivityNode node)
    {
        if (node.Input("coDeadline") is null && node.Input("coDueIn") is null) return null;
        var inputs = new Dictionary<string, JsonElement>(node.Inputs);
        inputs.Remove(StepDeadline.Input);
        inputs.Remove(StepDeadline.LegacyInput);
        if (node.Inputs.TryGetValue("coDeadline", out var deadline)) inputs[StepDeadline.Input] = deadline;
        if (node.Inputs.TryGetValue("coDueIn", out var dueIn)) inputs[StepDeadline.LegacyInput] = dueIn;
        return node with { Inputs = inputs };
    }

    private static JsonArray Units(Bookmark step) => step.Payload["units"]!.AsArray();

    private static JsonObject? Entry(Bookmark step, Func<JsonObject, bool> match) =>
        Units(step).OfType<JsonObject>().FirstOrDefault(match);

    private static string Text(JsonObject entry, string key) => entry[key]!.GetValue<string>();

    /// <summary>Units still part of the step: open or submitted (not replaced or removed).</summary>
    private static IEnumerable<JsonObject> Active(Bookmark step) =>
        Units(step).OfType<JsonObject>().Where(e => Text(e, "status") is "open" or "submitted");

    public ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request)
    {
        if (bookmark.Kind == StepBookmark)
        {
            if (request.Outcome != ChangeSignal || request.TaskId is not null)
                throw new WorkflowConflictException($"「{context.Node.DisplayName}」不接受此操作");
            return Change(context, bookmark, request);
        }
        var step = bookmark.Payload["step"]?.GetValue<string>() is { } stepId ? context.State.FindBookmark(stepId) : null;
        var taskId = request.TaskId ?? throw new WorkflowInputException("taskId", "缺少待办编号");
        if (step is null || request.Outcome == ChangeSignal
            || bookmark.Payload["pending"]?.AsArray().Any(x => x?.GetValue<string>() == taskId.ToString()) != true)
            throw new WorkflowConflictException("该待办已被处理，请刷新后查看");
        var entry = Entry(step, e => Text(e, "taskId") == taskId.ToString())
            ?? throw new WorkflowConflictException("该待办已被处理，请刷新后查看");
        return Text(entry, "role") == Lead
            ? SubmitLead(context, step, entry, taskId, request)
            : SubmitCo(context, step, bookmark, entry, taskId, request);
    }

    private static ActivityResult SubmitCo(ActivityContext context, Bookmark step, Bookmark bookmark, JsonObject entry, Guid taskId, ResumeRequest request)
    {
        var node = context.Node;
        var outcome = request.Outcome ?? CoOutcomes[0];
        if (outcome == PortNames.Return)
            throw new WorkflowInputException("outcome", "协办单位不能退回；如对交办有异议，请在意见中说明或联系督查部门");
        if (!CoOutcomes.Contains(outcome))
            throw new WorkflowInputException("outcome", $"办理结果「{outcome}」无效，可选：{string.Join("、", CoOutcomes)}");

        var input = CoInput(context, request);
        var unitId = Text(entry, "unitId");
        var data = new JsonObject
        {
            ["role"] = Co, ["roleName"] = RoleName(Co), ["unitId"] = unitId,
            ["unitName"] = context.Organization.FindUnit(unitId)?.Name ?? unitId,
        };
        context.Journal(JournalKind.TaskCompleted, taskId, outcome, request.Comment, data);
        context.Effects.Assignments.Add(new AssignmentEffect
        {
            Kind = AssignmentEffectKind.Submitted, TaskId = taskId, ActivityId = node.Id, ExecutionId = context.ExecutionId,
            UnitId = unitId, Role = Co, Input = input,
        });
        entry["status"] = "submitted";
        // Who submitted: only he may take the input back (撤回) while the 主办 has not submitted.
        entry[SubmittedBy] = context.Actor.Id;
        context.RemoveBookmark(bookmark);
        return ActivityResult.Wait;
    }

    /// <summary>The key of a 协办 entry that names who submitted its input.</summary>
    private const string SubmittedBy = "submittedBy";

    /// <summary>The waiting 交办 step in which task <paramref name="taskId"/> is a 协办 unit's, and its entry; null when none.</summary>
    public static (Bookmark Step, JsonObject Entry)? CoEntry(WorkflowState state, Guid taskId)
    {
        foreach (var step in state.Bookmarks.Where(b => b.Kind == StepBookmark))
            if (Entry(step, e => Text(e, "taskId") == taskId.ToString() && Text(e, "role") == Co) is { } entry)
                return (step, entry);
        return null;
    }

    /// <summary>Whether task <paramref name="taskId"/> is a 协办 unit's task of a 交办 step that still waits.</summary>
    public static bool IsWaitingCo(WorkflowState state, Guid taskId) => CoEntry(state, taskId) is not null;

    /// <summary>
    /// Why <paramref name="actorId"/> may not take back the 协办 input of task <paramref name="taskId"/> (the step still
    /// waits: the 主办 has not submitted); null when he may — he submitted it and it still stands.
    /// </summary>
    public static string? CoRecallRefusal(WorkflowState state, Guid taskId, string actorId)
    {
        if (CoEntry(state, taskId) is not var (_, entry)) return "主办单位已汇总上报，协办意见不能撤回";
        if (Text(entry, "status") != "submitted") return "该协办意见尚未提交，无需撤回";
        return entry[SubmittedBy]?.GetValue<string>() == actorId ? null : "只有提交该协办意见的人可以撤回";
    }

    /// <summary>
    /// 撤回 of a 协办's input while the 主办 has not submitted: the entry is open again and its task waits on the same
    /// bookmark (same id, same payload as when the step made it), so the host reopens the same task row; the input no
    /// longer counts as received (<see cref="AssignmentEffectKind.Recalled"/>). With 「协办全部提交后主办才能提交」 the 主办
    /// waits for it again.
    /// </summary>
    public static void RecallCo(ActivityContext context, Bookmark step, JsonObject entry, Guid taskId)
    {
        var unitId = Text(entry, "unitId");
        entry["status"] = "open";
        entry.Remove(SubmittedBy);
        context.State.Bookmarks.Add(new Bookmark
        {
            Id = Text(entry, "bookmarkId"),
            ActivityId = step.ActivityId,
            ExecutionId = step.ExecutionId,
            Kind = BookmarkKinds.Task,
            Payload = new JsonObject
            {
                ["pending"] = new JsonArray(taskId.ToString()),
                ["step"] = step.Id,
                ["unitId"] = unitId,
                ["role"] = Co,
            },
        });
        context.Effects.ReopenedTaskIds.Add(taskId);
        context.Effects.Assignments.Add(new AssignmentEffect
        {
            Kind = AssignmentEffectKind.Recalled, TaskId = taskId, ActivityId = step.ActivityId, ExecutionId = step.ExecutionId,
            UnitId = unitId, Role = Co,
        });
        context.Journal(JournalKind.TaskRecalled, taskId, data: new JsonObject
        {
            ["role"] = Co, ["roleName"] = RoleName(Co), ["unitId"] = unitId,
            ["unitName"] = context.Organization.FindUnit(unitId)?.Name ?? unitId,
            ["cancelled"] = new JsonArray(),
        });
    }

    /// <summary>The unit of a 交办 unit task's bookmark and its role (<c>lead</c> / <c>co</c>); null for any other bookmark.</summary>
    public static (string UnitId, string Role)? UnitOf(Bookmark bookmark) =>
        bookmark.Kind == BookmarkKinds.Task && bookmark.Payload["step"] is not null
        && bookmark.Payload["unitId"] is JsonValue unit && bookmark.Payload["role"] is JsonValue role
            ? (unit.GetValue<string>(), role.GetValue<string>())
            : null;

    /// <summary>
    /// A 协办's input: its own form (<c>coForm</c>, validated with <c>coFieldPermissions</c>; opinions stamped with who
    /// and when) kept apart from the item's data, which stays the 主办's. Without a form, the comment is the input.
    /// </summary>
    private static JsonObject CoInput(ActivityContext context, ResumeRequest request)
    {
        var node = context.Node;
        var formId = node.LiteralString("coForm");
        if (formId is null)
        {
            if (request.Data is { Count: > 0 })
                throw new WorkflowInputException("data", "该环节没有协办表单，请在意见中填写协办意见");
            if (string.IsNullOrWhiteSpace(request.Comment))
                throw new WorkflowInputException("comment", "请填写协办意见");
            return new JsonObject();
        }
        var form = context.Definition.FindForm(formId)
            ?? throw new ActivityFaultException($"「{node.DisplayName}」引用的协办表单「{formId}」不存在");
        var result = FormValidator.Validate(form, request.Data, new FormContext
        {
            Permissions = Permissions(node, Co),
            CurrentData = context.State.Data,
            IsVisible = (field, merged) => ActivityContext.Truthy(context.RunFormScript(field.VisibleWhen!, merged, request.Data).Value),
            References = new UnitReferences(context.Organization),
        });
        if (!result.IsValid)
            throw new WorkflowInputException("表单填写有误，请检查标出的字段", result.Errors);
        var actor = context.Actor;
        return FormDataMerger.Merge(form, new JsonObject(), result.Values,
            new OpinionStamp(actor.Id, actor.Name, actor.UnitName, node.DisplayName, context.Now));
    }

    private static ActivityResult SubmitLead(ActivityContext context, Bookmark step, JsonObject entry, Guid taskId, ResumeRequest request)
    {
        var node = context.Node;
        var outcomes = Outcomes(node);
        var outcome = request.Outcome ?? (outcomes.Count == 1 ? outcomes[0] : null);
        if (outcome is null || !outcomes.Contains(outcome))
            throw new WorkflowInputException("outcome",
                outcome is null ? $"请选择办理结果（{string.Join("、", outcomes)}）" : $"办理结果「{outcome}」无效，可选：{string.Join("、", outcomes)}");

        var isReturn = outcome == PortNames.Return;
        JsonObject? values = null;
        if (isReturn)
        {
            if (string.IsNullOrWhiteSpace(request.Comment))
                throw new WorkflowInputException("comment", "退回时请填写退回理由");
        }
        else
        {
            if (step.Payload["completion"]?.GetValue<string>() == CompletionAll)
            {
                var waiting = Units(step).OfType<JsonObject>().Where(e => Text(e, "role") == Co && Text(e, "status") == "open")
                    .Select(e => context.Organization.FindUnit(Text(e, "unitId"))?.Name ?? Text(e, "unitId")).ToList();
                if (waiting.Count > 0)
                    throw new WorkflowConflictException($"协办单位尚未全部提交（{string.Join("、", waiting)}），请待其提交后再汇总上报");
            }
            values = StepForms.Accept(context, node.LiteralString("form"), Permissions(node, Lead), request.Data, Text(entry, "unitId"));
            UserTaskActivity.AcceptChosenAssignees(context, outcome, request.NextAssignees);
        }

        var unitId = Text(entry, "unitId");
        context.Journal(JournalKind.TaskCompleted, taskId, outcome, request.Comment, new JsonObject
        {
            ["role"] = Lead, ["roleName"] = RoleName(Lead), ["unitId"] = unitId,
            ["unitName"] = context.Organization.FindUnit(unitId)?.Name ?? unitId,
        });
        context.Effects.Assignments.Add(new AssignmentEffect
        {
            Kind = AssignmentEffectKind.Submitted, TaskId = taskId, ActivityId = node.Id, ExecutionId = context.ExecutionId,
            UnitId = unitId, Role = Lead, Input = values,
        });
        entry["status"] = "submitted";
        Close(context, step);
        return ActivityResult.Outcome(outcome);
    }

    /// <summary>The step is over: it and every unit's waiting point go; the host cancels the tasks still open.</summary>
    private static void Close(ActivityContext context, Bookmark step)
    {
        foreach (var bookmark in context.State.Bookmarks.Where(b => b.ExecutionId == step.ExecutionId && b.ActivityId == step.ActivityId).ToList())
            context.RemoveBookmark(bookmark);
    }

    /// <summary>
    /// 退回 to a chosen earlier step, from the 主办's task only: the whole step is withdrawn (every unit's open task
    /// is cancelled). A 协办 cannot send the step back.
    /// </summary>
    public void Withdraw(ActivityContext context, Bookmark bookmark, Guid taskId, string? comment, JsonObject data)
    {
        if (string.IsNullOrWhiteSpace(comment))
            throw new WorkflowInputException("comment", "退回时请填写退回理由");
        var step = bookmark.Payload["step"]?.GetValue<string>() is { } stepId ? context.State.FindBookmark(stepId) : null;
        var entry = step is null ? null : Entry(step, e => Text(e, "taskId") == taskId.ToString() && Text(e, "status") == "open");
        if (step is null || entry is null)
            throw new WorkflowConflictException("该待办已被处理，请刷新后查看");
        if (Text(entry, "role") != Lead)
            throw new WorkflowInputException("targetActivityId", "协办单位不能退回；如对交办有异议，请在意见中说明或联系督查部门");
        context.Journal(JournalKind.TaskReturned, taskId, PortNames.Return, comment, data);
        entry["status"] = "submitted";
        context.Effects.Assignments.Add(new AssignmentEffect
        {
            Kind = AssignmentEffectKind.Submitted, TaskId = taskId, ActivityId = context.Node.Id, ExecutionId = context.ExecutionId,
            UnitId = Text(entry, "unitId"), Role = Lead,
        });
        Close(context, step);
    }

    /// <summary>
    /// The supervision office changes the units while the step waits: <c>add</c> a 协办, <c>replace</c> a unit whose task
    /// is open (its task is cancelled, the new unit gets one in the same role), or <c>remove</c> a 协办 whose task is
    /// open. The reason is required. The new set of units is remembered for later rounds of this step.
    /// </summary>
    private static ActivityResult Change(ActivityContext context, Bookmark step, ResumeRequest request)
    {
        var node = context.Node;
        var org = context.Organization;
        var data = request.Data ?? new JsonObject();
        var action = Str(data, "action");
        var unitId = Str(data, "unitId");
        if (action is not (ActionAdd or ActionReplace or ActionRemove))
            throw new WorkflowInputException("action", "调整方式应为 add（增加协办单位）、replace（替换单位）或 remove（移除协办单位）");
        if (string.IsNullOrWhiteSpace(unitId))
            throw new WorkflowInputException("unitId", "请选择单位");
        if (string.IsNullOrWhiteSpace(request.Comment))
            throw new WorkflowInputException("reason", "请填写调整理由");
        string Name(string id) => org.FindUnit(id)?.Name ?? id;
        JsonObject? ActiveEntry(string id) => Active(step).FirstOrDefault(e => Text(e, "unitId") == id);

        var journal = new JsonObject { ["action"] = action, ["unitId"] = unitId, ["unitName"] = Name(unitId) };
        switch (action)
        {
            case ActionAdd:
            {
                var role = Str(data, "role") ?? Co;
                if (role == Lead)
                    throw new WorkflowInputException("role", "主办单位只有一个，只能替换，不能增加");
                if (role != Co)
                    throw new WorkflowInputException("role", "角色应为 co（协办）");
                if (org.FindUnit(unitId) is null)
                    throw new WorkflowInputException("unitId", $"单位「{unitId}」不存在");
                if (ActiveEntry(unitId) is { } existing)
                    throw new WorkflowInputException("unitId", $"「{Name(unitId)}」已是本次交办的{RoleName(Text(existing, "role"))}单位");
                var taskId = AddUnit(context, step, unitId, Co, replaces: null);
                journal["role"] = Co;
                journal["roleName"] = RoleName(Co);
                journal["taskId"] = taskId.ToString();
                break;
            }
            case ActionReplace:
            {
                var entry = OpenEntry(step, unitId, Name(unitId), "替换");
                var newUnitId = Str(data, "newUnitId");
                if (string.IsNullOrWhiteSpace(newUnitId))
                    throw new WorkflowInputException("newUnitId", "请选择替换后的单位");
                if (org.FindUnit(newUnitId) is null)
                    throw new WorkflowInputException("newUnitId", $"单位「{newUnitId}」不存在");
                if (ActiveEntry(newUnitId) is { } existing)
                    throw new WorkflowInputException("newUnitId", $"「{Name(newUnitId)}」已是本次交办的{RoleName(Text(existing, "role"))}单位");
                var role = Text(entry, "role");
                var oldTask = Guid.Parse(Text(entry, "taskId"));
                RemoveUnit(context, entry);
                entry["status"] = "replaced";
                entry["replacedBy"] = newUnitId;
                var newTask = AddUnit(context, step, newUnitId, role, replaces: oldTask);
                context.Effects.Assignments.Add(new AssignmentEffect
                {
                    Kind = AssignmentEffectKind.Replaced, TaskId = oldTask, ActivityId = node.Id, ExecutionId = context.ExecutionId,
                    UnitId = unitId, Role = role, OtherTaskId = newTask, Reason = request.Comment,
                });
                journal["role"] = role;
                journal["roleName"] = RoleName(role);
                journal["newUnitId"] = newUnitId;
                journal["newUnitName"] = Name(newUnitId);
                journal["taskId"] = newTask.ToString();
                journal["replacedTaskId"] = oldTask.ToString();
                break;
            }
            default:
            {
                var entry = OpenEntry(step, unitId, Name(unitId), "移除");
                if (Text(entry, "role") == Lead)
                    throw new WorkflowInputException("unitId", "主办单位不能移除，只能替换");
                var oldTask = Guid.Parse(Text(entry, "taskId"));
                RemoveUnit(context, entry);
                entry["status"] = "removed";
                context.Effects.Assignments.Add(new AssignmentEffect
                {
                    Kind = AssignmentEffectKind.Removed, TaskId = oldTask, ActivityId = node.Id, ExecutionId = context.ExecutionId,
                    UnitId = unitId, Role = Co, Reason = request.Comment,
                });
                journal["role"] = Co;
                journal["roleName"] = RoleName(Co);
                journal["removedTaskId"] = oldTask.ToString();
                break;
            }
        }
        context.Journal(JournalKind.AssignmentChanged, comment: request.Comment, data: journal);
        RememberUnits(context, step);
        return ActivityResult.Wait;
    }

    /// <summary>The entry of a unit that is part of the step and has not submitted yet; else the change came too late.</summary>
    private static JsonObject OpenEntry(Bookmark step, string unitId, string unitName, string verb)
    {
        var entry = Active(step).FirstOrDefault(e => Text(e, "unitId") == unitId)
            ?? throw new WorkflowConflictException($"「{unitName}」不在本次交办中（可能已被替换或移除），请刷新后查看");
        if (Text(entry, "status") != "open")
            throw new WorkflowConflictException($"「{unitName}」已提交，不能{verb}");
        return entry;
    }

    private static void RemoveUnit(ActivityContext context, JsonObject entry)
    {
        if (context.State.FindBookmark(Text(entry, "bookmarkId")) is { } bookmark) context.RemoveBookmark(bookmark);
    }

    /// <summary>After a change, the step's units as they now stand are what a later round of the step is given.</summary>
    private static void RememberUnits(ActivityContext context, Bookmark step)
    {
        var active = Active(step).ToList();
        var id = context.Node.Id;
        context.State.ChosenAssignees[id] = active.Where(e => Text(e, "role") == Lead).Select(e => "unit:" + Text(e, "unitId")).ToList();
        context.State.ChosenAssignees[id + CoChoiceSuffix] = active.Where(e => Text(e, "role") == Co).Select(e => "unit:" + Text(e, "unitId")).ToList();
        if (active.FirstOrDefault(e => Text(e, "role") == Lead) is { } lead)
            context.State.AssignedUnits = new AssignedUnits(Text(lead, "unitId"),
                active.Where(e => Text(e, "role") == Co).Select(e => Text(e, "unitId")).ToList());
    }

    /// <summary>
    /// Whether <paramref name="next"/> must be staffed by the step before it: it takes its units from the previous step,
    /// nothing was picked for it yet, and no earlier 交办 of the item has units to carry on.
    /// </summary>
    public static bool NeedsChoice(ActivityNode next, WorkflowState state) =>
        ChoosesByPrevious(next) && !state.ChosenAssignees.ContainsKey(next.Id) && state.AssignedUnits is null;

    private static string? Str(JsonObject data, string key) =>
        data[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>
    /// Takes a previous step's choices for 交办 steps out of <paramref name="chosen"/> (its <c>nextAssignees</c>) and
    /// records them: under the node's id the 主办 (exactly one unit), under <c>&lt;id&gt;:co</c> the 协办 (any number of
    /// units; a new 主办 choice without a 协办 list means none). Returns the choices for other steps.
    /// </summary>
    internal static Dictionary<string, List<string>> AcceptChoices(ActivityContext context, Dictionary<string, List<string>> chosen)
    {
        var rest = new Dictionary<string, List<string>>();
        var byNode = new Dictionary<string, (List<string>? Lead, List<string>? Co)>();
        foreach (var (key, ids) in chosen)
        {
            var isCo = key.EndsWith(CoChoiceSuffix, StringComparison.Ordinal);
            var nodeId = isCo ? key[..^CoChoiceSuffix.Length] : key;
            var target = context.Definition.Root.Find(nodeId);
            if (target?.Type != ActivityTypes.Assign)
            {
                rest[key] = ids;
                continue;
            }
            var units = new List<string>();
            foreach (var id in ids ?? [])
            {
                var unit = id is not null && id.StartsWith("unit:", StringComparison.Ordinal) ? id[5..] : null;
                if (unit is null || context.Organization.FindUnit(unit) is null)
                    throw new WorkflowInputException("nextAssignees", $"「{target.DisplayName}」的{(isCo ? "协办" : "主办")}单位「{id}」不存在");
                if (!units.Contains(unit)) units.Add(unit);
            }
            if (!isCo && units.Count != 1)
                throw new WorkflowInputException("nextAssignees", $"请为「{target.DisplayName}」选择一个主办单位");
            var choice = byNode.GetValueOrDefault(nodeId);
            byNode[nodeId] = isCo ? (choice.Lead, units) : (units, choice.Co);
        }
        foreach (var (nodeId, (lead, co)) in byNode)
        {
            var state = context.State.ChosenAssignees;
            var leadUnit = lead?[0] ?? state.GetValueOrDefault(nodeId)?.Select(UnitIdOf).FirstOrDefault() ?? context.State.AssignedUnits?.Lead;
            if (leadUnit is null)
                throw new WorkflowInputException("nextAssignees", $"请为「{context.Definition.Root.Find(nodeId)!.DisplayName}」选择一个主办单位");
            state[nodeId] = ["unit:" + leadUnit];
            state[nodeId + CoChoiceSuffix] = (co ?? (lead is null ? state.GetValueOrDefault(nodeId + CoChoiceSuffix, []).Select(UnitIdOf).OfType<string>().ToList() : []))
                .Where(u => u != leadUnit).Distinct().Select(u => "unit:" + u).ToList();
        }
        return rest;
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var unitsFrom = node.LiteralString("unitsFrom") ?? FromInputs;
        if (unitsFrom is not (FromInputs or FromPrevious))
            yield return $"单位来源「{unitsFrom}」无效（应为 inputs 或 previous）";
        else if (unitsFrom == FromInputs && node.Input("lead")?.Expression is null)
            yield return "未设置主办单位";
        // Whether every way into a step chosen by the previous one passes someone who chooses: Definitions/RunnableDesign.
        foreach (var input in new[] { "lead", "co" })
            if (node.Input(input)?.Expression is { Type: ExpressionTypes.Literal, Value: { } value } && !IsUnitLiteral(value))
                yield return $"{(input == "lead" ? "主办单位" : "协办单位")}应为单位编号或单位编号列表";
        if (node.Input("lead")?.Expression is { Type: ExpressionTypes.Literal, Value: JsonArray { Count: > 1 } })
            yield return "主办单位只能有一个";
        foreach (var input in new[] { "lead", "co" })
        {
            if (FieldOf(node, input) is not { } key) continue;
            var label = input == "lead" ? "主办单位" : "协办单位";
            var field = definition.Forms.SelectMany(f => f.Fields).FirstOrDefault(f => f.Key == key);
            if (field is null) yield return $"{label}取自表单字段「{key}」，但没有表单有这个字段";
            else if (field.Type != FieldTypes.Unit) yield return $"{label}取自表单字段「{field.Label}」，该字段不是单位选择";
            else if (input == "lead" && field.Multiple) yield return $"主办单位只能有一个，字段「{field.Label}」允许多选，请改为单选";
        }

        var completion = node.LiteralString("completion") ?? CompletionLead;
        if (completion is not (CompletionLead or CompletionAll))
            yield return $"办结方式「{completion}」无效（应为 lead：主办提交即办结，或 all：全部提交后办结）";

        foreach (var (formInput, permissionInput, label) in new[] { ("form", "fieldPermissions", "主办"), ("coForm", "coFieldPermissions", "协办") })
        {
            var formId = node.LiteralString(formInput);
            var form = definition.FindForm(formId);
            if (formId is not null && form is null) yield return $"{label}表单「{formId}」不存在";
            if (form is not null)
                foreach (var key in (node.Literal<Dictionary<string, FieldPermission>>(permissionInput) ?? new()).Keys.Where(k => form.Fields.All(f => f.Key != k)))
                    yield return $"{label}字段权限引用的字段「{key}」不在表单「{form.Name}」中";
        }

        var outcomes = Outcomes(node);
        if (outcomes.Distinct().Count() != outcomes.Count) yield return "办理结果有重复";
        if (outcomes.Contains(ChangeSignal)) yield return $"办理结果不能为「{ChangeSignal}」";

        foreach (var problem in StepDeadline.Problems(node, definition)) yield return problem;
        if (CoDeadlineNode(node) is { } co)
            foreach (var problem in StepDeadline.Problems(co, definition)) yield return "协办" + problem;
        foreach (var (input, label) in new[] { (StepDeadline.LegacyInput, ""), ("coDueIn", "协办") })
        {
            if (node.Input(input)?.Expression is not { Type: ExpressionTypes.Literal } literal) continue;
            string? problem = null;
            try { TimerActivity.ParseDuration(literal.Value, node.DisplayName); }
            catch (ActivityFaultException e) { problem = e.Message; }
            if (problem is not null) yield return label + problem;
        }
    }

    /// <summary>The form field a unit input takes its units from (<c>{ "field": key }</c>); null for fixed units or a script.</summary>
    public static string? FieldOf(ActivityNode node, string input) =>
        node.Input(input)?.Expression is { Type: ExpressionTypes.Literal, Value: JsonObject obj }
        && obj["field"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static bool IsUnitLiteral(JsonNode value) => value switch
    {
        JsonObject o => o.Count == 1 && o["field"] is JsonValue f && f.GetValueKind() == JsonValueKind.String,
        JsonValue v => v.GetValueKind() == JsonValueKind.String && UnitIdOf(v.GetValue<string>()) is not null,
        JsonArray a => a.All(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String && UnitIdOf(v.GetValue<string>()) is not null),
        _ => false,
    };

    private sealed class UnitReferences(IOrganization organization) : IFormReferences
    {
        public bool UnitExists(string id) => organization.FindUnit(id) is not null;
        public bool UserExists(string id) => organization.FindUser(id) is not null;
    }
}
