using System.Text.Json.Nodes;
using Duban.Engine.Activities;

namespace Duban.Engine.Tests.Elsa;

/// <summary>What Duban cannot run is named node by node, in Chinese, and nothing is imported.</summary>
public class ElsaImportProblemTests
{
    [Theory]
    [InlineData("import-and-publish--http-workflow.json", "b036c71bbd31983d", "HTTP")]
    [InlineData("import-and-publish--cron-every-hour.json", "13658e4b3bfafaaf", "定期任务")]
    [InlineData("join-behaviors--parallel-join.json", "70fc1183cd5800f2", "循环节点")]
    [InlineData("flowchart-completion--workflow6.json", "By4rVs_-2kSDENFO-bniRg", "循环节点")]
    // workflow5.json: the nested flowchart is laid out in place; the Event inside it is what Duban cannot run.
    [InlineData("flowchart-completion--workflow5.json", "8KVHRw-WpUizyxOq0C6Nvg", "事件节点")]
    public void Activities_Duban_cannot_run_are_listed_by_node(string file, string activityId, string says)
    {
        var result = ElsaFiles.Import(ElsaFiles.Fixture(file));

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems, p => p.ActivityId == activityId);
        Assert.Contains(says, problem.Message);
    }

    [Fact]
    public void A_timer_that_starts_the_workflow_points_to_schedules()
    {
        var result = ElsaFiles.Import(ElsaFiles.Fixture("import-and-publish--timer-workflow.json"));

        Assert.Null(result.Definition);
        Assert.Contains(result.Problems, p => p.Message.Contains("Elsa.Timer") && p.Message.Contains("定期任务"));
    }

    [Fact]
    public void CSharp_expressions_custom_activities_and_unknown_functions_are_named()
    {
        var document = JsonNode.Parse("""
        {
          "definitionId": "x", "name": "X", "variables": [],
          "root": { "type": "Elsa.Flowchart", "id": "r", "activities": [
            { "id": "s", "type": "Elsa.Start" },
            { "id": "d", "type": "Elsa.FlowDecision", "name": "判断", "condition": { "typeName": "Boolean", "expression": { "type": "CSharp", "value": "true" } } },
            { "id": "w", "type": "Elsa.WriteLine", "text": { "typeName": "String", "expression": { "type": "JavaScript", "value": "getInput('x')" } } },
            { "id": "c", "type": "Acme.SendInvoice", "name": "开票" }
          ], "connections": [] }
        }
        """)!.AsObject();

        var result = ElsaFiles.Import(document);

        Assert.Null(result.Definition);
        Assert.Contains(result.Problems, p => p.ActivityId == "d" && p.Message == "「判断」（Elsa.FlowDecision）：「condition」使用了 C# 表达式，督办只支持固定值和 JavaScript");
        Assert.Contains(result.Problems, p => p.ActivityId == "w" && p.Message.Contains("getInput()"));
        Assert.Contains(result.Problems, p => p.ActivityId == "c" && p.Message.Contains("自定义节点"));
    }

    [Fact]
    public void Elsa_accessors_and_return_statements_become_Duban_script()
    {
        var document = JsonNode.Parse("""
        {
          "definitionId": "x", "name": "X",
          "variables": [ { "id": "1", "name": "myNumber", "typeName": "Int32", "value": "3" } ],
          "root": { "type": "Elsa.Flowchart", "id": "r", "activities": [
            { "id": "s", "type": "Elsa.Start" },
            { "id": "v", "type": "Elsa.SetVariable", "variable": { "id": "1" }, "value": { "typeName": "Object", "expression": { "type": "JavaScript", "value": "setVariable('other', getMyNumber() * 2); return getVariable(\"myNumber\") + variables.myNumber;" } } }
          ], "connections": [ { "source": { "activity": "s", "port": "Done" }, "target": { "activity": "v", "port": "In" } } ] }
        }
        """)!.AsObject();

        var definition = ElsaFiles.Import(document).Definition!;
        var set = definition.Root.Find("v")!;

        Assert.Equal(3L, definition.Variables.Single().Value!.GetValue<long>());
        Assert.Equal("myNumber", set.LiteralString("variable"));
        Assert.Equal("(function () { (vars.other = ( vars.myNumber * 2)); return vars.myNumber + vars.myNumber; })()",
            set.Input("value")!.Expression!.Value!.GetValue<string>());
        var driver = new Execution.Support.WorkflowDriver(definition);
        driver.Start(Execution.Support.TestOrganization.Wang);
        Assert.Equal(6, driver.State.Variables["myNumber"]!.GetValue<double>());
        Assert.Equal(6, driver.State.Variables["other"]!.GetValue<double>());
        Assert.Equal(ActivityTypes.End, definition.Root.Activities[^1].Type);
    }
}
