using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Forms;

namespace Duban.Engine.Tests.Execution.Support;

/// <summary>Inputs as they appear in definition JSON.</summary>
public static class In
{
    public static ActivityInput Literal(JsonNode? value) => ActivityInput.Literal(value);
    public static ActivityInput Literal<T>(T value) => ActivityInput.Literal(JsonSerializer.SerializeToNode(value, DefinitionJson.Options));
    public static ActivityInput Js(string script) => ActivityInput.JavaScript(script);
}

/// <summary>Assignee rules, readable.</summary>
public static class Assign
{
    public static AssigneeRule Users(params string[] ids) => new() { Type = "users", UserIds = [.. ids] };
    public static AssigneeRule Role(string role, params string[] unitIds) =>
        new() { Type = "role", Role = role, UnitIds = unitIds.Length > 0 ? [.. unitIds] : null };
    public static AssigneeRule Units(params string[] ids) => new() { Type = "unit", UnitIds = [.. ids] };
    public static AssigneeRule UnitLeader(params string[] unitIds) =>
        new() { Type = "unitLeader", UnitIds = unitIds.Length > 0 ? [.. unitIds] : null };
    public static AssigneeRule Initiator() => new() { Type = "initiator" };
    public static AssigneeRule Field(string key) => new() { Type = "field", Field = key };
    public static AssigneeRule Previous() => new() { Type = "previous" };
}

/// <summary>Builds a <see cref="WorkflowDefinition"/> node by node, then connection by connection.</summary>
public sealed class FlowBuilder
{
    private readonly string _id;
    private readonly string _name;
    private readonly List<ActivityNode> _activities = [];
    private readonly List<Connection> _connections = [];
    private readonly List<VariableDefinition> _variables = [];
    private readonly List<FormDefinition> _forms = [];

    private FlowBuilder(string id, string name) => (_id, _name) = (id, name);

    public static FlowBuilder Define(string id = "test-flow", string name = "督办测试流程") => new(id, name);

    public FlowBuilder Variable(string name, JsonNode? value)
    {
        _variables.Add(new VariableDefinition { Name = name, Value = value });
        return this;
    }

    public FlowBuilder Form(string id, string name, params FormField[] fields)
    {
        _forms.Add(new FormDefinition { Id = id, Name = name, Fields = [.. fields] });
        return this;
    }

    public FlowBuilder Node(string id, string type, string? name, params (string Key, ActivityInput? Input)[] inputs)
    {
        var map = new Dictionary<string, JsonElement>();
        foreach (var (key, input) in inputs)
            if (input is not null) map[key] = JsonSerializer.SerializeToElement(input, DefinitionJson.Options);
        _activities.Add(new ActivityNode { Id = id, Type = type, Name = name, Inputs = map });
        return this;
    }

    public FlowBuilder Start(string id = "start", string? form = null, string? titleScript = null) =>
        Node(id, ActivityTypes.Start, "开始",
            ("form", form is null ? null : In.Literal(form)),
            ("title", titleScript is null ? null : In.Js(titleScript)));

    public FlowBuilder UserTask(string id, string name, AssigneeRule? assignee, string[]? outcomes = null,
        string? countersign = null, string? form = null, Dictionary<string, FieldPermission>? permissions = null) =>
        Node(id, ActivityTypes.UserTask, name,
            ("assignee", assignee is null ? null : In.Literal(assignee)),
            ("outcomes", outcomes is null ? null : In.Literal(outcomes)),
            ("countersign", countersign is null ? null : In.Literal(countersign)),
            ("form", form is null ? null : In.Literal(form)),
            ("fieldPermissions", permissions is null ? null : In.Literal(permissions)));

    public FlowBuilder Decision(string id, string name, string condition) =>
        Node(id, ActivityTypes.Decision, name, ("condition", In.Js(condition)));

    /// <summary>A decision on a condition built by clicking (<c>{ "type": "Condition", "value": … }</c>).</summary>
    public FlowBuilder DecisionWhen(string id, string name, JsonNode condition) =>
        Node(id, ActivityTypes.Decision, name, ("condition", Cond(condition)));

    /// <summary>A switch whose cases are conditions built by clicking.</summary>
    public FlowBuilder SwitchWhen(string id, string name, params (string Label, JsonNode Condition)[] cases) =>
        Node(id, ActivityTypes.Switch, name,
            ("cases", In.Literal(new JsonArray([.. cases.Select(c => (JsonNode)new JsonObject
            {
                ["label"] = c.Label,
                ["condition"] = new JsonObject { ["type"] = ExpressionTypes.Condition, ["value"] = c.Condition.DeepClone() },
            })]))));

    public static ActivityInput Cond(JsonNode condition) =>
        new() { TypeName = "Boolean", Expression = new Expression(ExpressionTypes.Condition, condition.DeepClone()) };

    public FlowBuilder Switch(string id, string name, params (string Label, string Condition)[] cases) =>
        Node(id, ActivityTypes.Switch, name,
            ("cases", In.Literal(cases.Select(c => new SwitchActivity.Case(c.Label, c.Condition)).ToList())));

    public FlowBuilder Fork(string id, string name = "并行办理") => Node(id, ActivityTypes.Fork, name);

    public FlowBuilder Join(string id, string name = "汇聚", string mode = JoinActivity.WaitAll) =>
        Node(id, ActivityTypes.Join, name, ("mode", In.Literal(mode)));

    public FlowBuilder TimerFor(string id, string name, JsonNode duration) =>
        Node(id, ActivityTypes.Timer, name, ("duration", In.Literal(duration)));

    public FlowBuilder TimerUntil(string id, string name, ActivityInput until) =>
        Node(id, ActivityTypes.Timer, name, ("until", until));

    public FlowBuilder SetVariables(string id, string name, string? script) =>
        Node(id, ActivityTypes.SetVariables, name, ("script", script is null ? null : In.Js(script)));

    public FlowBuilder Notify(string id, string name, AssigneeRule assignee, bool wait = false, string? message = null) =>
        Node(id, ActivityTypes.Notify, name,
            ("assignee", In.Literal(assignee)),
            ("wait", wait ? In.Literal(true) : null),
            ("message", message is null ? null : In.Literal(message)));

    public FlowBuilder SubProcess(string id, string name, string definitionId, ActivityInput? items) =>
        Node(id, ActivityTypes.SubProcess, name, ("definitionId", In.Literal(definitionId)), ("items", items));

    public FlowBuilder End(string id = "end", string? result = null, string name = "结束") =>
        Node(id, ActivityTypes.End, name, ("result", result is null ? null : In.Literal(result)));

    /// <summary>A connection from <paramref name="from"/>'s <paramref name="port"/> (Done when null) to <paramref name="to"/>.</summary>
    public FlowBuilder Connect(string from, string to, string? port = null)
    {
        _connections.Add(new Connection(new Endpoint(from, port), new Endpoint(to)));
        return this;
    }

    /// <summary>Connects the nodes in a row through their Done ports.</summary>
    public FlowBuilder Chain(params string[] ids)
    {
        for (var i = 1; i < ids.Length; i++) Connect(ids[i - 1], ids[i]);
        return this;
    }

    public WorkflowDefinition Build() => new()
    {
        DefinitionId = _id,
        Name = _name,
        Version = 1,
        Variables = [.. _variables],
        Forms = [.. _forms],
        Root = new Flowchart { Activities = [.. _activities], Connections = [.. _connections] },
    };
}

/// <summary>Form fields, readable.</summary>
public static class Field
{
    public static FormField Text(string key, string label, bool required = false) =>
        new() { Key = key, Label = label, Type = FieldTypes.Text, Required = required };
    public static FormField Number(string key, string label, bool required = false, decimal? min = null, decimal? max = null) =>
        new() { Key = key, Label = label, Type = FieldTypes.Number, Required = required, Min = min, Max = max };
    public static FormField Select(string key, string label, params string[] options) =>
        new() { Key = key, Label = label, Type = FieldTypes.Select, Options = [.. options.Select(o => new FieldOption(o, o))] };
    /// <summary>A select whose option values differ from their labels (value, label).</summary>
    public static FormField SelectOf(string key, string label, params (string Value, string Label)[] options) =>
        new() { Key = key, Label = label, Type = FieldTypes.Select, Options = [.. options.Select(o => new FieldOption(o.Value, o.Label))] };
    public static FormField Date(string key, string label) =>
        new() { Key = key, Label = label, Type = FieldTypes.Date };
    public static FormField Units(string key, string label, bool required = false) =>
        new() { Key = key, Label = label, Type = FieldTypes.Unit, Multiple = true, Required = required };
    public static FormField Opinion(string key, string label) =>
        new() { Key = key, Label = label, Type = FieldTypes.Opinion };
    public static FormField Computed(string key, string label, string script) =>
        new() { Key = key, Label = label, Type = FieldTypes.Computed, Compute = script };
}
