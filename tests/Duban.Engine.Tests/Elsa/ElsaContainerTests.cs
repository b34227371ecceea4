using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Elsa;

/// <summary>
/// Elsa's containers inside a flowchart — a nested flowchart, a Sequence, a Fork with activity branches — are laid out in
/// place and run with Elsa's semantics: the container completes before its outgoing connection is taken. elsa-core's
/// scenario files have a nested flowchart only in join-all-2.json (ElsaScenarioTests); these documents are written in the
/// same JSON shape Elsa Studio exports.
/// </summary>
public class ElsaContainerTests
{
    private static JsonObject Line(string id, string text) => new()
    {
        ["id"] = id, ["type"] = "Elsa.WriteLine",
        ["text"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = text } },
    };

    private static JsonObject Delay(string id, string span) => new()
    {
        ["id"] = id, ["type"] = "Elsa.Delay",
        ["timeSpan"] = new JsonObject { ["typeName"] = "TimeSpan", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = span } },
    };

    private static JsonObject Connect(string from, string to, string port = "Done") => new()
    {
        ["source"] = new JsonObject { ["activity"] = from, ["port"] = port },
        ["target"] = new JsonObject { ["activity"] = to, ["port"] = "In" },
    };

    private static JsonObject Flowchart(string id, JsonArray activities, JsonArray connections) =>
        new() { ["type"] = "Elsa.Flowchart", ["id"] = id, ["activities"] = activities, ["connections"] = connections };

    private static JsonObject Document(JsonObject root) => new() { ["definitionId"] = "containers", ["name"] = "容器", ["variables"] = new JsonArray(), ["root"] = root };

    private static (WorkflowDriver Driver, List<string> Lines) Run(JsonObject document)
    {
        var imported = ElsaFiles.Import(document);
        Assert.Empty(imported.Problems);
        Assert.Equal(new List<string>(), ElsaFiles.Validate(imported.Definition!).Select(e => e.Message).ToList());
        var driver = new WorkflowDriver(imported.Definition!);
        driver.Start(TestOrganization.Wang);
        while (driver.State.Status == WorkflowStatus.Suspended && driver.PendingTimers.Count > 0)
            driver.FireTimer(driver.PendingTimers.OrderBy(t => t.DueAt).First().ActivityId);
        return (driver, driver.Journal.Where(j => j.Kind == JournalKind.LineWritten).Select(j => j.Comment ?? "").ToList());
    }

    [Fact]
    public void A_sequence_runs_its_activities_in_order_before_the_connection_after_it()
    {
        var sequence = new JsonObject { ["id"] = "seq", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(Line("a", "A"), Delay("wait", "01:00:00"), Line("b", "B")) };
        var document = Document(Flowchart("root", [new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" }, sequence, Line("c", "C")],
            [Connect("start", "seq"), Connect("seq", "c")]));

        var (driver, lines) = Run(document);

        Assert.Equal(["A", "B", "C"], lines);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.Single(driver.Journal, j => j.Kind == JournalKind.TimerFired && j.ActivityId == "wait");
    }

    [Fact]
    public void A_fork_that_waits_for_all_branches_goes_on_once_after_the_slowest()
    {
        var slow = new JsonObject { ["id"] = "slow", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(Delay("wait", "02:00:00"), Line("s", "Slow")) };
        var fork = new JsonObject
        {
            ["id"] = "fork", ["type"] = "Elsa.Fork", ["branches"] = new JsonArray(slow, Line("f", "Fast")),
            ["joinMode"] = new JsonObject { ["typeName"] = "Elsa.Workflows.Activities.ForkJoinMode", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "WaitAll" } },
        };
        var (driver, lines) = Run(Document(Flowchart("root", [fork, Line("after", "After")], [Connect("fork", "after")])));

        Assert.Equal(["Fast", "Slow", "After"], lines);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void A_fork_that_waits_for_any_branch_goes_on_at_the_first_and_cancels_the_others()
    {
        var slow = new JsonObject { ["id"] = "slow", ["type"] = "Elsa.Sequence", ["activities"] = new JsonArray(Delay("wait", "02:00:00"), Line("s", "Slow")) };
        var fork = new JsonObject
        {
            ["id"] = "fork", ["type"] = "Elsa.Fork", ["branches"] = new JsonArray(slow, Line("f", "Fast")),
            ["joinMode"] = new JsonObject { ["typeName"] = "Elsa.Workflows.Activities.ForkJoinMode", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "WaitAny" } },
        };
        var (driver, lines) = Run(Document(Flowchart("root", [fork, Line("after", "After")], [Connect("fork", "after")])));

        Assert.Equal(["Fast", "After"], lines);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.DoesNotContain(driver.Journal, j => j.Kind == JournalKind.TimerFired);
    }

    [Fact]
    public void A_nested_flowchart_whose_decision_leaves_an_outcome_open_completes_on_either_way()
    {
        // Inner: Start → Decision(false); True → "Yes"; False has no connection (ends that branch in Elsa).
        var decision = new JsonObject
        {
            ["id"] = "d", ["type"] = "Elsa.FlowDecision",
            ["condition"] = new JsonObject { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = "1 > 2" } },
        };
        var inner = Flowchart("inner", [new JsonObject { ["id"] = "inner-start", ["type"] = "Elsa.Start" }, decision, Line("yes", "Yes")],
            [Connect("inner-start", "d"), Connect("d", "yes", "True")]);
        var node = new JsonObject { ["id"] = "node", ["type"] = "Elsa.FlowNode", ["body"] = inner };
        var document = Document(Flowchart("root", [new JsonObject { ["id"] = "start", ["type"] = "Elsa.Start" }, Line("before", "Before"), node, Line("after", "After")],
            [Connect("start", "before"), Connect("before", "node"), Connect("node", "after")]));

        var (driver, lines) = Run(document);

        Assert.Equal(["Before", "After"], lines);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        var definition = ElsaFiles.Import(document).Definition!;
        Assert.Single(definition.Root.Activities, a => a.Type == ActivityTypes.Start); // the inner Start only passes on
        Assert.Equal(JoinActivity.WaitAllActive, definition.Root.Find("node-done")!.LiteralString("mode"));
    }

    [Fact]
    public void A_nested_End_that_would_cancel_other_branches_is_refused_in_Chinese()
    {
        var inner = Flowchart("inner", [new JsonObject { ["id"] = "fork", ["type"] = "Elsa.FlowFork" }, Line("a", "A"), Line("b", "B"), new JsonObject { ["id"] = "end", ["type"] = "Elsa.End" }],
            [Connect("fork", "a"), Connect("fork", "b"), Connect("a", "end")]);
        var node = new JsonObject { ["id"] = "node", ["type"] = "Elsa.FlowNode", ["body"] = inner, ["metadata"] = new JsonObject { ["displayText"] = "内层" } };
        var result = ElsaFiles.Import(Document(Flowchart("root", [node, Line("after", "After")], [Connect("node", "after")])));

        Assert.Null(result.Definition);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("node", problem.ActivityId);
        Assert.StartsWith("「内层」（Elsa.FlowNode）：嵌套流程图中的「结束」", problem.Message);
    }
}
