using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>退回: through a 退回 port back to an earlier step, and at run time to a chosen earlier step.</summary>
public class LoopAndReturnTests
{
    /// <summary>承办 (济南市局) → 审核 (王督查: 通过 / 退回); 退回 goes back to 承办.</summary>
    private static WorkflowDriver ReviewLoop() => new(FlowBuilder.Define("review", "督办审核")
        .Form("f_cb", "办理情况", Field.Text("report", "办理情况", required: true), Field.Opinion("opinion", "审核意见"))
        .Start()
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f_cb")
        .UserTask("sh", "审核", Assign.Users(Wang), outcomes: ["通过", "退回"], form: "f_cb",
            permissions: new() { ["report"] = FieldPermission.ReadOnly })
        .End()
        .Chain("start", "cb")
        .Connect("cb", "sh", "提交")
        .Connect("sh", "end", "通过")
        .Connect("sh", "cb", "退回")
        .Build());

    [Fact]
    public void Three_returns_leave_three_rounds_in_the_journal()
    {
        var driver = ReviewLoop();
        driver.Start(Liu);

        for (var round = 1; round <= 3; round++)
        {
            var task = driver.TaskOf("cb", JinanLiaison);
            Assert.Equal($"cb#{round}", task.ExecutionId);
            driver.Complete("cb", JinanLiaison, data: new() { ["report"] = $"第{round}次办理情况" });
            driver.Complete("sh", Wang, "退回", comment: $"第{round}次退回：材料不全");
        }
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "已全部整改" });
        var approved = driver.Complete("sh", Wang, "通过", data: new() { ["opinion"] = "同意办结" });

        Assert.Equal(WorkflowStatus.Completed, approved.State.Status);
        Assert.Equal([1, 2, 3, 4], driver.RoundsOf("cb"));
        Assert.Equal([1, 2, 3, 4], driver.RoundsOf("sh"));
        var returns = driver.Journal.Where(j => j.Kind == JournalKind.TaskCompleted && j.Outcome == "退回").ToList();
        Assert.Equal(3, returns.Count);
        Assert.All(returns, r => Assert.Equal(("sh", Wang), (r.ActivityId, r.ActorId)));
        Assert.Equal([1, 2, 3], returns.Select(r => r.Round));
        Assert.Equal("第2次退回：材料不全", returns[1].Comment);
        Assert.Equal(4, approved.State.Rounds["cb"]);
        Assert.Equal("已全部整改", (string?)approved.State.Data["report"]);
        Assert.Single(approved.State.Data["opinion"]!.AsArray());
    }

    [Fact]
    public void Return_without_a_comment_is_refused()
    {
        var driver = ReviewLoop();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "办理情况" });
        var before = driver.StateJson();

        var e = Assert.Throws<WorkflowInputException>(() => driver.Complete("sh", Wang, "退回", comment: "  "));

        Assert.Equal("comment", Assert.Single(e.Errors).Field);
        Assert.Equal(before, driver.StateJson());
        Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, targetActivityId: null, comment: null));
        Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, targetActivityId: "cb", comment: ""));
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void Return_without_a_target_takes_the_steps_own_return_port()
    {
        var driver = ReviewLoop();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "办理情况" });

        var returned = driver.Return("sh", Wang, targetActivityId: null, comment: "请补充附件");

        Assert.Equal("cb#2", Assert.Single(returned.Effects.NewTasks).ExecutionId);
        Assert.Equal("退回", returned.Effects.Journal.Single(j => j.Kind == JournalKind.TaskCompleted).Outcome);
    }

    /// <summary>承办 → 审核 → 领导审批 → 办结, with no 退回 ports at all.</summary>
    private static WorkflowDriver ThreeSteps() => new(FlowBuilder.Define()
        .Start()
        .UserTask("cb", "承办", Assign.Units(Jinan))
        .UserTask("sh", "审核", Assign.Users(Wang))
        .UserTask("ld", "领导审批", Assign.Users(Liu), outcomes: ["同意"])
        .End()
        .Chain("start", "cb").Connect("cb", "sh", "提交").Connect("sh", "ld", "提交").Connect("ld", "end", "同意")
        .Build());

    [Fact]
    public void Return_to_a_chosen_earlier_step_cancels_this_step_and_runs_that_one_again()
    {
        var driver = ThreeSteps();
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison);
        driver.Complete("sh", Wang);
        var leaderBookmark = driver.TaskOf("ld", Liu).BookmarkId!;

        var returned = driver.Return("ld", Liu, targetActivityId: "cb", comment: "整改不到位，重新办理");

        Assert.Equal([leaderBookmark], returned.Effects.RemovedBookmarkIds);
        var again = Assert.Single(returned.Effects.NewTasks);
        Assert.Equal(("cb", "cb#2", TaskAssignee.Unit(Jinan)), (again.ActivityId, again.ExecutionId, again.Assignee));
        var journal = Assert.Single(returned.Effects.Journal, j => j.Kind == JournalKind.TaskReturned);
        Assert.Equal(("ld", Liu, "整改不到位，重新办理", "cb"), (journal.ActivityId, journal.ActorId, journal.Comment, (string?)journal.Data!["to"]));
        Assert.Single(returned.State.Bookmarks);
        Assert.Equal(WorkflowStatus.Suspended, returned.State.Status);

        driver.Complete("cb", JinanLiaison);
        driver.Complete("sh", Wang);
        var done = driver.Complete("ld", Liu);
        Assert.Equal(WorkflowStatus.Completed, done.State.Status);
        Assert.Equal([1, 2], driver.RoundsOf("ld"));
    }

    [Fact]
    public void Return_to_a_step_not_yet_handled_or_to_a_non_human_step_is_refused()
    {
        var driver = ThreeSteps();
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison);
        var before = driver.StateJson();

        Assert.Equal("targetActivityId", Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, "ld", "理由")).Errors[0].Field);
        Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, "start", "理由"));
        Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, "sh", "理由"));
        Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, "nowhere", "理由"));
        // No 退回 port and no target: the user must choose a step.
        Assert.Equal("targetActivityId", Assert.Throws<WorkflowInputException>(() => driver.Return("sh", Wang, null, "理由")).Errors[0].Field);
        Assert.Equal(before, driver.StateJson());
    }
}
