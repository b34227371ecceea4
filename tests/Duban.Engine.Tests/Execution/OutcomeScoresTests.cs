using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>
/// A step's outcome that counts in 考核 (<c>outcomeScores</c>): the deciding completion's journal line names the event and
/// the unit whose submission the step judged (docs/decisions/027).
/// </summary>
public class OutcomeScoresTests
{
    private static readonly Dictionary<string, string> Scores = new() { ["退回"] = "own-poor-report", ["表扬"] = "own-praise" };

    /// <summary>登记 → 办理 (法制处, a unit task) → 审核 by the office (通过 / 表扬 / 退回 → 办理).</summary>
    private static WorkflowDefinition Flow(string? countersign = null, AssigneeRule? reviewers = null, bool reportStep = true)
    {
        var flow = FlowBuilder.Define("scored", "考核结果")
            .Form("item", "事项", Field.Text("title", "事项名称", required: true), Field.Text("report", "办理情况"))
            .Start(form: "item");
        if (reportStep) flow = flow.UserTask("report", "办理", Assign.Units(Legal), form: "item");
        flow = flow.Node("review", ActivityTypes.UserTask, "审核",
                ("assignee", In.Literal(reviewers ?? Assign.Role(Roles.Supervisor))),
                ("outcomes", In.Literal(new[] { "通过", "表扬", "退回" })),
                ("countersign", countersign is null ? null : In.Literal(countersign)),
                (UserTaskOutcomeScores.Input, In.Literal(Scores)))
            .End();
        if (reportStep) flow = flow.Chain("start", "report").Connect("report", "review", "提交").Connect("review", "report", "退回");
        else flow = flow.Chain("start", "review").Connect("review", "start", "退回");
        return flow.Connect("review", "end", "通过").Connect("review", "end", "表扬").Build();
    }

    private static JournalRecord Completion(WorkflowDriver driver) =>
        driver.Journal.Last(j => j.Kind == JournalKind.TaskCompleted && j.ActivityId == "review");

    [Fact]
    public void A_send_back_that_counts_names_the_event_and_the_unit_whose_report_was_judged()
    {
        var driver = new WorkflowDriver(Flow());
        driver.Start(Wang, new JsonObject { ["title"] = "推进依法行政" });
        driver.Complete("report", LegalLiaison, data: new JsonObject { ["report"] = "已完成" });

        driver.Complete("review", Wang, "退回", comment: "材料不全");

        var line = Completion(driver);
        Assert.Equal("own-poor-report", (string?)line.Data![UserTaskOutcomeScores.EventFlag]);
        Assert.Equal(Legal, (string?)line.Data[UserTaskOutcomeScores.JudgedUnit]);
        Assert.Equal("法制处", (string?)line.Data["judgedUnitName"]);
        Assert.True((bool)line.Data[UserTaskSendBack.JournalFlag]!);
        Assert.Equal((Legal, "own-poor-report"), UserTaskOutcomeScores.Read(line.Data.ToJsonString()) is { } read ? (read.Unit, read.Event) : default);

        // The redo is judged again: 通过 has no event, so nothing counts.
        driver.Complete("report", LegalLiaison, data: new JsonObject { ["report"] = "已补充" });
        driver.Complete("review", Wang, "通过");
        Assert.Null(Completion(driver).Data);
        Assert.Null(UserTaskOutcomeScores.Read((string?)null));
    }

    [Fact]
    public void In_a_countersign_only_the_completion_that_decides_the_step_counts()
    {
        var driver = new WorkflowDriver(Flow(countersign: UserTaskActivity.All, reviewers: Assign.Users(Wang, Zhao)));
        driver.Start(Wang, new JsonObject { ["title"] = "推进依法行政" });
        driver.Complete("report", LegalLiaison, data: new JsonObject { ["report"] = "已完成" });

        driver.Complete("review", Wang, "通过");
        driver.Complete("review", Zhao, "表扬");

        var lines = driver.Journal.Where(j => j.Kind == JournalKind.TaskCompleted && j.ActivityId == "review").ToList();
        Assert.Equal(2, lines.Count);
        Assert.Null(lines[0].Data);
        Assert.Equal("own-praise", (string?)lines[1].Data![UserTaskOutcomeScores.EventFlag]);
        Assert.Equal(Legal, (string?)lines[1].Data![UserTaskOutcomeScores.JudgedUnit]);
    }

    [Fact]
    public void A_step_that_judged_no_unit_s_work_counts_against_nobody()
    {
        // Right after 登记: the start form is the office's own registration, not a unit's work.
        var driver = new WorkflowDriver(Flow(reportStep: false));
        driver.Start(LegalLiaison, new JsonObject { ["title"] = "推进依法行政" });

        driver.Complete("review", Wang, "表扬");

        Assert.Null(Completion(driver).Data);
    }

    [Fact]
    public void An_event_on_an_outcome_the_step_does_not_have_is_a_design_error()
    {
        var definition = Flow();
        var review = definition.Root!.Find("review")!;
        review.Inputs[UserTaskOutcomeScores.Input] = System.Text.Json.JsonSerializer.SerializeToElement(
            In.Literal(new Dictionary<string, string> { ["不存在"] = "own-x" }), DefinitionJson.Options);

        var problems = new UserTaskActivity().Validate(review, definition).ToList();

        Assert.Contains("计入考核的结果「不存在」不在本环节的办理结果中", problems);
    }
}
