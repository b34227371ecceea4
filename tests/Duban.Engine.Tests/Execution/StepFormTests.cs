using System.Text.Json.Nodes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>
/// Form scripts run by the engine when a step is submitted: <c>item</c> is the item's data with this submission
/// merged in (what the form shows), <c>form</c> is the submission itself.
/// </summary>
public class StepFormTests
{
    private static readonly FormField Delayed = new() { Key = "delayed", Label = "是否延期", Type = FieldTypes.Checkbox };
    private static readonly FormField Reason = new()
    {
        Key = "reason", Label = "延期原因", Type = FieldTypes.Textarea, Required = true, VisibleWhen = "item.delayed === true",
    };

    private static WorkflowDriver Flow(params FormField[] fields) => new(FlowBuilder.Define()
        .Variable("rate", 2)
        .Form("f", "办理情况", fields)
        .Start(form: "f")
        .UserTask("cb", "承办", Assign.Units(Jinan), form: "f")
        .End()
        .Chain("start", "cb").Connect("cb", "end", "提交")
        .Build());

    [Fact]
    public void A_field_shown_by_the_submission_itself_is_required_on_the_start_form()
    {
        var driver = Flow(Delayed, Reason);

        var e = Assert.Throws<WorkflowInputException>(() => driver.Start(Wang, new JsonObject { ["delayed"] = true }));

        Assert.Equal("reason", Assert.Single(e.Errors).Field);
        Assert.Equal("材料未到", (string?)driver.Start(Wang, new JsonObject { ["delayed"] = true, ["reason"] = "材料未到" }).State.Data["reason"]);
    }

    [Fact]
    public void A_field_hidden_by_the_submission_is_not_required_at_a_later_step()
    {
        var driver = Flow(Delayed, Reason);
        driver.Start(Wang, new JsonObject { ["delayed"] = true, ["reason"] = "材料未到" });

        driver.Complete("cb", JinanLiaison, data: new JsonObject { ["delayed"] = false });

        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void Computed_fields_see_the_submitted_values_at_start_and_at_later_steps()
    {
        var driver = Flow(
            Field.Number("amount", "金额"),
            Field.Computed("fee", "费用", "item.amount * vars.rate"),
            Field.Computed("label", "说明", "'费用' + item.fee + '元'"));

        var started = driver.Start(Wang, new JsonObject { ["amount"] = 5 });
        Assert.Equal(10, (int)started.State.Data["fee"]!);
        Assert.Equal("费用10元", (string?)started.State.Data["label"]);

        var done = driver.Complete("cb", JinanLiaison, data: new JsonObject { ["amount"] = 7 });
        Assert.Equal(14, (int)done.State.Data["fee"]!);
        Assert.Equal("费用14元", (string?)done.State.Data["label"]);
    }
}
