using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>Parallel branches combined with loops and timers, as real procedures use them.</summary>
public class ParallelScenarioTests
{
    [Fact]
    public void Join_waitAll_fires_again_in_each_round_of_a_return_loop()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .Fork("fork")
            .UserTask("a", "济南市局办理", Assign.Units(Jinan))
            .UserTask("b", "青岛市局办理", Assign.Units(Qingdao))
            .Join("join")
            .UserTask("sh", "审核", Assign.Users(Wang), outcomes: ["通过", "退回"])
            .End()
            .Chain("start", "fork").Connect("fork", "a").Connect("fork", "b")
            .Connect("a", "join", "提交").Connect("b", "join", "提交").Chain("join", "sh")
            .Connect("sh", "fork", "退回").Connect("sh", "end", "通过")
            .Build());
        driver.Start(Liu);

        for (var round = 1; round <= 2; round++)
        {
            driver.Complete("b", QingdaoLiaison);
            Assert.Empty(driver.OpenTasksOf("sh"));
            driver.Complete("a", JinanLiaison);
            Assert.Single(driver.OpenTasksOf("sh"));
            if (round == 1) driver.Complete("sh", Wang, "退回", comment: "两市数据不一致");
        }
        driver.Complete("sh", Wang, "通过");

        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
        Assert.Equal([1, 2], driver.RoundsOf("join"));
        Assert.Empty(driver.State.JoinArrivals);
    }

    [Fact]
    public void A_return_to_before_the_fork_starts_a_fresh_round_at_the_join()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("pre", "拟办", Assign.Users(Wang))
            .Fork("fork")
            .UserTask("a", "济南市局办理", Assign.Units(Jinan))
            .UserTask("b", "青岛市局办理", Assign.Units(Qingdao))
            .Join("join")
            .End()
            .Chain("start", "pre").Connect("pre", "fork", "提交").Connect("fork", "a").Connect("fork", "b")
            .Connect("a", "join", "提交").Connect("b", "join", "提交").Chain("join", "end")
            .Build());
        driver.Start(Liu);
        driver.Complete("pre", Wang);
        driver.Complete("a", JinanLiaison);
        driver.Return("b", QingdaoLiaison, "pre", "拟办意见不明确，请重新拟办");

        driver.Complete("pre", Wang);
        driver.Complete("b", QingdaoLiaison);

        // 济南市局's arrival from the first round must not count: its second-round task is still open.
        Assert.Equal(WorkflowStatus.Suspended, driver.State.Status);
        Assert.Single(driver.OpenTasksOf("a"));
        driver.Complete("a", JinanLiaison);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void A_step_cannot_be_sent_back_into_a_parallel_branch_that_is_still_open_or_to_a_later_step()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .Fork("fork")
            .UserTask("a", "济南市局办理", Assign.Units(Jinan))
            .UserTask("b", "青岛市局办理", Assign.Units(Qingdao))
            .Join("join")
            .UserTask("sh", "审核", Assign.Users(Wang))
            .End()
            .Chain("start", "fork").Connect("fork", "a").Connect("fork", "b")
            .Connect("a", "join", "提交").Connect("b", "join", "提交").Chain("join", "sh").Connect("sh", "end", "提交")
            .Build());
        driver.Start(Liu);

        var intoOpenBranch = Assert.Throws<WorkflowInputException>(() => driver.Return("a", JinanLiaison, "b", "退回"));
        Assert.Equal("targetActivityId", intoOpenBranch.Errors.Single().Field);
        var sideways = Assert.Throws<WorkflowInputException>(() => driver.Return("b", QingdaoLiaison, "a", "退回"));
        Assert.Equal("targetActivityId", sideways.Errors.Single().Field);
        Assert.Empty(WorkflowRunner.ReturnTargets(driver.Definition, driver.State, "b"));
    }

    /// <summary>限时办理: the task and a deadline timer race into a waitAny join; whichever comes first wins.</summary>
    private static WorkflowDriver Deadline() => new(FlowBuilder.Define()
        .Start()
        .Fork("fork")
        .UserTask("cb", "限时办理", Assign.Units(Jinan))
        .TimerFor("deadline", "办理期限", JsonValue.Create("P5D"))
        .Join("join", mode: JoinActivity.WaitAny)
        .UserTask("sh", "审核", Assign.Users(Wang))
        .End()
        .Chain("start", "fork").Connect("fork", "cb").Connect("fork", "deadline")
        .Connect("cb", "join", "提交").Connect("deadline", "join").Chain("join", "sh").Connect("sh", "end", "提交")
        .Build());

    [Fact]
    public void A_task_done_before_its_deadline_cancels_the_timer()
    {
        var driver = Deadline();
        driver.Start(Wang);
        var timer = Assert.Single(driver.PendingTimers);

        var done = driver.Complete("cb", JinanLiaison);

        Assert.Contains(timer.BookmarkId, done.Effects.RemovedBookmarkIds);
        Assert.Empty(driver.PendingTimers);
        Assert.Equal("sh", Assert.Single(driver.OpenTasks).ActivityId);
        // The timer row the host might still fire is refused.
        Assert.Throws<WorkflowConflictException>(() => driver.Runner.Resume(driver.Definition, driver.InstanceId, driver.State,
            timer.BookmarkId, new ResumeRequest(Duban.Engine.Directory.Actor.System), driver.Organization));
    }

    [Fact]
    public void A_deadline_passing_first_cancels_the_task()
    {
        var driver = Deadline();
        driver.Start(Wang);
        var task = driver.TaskOf("cb", JinanLiaison);

        var fired = driver.FireTimer("deadline");

        Assert.Contains(task.BookmarkId!, fired.Effects.RemovedBookmarkIds);
        Assert.Equal("sh", Assert.Single(driver.OpenTasks).ActivityId);
        Assert.Equal(FakeTimeProvider.DefaultStart.AddDays(5), driver.Clock.GetUtcNow());
        Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(task, JinanLiaison));
    }
}
