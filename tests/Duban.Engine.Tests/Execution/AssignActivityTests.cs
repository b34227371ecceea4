using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>交办 (Duban.Assign): a 主办 unit and 协办 units, their inputs, completion, 退回, and mid-way changes.</summary>
public class AssignActivityTests
{
    private static FormField UnitField(string key, string label, bool multiple = false, bool required = false) =>
        new() { Key = key, Label = label, Type = FieldTypes.Unit, Multiple = multiple, Required = required };

    /// <summary>登记 (picks 主办 and 协办 on the form) → 交办 → 审核 (通过 / 退回 → 交办) → 办结.</summary>
    private static FlowBuilder Flow(string completion = AssignActivity.CompletionLead, string[]? outcomes = null, bool coForm = true,
        params (string Key, ActivityInput? Input)[] extra)
    {
        var inputs = new List<(string, ActivityInput?)>
        {
            ("lead", In.Js("item.leadUnit")),
            ("co", In.Js("item.coUnits")),
            ("form", In.Literal("item")),
            ("fieldPermissions", In.Literal(new Dictionary<string, FieldPermission>
            {
                ["title"] = FieldPermission.ReadOnly, ["leadUnit"] = FieldPermission.ReadOnly, ["coUnits"] = FieldPermission.ReadOnly,
            })),
            ("coForm", coForm ? In.Literal("co") : null),
            ("coFieldPermissions", coForm ? In.Literal(new Dictionary<string, FieldPermission> { ["title"] = FieldPermission.ReadOnly }) : null),
            ("completion", In.Literal(completion)),
            ("outcomes", outcomes is null ? null : In.Literal(outcomes)),
            ("dueIn", In.Literal("P10D")),
            ("coDueIn", In.Literal("P5D")),
        };
        inputs.AddRange(extra);
        return FlowBuilder.Define("jiaoban", "交办测试")
            .Form("item", "督办事项",
                Field.Text("title", "事项名称", required: true),
                UnitField("leadUnit", "主办单位", required: true),
                UnitField("coUnits", "协办单位", multiple: true),
                Field.Text("report", "办理情况"))
            .Form("co", "协办意见", Field.Text("title", "事项名称"), Field.Opinion("coOpinion", "协办意见"), Field.Text("coContact", "联系人"))
            .Start(form: "item")
            .Node("assign", ActivityTypes.Assign, "交办", [.. inputs])
            .UserTask("review", "审核", Assign.Role(Roles.Supervisor), outcomes: ["通过", "退回"])
            .End()
            .Chain("start", "assign")
            .Connect("assign", "review", (outcomes ?? ["提交"])[0])
            .Connect("review", "end", "通过").Connect("review", "assign", "退回");
    }

    private static JsonObject Item(string lead = Legal, params string[] co) => new()
    {
        ["title"] = "推进行政复议体制改革",
        ["leadUnit"] = lead,
        ["coUnits"] = new JsonArray(co.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
    };

    private static WorkflowDriver Started(FlowBuilder flow, JsonObject? item = null)
    {
        var driver = new WorkflowDriver(flow.Build());
        driver.Start(Wang, item ?? Item(Legal, Jinan, Qingdao));
        return driver;
    }

    private static TaskRequest TaskFor(WorkflowDriver driver, string unit) =>
        driver.OpenTasksOf("assign").Single(t => t.Assignee == TaskAssignee.Unit(unit));

    private static Bookmark Step(WorkflowDriver driver) => driver.State.Bookmarks.Single(b => b.Kind == AssignActivity.StepBookmark);

    private static RunResult Change(WorkflowDriver driver, string userId, JsonObject data, string? reason = "工作调整") =>
        driver.Apply(driver.Runner.Resume(driver.Definition, driver.InstanceId, driver.State, Step(driver).Id,
            new ResumeRequest(driver.Organization.ActorOf(userId)) { Outcome = AssignActivity.ChangeSignal, Data = data, Comment = reason },
            driver.Organization));

    [Fact]
    public void Each_unit_gets_a_task_for_its_liaisons_with_its_own_form_and_time_limit()
    {
        var driver = Started(Flow());

        var tasks = driver.OpenTasksOf("assign").ToList();
        Assert.Equal(3, tasks.Count);
        var lead = TaskFor(driver, Legal);
        Assert.Equal("交办（主办）", lead.Name);
        Assert.Equal("item", lead.FormId);
        Assert.Equal(["提交"], lead.Outcomes);
        Assert.Equal(driver.Clock.GetUtcNow().AddDays(10), lead.DueAt);
        var co = TaskFor(driver, Jinan);
        Assert.Equal("交办（协办）", co.Name);
        Assert.Equal("co", co.FormId);
        Assert.Equal(driver.Clock.GetUtcNow().AddDays(5), co.DueAt);
        Assert.Equal(FieldPermission.ReadOnly, co.Permissions["title"]);
        Assert.NotEqual(lead.BookmarkId, co.BookmarkId);

        var created = driver.Journal.Where(j => j.Kind == JournalKind.TaskCreated).ToList();
        Assert.Equal(["主办", "协办", "协办"], created.Select(j => (string)j.Data!["roleName"]!));
        Assert.Equal(["法制处", "济南市局", "青岛市局"], created.Select(j => (string)j.Data!["assigneeName"]!));
        var assigned = driver.LastEffects.Assignments;
        Assert.Equal([(Legal, AssignActivity.Lead), (Jinan, AssignActivity.Co), (Qingdao, AssignActivity.Co)],
            assigned.Select(a => (a.UnitId, a.Role)));
        Assert.All(assigned, a => Assert.Equal(AssignmentEffectKind.Assigned, a.Kind));
    }

    [Fact]
    public void Deadlines_in_working_days_the_co_units_their_own()
    {
        var flow = FlowBuilder.Define("jiaoban5", "交办时限")
            .Start()
            .Node("assign", ActivityTypes.Assign, "交办", ("lead", In.Literal(Legal)), ("co", In.Literal(new[] { Jinan })),
                ("deadline", In.Literal(10)), ("coDeadline", In.Literal(new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 })))
            .End()
            .Chain("start", "assign").Connect("assign", "end", "提交").Build();
        var friday = new DateTimeOffset(2025, 6, 6, 9, 0, 0, TimeSpan.FromHours(8));
        var driver = new WorkflowDriver(flow, clock: new FakeTimeProvider(friday));
        driver.Start(Wang);

        Assert.Equal(new DateOnly(2025, 6, 20), Duban.Engine.Calendar.ChinaTime.DateOf(TaskFor(driver, Legal).DueAt!.Value));
        Assert.Equal(new DateOnly(2025, 6, 13), Duban.Engine.Calendar.ChinaTime.DateOf(TaskFor(driver, Jinan).DueAt!.Value));
    }

    [Fact]
    public void A_co_unit_submits_its_own_input_apart_from_the_item_and_the_lead_then_completes_the_step()
    {
        var driver = Started(Flow());
        var before = (JsonObject)driver.State.Data.DeepClone();

        driver.Complete("assign", JinanLiaison, data: new JsonObject { ["coOpinion"] = "同意主办单位意见，建议补充数据", ["coContact"] = "王五" });

        Assert.True(JsonNode.DeepEquals(before, driver.State.Data), "a 协办's input must not change the item's data");
        var submitted = Assert.Single(driver.LastEffects.Assignments);
        Assert.Equal(AssignmentEffectKind.Submitted, submitted.Kind);
        Assert.Equal(Jinan, submitted.UnitId);
        Assert.Equal("王五", (string?)submitted.Input!["coContact"]);
        var opinion = submitted.Input["coOpinion"]!.AsArray().Single()!;
        Assert.Equal("同意主办单位意见，建议补充数据", (string?)opinion["text"]);
        Assert.Equal("济南联络员", (string?)opinion["userName"]);
        var completed = driver.Journal.Single(j => j.Kind == JournalKind.TaskCompleted);
        Assert.Equal(("协办", "济南市局"), ((string?)completed.Data!["roleName"], (string?)completed.Data["unitName"]));
        Assert.Equal(2, driver.OpenTasksOf("assign").Count());

        driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "已汇总济南意见，形成报告" });

        Assert.Equal("已汇总济南意见，形成报告", (string?)driver.State.Data["report"]);
        Assert.Empty(driver.OpenTasksOf("assign")); // 青岛's open task went with the step
        Assert.DoesNotContain(driver.State.Bookmarks, b => b.ActivityId == "assign");
        Assert.Single(driver.OpenTasksOf("review"));
        var lead = Assert.Single(driver.LastEffects.Assignments);
        Assert.Equal((Legal, AssignActivity.Lead), (lead.UnitId, lead.Role));
        Assert.Equal("已汇总济南意见，形成报告", (string?)lead.Input!["report"]);
    }

    [Fact]
    public void With_completion_all_the_lead_may_submit_only_after_every_co_unit()
    {
        var driver = Started(Flow(AssignActivity.CompletionAll));
        driver.Complete("assign", JinanLiaison, data: new JsonObject { ["coOpinion"] = "无意见" });
        var stateBefore = driver.StateJson();

        var early = Assert.Throws<WorkflowConflictException>(() => driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "报告" }));
        Assert.Contains("青岛市局", early.Message);
        Assert.Equal(stateBefore, driver.StateJson());

        driver.Complete("assign", QingdaoLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        Assert.Single(driver.OpenTasksOf("assign"));
        driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "报告" });
        Assert.Single(driver.OpenTasksOf("review"));
    }

    [Fact]
    public void A_co_unit_cannot_send_back_and_must_give_valid_input()
    {
        var driver = Started(Flow());
        var co = TaskFor(driver, Jinan);

        var back = Assert.Throws<WorkflowInputException>(() => driver.CompleteTask(co, JinanLiaison, "退回", comment: "不是我们的事"));
        Assert.Equal("outcome", back.Errors.Single().Field);
        var unknown = Assert.Throws<WorkflowInputException>(() => driver.CompleteTask(co, JinanLiaison, data: new JsonObject { ["report"] = "越权填写" }));
        Assert.Equal("report", unknown.Errors.Single().Field);
        var readOnly = Assert.Throws<WorkflowInputException>(() => driver.CompleteTask(co, JinanLiaison, data: new JsonObject { ["title"] = "改标题" }));
        Assert.Equal("title", readOnly.Errors.Single().Field);
        var withdraw = Assert.Throws<WorkflowInputException>(() =>
            driver.Runner.Return(driver.Definition, driver.InstanceId, driver.State, co.BookmarkId!, co.Id, "assign", "退回", driver.Organization.ActorOf(JinanLiaison), driver.Organization));
        Assert.Equal("targetActivityId", withdraw.Errors.Single().Field);

        var noForm = Started(Flow(coForm: false));
        var opinion = Assert.Throws<WorkflowInputException>(() => noForm.Complete("assign", JinanLiaison));
        Assert.Equal("comment", opinion.Errors.Single().Field);
        noForm.Complete("assign", JinanLiaison, comment: "同意");
        Assert.Equal("同意", noForm.Journal.Single(j => j.Kind == JournalKind.TaskCompleted).Comment);
    }

    [Fact]
    public void The_lead_sends_the_step_back_through_its_port_with_a_reason_and_every_open_task_goes()
    {
        var flow = Flow(outcomes: ["提交", "退回"])
            .UserTask("fix", "修改登记", Assign.Users(Wang))
            .Connect("assign", "fix", "退回").Connect("fix", "assign", "提交");
        var driver = Started(flow);
        driver.Complete("assign", JinanLiaison, data: new JsonObject { ["coOpinion"] = "同意" });

        var noReason = Assert.Throws<WorkflowInputException>(() => driver.Complete("assign", LegalLiaison, "退回"));
        Assert.Equal("comment", noReason.Errors.Single().Field);
        driver.Complete("assign", LegalLiaison, "退回", comment: "主办单位应为济南市局");

        Assert.Empty(driver.OpenTasksOf("assign"));
        Assert.Single(driver.OpenTasksOf("fix"));
        Assert.Null(driver.State.Data["report"]);
    }

    [Fact]
    public void Sending_back_from_a_later_step_runs_the_step_again_and_the_lead_can_return_to_an_earlier_step()
    {
        var flow = FlowBuilder.Define("jiaoban2", "交办退回")
            .Form("item", "督办事项", Field.Text("title", "事项名称"), Field.Text("report", "办理情况"))
            .Start(form: "item")
            .UserTask("draft", "拟办", Assign.Users(Wang), form: "item")
            .Node("assign", ActivityTypes.Assign, "交办", ("lead", In.Literal(Legal)), ("co", In.Literal(new[] { Jinan })), ("form", In.Literal("item")))
            .UserTask("review", "审核", Assign.Role(Roles.Supervisor), outcomes: ["通过", "退回"])
            .End()
            .Chain("start", "draft").Connect("draft", "assign", "提交").Connect("assign", "review", "提交")
            .Connect("review", "end", "通过").Connect("review", "assign", "退回");
        var driver = new WorkflowDriver(flow.Build());
        driver.Start(Wang, new JsonObject { ["title"] = "事项" });
        driver.Complete("draft", Wang);
        driver.Complete("assign", LegalLiaison, data: new JsonObject { ["report"] = "初稿" });

        var targets = WorkflowRunner.ReturnTargets(driver.Definition, driver.State, "review").Select(a => a.Id).ToList();
        Assert.Equal(["draft", "assign"], targets);
        driver.Complete("review", Wang, "退回", comment: "请补充");
        Assert.Equal([1, 2], driver.RoundsOf("assign"));
        Assert.Equal(2, driver.OpenTasksOf("assign").Count());

        var lead = TaskFor(driver, Legal);
        driver.Apply(driver.Runner.Return(driver.Definition, driver.InstanceId, driver.State, lead.BookmarkId!, lead.Id, "draft", "请先明确分工",
            driver.Organization.ActorOf(LegalLiaison), driver.Organization));
        Assert.Empty(driver.OpenTasksOf("assign"));
        Assert.DoesNotContain(driver.State.Bookmarks, b => b.ActivityId == "assign");
        Assert.Single(driver.OpenTasksOf("draft"));
        var returned = driver.Journal.Single(j => j.Kind == JournalKind.TaskReturned);
        Assert.Equal("请先明确分工", returned.Comment);
        Assert.Equal("draft", (string?)returned.Data!["to"]);
    }

    [Fact]
    public void Units_chosen_by_the_previous_step()
    {
        var flow = FlowBuilder.Define("jiaoban3", "上一环节选择单位")
            .Start()
            .UserTask("draft", "拟办", Assign.Users(Wang))
            .Node("assign", ActivityTypes.Assign, "交办", ("unitsFrom", In.Literal(AssignActivity.FromPrevious)))
            .End()
            .Chain("start", "draft").Connect("draft", "assign", "提交").Connect("assign", "end", "提交");
        var driver = new WorkflowDriver(flow.Build());
        driver.Start(Wang);

        var none = Assert.Throws<WorkflowInputException>(() => driver.Complete("draft", Wang));
        Assert.Equal("nextAssignees", none.Errors.Single().Field);
        var two = Assert.Throws<WorkflowInputException>(() => driver.Complete("draft", Wang, nextAssignees: new() { ["assign"] = [$"unit:{Legal}", $"unit:{Jinan}"] }));
        Assert.Contains("一个主办单位", two.Message);
        var person = Assert.Throws<WorkflowInputException>(() => driver.Complete("draft", Wang, nextAssignees: new() { ["assign"] = [$"user:{Wang}"] }));
        Assert.Contains("不存在", person.Message);

        driver.Complete("draft", Wang, nextAssignees: new()
        {
            ["assign:co"] = [$"unit:{Qingdao}", $"unit:{Legal}"],
            ["assign"] = [$"unit:{Legal}"],
        });
        Assert.Equal([TaskAssignee.Unit(Legal), TaskAssignee.Unit(Qingdao)], driver.OpenTasksOf("assign").Select(t => t.Assignee));
    }

    [Fact]
    public void The_office_adds_replaces_and_removes_units_while_the_step_waits()
    {
        var driver = Started(Flow(), Item(Legal, Jinan));
        var jinanTask = TaskFor(driver, Jinan);

        Change(driver, Wang, new JsonObject { ["action"] = "add", ["unitId"] = Qingdao });
        var added = TaskFor(driver, Qingdao);
        Assert.Equal("交办（协办）", added.Name);
        var change = driver.Journal.Last(j => j.Kind == JournalKind.AssignmentChanged);
        Assert.Equal("工作调整", change.Comment);
        Assert.Equal("add", (string?)change.Data!["action"]);
        Assert.Equal("青岛市局", (string?)change.Data["unitName"]);
        Assert.Equal("王督查", change.ActorName);

        Change(driver, Wang, new JsonObject { ["action"] = "replace", ["unitId"] = Jinan, ["newUnitId"] = Office }, "济南市局不承担此项职能");
        Assert.DoesNotContain(driver.OpenTasks, t => t.Id == jinanTask.Id);
        var office = TaskFor(driver, Office);
        var effects = driver.LastEffects.Assignments;
        Assert.Contains(effects, e => e is { Kind: AssignmentEffectKind.Replaced, UnitId: Jinan } && e.OtherTaskId == office.Id && e.Reason == "济南市局不承担此项职能");
        Assert.Contains(effects, e => e is { Kind: AssignmentEffectKind.Assigned, UnitId: Office, Role: AssignActivity.Co } && e.OtherTaskId == jinanTask.Id);
        Assert.Contains(jinanTask.BookmarkId!, driver.LastEffects.RemovedBookmarkIds);

        Change(driver, Wang, new JsonObject { ["action"] = "replace", ["unitId"] = Legal, ["newUnitId"] = Jinan });
        Assert.Equal("交办（主办）", TaskFor(driver, Jinan).Name);
        Change(driver, Wang, new JsonObject { ["action"] = "remove", ["unitId"] = Office });
        Assert.Equal([TaskAssignee.Unit(Qingdao), TaskAssignee.Unit(Jinan)], driver.OpenTasksOf("assign").Select(t => t.Assignee));
        Assert.Equal(4, driver.Journal.Count(j => j.Kind == JournalKind.AssignmentChanged));

        // The units as they now stand are what a later round of the step gets.
        driver.Complete("assign", QingdaoLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        driver.Complete("assign", JinanLiaison, data: new JsonObject { ["report"] = "报告" });
        driver.Complete("review", Wang, "退回", comment: "重办");
        Assert.Equal([TaskAssignee.Unit(Jinan), TaskAssignee.Unit(Qingdao)], driver.OpenTasksOf("assign").Select(t => t.Assignee));
    }

    [Fact]
    public void Changes_that_do_not_fit_are_refused_and_change_nothing()
    {
        var driver = Started(Flow(), Item(Legal, Jinan, Qingdao));
        driver.Complete("assign", JinanLiaison, data: new JsonObject { ["coOpinion"] = "同意" });
        var before = driver.StateJson();

        WorkflowInputException Input(JsonObject data, string? reason = "调整") =>
            Assert.Throws<WorkflowInputException>(() => Change(driver, Wang, data, reason));
        Assert.Equal("reason", Input(new JsonObject { ["action"] = "add", ["unitId"] = Office }, reason: " ").Errors.Single().Field);
        Assert.Equal("action", Input(new JsonObject { ["action"] = "swap", ["unitId"] = Office }).Errors.Single().Field);
        Assert.Equal("unitId", Input(new JsonObject { ["action"] = "add", ["unitId"] = "nowhere" }).Errors.Single().Field);
        Assert.Contains("已是本次交办的协办单位", Input(new JsonObject { ["action"] = "add", ["unitId"] = Qingdao }).Message);
        Assert.Equal("role", Input(new JsonObject { ["action"] = "add", ["unitId"] = Office, ["role"] = "lead" }).Errors.Single().Field);
        Assert.Equal("newUnitId", Input(new JsonObject { ["action"] = "replace", ["unitId"] = Qingdao, ["newUnitId"] = Legal }).Errors.Single().Field);
        Assert.Equal("unitId", Input(new JsonObject { ["action"] = "remove", ["unitId"] = Legal }).Errors.Single().Field);
        var submitted = Assert.Throws<WorkflowConflictException>(() => Change(driver, Wang, new JsonObject { ["action"] = "replace", ["unitId"] = Jinan, ["newUnitId"] = Office }));
        Assert.Contains("已提交", submitted.Message);
        var absent = Assert.Throws<WorkflowConflictException>(() => Change(driver, Wang, new JsonObject { ["action"] = "remove", ["unitId"] = Office }));
        Assert.Contains("不在本次交办中", absent.Message);
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void A_lead_that_is_not_a_unit_or_missing_is_an_incident_naming_the_step()
    {
        WorkflowDriver Run(ActivityInput lead)
        {
            var driver = new WorkflowDriver(FlowBuilder.Define("jiaoban4", "单位有误")
                .Start().Node("assign", ActivityTypes.Assign, "交办", ("lead", lead)).End()
                .Chain("start", "assign").Connect("assign", "end", "提交").Build());
            driver.Start(Wang);
            return driver;
        }
        var unknown = Run(In.Literal("nowhere"));
        Assert.Equal(WorkflowStatus.Faulted, unknown.State.Status);
        Assert.Contains("「交办」的单位「nowhere」不存在", unknown.State.Incident!.Message);
        Assert.Contains("没有得到主办单位", Run(In.Js("null")).State.Incident!.Message);
        Assert.Contains("只能有一个主办单位", Run(In.Js($"['{Legal}', '{Jinan}']")).State.Incident!.Message);
        Assert.Contains("应为单位", Run(In.Literal($"user:{Wang}")).State.Incident!.Message);
    }

    [Fact]
    public void The_lead_is_never_also_a_co_unit()
    {
        var driver = Started(Flow(), Item(Legal, Legal, Jinan, Jinan));
        Assert.Equal([TaskAssignee.Unit(Legal), TaskAssignee.Unit(Jinan)], driver.OpenTasksOf("assign").Select(t => t.Assignee));
    }

    // ───────────── validation ─────────────

    private static readonly DefinitionValidator Validator = new(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());

    [Fact]
    public void A_well_formed_assign_step_validates()
    {
        Assert.Empty(Validator.Validate(Flow(outcomes: ["提交", "退回"]).UserTask("fix", "修改", Assign.Users(Wang))
            .Connect("assign", "fix", "退回").Connect("fix", "assign", "提交").Build()));
    }

    [Fact]
    public void Validation_names_the_step_and_each_problem()
    {
        var definition = FlowBuilder.Define("bad", "有误的交办")
            .Form("item", "表单", Field.Text("title", "标题"))
            .Start()
            .Node("assign", ActivityTypes.Assign, "分办",
                ("co", In.Literal(new JsonObject { ["x"] = 1 })),
                ("form", In.Literal("nope")),
                ("coForm", In.Literal("item")),
                ("coFieldPermissions", In.Literal(new Dictionary<string, FieldPermission> { ["ghost"] = FieldPermission.Editable })),
                ("completion", In.Literal("most")),
                ("outcomes", In.Literal(new[] { "提交", "提交" })),
                ("dueIn", In.Literal("ten days")),
                ("coDeadline", In.Literal(new JsonObject { ["kind"] = "weeks", ["amount"] = 1 })))
            .End()
            .Chain("start", "assign").Connect("assign", "end", "提交")
            .Build();

        var messages = Validator.Validate(definition).Where(e => e.ActivityId == "assign").Select(e => e.Message).ToList();
        Assert.All(messages, m => Assert.StartsWith("「分办」：", m));
        Assert.Contains(messages, m => m.Contains("未设置主办单位"));
        Assert.Contains(messages, m => m.Contains("协办单位应为单位编号"));
        Assert.Contains(messages, m => m.Contains("主办表单「nope」不存在"));
        Assert.Contains(messages, m => m.Contains("「ghost」"));
        Assert.Contains(messages, m => m.Contains("办结方式「most」无效"));
        Assert.Contains(messages, m => m.Contains("办理结果有重复"));
        Assert.Contains(messages, m => m.Contains("等待时长"));
        Assert.Contains(messages, m => m.Contains("协办办理时限"));

        var previous = FlowBuilder.Define("bad2", "开始后直接由上一环节选择")
            .Start().Node("assign", ActivityTypes.Assign, "交办", ("unitsFrom", In.Literal("previous"))).End()
            .Chain("start", "assign").Connect("assign", "end", "提交").Build();
        Assert.Contains(Validator.Validate(previous), e => e.ActivityId == "assign" && e.Message.Contains("主办单位设为「上一环节选择」，但它前面的「开始」（开始）没有人可以选择主办单位"));

        var wrongShape = FlowBuilder.Define("bad3", "格式")
            .Start().Node("assign", ActivityTypes.Assign, "交办", ("lead", In.Literal(Legal)), ("outcomes", In.Literal("提交"))).End()
            .Chain("start", "assign").Connect("assign", "end", "提交").Build();
        Assert.Contains(Validator.Validate(wrongShape), e => e.ActivityId == "assign" && e.Message.Contains("配置格式有误（outcomes）"));
    }
}
