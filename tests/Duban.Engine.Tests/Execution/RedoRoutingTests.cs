using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>
/// 「退回后重新提交」 (docs/decisions/032): a step that sends back either lets the redo walk the steps again (逐级流转) or
/// brings it straight back (直达退回环节); and the opinion the reviewer typed before sending back is kept.
/// </summary>
public class RedoRoutingTests
{
    /// <summary>承办 (济南) → 初审 (王督查) → 领导审定 (刘, 同意 / 退回 → 承办); 审定 may also send back to a chosen step.</summary>
    private static WorkflowDriver Flow(string? afterRedo) => new(FlowBuilder.Define("redo", "退回重办")
        .Form("f", "办理情况", Field.Text("report", "办理情况"), Field.Opinion("opinion", "审定意见"))
        .Start()
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f", permissions: new() { ["opinion"] = FieldPermission.ReadOnly })
        .UserTask("cs", "初审", Assign.Users(Wang))
        .Node("sd", ActivityTypes.UserTask, "领导审定",
            ("assignee", In.Literal(Assign.Users(Liu))),
            ("outcomes", In.Literal(new[] { "同意", "退回" })),
            ("form", In.Literal("f")),
            ("fieldPermissions", In.Literal(new Dictionary<string, FieldPermission> { ["report"] = FieldPermission.ReadOnly, ["opinion"] = FieldPermission.AppendOnly })),
            (RedoRouting.Input, afterRedo is null ? null : In.Literal(afterRedo)))
        .End()
        .Chain("start", "cb").Connect("cb", "cs", "提交").Connect("cs", "sd", "提交")
        .Connect("sd", "end", "同意").Connect("sd", "cb", "退回")
        .Build());

    [Fact]
    public void The_setting_is_declared_on_the_human_step_as_a_select_defaulting_to_walk()
    {
        var input = new UserTaskActivity().Descriptor.Inputs.Single(i => i.Name == RedoRouting.Input);

        Assert.Equal("退回后重新提交", input.DisplayName);
        Assert.Equal(InputHints.Dropdown, input.UIHint);
        Assert.Equal(RedoRouting.Walk, input.DefaultValue?.ToString());
        Assert.Equal(["逐级流转", "直达退回环节"], input.Options!.Select(o => o.Label));
    }

    [Fact]
    public void By_default_the_redo_walks_the_steps_again()
    {
        var driver = Flow(afterRedo: null);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);
        driver.Complete("sd", Liu, "退回", comment: "数据不实");

        var redone = driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第二次" });

        Assert.Equal("cs", Assert.Single(redone.Effects.NewTasks).ActivityId);
    }

    [Fact]
    public void Set_to_direct_the_redo_comes_straight_back_to_the_step_that_sent_it_back()
    {
        var driver = Flow(RedoRouting.Direct);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);
        driver.Complete("sd", Liu, "退回", comment: "数据不实");

        var redone = driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第二次" });

        var next = Assert.Single(redone.Effects.NewTasks);
        Assert.Equal(("sd", "sd#2"), (next.ActivityId, next.ExecutionId));
        Assert.Equal([1], driver.RoundsOf("cs")); // 初审 is not asked again
        var jump = Assert.Single(redone.Effects.Journal, j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId == "cb");
        Assert.Equal(("sd", true), ((string?)jump.Data!["to"], (bool?)jump.Data[RedoRouting.DirectKey]));
        Assert.Empty(redone.State.DirectReturns);

        // Once back, the flow goes on as drawn: a second send-back is direct again, an approval ends the item.
        driver.Complete("sd", Liu, "同意");
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void Direct_applies_to_a_send_back_to_a_chosen_step_too()
    {
        var driver = Flow(RedoRouting.Direct);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);

        var returned = driver.Return("sd", Liu, targetActivityId: "cs", comment: "初审意见不明确");
        Assert.Equal("sd", returned.State.DirectReturns["cs"]);
        var redone = driver.Complete("cs", Wang);

        Assert.Equal("sd", Assert.Single(redone.Effects.NewTasks).ActivityId);
    }

    [Fact]
    public void A_direct_send_back_that_reaches_no_human_step_leaves_nothing_pending()
    {
        var driver = Flow(RedoRouting.Direct);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);
        var returned = driver.Complete("sd", Liu, "退回", comment: "数据不实");

        Assert.Null(returned.State.PendingDirectReturn);
        Assert.Equal("sd", returned.State.DirectReturns["cb"]);
    }

    [Fact]
    public void The_opinion_typed_before_sending_back_goes_with_the_send_back_not_into_the_item()
    {
        var driver = Flow(afterRedo: null);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);

        var returned = driver.Complete("sd", Liu, "退回", comment: "数据不实",
            data: new() { ["opinion"] = "  第三项数据与统计局口径不一致，请核实  ", ["report"] = "审定人改不了这里" });

        var line = Assert.Single(returned.Effects.Journal, j => j.Kind == JournalKind.TaskCompleted);
        var opinion = Assert.Single(line.Data![RedoRouting.OpinionsKey]!.AsArray())!;
        Assert.Equal(("opinion", "审定意见", "第三项数据与统计局口径不一致，请核实"),
            ((string?)opinion["key"], (string?)opinion["label"], (string?)opinion["text"]));
        Assert.Equal("第一次", (string?)returned.State.Data["report"]);
        Assert.Null(returned.State.Data["opinion"]);
    }

    [Fact]
    public void A_send_back_to_a_chosen_step_keeps_the_typed_opinion_as_well()
    {
        var driver = Flow(afterRedo: null);
        driver.Start(Zhao);
        driver.Complete("cb", JinanLiaison, data: new() { ["report"] = "第一次" });
        driver.Complete("cs", Wang);

        var returned = driver.Return("sd", Liu, "cb", "重新办理", new JsonObject { ["opinion"] = "请补充佐证材料" });

        var line = Assert.Single(returned.Effects.Journal, j => j.Kind == JournalKind.TaskReturned);
        Assert.Equal("请补充佐证材料", (string?)line.Data![RedoRouting.OpinionsKey]![0]!["text"]);
    }

    [Fact]
    public void A_stuck_step_handed_to_someone_runs_again_with_that_person()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("cb", "承办", Assign.Users("nobody"))
            .End()
            .Chain("start", "cb", "end")
            .Build());
        driver.Start(Zhao);
        Assert.Equal(WorkflowStatus.Faulted, driver.State.Status);

        var refused = Assert.Throws<WorkflowInputException>(() => driver.Retry(assignTo: "no-such-user"));
        Assert.Equal("toUserId", Assert.Single(refused.Errors).Field);
        var retried = driver.Retry(assignTo: Chen);

        var task = Assert.Single(retried.Effects.NewTasks);
        Assert.Equal(("cb", TaskAssignee.User(Chen)), (task.ActivityId, task.Assignee));
        Assert.Empty(retried.State.AssigneeOverrides);
        var line = Assert.Single(retried.Effects.Journal, j => j.Kind == JournalKind.IncidentRetried);
        Assert.Equal(Chen, (string?)line.Data!["assignTo"]);
    }
}
