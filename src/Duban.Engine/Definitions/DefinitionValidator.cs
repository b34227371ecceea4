using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;
using Condition = Duban.Engine.Expressions.Condition;

namespace Duban.Engine.Definitions;

/// <summary>A problem that blocks publishing. <see cref="ActivityId"/> names the node (null: the whole definition).</summary>
public sealed record ValidationError(string? ActivityId, string Message);

/// <summary>
/// Checks a definition before it is published: one start, every node reachable, no dangling port, known types,
/// every human step has an assignee rule, every script parses, forms are well formed. Messages name the node.
/// A definition arrives from a file or the designer, so any part of it may be missing or of the wrong JSON
/// shape: that is reported as an error, never thrown.
/// </summary>
public sealed class DefinitionValidator(ActivityRegistry registry, IScriptEvaluator scripts)
{
    /// <summary>Literal inputs the built-in handlers read as typed values, by node type: each must deserialize.</summary>
    private static readonly Dictionary<string, (string Input, Type Shape)[]> TypedLiterals = new()
    {
        [ActivityTypes.Start] = [("fieldPermissions", typeof(Dictionary<string, FieldPermission>))],
        [ActivityTypes.UserTask] =
        [
            ("assignee", typeof(AssigneeRule)), ("outcomes", typeof(List<string>)),
            ("fieldPermissions", typeof(Dictionary<string, FieldPermission>)),
        ],
        [ActivityTypes.Notify] = [("assignee", typeof(AssigneeRule)), ("wait", typeof(bool))],
        [ActivityTypes.Assign] =
        [
            ("outcomes", typeof(List<string>)), ("fieldPermissions", typeof(Dictionary<string, FieldPermission>)),
            ("coFieldPermissions", typeof(Dictionary<string, FieldPermission>)),
        ],
        [ActivityTypes.Switch] = [("cases", typeof(List<SwitchActivity.Case>))],
        [ActivityTypes.Fork] = [("branches", typeof(List<string>))],
    };

    /// <summary>The people and units the design names that <paramref name="organization"/> does not have (<see cref="DirectoryReferences"/>).</summary>
    public IEnumerable<ValidationError> DirectoryProblems(WorkflowDefinition definition, Directory.IOrganization organization) =>
        DirectoryReferences.Problems(definition, registry, organization);

    public IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<ValidationError>();
        void Add(ActivityNode? node, string message) =>
            errors.Add(new ValidationError(node?.Id, node is null ? message : $"「{node.DisplayName}」：{message}"));

        if (string.IsNullOrWhiteSpace(definition.DefinitionId)) Add(null, "流程标识不能为空");
        if (string.IsNullOrWhiteSpace(definition.Name)) Add(null, "流程名称不能为空");

        var forms = CheckForms(definition, Add);
        foreach (var problem in Deadlines.ProcedureOptions.Problems(definition.Options)) Add(null, $"流程选项：{problem}");
        foreach (var problem in NumberingOptions.Problems(definition.Options)) Add(null, problem);
        foreach (var problem in ProcedureSettingsRules.Problems(definition)) Add(null, problem);
        if (NumberingOptions.Read(definition.Options?["numbering"]).Options is { Step: { } numberedAt } && definition.Root?.Find(numberedAt) is not { Type: ActivityTypes.UserTask })
            Add(null, $"编号规则的审定环节「{numberedAt}」不是本流程的人工环节");

        if (definition.Root is null)
        {
            Add(null, "缺少流程图（root）");
            return errors;
        }
        if (definition.Root.Activities is null) Add(null, "流程图缺少节点列表（activities）");
        if (definition.Root.Connections is null) Add(null, "流程图缺少连线列表（connections）");

        // From here on, only well-formed nodes and connections: the rest is reported once and left out.
        var activities = new List<ActivityNode>();
        var index = 0;
        foreach (var node in definition.Root.Activities ?? [])
        {
            index++;
            if (node is null) Add(null, $"第 {index} 个节点为空");
            else if (string.IsNullOrWhiteSpace(node.Id)) Add(null, $"第 {index} 个节点（{node.Name ?? node.Type}）缺少编号");
            else if (string.IsNullOrWhiteSpace(node.Type)) Add(node, "缺少节点类型");
            else activities.Add(node);
        }
        var connections = new List<Connection>();
        index = 0;
        foreach (var connection in definition.Root.Connections ?? [])
        {
            index++;
            if (connection?.Source?.Activity is null || connection.Target?.Activity is null)
                Add(null, $"第 {index} 条连线缺少起点或终点");
            else connections.Add(connection);
        }
        var flowchart = definition.Root with { Activities = activities, Connections = connections };
        var wellFormed = definition with { Root = flowchart, Forms = forms, Variables = definition.Variables ?? [] };

        foreach (var duplicate in activities.GroupBy(a => a.Id).Where(g => g.Count() > 1))
            Add(null, $"节点编号「{duplicate.Key}」重复");

        var starts = activities.Where(a => a.Type == ActivityTypes.Start).ToList();
        if (starts.Count == 0) Add(null, "流程必须有一个开始节点");
        if (starts.Count > 1)
            foreach (var start in starts) Add(start, $"流程只能有一个开始节点，现有 {starts.Count} 个");
        if (!activities.Any(a => a.Type == ActivityTypes.End)) Add(null, "流程至少需要一个结束节点");

        // Nodes whose configuration cannot be read are reported once; the handler checks below would only trip on it.
        var unreadable = new HashSet<ActivityNode>(ReferenceEqualityComparer.Instance);
        foreach (var node in activities)
        {
            foreach (var problem in ConfigurationProblems(node))
            {
                Add(node, problem);
                unreadable.Add(node);
            }
            if (!unreadable.Contains(node))
                foreach (var problem in ContentProblems(node)) Add(node, problem);
        }

        var ports = new Dictionary<ActivityNode, IReadOnlyList<string>?>(ReferenceEqualityComparer.Instance);
        IReadOnlyList<string>? PortsOf(ActivityNode node)
        {
            if (ports.TryGetValue(node, out var known)) return known;
            IReadOnlyList<string>? result = null;
            if (registry.Contains(node.Type) && !unreadable.Contains(node))
            {
                try { result = registry.Get(node.Type).Ports(node); }
                catch (Exception e) when (IsConfigurationError(e)) { Add(node, "配置格式有误（出口）"); unreadable.Add(node); }
            }
            return ports[node] = result;
        }

        var graph = new FlowGraph(flowchart);
        foreach (var connection in connections)
        {
            var source = flowchart.Find(connection.Source.Activity);
            var target = flowchart.Find(connection.Target.Activity);
            if (source is null) { Add(null, $"连线的起点「{connection.Source.Activity}」不存在"); continue; }
            if (target is null) { Add(source, $"连线指向的节点「{connection.Target.Activity}」不存在"); continue; }
            if (target.Type == ActivityTypes.Start) Add(source, "不能连回开始节点");
            if (PortsOf(source) is { } sourcePorts && !sourcePorts.Contains(FlowGraph.PortOf(connection)))
                Add(source, $"没有名为「{FlowGraph.PortOf(connection)}」的出口");
        }

        var reachable = starts.Count == 1 ? graph.ReachableFrom(starts[0].Id) : [];
        foreach (var node in activities)
        {
            if (!registry.Contains(node.Type)) { Add(node, $"未知的节点类型「{node.Type}」"); continue; }
            var handler = registry.Get(node.Type);
            if (starts.Count == 1 && !reachable.Contains(node.Id)) Add(node, "从开始节点无法到达");
            if (node.Type == ActivityTypes.Join && graph.Inbound(node.Id).Count < 2)
                Add(node, "汇聚节点至少需要两条进入的连线");
            if (node.Type == ActivityTypes.SubProcess && node.LiteralString("definitionId") is { } child
                && child == definition.DefinitionId)
                Add(node, "子流程不能调用自身");
            if (unreadable.Contains(node)) continue;

            foreach (var port in PortsOf(node) ?? [])
                if (!graph.Outbound(node.Id).Any(c => FlowGraph.PortOf(c) == port))
                    Add(node, $"出口「{port}」没有连线");
            List<string> problems;
            try { problems = handler.Validate(node, wellFormed).ToList(); }
            catch (Exception e) when (IsConfigurationError(e)) { problems = ["配置格式有误"]; }
            foreach (var problem in problems) Add(node, problem);
            foreach (var (name, script) in Scripts(node))
                if (scripts.CheckSyntax(script) is { } syntax) Add(node, $"「{name}」{syntax}");
        }
        if (starts.Count == 1)
            foreach (var (activityId, problem) in RunnableDesign.Problems(wellFormed, starts[0], unreadable, registry))
                Add(activityId is null ? null : flowchart.Find(activityId), problem);
        return errors;
    }

    /// <summary>Checks the forms; returns the ones well formed enough for the node checks to look into.</summary>
    private List<FormDefinition> CheckForms(WorkflowDefinition definition, Action<ActivityNode?, string> add)
    {
        var forms = new List<FormDefinition>();
        if (definition.Forms is null) return forms;
        var index = 0;
        foreach (var form in definition.Forms)
        {
            index++;
            if (form is null) { add(null, $"第 {index} 个表单为空"); continue; }
            if (form.Fields is null || form.Fields.Any(f => f is null))
            {
                add(null, $"表单「{form.Name ?? form.Id}」：配置格式有误（fields）");
                continue;
            }
            forms.Add(form);
            IReadOnlyList<string> problems;
            try { problems = FormDefinitionChecker.Check(form, scripts.CheckSyntax); }
            catch (Exception e) when (IsConfigurationError(e)) { problems = ["配置格式有误"]; }
            foreach (var problem in problems)
                add(null, $"表单「{form.Name}」：{problem}");
        }
        foreach (var duplicate in forms.GroupBy(f => f.Id).Where(g => g.Count() > 1))
            add(null, $"表单编号「{duplicate.Key}」重复");
        var allFields = new Dictionary<string, FormField>();
        foreach (var field in forms.SelectMany(f => f.Fields))
            allFields.TryAdd(field.Key, field);
        foreach (var form in forms)
            foreach (var field in form.Fields.Where(f => f.VisibleIf is not null))
                foreach (var problem in RunnableDesign.VisibilityProblems(field, field.VisibleIf!, allFields))
                    add(null, $"表单「{form.Name}」：字段「{field.Label}」的{problem}");
        foreach (var form in forms)
            foreach (var field in form.Fields.Where(f => f.StampedBy is not null))
                if (definition.Root.Find(field.StampedBy!) is null)
                    add(null, $"表单「{form.Name}」：字段「{field.Label}」由环节「{field.StampedBy}」记录日期，但流程中没有该环节");
        return forms;
    }

    /// <summary>
    /// Inputs that cannot be read as the engine will read them: not an input object, an expression of an unknown
    /// type, a script that is not text, a literal of the wrong JSON shape (the engine's Literal&lt;T&gt; would throw).
    /// </summary>
    private static IEnumerable<string> ConfigurationProblems(ActivityNode node)
    {
        if (node.Inputs is null) yield break;
        var typed = TypedLiterals.GetValueOrDefault(node.Type) ?? [];
        foreach (var name in node.Inputs.Keys)
        {
            ActivityInput? input;
            try { input = node.Input(name); }
            catch (JsonException) { input = null; }
            if (input is null)
            {
                // Non-objects are not inputs (Elsa's bookkeeping such as "version": 1); an object that is not an input is malformed.
                if (node.Inputs[name].ValueKind == JsonValueKind.Object) yield return $"配置格式有误（{name}）";
                continue;
            }
            if (input.Expression is not { } expression) continue;
            switch (expression.Type)
            {
                case ExpressionTypes.JavaScript:
                    if (expression.Value is not null && !(expression.Value is JsonValue v && v.TryGetValue<string>(out _)))
                        yield return $"配置格式有误（{name}）：脚本应为文本";
                    break;
                case ExpressionTypes.Condition:
                    if (Condition.Read(expression.Value) is null) yield return $"配置格式有误（{name}）：条件应为字段、运算和值";
                    break;
                case ExpressionTypes.Literal:
                    var shape = typed.FirstOrDefault(t => t.Input == name).Shape;
                    if (shape is not null && expression.Value is not null && !Reads(expression.Value, shape))
                        yield return $"配置格式有误（{name}）";
                    break;
                default:
                    yield return $"配置格式有误（{name}）：不支持的表达式类型「{expression.Type}」";
                    break;
            }
        }
        if (node.Type == ActivityTypes.Switch && Safe(() => node.Literal<List<SwitchActivity.Case>>("cases")) is { } cases
            && cases.Any(c => c is null))
            yield return "配置格式有误（cases）：分支不能为空";
        else if (node.Type == ActivityTypes.Switch && Safe(() => node.Literal<List<SwitchActivity.Case>>("cases")) is { } readable)
            foreach (var @case in readable)
                switch (@case.Expression)
                {
                    case null when @case.Condition is not null and not JsonValue:
                        yield return $"配置格式有误（cases）：分支「{@case.Label}」的条件无法读取";
                        break;
                    case { Type: ExpressionTypes.Condition } e when Condition.Read(e.Value) is null:
                        yield return $"配置格式有误（cases）：分支「{@case.Label}」的条件应为字段、运算和值";
                        break;
                    case { Type: ExpressionTypes.JavaScript } e when !(e.Value is JsonValue v && v.TryGetValue<string>(out _)):
                        yield return $"配置格式有误（cases）：分支「{@case.Label}」的脚本应为文本";
                        break;
                    case { Type: not (ExpressionTypes.Condition or ExpressionTypes.JavaScript) } e:
                        yield return $"配置格式有误（cases）：分支「{@case.Label}」使用了不支持的表达式类型「{e.Type}」";
                        break;
                }
    }

    /// <summary>Readable, but incomplete: a Switch case without a label or condition, an empty outcome or branch name.</summary>
    private static IEnumerable<string> ContentProblems(ActivityNode node)
    {
        if (node.Type == ActivityTypes.Switch && Safe(() => node.Literal<List<SwitchActivity.Case>>("cases")) is { } cases)
            for (var i = 0; i < cases.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(cases[i].Label)) yield return $"配置格式有误（cases）：第 {i + 1} 个分支缺少名称";
                if (cases[i].Expression is null) yield return $"分支「{cases[i].Label}」未设置条件";
            }
        var typed = TypedLiterals.GetValueOrDefault(node.Type) ?? [];
        foreach (var list in new[] { "outcomes", "branches" })
            if (typed.Any(t => t.Input == list) && Safe(() => node.Literal<List<string>>(list)) is { } items
                && items.Any(string.IsNullOrWhiteSpace))
                yield return $"配置格式有误（{list}）：不能有空项";
    }

    private static bool Reads(JsonNode value, Type shape)
    {
        try
        {
            value.Deserialize(shape, DefinitionJson.Options);
            return true;
        }
        catch (Exception e) when (IsConfigurationError(e))
        {
            return false;
        }
    }

    private static T? Safe<T>(Func<T?> read) where T : class
    {
        try { return read(); }
        catch (Exception e) when (IsConfigurationError(e)) { return null; }
    }

    /// <summary>
    /// What inspecting a malformed configuration may throw — in this class, in a handler's Ports or Validate, or in
    /// the form checker. A validator reports; it does not fail the request, whatever shape the JSON had.
    /// </summary>
    private static bool IsConfigurationError(Exception e) => e is not (OutOfMemoryException or OperationCanceledException);

    /// <summary>Every script in a node: JavaScript inputs, and the conditions of a Switch's cases.</summary>
    private static IEnumerable<(string Name, string Script)> Scripts(ActivityNode node)
    {
        foreach (var name in node.Inputs?.Keys.ToList() ?? [])
            if (node.Input(name)?.Expression is { Type: ExpressionTypes.JavaScript, Value: JsonValue value } && value.TryGetValue<string>(out var script))
                yield return (name, script);
        foreach (var @case in node.Literal<List<SwitchActivity.Case>>("cases") ?? [])
            if (@case?.Expression is { Type: ExpressionTypes.JavaScript, Value: JsonValue value } && value.TryGetValue<string>(out var condition))
                yield return ($"分支「{@case.Label}」的条件", condition);
    }
}
