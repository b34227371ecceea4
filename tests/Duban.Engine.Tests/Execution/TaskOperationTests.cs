using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>撤回 a completed step, 撤回 an item, 加签 / 减签 on a countersign (docs/decisions/031).</summary>
public class TaskOperationTests
{
    /// <summary>审定 (刘, 同意) → 承办 (济南市局) → 审核 (王督查).</summary>
    private static WorkflowDriver Approval() => new(FlowBuilder.Define("approval", "审定后承办")
        .Form("f", "办理", Field.Text("opinion", "审定意见"), Field.Text("report", "办理情况"))
        .Start()
        .UserTask("sd", "领导审定", Assign.Users(Liu), outcomes: ["同意"], form: "f")
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f")
        .UserTask("sh", "审核", Assign.Users(Wang), form: "f")
        .End()
        .Chain("start", "sd")
        .Connect("sd", "cb", "同意")
        .Connect("cb", "sh", "提交")
        .Connect("sh", "end", "提交")
        .Build());

    /// <summary>A countersign step of 刘 and 陈 in <paramref name="mode"/>, then 审核.</summary>
    private static WorkflowDriver Countersign(string mode) => new(FlowBuilder.Define("cs", "会签")
        .Start()
        .UserTask("hq", "会签", Assign.Users(Liu, Chen), outcomes: ["同意", "不同意"], countersign: mode)
        .UserTask("sh", "审核", Assign.Users(Wang))
        .End()
        .Chain("start", "hq")
        .Connect("hq", "sh", "同意")
        .Connect("hq", "end", "不同意")
        .Connect("sh", "end", "提交")
        .Build());

    [Fact]
    public void Recall_before_the_next_step_acts_reopens_the_task_with_its_values_and_cancels_the_next_step()
    {
        var driver = Approval();
        driver.Start(Wang);
        var approve = driver.TaskOf("sd", Liu);
        driver.Complete("sd", Liu, "同意", data: new() { ["opinion"] = "同意交办" });
        var next = driver.TaskOf("cb", JinanLiaison);

        var recalled = driver.Recall(approve, Liu);

        Assert.Equal(WorkflowStatus.Suspended, recalled.State.Status);
        Assert.Contains(next.BookmarkId!, recalled.Effects.RemovedBookmarkIds);
        Assert.Equal([approve.Id], recalled.Effects.ReopenedTaskIds);
        Assert.Equal(approve.BookmarkId, Assert.Single(recalled.State.Bookmarks).Id);
        Assert.Equal("同意交办", (string?)recalled.State.Data["opinion"]);
        Assert.DoesNotContain(Liu, recalled.State.Approvers);
        Assert.DoesNotContain(recalled.State.Submissions, s => s.ActivityId == "sd");
        var line = Assert.Single(recalled.Effects.Journal, j => j.Kind == JournalKind.TaskRecalled);
        Assert.Equal((approve.Id, Liu, "sd"), (line.TaskId, line.ActorId, line.ActivityId));
        Assert.Null(recalled.State.Recall);

        // Completed again, the step goes on as before: one 承办 task, one submission of 审定.
        driver.Complete("sd", Liu, "同意", data: new() { ["opinion"] = "同意，限期办结" });
        Assert.Single(driver.OpenTasksOf("cb"));
        Assert.Single(driver.State.Submissions, s => s.ActivityId == "sd");
    }

    [Fact]
    public void Recall_after_the_next_step_acted_is_refused_and_changes_nothing()
    {
        var driver = Approval();
        driver.Start(Wang);
        var approve = driver.TaskOf("sd", Liu);
        driver.Complete("sd", Liu, "同意");
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "已办理" });
        var before = driver.StateJson();

        var e = Assert.Throws<WorkflowConflictException>(() => driver.Recall(approve, Liu));

        Assert.Contains("不能撤回", e.Message);
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void Only_the_person_who_completed_the_step_may_recall_it()
    {
        var driver = Approval();
        driver.Start(Wang);
        var approve = driver.TaskOf("sd", Liu);
        driver.Complete("sd", Liu, "同意");

        var e = Assert.Throws<WorkflowConflictException>(() => driver.Recall(approve, Wang));
        Assert.Equal("只有办理该环节的人可以撤回", e.Message);
    }

    [Fact]
    public void Any_change_to_the_next_step_refuses_the_recall_of_the_countersign_that_led_to_it()
    {
        var driver = Countersign(UserTaskActivity.All);
        driver.Start(Wang);
        driver.Complete("hq", Liu, "同意");
        var chen = driver.TaskOf("hq", Chen);
        driver.Complete("hq", Chen, "同意");
        var review = driver.TaskOf("sh", Wang);
        Assert.NotNull(driver.State.Recall);
        driver.EditState(s => s.FindBookmark(review.BookmarkId!)!.Payload["queue"]!.AsArray().Add("user:zhao"));

        Assert.Throws<WorkflowConflictException>(() => driver.Recall(chen, Chen));
    }

    [Fact]
    public void Recalling_the_deciding_or_sign_reopens_every_signers_task()
    {
        var driver = Countersign(UserTaskActivity.Any);
        driver.Start(Wang);
        var liu = driver.TaskOf("hq", Liu);
        var chen = driver.TaskOf("hq", Chen);
        driver.Complete("hq", Liu, "同意");
        Assert.Empty(driver.OpenTasksOf("hq"));

        var recalled = driver.Recall(liu, Liu);

        Assert.Equal(new[] { liu.Id, chen.Id }.Order(), recalled.Effects.ReopenedTaskIds.Order());
        Assert.Empty(driver.OpenTasksOf("sh"));
        driver.Complete("hq", Chen, "不同意");
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void A_countersign_vote_that_did_not_decide_the_step_leaves_nothing_to_recall()
    {
        var driver = Countersign(UserTaskActivity.All);
        driver.Start(Wang);
        var liu = driver.TaskOf("hq", Liu);
        driver.Complete("hq", Liu, "同意");

        Assert.Null(driver.State.Recall);
        Assert.Throws<WorkflowConflictException>(() => driver.Recall(liu, Liu));
    }

    [Fact]
    public void The_initiator_withdraws_the_item_and_it_ends_as_withdrawn()
    {
        var driver = Approval();
        driver.Start(Wang);

        var e = Assert.Throws<WorkflowConflictException>(() => driver.Withdraw(Liu));
        Assert.Equal("只有发起人可以撤回事项", e.Message);
        var withdrawn = driver.Withdraw(Wang, "登记有误");

        Assert.Equal(WorkflowStatus.Cancelled, withdrawn.State.Status);
        Assert.Equal(WorkflowRunner.WithdrawnResult, withdrawn.State.Result);
        Assert.Empty(withdrawn.State.Bookmarks);
        var line = Assert.Single(withdrawn.Effects.Journal);
        Assert.Equal((JournalKind.InstanceWithdrawn, Wang, "登记有误"), (line.Kind, line.ActorId, line.Comment));
        Assert.Throws<WorkflowConflictException>(() => driver.Withdraw(Wang));
    }

    [Fact]
    public void A_signer_added_to_an_all_countersign_gets_a_task_with_the_steps_deadline_and_the_step_waits_for_him()
    {
        var driver = Countersign(UserTaskActivity.All);
        driver.Start(Wang);
        var due = new DateTimeOffset(2025, 6, 9, 18, 0, 0, TimeSpan.FromHours(8));

        var added = driver.AddSigner("hq", Liu, Zhao, due);

        var task = Assert.Single(added.Effects.NewTasks);
        Assert.Equal((Zhao, due), (task.Assignee.UserId, task.DueAt));
        Assert.Equal(Zhao, (string?)Assert.Single(added.Effects.Journal, j => j.Kind == JournalKind.SignerAdded).Data!["userId"]);
        driver.Complete("hq", Liu, "同意");
        driver.Complete("hq", Chen, "同意");
        Assert.Empty(driver.OpenTasksOf("sh"));
        driver.Complete("hq", Zhao, "同意");
        Assert.Single(driver.OpenTasksOf("sh"));
    }

    [Fact]
    public void A_removed_signers_task_is_cancelled_and_the_step_completes_on_the_rest()
    {
        var driver = Countersign(UserTaskActivity.All);
        driver.Start(Wang);
        var chen = driver.TaskOf("hq", Chen);

        var removed = driver.RemoveSigner("hq", Liu, chen.Id);

        Assert.Equal([chen.Id], removed.Effects.CancelledTaskIds);
        Assert.Single(removed.Effects.Journal, j => j.Kind == JournalKind.SignerRemoved && j.TaskId == chen.Id);
        driver.Complete("hq", Liu, "同意");
        Assert.Single(driver.OpenTasksOf("sh"));
    }

    [Fact]
    public void Removing_the_last_signer_or_one_who_acted_is_refused()
    {
        var driver = Countersign(UserTaskActivity.All);
        driver.Start(Wang);
        var liu = driver.TaskOf("hq", Liu);
        var chen = driver.TaskOf("hq", Chen);
        driver.Complete("hq", Liu, "同意");
        var before = driver.StateJson();

        Assert.Equal("该办理人已办理，不能减签", Assert.Throws<WorkflowConflictException>(() => driver.RemoveSigner("hq", Wang, liu.Id)).Message);
        Assert.Contains("至少要保留一位", Assert.Throws<WorkflowConflictException>(() => driver.RemoveSigner("hq", Wang, chen.Id)).Message);
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void A_signer_added_to_a_sequence_joins_the_end_of_the_line_and_can_be_taken_off_it()
    {
        var driver = Countersign(UserTaskActivity.Sequence);
        driver.Start(Wang);
        driver.AddSigner("hq", Liu, Zhao);
        Assert.Throws<WorkflowInputException>(() => driver.AddSigner("hq", Liu, Zhao));
        driver.Complete("hq", Liu, "同意");
        driver.Complete("hq", Chen, "同意");
        Assert.Single(driver.OpenTasksOf("hq"), t => t.Assignee.UserId == Zhao);

        var other = Countersign(UserTaskActivity.Sequence);
        other.Start(Wang);
        other.AddSigner("hq", Liu, Zhao);
        other.RemoveSigner("hq", Liu, taskId: null, queuedUserId: Chen);
        other.Complete("hq", Liu, "同意");
        Assert.Single(other.OpenTasksOf("hq"), t => t.Assignee.UserId == Zhao);
    }

    [Fact]
    public void A_single_person_step_takes_no_added_signers()
    {
        var driver = Approval();
        driver.Start(Wang);
        var e = Assert.Throws<WorkflowInputException>(() => driver.AddSigner("sd", Liu, Zhao));
        Assert.Contains("单人办理", e.Message + string.Join("", e.Errors.Select(x => x.Message)));
    }
}
