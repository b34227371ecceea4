using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Duban.Engine.Forms;

namespace Duban.Engine.Definitions;

/// <summary>
/// A procedure as administrators design it: a flowchart of activities joined by connections from an
/// activity's outcome port to the next activity, plus variables and the forms its steps use.
/// The JSON shape follows Elsa 3's workflow-definition JSON (root flowchart, activities with typed inputs,
/// connections with source/target {activity, port}) so a flowchart can move between the two.
/// </summary>
public sealed record WorkflowDefinition
{
    /// <summary>Stable id of the procedure across versions, e.g. <c>demo-supervision</c>.</summary>
    public required string DefinitionId { get; init; }
    public required string Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Version number; set by the store when saved or published.</summary>
    public int Version { get; init; }
    public List<VariableDefinition> Variables { get; init; } = [];
    public List<FormDefinition> Forms { get; init; } = [];
    public required Flowchart Root { get; init; }
    /// <summary>Procedure-level settings the later features read (numbering, deadline defaults …).</summary>
    public JsonObject? Options { get; init; }

    public FormDefinition? FindForm(string? id) => id is null ? null : Forms.FirstOrDefault(f => f.Id == id);
}

public sealed record VariableDefinition
{
    public required string Name { get; init; }
    public string TypeName { get; init; } = "Object";
    public JsonNode? Value { get; init; }
}

public sealed record Flowchart
{
    public string Type { get; init; } = "Duban.Flowchart";
    public string Id { get; init; } = "flowchart";
    public List<ActivityNode> Activities { get; init; } = [];
    public List<Connection> Connections { get; init; } = [];

    public ActivityNode? Find(string id) => Activities.FirstOrDefault(a => a.Id == id);
}

/// <summary>
/// One node of the flowchart. Besides <see cref="Id"/>, <see cref="Type"/>, <see cref="Name"/> and designer
/// <see cref="Metadata"/>, every other JSON property is an input: <c>{ "typeName", "expression": { "type", "value" } }</c>.
/// </summary>
public sealed record ActivityNode
{
    public required string Id { get; init; }
    public required string Type { get; init; }
    public string? Name { get; init; }
    public JsonObject? Metadata { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Inputs { get; init; } = new();

    [JsonIgnore]
    public string DisplayName => string.IsNullOrWhiteSpace(Name) ? Id : Name!;

    public ActivityInput? Input(string name)
    {
        // Not an input object: absent, null, or bookkeeping another tool wrote (Elsa's "version": 1, "nodeId": "…").
        if (!Inputs.TryGetValue(name, out var element) || element.ValueKind != JsonValueKind.Object)
            return null;
        return element.Deserialize<ActivityInput>(DefinitionJson.Options);
    }

    /// <summary>Reads a literal input's value as <typeparamref name="T"/>; null when absent or not a literal.</summary>
    public T? Literal<T>(string name)
    {
        var input = Input(name);
        if (input?.Expression is not { Type: ExpressionTypes.Literal } expr || expr.Value is null)
            return default;
        return expr.Value.Deserialize<T>(DefinitionJson.Options);
    }

    public string? LiteralString(string name)
    {
        var input = Input(name);
        if (input?.Expression is not { Type: ExpressionTypes.Literal, Value: { } value })
            return null;
        return value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
    }
}

public sealed record ActivityInput
{
    public string TypeName { get; init; } = "Object";
    public Expression? Expression { get; init; }

    public static ActivityInput Literal(JsonNode? value, string typeName = "Object") =>
        new() { TypeName = typeName, Expression = new Expression(ExpressionTypes.Literal, value) };

    public static ActivityInput JavaScript(string script, string typeName = "Object") =>
        new() { TypeName = typeName, Expression = new Expression(ExpressionTypes.JavaScript, JsonValue.Create(script)) };
}

public sealed record Expression(string Type, JsonNode? Value);

public static class ExpressionTypes
{
    public const string Literal = "Literal";
    public const string JavaScript = "JavaScript";

    /// <summary>A condition built by clicking (<see cref="Expressions.Condition"/>), evaluated without Jint.</summary>
    public const string Condition = "Condition";
}

public sealed record Connection(Endpoint Source, Endpoint Target)
{
    [JsonIgnore]
    public string Key => $"{Source.Activity}:{Source.Port}->{Target.Activity}";
}

public sealed record Endpoint(string Activity, string? Port = null);
