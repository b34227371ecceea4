using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>Late, duplicate and wrong events: refused with a conflict or an input error, the stored state untouched.</summary>
public class ConflictTests
{
    private static WorkflowDriver Flow() => new(FlowBuilder.Define()
        .Form("f_cb", "办理情况",
            Field.Text("report", "办理情况", required: true),
            Field.Number("progress", "完成进度", min: 0, max: 100),
            Field.Select("status", "办理状态", "办理中", "已办结"))
        .Start()
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f_cb")
        .UserTask("sh", "审核", Assign.Users(Wang, Zhao), outcomes: ["通过", "退回"], countersign: "all")
        .End()
        .Chain("start", "cb").Connect("cb", "sh", "提交").Connect("sh", "end", "通过").Connect("sh", "cb", "退回")
        .Build());

    private static readonly JsonObject ValidReport = new() { ["report"] = "已完成整改", ["progress"] = 100, ["status"] = "已办结" };

    [Fact]
    public void Resuming_an_already_consumed_bookmark_is_a_conflict_and_changes_nothing()
    {
        var driver = Flow();
        driver.Start(Liu);
        var task = driver.TaskOf("cb", JinanLiaison);
        var original = driver.State;
        var originalJson = driver.StateJson();

        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());

        // The runner worked on a copy: the state the first event started from is as it was.
        Assert.Equal(originalJson, JsonSerializer.Serialize(original, DefinitionJson.Options));
        var afterJson = driver.StateJson();

        // The same task again (a double click, a second browser tab): the bookmark is gone.
        var e = Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(task, JinanLiaison, data: ValidReport.DeepClone().AsObject()));
        Assert.Contains("已被", e.Message);
        Assert.Equal(afterJson, driver.StateJson());
    }

    [Fact]
    public void Completing_a_task_that_is_not_pending_is_a_conflict()
    {
        var driver = Flow();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());
        var wangTask = driver.TaskOf("sh", Wang);
        driver.Complete("sh", Wang, "通过");
        var before = driver.StateJson();

        // 会签: the bookmark still waits for 赵督查, but 王督查's task is already done.
        Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(wangTask, Wang, "通过"));
        // A task id the bookmark never had.
        Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(wangTask with { Id = Guid.NewGuid() }, Wang, "通过"));
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void An_invalid_outcome_is_an_input_error_naming_outcome()
    {
        var driver = Flow();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());
        var before = driver.StateJson();

        var invalid = Assert.Throws<WorkflowInputException>(() => driver.Complete("sh", Wang, "同意"));
        var missing = Assert.Throws<WorkflowInputException>(() => driver.Complete("sh", Wang, outcome: null));

        Assert.Equal("outcome", Assert.Single(invalid.Errors).Field);
        Assert.Contains("同意", invalid.Message);
        Assert.Contains("通过", invalid.Message);
        Assert.Equal("outcome", Assert.Single(missing.Errors).Field);
        Assert.Equal(before, driver.StateJson());
        Assert.Equal(2, driver.OpenTasksOf("sh").Count());
    }

    [Fact]
    public void Invalid_form_data_is_an_input_error_with_per_field_errors_and_the_state_untouched()
    {
        var driver = Flow();
        driver.Start(Liu);
        var before = driver.StateJson();

        var e = Assert.Throws<WorkflowInputException>(() => driver.Complete("cb", JinanLiaison,
            data: new JsonObject { ["progress"] = 150, ["status"] = "不存在", ["extra"] = "x" }));

        Assert.Equal(["extra", "progress", "report", "status"], e.Errors.Select(f => f.Field).Order());
        Assert.Contains(e.Errors, f => f.Field == "progress" && f.Message.Contains("100"));
        Assert.Equal(before, driver.StateJson());
        Assert.Single(driver.OpenTasksOf("cb"));

        // Corrected, the same task goes through.
        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());
        Assert.Equal(100, (int)driver.State.Data["progress"]!);
    }

    [Fact]
    public void Form_data_for_a_step_without_a_form_is_refused()
    {
        var driver = Flow();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());
        var before = driver.StateJson();

        var e = Assert.Throws<WorkflowInputException>(() => driver.Complete("sh", Wang, "通过", data: new JsonObject { ["report"] = "改写" }));

        Assert.Equal("data", Assert.Single(e.Errors).Field);
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void Events_for_a_completed_instance_are_conflicts()
    {
        var driver = Flow();
        driver.Start(Liu);
        driver.Complete("cb", JinanLiaison, data: ValidReport.DeepClone().AsObject());
        var zhaoTask = driver.TaskOf("sh", Zhao);
        driver.Complete("sh", Wang, "通过");
        driver.Complete("sh", Zhao, "通过");
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);

        Assert.Throws<WorkflowConflictException>(() => driver.CompleteTask(zhaoTask, Zhao, "通过"));
        Assert.Throws<WorkflowConflictException>(() => driver.Retry());
        Assert.Throws<WorkflowConflictException>(() => driver.Cancel(Liu));
    }
}
