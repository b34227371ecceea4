using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Elsa;

/// <summary>
/// Real Elsa 3 workflow files from elsa-core's integration tests (Fixtures/README.md), imported, validated as publishing
/// would, and run; the lines their WriteLine activities write to the journal are compared with what Elsa's own test for
/// the file expects its console to show, in order.
/// </summary>
public class ElsaScenarioTests
{
    private sealed record Run(WorkflowDriver Driver, List<string> Lines);

    private static Run ImportAndRun(string file)
    {
        var imported = ElsaFiles.Import(ElsaFiles.Fixture(file));
        Assert.Empty(imported.Problems);
        var definition = imported.Definition!;
        Assert.Equal(new List<string>(), ElsaFiles.Validate(definition).Select(e => e.Message).ToList());

        var driver = new WorkflowDriver(definition);
        driver.Start(TestOrganization.Wang);
        // Delays fall due one after the other, as Elsa's RunWorkflowUntilEnd lets them.
        while (driver.State.Status == WorkflowStatus.Suspended && driver.PendingTimers.Count > 0)
            driver.FireTimer(driver.PendingTimers.OrderBy(t => t.DueAt).First().ActivityId);
        var lines = driver.Journal.Where(j => j.Kind == JournalKind.LineWritten).Select(j => j.Comment ?? "").ToList();
        return new Run(driver, lines);
    }

    // ExplicitJoins/ExplicitJoinWaitAnyTests.cs: "Workflows with explicit joins complete the workflow."
    [Theory]
    [InlineData("explicit-joins--join-any-1.json", new[] { "Start", "End" })]
    [InlineData("explicit-joins--join-all-1.json", new[] { "Start", "Line 1", "Line 2", "End" })]
    [InlineData("explicit-joins--join-all-2.json", new[] { "Start", "Line 1", "Line 2", "End" })] // "Line 2" in a nested flowchart
    public void Explicit_joins_write_what_Elsa_writes_and_complete(string file, string[] expected)
    {
        var run = ImportAndRun(file);

        Assert.Equal(expected, run.Lines);
        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
    }

    // ImportAndExecute/Tests.cs: "Workflow imported from file should execute successfully."
    [Theory]
    [InlineData("import-and-execute--writeline.json", new[] { "Dummy Text" })]
    [InlineData("import-and-execute--implicit-loop.json", new[] { "Do something", "Retry", "Do something", "Done" })]
    public void Imported_workflows_write_what_Elsa_writes(string file, string[] expected)
    {
        var run = ImportAndRun(file);

        Assert.Equal(expected, run.Lines);
        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
    }

    [Fact]
    public void The_implicit_loop_counts_in_its_variable_through_Elsas_accessors()
    {
        // implicit-loop.json: SetVariable Counter = getCounter() + 1; FlowDecision getCounter() > 1.
        var run = ImportAndRun("import-and-execute--implicit-loop.json");

        Assert.Equal(2, run.Driver.State.Variables["Counter"]!.GetValue<double>());
    }

    // JoinBehaviors/ForkDecisionJoinTests.cs: a fork, a decision that takes False (no connection), and C after A and B.
    [Theory]
    [InlineData("join-behaviors--fork-decision-join-none.json", new[] { "A", "C" })] // Stream: B's branch is dead, C runs
    [InlineData("join-behaviors--fork-decision-join-converge.json", new[] { "A" })] // Merge: C waits for B, which never comes
    [InlineData("join-behaviors--fork-decision-join-converge-strict.json", new[] { "A" })] // Converge: the same, strictest
    public void Merge_modes_of_an_implicit_join_decide_whether_it_runs(string file, string[] expected)
    {
        var run = ImportAndRun(file);

        Assert.Equal(expected, run.Lines);
        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
        Assert.Empty(run.Driver.State.Bookmarks);
    }

    [Fact]
    public void An_explicit_WaitAll_join_blocks_and_the_Fault_stops_the_item_on_an_incident()
    {
        // ForkDecisionJoinTests.ExplicitJoinWaitAllShouldBlock: ["A", "C", "B", "D"]; the decision's False leads to a Fault.
        var run = ImportAndRun("join-behaviors--fork-decision-join-waitall.json");

        Assert.Equal(["A", "C", "B", "D"], run.Lines);
        Assert.Equal(WorkflowStatus.Faulted, run.Driver.State.Status);
        Assert.Equal("that went south（代码 110002）", run.Driver.State.Incident!.Message);
        Assert.Equal("cfffbc06a0b6eeb0", run.Driver.State.Incident.ActivityId);
    }

    [Fact]
    public void A_decision_whose_both_outcomes_lead_to_End_completes()
    {
        // ForkDecisionJoinTests.ImplicitJoinFromBranchesShouldExecute: True and False both lead to End; Finished.
        var run = ImportAndRun("join-behaviors--decision-merge-join-none.json");

        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
        Assert.Single(run.Driver.Journal, j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "d5b9c2affe09a93b");
    }

    [Fact]
    public void A_WaitAny_join_runs_once()
    {
        // JoinRunsOnceTests: the FlowJoin 802725996be1b582 (WaitAny after two WriteLines) completes exactly once.
        var run = ImportAndRun("join-behaviors--join.json");

        Assert.Single(run.Driver.Journal, j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "802725996be1b582");
        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
    }

    // FlowchartCompletion/Tests.cs: "Workflows should complete successfully." Each WriteLine several branches lead to is an
    // implicit join in Elsa: it runs once, after its branches.
    [Theory]
    [InlineData("flowchart-completion--workflow1.json", 3)]
    [InlineData("flowchart-completion--workflow2.json", 9)]
    [InlineData("flowchart-completion--workflow3.json", 9)]
    [InlineData("flowchart-completion--workflow4.json", 6)]
    public void Flowcharts_complete_with_each_line_written_once(string file, int lines)
    {
        var run = ImportAndRun(file);

        Assert.Equal(WorkflowStatus.Completed, run.Driver.State.Status);
        Assert.Equal(lines, run.Lines.Count);
        Assert.Equal(run.Lines.Distinct().Count(), run.Lines.Count);
        Assert.Equal("WriteLine1", run.Lines[0]);
    }

    [Fact]
    public void In_workflow2_a_line_is_written_only_after_every_branch_leading_to_it()
    {
        var run = ImportAndRun("flowchart-completion--workflow2.json");

        // WriteLine9 waits for WriteLine8 and WriteLine7; WriteLine5 for WriteLine3 and WriteLine2.
        Assert.Equal("WriteLine9", run.Lines[^1]);
        Assert.True(run.Lines.IndexOf("WriteLine5") > run.Lines.IndexOf("WriteLine2"));
        Assert.True(run.Lines.IndexOf("WriteLine5") > run.Lines.IndexOf("WriteLine3"));
    }

    [Fact]
    public void In_workflow4_the_decision_takes_True_and_the_False_branch_is_not_run()
    {
        // FlowDecision1's condition is the literal "True": Delay1 → WriteLine7 run, Delay2 → WriteLine8 do not.
        var run = ImportAndRun("flowchart-completion--workflow4.json");

        Assert.Contains("WriteLine7", run.Lines);
        Assert.DoesNotContain("WriteLine8", run.Lines);
        Assert.Single(run.Driver.Journal, j => j.Kind == JournalKind.TimerFired && j.ActivityId == "Delay1");
        Assert.DoesNotContain(run.Driver.Journal, j => j.ActivityId == "Delay2");
    }

    [Fact]
    public void Elsa_delays_become_timers_of_the_same_length()
    {
        var imported = ElsaFiles.Import(ElsaFiles.Fixture("flowchart-completion--workflow3.json")).Definition!;

        Assert.Equal("PT5S", imported.Root.Find("Delay1")!.LiteralString("duration"));
        Assert.Equal("PT10S", imported.Root.Find("Delay2")!.LiteralString("duration"));
        Assert.Equal(ActivityTypes.Timer, imported.Root.Find("Delay1")!.Type);
    }

    [Fact]
    public void A_nested_flowchart_completes_before_its_outgoing_connection_is_taken()
    {
        // join-all-2.json: FlowNode1's body is a flowchart writing "Line 2"; the WaitAll join after it waits for it.
        var run = ImportAndRun("explicit-joins--join-all-2.json");
        var completed = run.Driver.Journal.Where(j => j.Kind == JournalKind.ActivityCompleted).Select(j => j.ActivityId).ToList();

        Assert.True(completed.IndexOf("g3jVTdvU3EK7V5JqRqfqjQ") > completed.IndexOf("eHAEEQ-Iu0GwM3mRxZin0Q")); // inner after the container's start
        Assert.True(completed.IndexOf("dVUuwMm5XUiYpiYoGo5JKA") > completed.IndexOf("g3jVTdvU3EK7V5JqRqfqjQ")); // the join after the inner line
        Assert.Single(completed, id => id == "dVUuwMm5XUiYpiYoGo5JKA");
    }
}
