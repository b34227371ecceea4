using System.Text.Json.Nodes;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;
using Duban.Engine.Tests.Expressions;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>Run-time failures stop the instance with an incident; an administrator fixes the cause and retries.</summary>
public class IncidentTests
{
    /// <summary>承办 → 金额超限？(vars.limit.value) → 领导审批 / 办结.</summary>
    private static WorkflowDriver LimitFlow(string condition, IScriptEvaluator? scripts = null) => new(FlowBuilder.Define()
        .Variable("limit", null)
        .Form("f_cb", "办理情况", Field.Number("amount", "涉及金额", required: true))
        .Start()
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f_cb")
        .Decision("d", "金额超限？", condition)
        .UserTask("ld", "领导审批", Assign.Users(Liu))
        .End()
        .Chain("start", "cb").Connect("cb", "d", "提交")
        .Connect("d", "ld", "True").Connect("d", "end", "False").Connect("ld", "end", "提交")
        .Build(), scripts);

    [Fact]
    public void A_decision_whose_script_throws_faults_the_instance_with_an_incident_on_that_activity()
    {
        var driver = LimitFlow("item.amount > vars.limit.value");
        driver.Start(Wang);

        var faulted = driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 50000 });

        var state = faulted.State;
        Assert.Equal(WorkflowStatus.Faulted, state.Status);
        Assert.NotNull(state.Incident);
        Assert.Equal("d", state.Incident.ActivityId);
        Assert.Contains("金额超限？", state.Incident.Message);
        Assert.Equal(driver.Clock.GetUtcNow(), state.Incident.At);
        var entry = Assert.Single(faulted.Effects.Journal, j => j.Kind == JournalKind.ActivityFaulted);
        Assert.Equal(("d", state.Incident.Message), (entry.ActivityId, entry.Comment));
        Assert.Equal("d", Assert.Single(state.Scheduled).ActivityId);
        Assert.Empty(driver.OpenTasks);
        // The completion itself was kept: it happened before the failure.
        Assert.Equal(50000, (int)state.Data["amount"]!);
    }

    /// <summary>Every sandbox limit, reached from a condition in a running flow, stops that step as an incident in under a second.</summary>
    [Theory]
    [InlineData("(function () { while (true) { } })()", "超时|语句数")]
    [InlineData("(function () { var a = []; while (true) { a.push('x'.repeat(100000) + a.length); } })()", "内存")]
    [InlineData("(function f(n) { return f(n + 1) + 1; })(0)", "递归")]
    [InlineData("System.IO.File.Exists('/etc/passwd')", "System is not defined")]
    [InlineData("importNamespace('System.IO').File.Exists('/etc/passwd')", "importNamespace is not defined")]
    public void Each_script_limit_stops_the_step_as_an_incident(string condition, string expected)
    {
        // A memory-only run would race the clock on a loaded machine; give the clock room so each limit is what stops it.
        var scripts = new JintScriptEvaluator(ScriptLimits.Default with { Timeout = TimeSpan.FromMilliseconds(900) });
        // The first run of a script shape in a fresh (Debug) process pays seconds of JIT; time the steady state.
        Assert.Throws<ScriptException>(() => scripts.Evaluate(condition, new ScriptScope(new JsonObject(), new JsonObject())));
        var driver = LimitFlow(condition, scripts);
        driver.Start(Wang);

        RunResult? faulted = null;
        var cost = ScriptCost.Measure(() => faulted = driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 1 }));
        Assert.NotNull(faulted);

        Assert.Equal(WorkflowStatus.Faulted, faulted.State.Status);
        Assert.Equal("d", faulted.State.Incident!.ActivityId);
        Assert.Matches(expected, faulted.State.Incident.Message);
        cost.AssertQuick(faulted.State.Incident.Message);
    }

    [Fact]
    public void Retry_after_fixing_the_variable_runs_the_faulted_activity_again()
    {
        var driver = LimitFlow("item.amount > vars.limit.value");
        driver.Start(Wang);
        driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 50000 });
        Assert.Equal(WorkflowStatus.Faulted, driver.State.Status);

        driver.EditState(s => s.Variables["limit"] = new JsonObject { ["value"] = 10000 });
        var retried = driver.Retry(Admin);

        Assert.Equal(WorkflowStatus.Suspended, retried.State.Status);
        Assert.Null(retried.State.Incident);
        Assert.Empty(retried.State.Scheduled);
        var entry = Assert.Single(retried.Effects.Journal, j => j.Kind == JournalKind.IncidentRetried);
        Assert.Equal(("d", Admin), (entry.ActivityId, entry.ActorId));
        Assert.Equal("True", retried.Effects.Journal.Single(j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "d").Outcome);
        Assert.Equal("ld", Assert.Single(driver.OpenTasks).ActivityId);
    }

    [Fact]
    public void Retry_without_a_fix_faults_again_and_a_running_instance_has_nothing_to_retry()
    {
        var driver = LimitFlow("item.amount > vars.limit.value");
        driver.Start(Wang);
        Assert.Throws<WorkflowConflictException>(() => driver.Retry());

        driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 1 });
        var again = driver.Retry();

        Assert.Equal(WorkflowStatus.Faulted, again.State.Status);
        Assert.Equal("d", again.State.Incident!.ActivityId);
        Assert.Equal("d", Assert.Single(again.State.Scheduled).ActivityId);
    }

    [Fact]
    public void A_decision_script_that_loops_forever_is_stopped_and_becomes_an_incident()
    {
        var scripts = new JintScriptEvaluator(new ScriptLimits { Timeout = TimeSpan.FromMilliseconds(200) });
        var driver = LimitFlow("while (true) { } ", scripts);
        driver.Start(Wang);

        var faulted = driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 1 });

        Assert.Equal(WorkflowStatus.Faulted, faulted.State.Status);
        Assert.Equal("d", faulted.State.Incident!.ActivityId);
        Assert.Contains(faulted.Effects.Journal, j => j.Kind == JournalKind.ActivityFaulted && j.ActivityId == "d");
    }

    [Fact]
    public void A_faulted_instance_refuses_task_events_until_retried()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Variable("limit", null)
            .Start()
            .Fork("fork")
            .UserTask("a", "办理", Assign.Users(Wang))
            .Decision("d", "判断", "vars.limit.value > 1")
            .UserTask("b", "复核", Assign.Users(Zhao))
            .Join("join")
            .End()
            .Chain("start", "fork").Connect("fork", "a").Connect("fork", "d")
            .Connect("d", "b", "True").Connect("d", "b", "False")
            .Connect("a", "join", "提交").Connect("b", "join", "提交").Chain("join", "end")
            .Build());

        var started = driver.Start(Zhao);

        Assert.Equal(WorkflowStatus.Faulted, started.State.Status);
        var before = driver.StateJson();
        Assert.Throws<WorkflowConflictException>(() => driver.Complete("a", Wang));
        Assert.Equal(before, driver.StateJson());

        driver.EditState(s => s.Variables["limit"] = new JsonObject { ["value"] = 0 });
        driver.Retry();
        Assert.Equal(WorkflowStatus.Suspended, driver.State.Status);
        driver.Complete("a", Wang);
        driver.Complete("b", Zhao);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void A_form_script_failing_on_submission_faults_and_retry_offers_the_step_afresh()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Variable("rate", null)
            .Form("f_cb", "办理情况", Field.Number("amount", "金额", required: true), Field.Computed("fee", "费用", "item.amount * vars.rate.value"))
            .Start()
            .UserTask("cb", "承办", Assign.Units(Jinan, Qingdao), form: "f_cb", countersign: "all")
            .End()
            .Chain("start", "cb").Connect("cb", "end", "提交")
            .Build());
        driver.Start(Wang);
        var oldBookmark = driver.State.Bookmarks.Single().Id;

        var faulted = driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 5 });

        Assert.Equal(WorkflowStatus.Faulted, faulted.State.Status);
        Assert.Equal("cb", faulted.State.Incident!.ActivityId);
        // The step will run again on retry, so its waiting point (and 青岛市局's open task) goes now.
        Assert.Equal([oldBookmark], faulted.Effects.RemovedBookmarkIds);
        Assert.Empty(faulted.State.Bookmarks);
        Assert.Empty(driver.OpenTasks);

        driver.EditState(s => s.Variables["rate"] = new JsonObject { ["value"] = 2 });
        var retried = driver.Retry();

        var bookmark = Assert.Single(retried.State.Bookmarks);
        Assert.Equal("cb#2", bookmark.ExecutionId);
        Assert.Equal(2, driver.OpenTasksOf("cb").Count());
        driver.Complete("cb", JinanLiaison, data: new() { ["amount"] = 5 });
        driver.Complete("cb", QingdaoLiaison, data: new() { ["amount"] = 7 });
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.Equal(14, (int)driver.State.Data["fee"]!);
    }

    [Fact]
    public void A_loop_without_any_waiting_step_stops_with_an_incident()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .SetVariables("a", "甲", null)
            .SetVariables("b", "乙", null)
            .End()
            .Chain("start", "a", "b", "a")
            .Build(), new FakeScriptEvaluator());

        var started = driver.Start(Wang);

        Assert.Equal(WorkflowStatus.Faulted, started.State.Status);
        Assert.Contains(WorkflowRunner.MaxStepsPerEvent.ToString(), started.State.Incident!.Message);
        Assert.Contains(started.State.Incident.ActivityId, new[] { "a", "b" });
        Assert.Equal(WorkflowRunner.MaxStepsPerEvent, started.Effects.Journal.Count(j => j.Kind == JournalKind.ActivityStarted));
        Assert.Single(started.Effects.Journal, j => j.Kind == JournalKind.ActivityFaulted);
    }

    [Fact]
    public void A_step_with_nobody_to_assign_becomes_an_incident()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("cb", "承办", Assign.Users("nobody"))
            .End()
            .Chain("start", "cb").Connect("cb", "end", "提交")
            .Build());

        var started = driver.Start(Wang);

        Assert.Equal(WorkflowStatus.Faulted, started.State.Status);
        Assert.Equal("cb", started.State.Incident!.ActivityId);
        Assert.Contains("承办", started.State.Incident.Message);
        Assert.Empty(started.Effects.NewTasks);
    }
}
