using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>
/// An outcome that names a document (<c>outcomeDocuments</c>) or archives the item (<c>archiveOutcomes</c>): the engine
/// only records the intent on the run's effects, for the host to act on in the same transaction (docs/decisions/047).
/// </summary>
public class OutcomeDocumentsTests
{
    /// <summary>登记 → 审核 by the office (交办 → 办理 / 归档 → end / 退回 → 登记).</summary>
    private static WorkflowDefinition Flow(string? countersign = null, AssigneeRule? reviewers = null) =>
        FlowBuilder.Define("papers", "文书结果")
            .Form("item", "事项", Field.Text("title", "事项名称", required: true))
            .Start(form: "item")
            .Node("review", ActivityTypes.UserTask, "审核",
                ("assignee", In.Literal(reviewers ?? Assign.Role(Roles.Supervisor))),
                ("outcomes", In.Literal(new[] { "交办", "归档", "退回" })),
                ("countersign", countersign is null ? null : In.Literal(countersign)),
                (UserTaskOutcomeDocuments.Input, In.Literal(new Dictionary<string, string> { ["交办"] = "notice" })),
                (UserTaskOutcomeDocuments.ArchiveInput, In.Literal(new[] { "归档" })))
            .UserTask("handle", "办理", Assign.Units(Legal), form: "item")
            .End()
            .Chain("start", "review").Connect("review", "handle", "交办").Connect("review", "end", "归档").Connect("review", "start", "退回")
            .Connect("handle", "end", "提交")
            .Build();

    [Fact]
    public void The_outcome_that_names_a_template_asks_for_it_and_the_archive_outcome_asks_to_lock()
    {
        var driver = new WorkflowDriver(Flow());
        driver.Start(Wang, new JsonObject { ["title"] = "推进依法行政" });
        Assert.Empty(driver.LastEffects.Documents);

        driver.Complete("review", Wang, "交办");
        var request = Assert.Single(driver.LastEffects.Documents);
        Assert.Equal(new DocumentRequest("notice", "review", "审核", "交办"), request);
        Assert.False(driver.LastEffects.Archived);

        var again = new WorkflowDriver(Flow());
        again.Start(Wang, new JsonObject { ["title"] = "推进依法行政" });
        again.Complete("review", Wang, "归档");
        Assert.True(again.LastEffects.Archived);
        Assert.Empty(again.LastEffects.Documents);
    }

    [Fact]
    public void In_a_countersign_only_the_completion_that_decides_the_step_asks()
    {
        var driver = new WorkflowDriver(Flow(countersign: UserTaskActivity.All, reviewers: Assign.Users(Wang, Zhao)));
        driver.Start(Wang, new JsonObject { ["title"] = "推进依法行政" });
        driver.Complete("review", Wang, "交办");
        Assert.Empty(driver.LastEffects.Documents);
        driver.Complete("review", Zhao, "交办");
        Assert.Single(driver.LastEffects.Documents);
    }

    [Fact]
    public void Outcomes_the_step_does_not_have_and_an_archive_that_also_sends_a_document_are_design_errors()
    {
        var definition = Flow();
        var review = definition.Root!.Find("review")!;
        review.Inputs[UserTaskOutcomeDocuments.Input] = System.Text.Json.JsonSerializer.SerializeToElement(
            In.Literal(new Dictionary<string, string> { ["不存在"] = "notice", ["归档"] = "notice" }), DefinitionJson.Options);
        review.Inputs[UserTaskOutcomeDocuments.ArchiveInput] = System.Text.Json.JsonSerializer.SerializeToElement(
            In.Literal(new[] { "归档", "退回" }), DefinitionJson.Options);

        var problems = new UserTaskActivity().Validate(review, definition).ToList();

        Assert.Contains("生成文书的结果「不存在」不在本环节的办理结果中", problems);
        Assert.Contains("结果「退回」既是退回重办又是归档", problems);
        Assert.Contains("结果「归档」归档后事项不能再修改，不能同时生成并送达文书（请在前一环节生成）", problems);
    }

    [Fact]
    public void An_archive_outcome_that_does_not_lead_to_the_end_is_refused_naming_the_step_and_outcome()
    {
        Assert.Empty(new UserTaskActivity().Validate(Flow().Root!.Find("review")!, Flow()));

        // 归档 goes on to 办理: the item would wait on a step its lock refuses.
        var definition = FlowBuilder.Define("papers", "文书结果")
            .Form("item", "事项", Field.Text("title", "事项名称", required: true))
            .Start(form: "item")
            .Node("review", ActivityTypes.UserTask, "审核",
                ("assignee", In.Literal(Assign.Role(Roles.Supervisor))),
                ("outcomes", In.Literal(new[] { "交办", "归档" })),
                (UserTaskOutcomeDocuments.ArchiveInput, In.Literal(new[] { "归档" })))
            .UserTask("handle", "办理", Assign.Units(Legal), form: "item")
            .End()
            .Chain("start", "review").Connect("review", "handle", "交办").Connect("review", "handle", "归档")
            .Connect("handle", "end", "提交")
            .Build();

        var errors = new DefinitionValidator(ActivityRegistry.CreateDefault(), new Duban.Engine.Expressions.JintScriptEvaluator()).Validate(definition);

        Assert.Contains(errors, e => e.ActivityId == "review"
            && e.Message == "「审核」：结果「归档」归档后事项不能再修改，流程应直接结束，但其后还有「办理」（请把「归档」连到结束节点，或在前面的环节归档）");
    }
}
