using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Definitions.Elsa;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Elsa;

/// <summary>
/// A condition built by clicking (decision 028) leaves Duban as the JavaScript Elsa's FlowDecision and FlowSwitch know,
/// deciding as the built condition does, and comes back as the built condition.
/// </summary>
public class ElsaBuiltConditionTests
{
    private static readonly JsonNode NeedsLeader = JsonNode.Parse("""
        { "match": "all", "rules": [
            { "field": "needLeader", "op": "eq", "value": "是" },
            { "match": "any", "rules": [
                { "field": "amount", "op": "gt", "value": 10000 },
                { "field": "level", "op": "in", "value": ["省级", "市级"] },
                { "field": "note", "op": "empty" } ] } ] }
        """)!;

    private static readonly JsonNode Urgent = JsonNode.Parse("""{ "match": "all", "rules": [ { "field": "tags", "op": "contains", "value": "紧急" } ] }""")!;

    private static WorkflowDefinition Flow() => FlowBuilder.Define("built", "点选条件")
        .Start()
        .DecisionWhen("d", "是否需领导审批", NeedsLeader)
        .SwitchWhen("s", "按紧急程度", ("紧急", Urgent))
        .End("e1").End("e2", name: "结束2").End("e3", name: "结束3")
        .Connect("start", "d")
        .Connect("d", "s", PortNames.True).Connect("d", "e1", PortNames.False)
        .Connect("s", "e2", "紧急").Connect("s", "e3", PortNames.Default)
        .Build();

    private static JsonObject Exported() => JsonNode.Parse(ElsaExporter.Export(Flow()).ToJsonString())!.AsObject();

    private static JsonObject Node(JsonObject elsa, string id) =>
        elsa["root"]!["activities"]!.AsArray().OfType<JsonObject>().Single(a => (string?)a["id"] == id);

    private static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value, DefinitionJson.Options);

    public static TheoryData<string> Items() =>
    [
        """{ "needLeader": "是", "amount": 20000 }""",
        """{ "needLeader": "是", "amount": 500, "level": "市级", "note": "有说明" }""",
        """{ "needLeader": "是", "amount": 500, "level": "县级", "note": "有说明" }""",
        """{ "needLeader": "是", "amount": 500, "level": "县级" }""",
        """{ "needLeader": "否", "amount": 20000 }""",
        """{ "amount": 20000 }""",
    ];

    [Theory]
    [MemberData(nameof(Items))]
    public void The_exported_decision_is_JavaScript_that_decides_as_the_built_condition(string item)
    {
        var data = JsonNode.Parse(item)!.AsObject();
        var decision = Node(Exported(), "d");

        var expression = decision["condition"]!["expression"]!;
        Assert.Equal(ExpressionTypes.JavaScript, (string?)expression["type"]);
        var script = (string)expression["value"]!;
        var byScript = new JintScriptEvaluator().Evaluate(script, new ScriptScope(new JsonObject(), data)).Value!.GetValue<bool>();

        Assert.Equal(ConditionEvaluator.Evaluate(Condition.Read(NeedsLeader)!, data), byScript);
    }

    [Theory]
    [InlineData("""{ "tags": ["紧急", "重要"] }""", true)]
    [InlineData("""{ "tags": ["重要"] }""", false)]
    [InlineData("""{ }""", false)]
    public void An_exported_switch_case_is_JavaScript_too(string item, bool expected)
    {
        var cases = Node(Exported(), "s")["cases"]!.AsArray();
        var condition = cases.Single()!["condition"]!;

        Assert.Equal(ExpressionTypes.JavaScript, (string?)condition["type"]);
        var result = new JintScriptEvaluator().Evaluate((string)condition["value"]!, new ScriptScope(new JsonObject(), JsonNode.Parse(item)!.AsObject()));
        Assert.Equal(expected, result.Value!.GetValue<bool>());
    }

    [Fact]
    public void Built_conditions_come_back_built()
    {
        var original = Flow();

        var back = ElsaFiles.Import(Exported());

        Assert.Empty(back.Problems);
        // The flowchart itself; an import is a new draft, so its version number is the importer's.
        Assert.Equal(Json(original.Root.Activities), Json(back.Definition!.Root.Activities));
        static IEnumerable<string> Lines(WorkflowDefinition d) =>
            d.Root.Connections.Select(c => $"{c.Source.Activity}:{c.Source.Port ?? PortNames.Done}->{c.Target.Activity}").Order();
        Assert.Equal(Lines(original), Lines(back.Definition));
        Assert.Equal(ExpressionTypes.Condition, back.Definition!.Root.Find("d")!.Input("condition")!.Expression!.Type);
    }
}
