using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Condition = Duban.Engine.Expressions.Condition;
using ConditionOps = Duban.Engine.Expressions.ConditionOps;

namespace Duban.Engine.Definitions;

/// <summary>
/// "A design that validates runs" (issue 15, docs/decisions/028): what the generic checks let through but cannot work
/// at run time, each said with its fix in Chinese —
/// <list type="bullet">
/// <item>a step whose 办理人 (or a 交办's units) is chosen by the previous step, entered from a node where nobody chooses
/// (开始, a condition, a timer …): every item would stop there as 运行异常;</item>
/// <item>a condition on a field that is in no form, or that no step before the condition fills;</item>
/// <item>a condition comparing a choice field with a value that is not one of its options (the condition is silently
/// false: the option1/option2 defect), or a number or date field with a value of another kind;</item>
/// <item>a condition on a process variable nothing sets — an outcome no step produces;</item>
/// <item>a send-back (退回重办) whose connection does not lead back to an earlier step.</item>
/// </list>
/// Kept apart from <see cref="DefinitionValidator"/>'s generic checks, which call it once.
/// </summary>
internal static partial class RunnableDesign
{
    public static IEnumerable<(string? ActivityId, string Message)> Problems(
        WorkflowDefinition definition, ActivityNode start, IReadOnlySet<ActivityNode> unreadable, ActivityRegistry registry)
    {
        var flowchart = definition.Root;
        var graph = new FlowGraph(flowchart);
        var fields = new Dictionary<string, FormField>();
        foreach (var field in definition.Forms.SelectMany(f => f.Fields))
            fields.TryAdd(field.Key, field);
        var readable = flowchart.Activities.Where(a => !unreadable.Contains(a)).ToList();

        foreach (var node in readable)
        {
            foreach (var problem in ChosenByPrevious(node, flowchart, graph, start, registry)) yield return (node.Id, problem);
            foreach (var problem in SendBacks(node, flowchart, graph)) yield return (node.Id, problem);
            var conditions = Conditions(node).ToList();
            if (conditions.Count == 0) continue;
            var filled = FilledBefore(node.Id, definition, graph);
            foreach (var (where, expression) in conditions)
                foreach (var problem in ConditionProblems(expression, fields, filled, definition))
                    yield return (node.Id, $"{where}{problem}");
        }
    }

    // ---- chosen by the previous step -------------------------------------------------------------------------

    private static IEnumerable<string> ChosenByPrevious(ActivityNode node, Flowchart flowchart, FlowGraph graph, ActivityNode start, ActivityRegistry registry)
    {
        var assign = AssignActivity.ChoosesByPrevious(node);
        var previous = node.Type is ActivityTypes.UserTask or ActivityTypes.Notify
            && Safe(() => node.Literal<AssigneeRule>("assignee")) is { Type: "previous" };
        if (!assign && !previous) yield break;
        foreach (var connection in graph.Inbound(node.Id))
        {
            if (flowchart.Find(connection.Source.Activity) is not { } source) continue;
            if (source.Type is ActivityTypes.UserTask or ActivityTypes.Assign) continue;
            // A 交办 entered again after an earlier 交办 carries on with that one's units.
            if (assign && !ReachableAvoiding(graph, flowchart, start.Id, source.Id, ActivityTypes.Assign)) continue;
            var kind = registry.Contains(source.Type) ? registry.Get(source.Type).Descriptor.DisplayName : source.Type;
            var what = assign ? "主办单位" : node.Type == ActivityTypes.Notify ? "接收人" : "办理人";
            var fix = assign
                ? "请把单位来源改为「在此设置」（可选定单位，或用脚本取登记表单中选择的单位），或在两者之间加一个人工办理环节来选择单位"
                : "请改用其他办理人规则（如“取表单字段”：在发起表单中加一个人员或单位字段），或在两者之间加一个人工办理环节来选择";
            yield return $"{what}设为「上一环节选择」，但它前面的「{source.DisplayName}」（{kind}）没有人可以选择{what}，"
                + $"事项走到这里会停在运行异常。{fix}";
        }
    }

    /// <summary>Whether <paramref name="to"/> is reachable from <paramref name="from"/> without passing a node of <paramref name="avoidType"/>.</summary>
    private static bool ReachableAvoiding(FlowGraph graph, Flowchart flowchart, string from, string to, string avoidType)
    {
        var seen = new HashSet<string> { from };
        var stack = new Stack<string>(seen);
        while (stack.Count > 0)
        {
            var id = stack.Pop();
            if (id == to) return true;
            foreach (var c in graph.Outbound(id))
            {
                var next = c.Target.Activity;
                if (flowchart.Find(next)?.Type == avoidType && next != to) continue;
                if (seen.Add(next)) stack.Push(next);
            }
        }
        return false;
    }

    // ---- send-backs ------------------------------------------------------------------------------------------

    private static IEnumerable<string> SendBacks(ActivityNode node, Flowchart flowchart, FlowGraph graph)
    {
        if (node.Type is not (ActivityTypes.UserTask or ActivityTypes.Assign)) yield break;
        var outcomes = Safe(() => node.Literal<List<string>>("outcomes")) ?? [];
        foreach (var outcome in outcomes.Where(o => o is not null && UserTaskSendBack.SendsBack(node, o)).Distinct())
            foreach (var connection in graph.Outbound(node.Id).Where(c => FlowGraph.PortOf(c) == outcome))
            {
                if (flowchart.Find(connection.Target.Activity) is not { } target) continue;
                if (target.Id == node.Id)
                    yield return $"退回重办的结果「{outcome}」连回了本环节自己，退不到任何地方：请把它连回之前的环节（如 登记、承办）";
                else if (!graph.ReachableFrom(target.Id).Contains(node.Id))
                    yield return $"退回重办的结果「{outcome}」连到的「{target.DisplayName}」不会再回到本环节，事项退不回去："
                        + $"请把「{outcome}」连回之前的环节（如 登记、承办），或在办理结果中取消它的“退回重办”";
            }
    }

    // ---- conditions ------------------------------------------------------------------------------------------

    /// <summary>The node's conditions: a Decision's, each Switch case's; with where they are, for the message.</summary>
    private static IEnumerable<(string Where, Expression Expression)> Conditions(ActivityNode node)
    {
        if (node.Type == ActivityTypes.Decision && Safe(() => node.Input("condition"))?.Expression is { } condition)
            yield return ("判断条件：", condition);
        if (node.Type == ActivityTypes.Switch)
            foreach (var @case in Safe(() => node.Literal<List<SwitchActivity.Case>>("cases")) ?? [])
                if (@case?.Expression is { } expression)
                    yield return ($"分支「{@case.Label}」的条件：", expression);
    }

    private static IEnumerable<string> ConditionProblems(Expression expression, Dictionary<string, FormField> fields, HashSet<string> filled, WorkflowDefinition definition)
    {
        if (expression.Type == ExpressionTypes.Condition)
        {
            if (Condition.Read(expression.Value) is not { } condition) yield break; // reported as a configuration problem
            if (condition.IsGroup && condition.Rules!.Count == 0) yield return "还没有添加任何条件";
            foreach (var rule in condition.Leaves())
                foreach (var problem in RuleProblems(rule, fields, filled)) yield return problem;
        }
        else if (expression.Type == ExpressionTypes.JavaScript && expression.Value is JsonValue v && v.TryGetValue<string>(out var script))
        {
            foreach (var problem in ScriptProblems(script, fields, filled, definition)) yield return problem;
        }
    }

    /// <summary>
    /// A field's 显示条件 built by clicking (decision 033): each rule's field must be in one of the procedure's forms (not the
    /// field itself), with an operator and a value that fit it — the same checks as a branch's condition, except "filled
    /// before": the condition reads the form as it is being filled.
    /// </summary>
    public static IEnumerable<string> VisibilityProblems(FormField field, Condition condition, Dictionary<string, FormField> fields)
    {
        if (condition.IsGroup && condition.Rules!.Count == 0) yield return "显示条件还没有添加任何条件";
        var all = fields.Keys.ToHashSet();
        foreach (var rule in condition.Leaves())
        {
            if (rule.Field == field.Key) { yield return "显示条件不能用字段自己"; continue; }
            foreach (var problem in RuleProblems(rule, fields, all)) yield return $"显示条件：{problem}";
        }
    }

    private static IEnumerable<string> RuleProblems(Condition rule, Dictionary<string, FormField> fields, HashSet<string> filled)
    {
        if (string.IsNullOrWhiteSpace(rule.Field)) { yield return "有一条条件没有选择字段"; yield break; }
        if (!fields.TryGetValue(rule.Field, out var field))
        {
            yield return $"条件用到的字段「{rule.Field}」不在本流程的任何表单中：请重新选择字段";
            yield break;
        }
        if (rule.Op is null || !ConditionOps.Names.TryGetValue(rule.Op, out var opName))
        {
            yield return $"「{field.Label}」的条件没有选择运算（等于、不等于、大于……）";
            yield break;
        }
        var shown = ConditionOps.Unary(rule.Op) ? "" : ValueText(field, rule.Value);
        var said = $"「{field.Label} {opName}{(shown.Length == 0 ? "" : " " + shown)}」";
        if (!filled.Contains(field.Key))
            yield return $"条件{said}用到的字段「{field.Label}」在此之前没有环节填写（不在发起表单中，之前的环节也不能编辑它），"
                + "条件总按空值判断：请把它加入发起表单或之前某个环节的表单，并设为可编辑";
        if (ConditionOps.Unary(rule.Op)) yield break;
        if (rule.Value is null || (rule.Value is JsonArray { Count: 0 }) || ConditionEvaluatorIsEmpty(rule.Value))
        {
            yield return $"条件{said}还没有填写比较的值";
            yield break;
        }
        var kind = Kind(field);
        switch (rule.Op)
        {
            case ConditionOps.Greater or ConditionOps.Less or ConditionOps.GreaterOrEqual or ConditionOps.LessOrEqual when kind != FieldKind.Number:
                yield return $"条件{said}：「{opName}」只能用于数字字段{(kind == FieldKind.Date ? "，日期请用“早于/晚于”" : "")}";
                yield break;
            case ConditionOps.Before or ConditionOps.After when kind != FieldKind.Date:
                yield return $"条件{said}：「{opName}」只能用于日期字段";
                yield break;
            case ConditionOps.In when rule.Value is not JsonArray:
                yield return $"条件{said}：「属于」要选择一个或多个值";
                yield break;
        }
        var values = rule.Value is JsonArray list ? list.ToList() : [rule.Value];
        foreach (var value in values)
        {
            switch (kind)
            {
                case FieldKind.Choice when field.Options is { Count: > 0 } options && !options.Any(o => o.Value == Text(value)):
                    yield return $"条件{said}中的值「{Text(value) ?? value?.ToJsonString()}」不是字段「{field.Label}」的选项"
                        + $"（可选：{string.Join("、", options.Select(o => o.Label))}），条件永远不会成立：请在条件中重新选择";
                    break;
                case FieldKind.Number when Expressions.ConditionEvaluator.Number(value) is null:
                    yield return $"条件{said}中的「{Text(value) ?? value?.ToJsonString()}」不是数字";
                    break;
                case FieldKind.Date when Expressions.ConditionEvaluator.Date(value) is null:
                    yield return $"条件{said}中的「{Text(value) ?? value?.ToJsonString()}」不是日期（应为 2026-03-02 这样的日期）";
                    break;
            }
        }
    }

    private static bool ConditionEvaluatorIsEmpty(JsonNode value) => Expressions.ConditionEvaluator.IsEmpty(value) && value is not JsonArray;

    [GeneratedRegex(@"\bitem\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['""])([^'""]+)\2\s*\])")]
    private static partial Regex ItemReference();

    [GeneratedRegex(@"\bitem\s*\.\s*([A-Za-z_$][\w$]*)\s*(?:===|==|!==|!=)\s*(['""])([^'""]*)\2|(['""])([^'""]*)\4\s*(?:===|==|!==|!=)\s*item\s*\.\s*([A-Za-z_$][\w$]*)")]
    private static partial Regex ItemComparison();

    [GeneratedRegex(@"\bvars\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['""])([^'""]+)\2\s*\])")]
    private static partial Regex VariableReference();

    /// <summary>
    /// The same checks for a script condition (「高级」), as far as its text shows them: <c>item.key</c> of a form field no
    /// earlier step fills, <c>item.key === '…'</c> with a value that is not one of a choice field's options, and
    /// <c>vars.name</c> that no declared variable and no 设置变量 step gives a value. Keys in no form are left alone (a
    /// child procedure's item starts with its parent's row).
    /// </summary>
    private static IEnumerable<string> ScriptProblems(string script, Dictionary<string, FormField> fields, HashSet<string> filled, WorkflowDefinition definition)
    {
        var reported = new HashSet<string>();
        foreach (Match m in ItemReference().Matches(script))
        {
            var key = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value;
            if (fields.TryGetValue(key, out var field) && !filled.Contains(key) && reported.Add("filled:" + key))
                yield return $"条件用到的字段「{field.Label}」（item.{key}）在此之前没有环节填写，条件总按空值判断："
                    + "请把它加入发起表单或之前某个环节的表单，并设为可编辑";
        }
        foreach (Match m in ItemComparison().Matches(script))
        {
            var (key, value) = m.Groups[1].Success ? (m.Groups[1].Value, m.Groups[3].Value) : (m.Groups[6].Value, m.Groups[5].Value);
            if (fields.TryGetValue(key, out var field) && Kind(field) == FieldKind.Choice && field.Options is { Count: > 0 } options
                && !options.Any(o => o.Value == value) && reported.Add($"option:{key}:{value}"))
            {
                var byLabel = options.FirstOrDefault(o => o.Label == value);
                yield return $"「{value}」不是字段「{field.Label}」（item.{key}）的选项值，条件永远不会成立"
                    + (byLabel is not null ? $"：选项「{byLabel.Label}」的值是「{byLabel.Value}」，请改为 '{byLabel.Value}'，或改用按点选设置的条件"
                        : $"（选项值：{string.Join("、", options.Select(o => o.Value))}）");
            }
        }
        var set = VariablesSet(definition);
        foreach (Match m in VariableReference().Matches(script))
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value;
            if (!set.Contains(name) && reported.Add("var:" + name))
                yield return $"条件用到流程变量「{name}」（vars.{name}），但没有声明这个变量，也没有“设置变量”环节给它赋值，"
                    + "这个结果没有任何环节会产生：请在流程变量中声明它，或加一个设置它的“设置变量”环节";
        }
    }

    [GeneratedRegex(@"\bvars\s*(?:\.\s*([A-Za-z_$][\w$]*)|\[\s*(['""])([^'""]+)\2\s*\])\s*(?:[-+*/%]?=(?!=)|\+\+|--|\?\?=|\|\|=|&&=)")]
    private static partial Regex VariableAssignment();

    private static HashSet<string> VariablesSet(WorkflowDefinition definition)
    {
        var set = definition.Variables.Where(v => v is not null).Select(v => v.Name).ToHashSet();
        foreach (var node in definition.Root.Activities.Where(a => a.Type == ActivityTypes.SetVariables))
            if (Safe(() => node.Input("script"))?.Expression is { Type: ExpressionTypes.JavaScript, Value: JsonValue v } && v.TryGetValue<string>(out var script))
                foreach (Match m in VariableAssignment().Matches(script))
                    set.Add(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[3].Value);
        return set;
    }

    /// <summary>
    /// The fields some step before <paramref name="activityId"/> fills: the start form's and each earlier human step's
    /// editable (or append-only) fields, computed fields of those forms, and date fields those steps stamp.
    /// </summary>
    private static HashSet<string> FilledBefore(string activityId, WorkflowDefinition definition, FlowGraph graph)
    {
        var filled = new HashSet<string>();
        foreach (var id in graph.Ancestors(activityId))
        {
            if (definition.Root.Find(id) is not { } step) continue;
            foreach (var field in definition.Forms.SelectMany(f => f.Fields).Where(f => f.StampedBy == id)) filled.Add(field.Key);
            if (step.Type is not (ActivityTypes.Start or ActivityTypes.UserTask or ActivityTypes.Assign)) continue;
            if (definition.FindForm(Safe(() => step.LiteralString("form"))) is not { } form) continue;
            var permissions = Safe(() => step.Literal<Dictionary<string, FieldPermission>>("fieldPermissions")) ?? [];
            foreach (var field in form.Fields)
            {
                var permission = permissions.GetValueOrDefault(field.Key, FieldPermission.Editable);
                if (field.Type == FieldTypes.Computed || permission is FieldPermission.Editable or FieldPermission.AppendOnly)
                    filled.Add(field.Key);
            }
        }
        return filled;
    }

    // ---- words -----------------------------------------------------------------------------------------------

    private enum FieldKind { Text, Number, Date, Choice, Other }

    private static FieldKind Kind(FormField field) => field.Type switch
    {
        FieldTypes.Number => FieldKind.Number,
        FieldTypes.Date => FieldKind.Date,
        FieldTypes.Select or FieldTypes.Radio or FieldTypes.MultiSelect => FieldKind.Choice,
        FieldTypes.Checkbox when field.Options is { Count: > 0 } => FieldKind.Choice,
        FieldTypes.Text or FieldTypes.Textarea => FieldKind.Text,
        _ => FieldKind.Other,
    };

    /// <summary>A rule's value as the designer shows it: an option by its label, a list joined with 、.</summary>
    private static string ValueText(FormField field, JsonNode? value) => value switch
    {
        JsonArray list => string.Join("、", list.Select(v => ValueText(field, v))),
        _ when Text(value) is { } text => field.Options?.FirstOrDefault(o => o.Value == text)?.Label ?? text,
        _ => value?.ToJsonString() ?? "",
    };

    private static string? Text(JsonNode? value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    private static T? Safe<T>(Func<T?> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException)) { return default; }
    }
}
