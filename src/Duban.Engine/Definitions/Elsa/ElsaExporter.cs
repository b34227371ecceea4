using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Duban.Engine.Activities;

namespace Duban.Engine.Definitions.Elsa;

/// <summary>
/// A Duban definition → Elsa 3 workflow JSON (docs/decisions/030). Flow nodes become Elsa's activities (Start, End,
/// FlowDecision, FlowSwitch, FlowFork, FlowJoin, Delay, WriteLine, SetVariable, Fault); Duban's own activities (human
/// tasks, 交办, notices, sub-processes …) stay typed custom activities with their inputs, which an Elsa installation with
/// matching activity definitions could load. What Elsa has no place for — forms, procedure options, an End that ends
/// only its branch — travels in <c>customProperties.duban</c>, and each mapped node keeps its Duban form there with a
/// fingerprint of its Elsa form, so importing the file again gives the definition back unless it was edited in Elsa.
/// </summary>
public static class ElsaExporter
{
    public static JsonObject Export(WorkflowDefinition definition)
    {
        var root = definition.Root;
        var branchEnds = root.Activities.Where(EndActivity.EndsBranchOnly).Select(a => a.Id).ToHashSet();
        var activities = new JsonArray();
        foreach (var node in root.Activities.Where(a => !branchEnds.Contains(a.Id))) activities.Add(Activity(node));
        var connections = new JsonArray();
        foreach (var c in root.Connections.Where(c => !branchEnds.Contains(c.Target.Activity)))
            connections.Add(new JsonObject
            {
                ["source"] = new JsonObject { ["activity"] = c.Source.Activity, ["port"] = c.Source.Port ?? PortNames.Done },
                ["target"] = new JsonObject { ["activity"] = c.Target.Activity, ["port"] = c.Target.Port ?? "In" },
            });

        var recorded = new JsonArray();
        foreach (var end in root.Activities.Where(a => branchEnds.Contains(a.Id)))
            recorded.Add(new JsonObject
            {
                ["node"] = Json(end),
                ["connections"] = JsonSerializer.SerializeToNode(root.Connections.Where(c => c.Target.Activity == end.Id).ToList(), DefinitionJson.Options),
            });

        var duban = new JsonObject
        {
            ["dialect"] = "duban",
            ["forms"] = JsonSerializer.SerializeToNode(definition.Forms, DefinitionJson.Options),
            ["variables"] = JsonSerializer.SerializeToNode(definition.Variables, DefinitionJson.Options),
        };
        if (definition.Options is not null) duban["options"] = definition.Options.DeepClone();
        if (recorded.Count > 0) duban["branchEnds"] = recorded;

        var variables = new JsonArray();
        foreach (var v in definition.Variables)
            variables.Add(new JsonObject
            {
                ["id"] = v.Name,
                ["name"] = v.Name,
                ["typeName"] = v.TypeName,
                ["isArray"] = false,
                ["value"] = VariableText(v.Value),
            });

        return new JsonObject
        {
            ["id"] = $"{definition.DefinitionId}-v{definition.Version}",
            ["definitionId"] = definition.DefinitionId,
            ["name"] = definition.Name,
            ["description"] = definition.Description,
            ["version"] = Math.Max(definition.Version, 1),
            ["toolVersion"] = "3.0.0.0",
            ["variables"] = variables,
            ["inputs"] = new JsonArray(),
            ["outputs"] = new JsonArray(),
            ["outcomes"] = new JsonArray(),
            ["customProperties"] = new JsonObject { [ElsaFormat.Key] = duban },
            ["isReadonly"] = false,
            ["isLatest"] = true,
            ["isPublished"] = false,
            ["options"] = new JsonObject { ["autoUpdateConsumingWorkflows"] = false },
            ["root"] = new JsonObject
            {
                ["type"] = "Elsa.Flowchart",
                ["version"] = 1,
                ["id"] = root.Id,
                ["metadata"] = new JsonObject(),
                ["customProperties"] = new JsonObject { [ElsaFormat.Key] = new JsonObject { ["type"] = root.Type } },
                ["activities"] = activities,
                ["connections"] = connections,
            },
        };
    }

    /// <summary>A variable's value as Elsa keeps it: text (a JSON text for anything but a string).</summary>
    public static string? VariableText(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => value.ToJsonString(DefinitionJson.Options),
    };

    private static JsonObject Activity(ActivityNode node)
    {
        var original = Json(node);
        var elsa = ElsaForm(node, original);
        if (elsa is null)
        {
            // Duban's own activity: a typed custom activity with its inputs as they are.
            var custom = (JsonObject)original.DeepClone();
            custom["version"] = 1;
            return custom;
        }
        elsa["version"] = 1;
        if (node.Metadata is not null) elsa["metadata"] = node.Metadata.DeepClone();
        elsa["customProperties"] = new JsonObject
        {
            [ElsaFormat.Key] = new JsonObject { ["original"] = original, ["fingerprint"] = ElsaFormat.Fingerprint(elsa) },
        };
        return elsa;
    }

    /// <summary>The node as Elsa's activity; null for Duban's own types (and a Timer Elsa's Delay cannot express).</summary>
    private static JsonObject? ElsaForm(ActivityNode node, JsonObject original)
    {
        JsonObject Base(string type, params string[] carried)
        {
            var o = new JsonObject { ["id"] = node.Id, ["type"] = type };
            if (node.Name is not null) o["name"] = node.Name;
            foreach (var key in carried)
                if (original[key] is { } value) o[key] = value.DeepClone();
            return o;
        }
        IEnumerable<string> InputsOf() => node.Inputs.Keys;

        switch (node.Type)
        {
            case ActivityTypes.Start:
                return Base("Elsa.Start", [.. InputsOf()]);
            case ActivityTypes.End:
                return Base("Elsa.End", [.. InputsOf()]);
            case ActivityTypes.Decision:
                var decision = Base("Elsa.FlowDecision", [.. InputsOf()]);
                if (node.Input("condition")?.Expression is { Type: ExpressionTypes.Condition } built)
                    decision["condition"] = new JsonObject
                    {
                        ["typeName"] = "Boolean",
                        ["expression"] = new JsonObject { ["type"] = ExpressionTypes.JavaScript, ["value"] = Script(built.Value) },
                    };
                return decision;
            case ActivityTypes.Fork:
                return Base("Elsa.FlowFork", [.. InputsOf()]);
            case ActivityTypes.WriteLine:
                return Base("Elsa.WriteLine", [.. InputsOf()]);
            case ActivityTypes.Fault:
                return Base("Elsa.Fault", [.. InputsOf()]);
            case ActivityTypes.Join:
                var join = Base("Elsa.FlowJoin", [.. InputsOf().Where(k => k != "mode")]);
                var mode = node.LiteralString("mode") ?? JoinActivity.WaitAll;
                join["mode"] = Literal(mode switch
                {
                    JoinActivity.WaitAny => "WaitAny",
                    JoinActivity.WaitAllActive => "WaitAllActive",
                    _ => "WaitAll",
                }, "Elsa.Workflows.Activities.Flowchart.Models.FlowJoinMode, Elsa.Workflows.Core");
                return join;
            case ActivityTypes.Switch:
                var sw = Base("Elsa.FlowSwitch", [.. InputsOf().Where(k => k != "cases")]);
                var cases = new JsonArray();
                foreach (var c in node.Literal<List<SwitchActivity.Case>>("cases") ?? [])
                    cases.Add(new JsonObject
                    {
                        ["label"] = c.Label,
                        ["condition"] = new JsonObject
                        {
                            ["type"] = ExpressionTypes.JavaScript,
                            ["value"] = c.Expression is { Type: ExpressionTypes.Condition } caseCondition ? Script(caseCondition.Value) : c.Expression?.Value?.DeepClone(),
                        },
                    });
                sw["cases"] = cases;
                sw["mode"] = Literal("MatchFirst", "Elsa.Workflows.Activities.Flowchart.Models.SwitchMode, Elsa.Workflows.Core");
                return sw;
            case ActivityTypes.SetVariable:
                var set = Base("Elsa.SetVariable", [.. InputsOf().Where(k => k != "variable")]);
                var name = node.LiteralString("variable") ?? "";
                set["variable"] = new JsonObject { ["id"] = name, ["name"] = name, ["typeName"] = "Object" };
                return set;
            case ActivityTypes.Timer when node.Input("until") is null && node.Input("duration")?.Expression is { Type: ExpressionTypes.Literal, Value: { } duration }:
                TimeSpan span;
                try { span = TimerActivity.ParseDuration(duration, node.DisplayName); }
                catch (Execution.ActivityFaultException) { return null; }
                var delay = Base("Elsa.Delay", [.. InputsOf().Where(k => k != "duration")]);
                delay["timeSpan"] = Literal(span.ToString("c", CultureInfo.InvariantCulture), "TimeSpan");
                return delay;
            default:
                return null;
        }
    }

    /// <summary>A condition built by clicking, as the JavaScript Elsa's FlowDecision and FlowSwitch evaluate.</summary>
    private static string Script(JsonNode? built) =>
        Expressions.Condition.Read(built) is { } condition ? Expressions.ConditionScript.ToJavaScript(condition) : "false";

    private static JsonObject Literal(JsonNode? value, string typeName) =>
        new() { ["typeName"] = typeName, ["expression"] = new JsonObject { ["type"] = ExpressionTypes.Literal, ["value"] = value } };

    private static JsonObject Json(ActivityNode node) => JsonSerializer.SerializeToNode(node, DefinitionJson.Options)!.AsObject();

    internal static string Iso(TimeSpan span) => XmlConvert.ToString(span);
}
