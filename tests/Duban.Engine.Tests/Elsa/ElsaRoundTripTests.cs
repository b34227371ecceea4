using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Definitions.Elsa;

namespace Duban.Engine.Tests.Elsa;

/// <summary>Duban → Elsa 3 JSON → Duban loses nothing; flow nodes are Elsa's types, Duban's own activities typed custom ones.</summary>
public class ElsaRoundTripTests
{
    public static TheoryData<string> Templates() => [.. ElsaFiles.Templates()];

    private static JsonObject Written(WorkflowDefinition definition) =>
        // Through text, as a file would go.
        JsonNode.Parse(ElsaExporter.Export(definition).ToJsonString())!.AsObject();

    [Theory]
    [MemberData(nameof(Templates))]
    public void Every_shipped_template_comes_back_unchanged(string file)
    {
        var original = DefinitionJson.Parse(File.ReadAllText(Path.Combine(ElsaFiles.Workflows(), file)));

        var elsa = Written(original);
        Assert.True(ElsaFormat.IsElsa(elsa));
        var back = ElsaFiles.Import(elsa);

        Assert.Empty(back.Problems);
        Assert.Equal(DefinitionJson.Serialize(original, indented: true), DefinitionJson.Serialize(back.Definition!, indented: true));
    }

    [Theory]
    [MemberData(nameof(Templates))]
    public void Flow_nodes_are_written_as_Elsa_activities_and_Dubans_own_as_typed_custom_activities(string file)
    {
        var original = DefinitionJson.Parse(File.ReadAllText(Path.Combine(ElsaFiles.Workflows(), file)));

        var elsa = Written(original);
        var types = elsa["root"]!["activities"]!.AsArray().Select(a => (string)a!["type"]!).ToList();

        Assert.Equal("Elsa.Flowchart", (string?)elsa["root"]!["type"]);
        Assert.Contains("Elsa.Start", types);
        Assert.DoesNotContain(types, t => t is ActivityTypes.Start or ActivityTypes.End or ActivityTypes.Decision or ActivityTypes.Switch or ActivityTypes.Fork or ActivityTypes.Join);
        foreach (var task in elsa["root"]!["activities"]!.AsArray().Where(a => (string?)a!["type"] == ActivityTypes.UserTask))
            Assert.NotNull(task!["assignee"]?["expression"]); // inputs as Elsa inputs: { typeName, expression }
        Assert.All(elsa["root"]!["connections"]!.AsArray(), c => Assert.Equal("In", (string?)c!["target"]!["port"]));
    }

    [Fact]
    public void A_condition_edited_in_Elsa_wins_over_the_one_Duban_exported()
    {
        var original = DefinitionJson.Parse(File.ReadAllText(Path.Combine(ElsaFiles.Workflows(), "leader-instruction.json")));
        var elsa = Written(original);
        var decision = elsa["root"]!["activities"]!.AsArray().OfType<JsonObject>().First(a => (string?)a["type"] == "Elsa.FlowDecision");
        decision["condition"]!["expression"]!["value"] = "item.category === 'reference'";

        var back = ElsaFiles.Import(elsa).Definition!;

        var node = back.Root.Find((string)decision["id"]!)!;
        Assert.Equal(ActivityTypes.Decision, node.Type);
        Assert.Equal("item.category === 'reference'", node.Input("condition")!.Expression!.Value!.GetValue<string>());
        Assert.Equal(original.Root.Find(node.Id)!.Name, node.Name);
    }

    [Fact]
    public void An_imported_Elsa_flowchart_with_its_joins_and_branch_ends_survives_a_round_trip()
    {
        var imported = ElsaFiles.Import(ElsaFiles.Fixture("join-behaviors--fork-decision-join-none.json")).Definition!;
        Assert.Contains(imported.Root.Activities, a => EndActivity.EndsBranchOnly(a));
        Assert.Contains(imported.Root.Activities, a => a.Type == ActivityTypes.Join && a.LiteralString("mode") == JoinActivity.WaitAllActive);

        var elsa = Written(imported);
        Assert.DoesNotContain(elsa["root"]!["activities"]!.AsArray(), a => (string?)a!["id"] == "branch-end");
        Assert.Contains(elsa["root"]!["activities"]!.AsArray(), a => (string?)a!["type"] == "Elsa.FlowJoin" && (string?)a!["mode"]!["expression"]!["value"] == "WaitAllActive");
        var back = ElsaFiles.Import(elsa).Definition!;

        Assert.Equal(DefinitionJson.Serialize(imported), DefinitionJson.Serialize(back));
    }
}
