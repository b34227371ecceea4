using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>
/// 撤回 on a 交办 (Assign) step (docs/decisions/031): the 主办 takes its consolidated report back while the next step has
/// not acted; a 协办 takes its input back while the 主办 has not submitted.
/// </summary>
public class AssignRecallTests
{
    /// <summary>登记 → 交办 (主办 法制处, 协办 济南 and 青岛) → 审核 (通过 → 办结).</summary>
    private static WorkflowDriver Started(string completion = AssignActivity.CompletionLead)
    {
        var flow = FlowBuilder.Define("jiaoban-recall", "交办撤回")
            .Form("item", "督办事项", Field.Text("title", "事项名称", required: true), Field.Text("report", "办理情况"))
            .Form("co", "协办意见", Field.Opinion("coOpinion", "协办意见"), Field.Text("coContact", "联系人"))
            .Start(form: "item")
            .Node("assign", ActivityTypes.Assign, "交办",
                ("lead", In.Literal(Legal)), ("co", In.Literal(new[] { Jinan, Qingdao })), ("completion", In.Literal(completion)),
                ("form", In.Literal("item")),
                ("fieldPermissions", In.Literal(new Dictionary<string, FieldPermission> { ["title"] = FieldPermission.ReadOnly })),
                ("coForm", In.Literal("co")), ("dueIn", In.Literal("P10D")), ("coDueIn", In.Literal("P5D")))
            .UserTask("review", "审核", Assign.Role(Roles.Supervisor), outcomes: ["通过"])
            .End()
            .Chain("start", "assign")
            .Connect("assign", "review", "提交")
            .Connect("review", "end", "通过")
            .Build();
        var driver = new WorkflowDriver(flow);
        driver.Start(Wang, new JsonObject { ["title"] = "推进行政复议体制改革" });
        return driver;
    }

    private static TaskRequest TaskFor(WorkflowDriver driver, string unit) =>
        driver.OpenTasksOf("assign").Single(t => t.Assignee == TaskAssignee.Unit(unit));

    private static Bookmark Step(WorkflowDriver driver) => driver.State.Bookmarks.Single(b => b.Kind == AssignActivity.StepBookmark);

    private static string StatusOf(WorkflowDriver driver, string unit) =>
        Step(driver).Payload["units"]!.AsArray().Single(e => (string?)e!["unitId"] == unit)!["status"]!.GetValue<string>();

    [Fact]
    public void The_lead_recalls_its_report_and_the_whole_step_waits_again_as_it_was()
    {
        var driver = Started();
        var (lead, jinan, qingdao) = (TaskFor(driver, Legal), TaskFor(driver, Jinan), TaskFor(driver, Qingdao));
        driver.CompleteTask(jinan, JinanLiaison, data: new JsonObject { ["coOpinion"] = "建议补充数据" });
        var stepBefore = Step(driver).Payload.ToJsonString();
        var waitingBefore = driver.State.Bookmarks.Select(b => (b.Id, b.Payload.ToJsonString())).Order().ToList();
        var assignedBefore = (driver.State.AssignedUnits!.Lead, string.Join(",", driver.State.AssignedUnits.Co));
        driver.CompleteTask(lead, LegalLiaison, data: new JsonObject { ["report"] = "已汇总济南意见" }, comment: "请审核");
        var review = driver.TaskOf("review", Wang);
        Assert.DoesNotContain(driver.State.Bookmarks, b => b.ActivityId == "assign"); // 青岛's open task was cancelled with the step

        var recalled = driver.Recall(lead, LegalLiaison);

        // The step's bookmark with its unit entries, 主办's and 青岛's waiting points: as they were, same ids and payloads.
        Assert.Equal(waitingBefore, driver.State.Bookmarks.Select(b => (b.Id, b.Payload.ToJsonString())).Order().ToList());
        Assert.Equal(stepBefore, Step(driver).Payload.ToJsonString());
        Assert.Equal(new[] { lead.Id, qingdao.Id }.Order(), recalled.Effects.ReopenedTaskIds.Order());
        Assert.Contains(review.BookmarkId!, recalled.Effects.RemovedBookmarkIds);
        Assert.Empty(driver.OpenTasksOf("review"));
        Assert.Equal(("open", "submitted", "open"), (StatusOf(driver, Legal), StatusOf(driver, Jinan), StatusOf(driver, Qingdao)));
        var effect = Assert.Single(recalled.Effects.Assignments);
        Assert.Equal((AssignmentEffectKind.Recalled, lead.Id, Legal, AssignActivity.Lead), (effect.Kind, effect.TaskId, effect.UnitId, effect.Role));
        Assert.DoesNotContain(driver.State.Submissions, s => s.ActivityId == "assign");
        Assert.Equal("已汇总济南意见", (string?)driver.State.Data["report"]);
        Assert.Equal(assignedBefore, (driver.State.AssignedUnits!.Lead, string.Join(",", driver.State.AssignedUnits.Co)));
        var line = Assert.Single(recalled.Effects.Journal, j => j.Kind == JournalKind.TaskRecalled);
        Assert.Equal((lead.Id, LegalLiaison, "assign", "主办", "法制处"),
            (line.TaskId, line.ActorId, line.ActivityId, (string?)line.Data!["roleName"], (string?)line.Data["unitName"]));
        Assert.Null(driver.State.Recall);

        // The step goes on as before: 青岛 submits, the 主办 reports again, once.
        driver.CompleteTask(qingdao, QingdaoLiaison, data: new JsonObject { ["coOpinion"] = "无不同意见" });
        driver.CompleteTask(lead, LegalLiaison, data: new JsonObject { ["report"] = "已汇总济南、青岛意见" });
        Assert.Single(driver.OpenTasksOf("review"));
        Assert.Single(driver.State.Submissions, s => s.ActivityId == "assign");
    }

    [Fact]
    public void The_lead_cannot_recall_after_the_next_step_acted_nor_can_anyone_else()
    {
        var driver = Started();
        var lead = TaskFor(driver, Legal);
        driver.CompleteTask(lead, LegalLiaison, data: new JsonObject { ["report"] = "报告" });
        var before = driver.StateJson();

        var other = Assert.Throws<WorkflowConflictException>(() => driver.Recall(lead, JinanLiaison));
        Assert.Equal("只有办理该环节的人可以撤回", other.Message);
        Assert.Equal(before, driver.StateJson());

        driver.Complete("review", Wang, "通过");
        Assert.Throws<WorkflowConflictException>(() => driver.Recall(lead, LegalLiaison));
    }

    [Fact]
    public void A_co_unit_recalls_its_input_while_the_lead_has_not_submitted_and_its_task_waits_where_it_did()
    {
        var driver = Started();
        var jinan = TaskFor(driver, Jinan);
        var made = driver.State.FindBookmark(jinan.BookmarkId!)!.Payload.ToJsonString();
        driver.CompleteTask(jinan, JinanLiaison, data: new JsonObject { ["coOpinion"] = "建议补充数据" });
        driver.Complete("assign", QingdaoLiaison, data: new JsonObject { ["coOpinion"] = "同意" }); // another 协办 does not stand in the way

        var recalled = driver.Recall(jinan, JinanLiaison);

        Assert.Equal(made, driver.State.FindBookmark(jinan.BookmarkId!)!.Payload.ToJsonString());
        Assert.Equal([jinan.Id], recalled.Effects.ReopenedTaskIds);
        Assert.Empty(recalled.Effects.RemovedBookmarkIds);
        Assert.Equal(("open", "open", "submitted"), (StatusOf(driver, Legal), StatusOf(driver, Jinan), StatusOf(driver, Qingdao)));
        var effect = Assert.Single(recalled.Effects.Assignments);
        Assert.Equal((AssignmentEffectKind.Recalled, jinan.Id, Jinan, AssignActivity.Co), (effect.Kind, effect.TaskId, effect.UnitId, effect.Role));
        var line = Assert.Single(recalled.Effects.Journal);
        Assert.Equal((JournalKind.TaskRecalled, jinan.Id, JinanLiaison, "协办"), (line.Kind, line.TaskId, line.ActorId, (string?)line.Data!["roleName"]));

        // Submitted again, it is received again.
        driver.CompleteTask(jinan, JinanLiaison, data: new JsonObject { ["coOpinion"] = "补充了数据" });
        Assert.Equal("submitted", StatusOf(driver, Jinan));
    }

    [Fact]
    public void With_completion_all_a_recalled_co_input_makes_the_lead_wait_for_it_again()
    {
        var driver = Started(AssignActivity.CompletionAll);
        var jinan = TaskFor(driver, Jinan);
        driver.CompleteTask(jinan, JinanLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        driver.Complete("assign", QingdaoLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        driver.Recall(jinan, JinanLiaison);

        var early = Assert.Throws<WorkflowConflictException>(() => driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "报告" }));
        Assert.Contains("济南市局", early.Message);
    }

    [Fact]
    public void A_co_recall_is_refused_to_others_before_submitting_and_once_the_lead_has_submitted()
    {
        var driver = Started();
        var jinan = TaskFor(driver, Jinan);
        var notYet = Assert.Throws<WorkflowConflictException>(() => driver.Recall(jinan, JinanLiaison));
        Assert.Equal("该协办意见尚未提交，无需撤回", notYet.Message);

        driver.CompleteTask(jinan, JinanLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        var before = driver.StateJson();
        var other = Assert.Throws<WorkflowConflictException>(() => driver.Recall(jinan, Wang));
        Assert.Equal("只有提交该协办意见的人可以撤回", other.Message);
        Assert.Equal(before, driver.StateJson());
        Assert.Null(WorkflowRunner.RecallableNext(driver.State, jinan.Id, Wang));
        Assert.Empty(WorkflowRunner.RecallableNext(driver.State, jinan.Id, JinanLiaison)!);

        driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "报告" });
        Assert.Throws<WorkflowConflictException>(() => driver.Recall(jinan, JinanLiaison));
        Assert.Null(WorkflowRunner.RecallableNext(driver.State, jinan.Id, JinanLiaison));
    }
}
