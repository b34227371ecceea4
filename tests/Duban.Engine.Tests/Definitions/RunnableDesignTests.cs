using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Definitions;

/// <summary>
/// A design the validator accepts must run (issue 15): what would stop or misroute items at run time is refused, with the
/// node named and the fix said in Chinese; and the designs refused are exactly the ones that break when run.
/// </summary>
public class RunnableDesignTests
{
    private static readonly DefinitionValidator Validator = new(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());

    private static JsonNode Rule(string field, string op, JsonNode? value = null) =>
        new JsonObject { ["field"] = field, ["op"] = op, ["value"] = value };

    private static JsonNode All(params JsonNode[] rules) => new JsonObject { ["match"] = "all", ["rules"] = new JsonArray(rules) };

    /// <summary>开始 (登记: 是否需领导审批 是/否) → 需领导审批？ → 领导审批 → 办结, or straight to 办结.</summary>
    private static FlowBuilder LeaderBranch(JsonNode condition, FormField? needLeader = null, string startForm = "reg") =>
        FlowBuilder.Define("leader-branch", "领导审批分支")
            .Form("reg", "登记", Field.Text("subject", "事项名称", required: true),
                needLeader ?? Field.SelectOf("needLeader", "是否需领导审批", ("是", "是"), ("否", "否")))
            .Form("other", "其他", Field.Text("note", "备注"))
            .Start(form: startForm)
            .DecisionWhen("check", "需领导审批？", condition)
            .UserTask("leader", "领导审批", Assign.Users(Liu))
            .End()
            .Chain("start", "check").Connect("check", "leader", "True").Connect("check", "end", "False").Connect("leader", "end", "提交");

    private static IReadOnlyList<ValidationError> Problems(FlowBuilder flow) => Validator.Validate(flow.Build());

    [Fact]
    public void A_condition_built_on_a_start_form_choice_validates_and_runs_each_way_without_scripts()
    {
        var flow = LeaderBranch(All(Rule("needLeader", "eq", "是")));
        Assert.Empty(Problems(flow));

        var scripts = new FakeScriptEvaluator();
        var yes = new WorkflowDriver(flow.Build(), scripts);
        yes.Start(Wang, Json.Obj("""{ "subject": "甲", "needLeader": "是" }"""));
        Assert.Single(yes.OpenTasksOf("leader"));
        yes.Complete("leader", Liu);
        Assert.Equal(WorkflowStatus.Completed, yes.State.Status);

        var no = new WorkflowDriver(flow.Build(), scripts);
        no.Start(Wang, Json.Obj("""{ "subject": "乙", "needLeader": "否" }"""));
        Assert.Empty(no.OpenTasks);
        Assert.Equal(WorkflowStatus.Completed, no.State.Status);
        Assert.Equal(0, scripts.Calls);
    }

    [Fact]
    public void A_choice_compared_with_a_value_that_is_not_an_option_is_refused_with_the_options_named()
    {
        // The found defect: the options' values were option1/option2, the condition compared with the label.
        var field = Field.SelectOf("needLeader", "是否需领导审批", ("option1", "是"), ("option2", "否"));
        var error = Assert.Single(Problems(LeaderBranch(All(Rule("needLeader", "eq", "是")), field)));
        Assert.Equal("check", error.ActivityId);
        Assert.Contains("「是」不是字段「是否需领导审批」的选项（可选：是、否）", error.Message);

        var scripted = WithScript(LeaderBranch(All(Rule("needLeader", "eq", "option1")), field).Build(), "item.needLeader === '是'");
        var script = Assert.Single(Validator.Validate(scripted));
        Assert.Contains("选项「是」的值是「option1」，请改为 'option1'", script.Message);
        Assert.Empty(Validator.Validate(WithScript(LeaderBranch(All(Rule("needLeader", "eq", "option1")), field).Build(), "item.needLeader === 'option1'")));
    }

    private static WorkflowDefinition WithScript(WorkflowDefinition definition, string script)
    {
        var check = definition.Root.Find("check")!;
        check.Inputs["condition"] = System.Text.Json.JsonSerializer.SerializeToElement(In.Js(script), DefinitionJson.Options);
        return definition;
    }

    [Fact]
    public void A_condition_on_a_field_no_step_fills_before_it_is_refused()
    {
        // 备注 is only in a form no step before the decision uses.
        var error = Assert.Single(Problems(LeaderBranch(All(Rule("note", "notEmpty")))));
        Assert.Contains("字段「备注」在此之前没有环节填写", error.Message);
        Assert.Contains("请把它加入发起表单", error.Message);

        // Read-only in the start form: nobody fills it either.
        var readOnly = LeaderBranch(All(Rule("needLeader", "eq", "是"))).Build();
        readOnly.Root.Activities[0].Inputs["fieldPermissions"] = System.Text.Json.JsonSerializer.SerializeToElement(
            In.Literal(new Dictionary<string, FieldPermission> { ["needLeader"] = FieldPermission.ReadOnly }), DefinitionJson.Options);
        Assert.Contains(Validator.Validate(readOnly), e => e.Message.Contains("字段「是否需领导审批」在此之前没有环节填写"));

        Assert.Contains(Problems(LeaderBranch(All(Rule("nowhere", "eq", "x")))), e => e.Message.Contains("「nowhere」不在本流程的任何表单中"));
    }

    [Theory]
    [InlineData("needLeader", "gt", "1", "「大于」只能用于数字字段")]
    [InlineData("subject", "before", "\"2026-01-01\"", "「早于」只能用于日期字段")]
    [InlineData("needLeader", "in", "\"是\"", "「属于」要选择一个或多个值")]
    [InlineData("needLeader", "eq", null, "还没有填写比较的值")]
    [InlineData("needLeader", "like", "\"是\"", "没有选择运算")]
    public void A_rule_that_cannot_compare_is_refused(string field, string op, string? value, string message) =>
        Assert.Contains(Problems(LeaderBranch(All(Rule(field, op, value is null ? null : JsonNode.Parse(value))))), e => e.Message.Contains(message));

    [Fact]
    public void Numbers_and_dates_are_compared_with_values_of_their_kind()
    {
        var flow = FlowBuilder.Define("typed", "类型")
            .Form("reg", "登记", Field.Number("amount", "金额"), Field.Date("due", "完成时限"))
            .Start(form: "reg")
            .SwitchWhen("kind", "分类",
                ("大额", All(Rule("amount", "gt", "abc"))),
                ("急", All(Rule("due", "before", "下周"))),
                ("好", All(Rule("amount", "gte", 10000), Rule("due", "after", "2026-03-01"))))
            .End()
            .Chain("start", "kind").Connect("kind", "end", "大额").Connect("kind", "end", "急").Connect("kind", "end", "好").Connect("kind", "end", "Default");
        var errors = Problems(flow);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("分支「大额」的条件") && e.Message.Contains("「abc」不是数字"));
        Assert.Contains(errors, e => e.Message.Contains("分支「急」的条件") && e.Message.Contains("「下周」不是日期"));
    }

    [Fact]
    public void A_step_chosen_by_the_previous_one_must_be_entered_only_where_someone_chooses()
    {
        // 交办 with 「上一环节选择」 right after 开始, and also after a review that sends back: the first way in has no chooser.
        var assign = FlowBuilder.Define("prev", "上一环节选择")
            .Start()
            .Node("assign", ActivityTypes.Assign, "交办", ("unitsFrom", In.Literal(AssignActivity.FromPrevious)))
            .UserTask("review", "审核", Assign.Users(Wang), outcomes: ["通过", "退回"])
            .End()
            .Chain("start", "assign").Connect("assign", "review", "提交").Connect("review", "assign", "退回").Connect("review", "end", "通过");
        var error = Assert.Single(Problems(assign));
        Assert.Equal("assign", error.ActivityId);
        Assert.Contains("主办单位设为「上一环节选择」，但它前面的「开始」（开始）没有人可以选择主办单位", error.Message);
        Assert.Contains("请把单位来源改为「在此设置」", error.Message);

        // It does stop every item as the validator says.
        var driver = new WorkflowDriver(assign.Build());
        driver.Start(Wang);
        Assert.Equal(WorkflowStatus.Faulted, driver.State.Status);

        var task = FlowBuilder.Define("prev2", "上一环节选择")
            .Form("reg", "登记", Field.SelectOf("urgent", "是否紧急", ("是", "是"), ("否", "否")))
            .Start(form: "reg")
            .DecisionWhen("urgent?", "紧急？", All(Rule("urgent", "eq", "是")))
            .UserTask("handle", "办理", Assign.Previous())
            .End()
            .Chain("start", "urgent?").Connect("urgent?", "handle", "True").Connect("urgent?", "end", "False").Connect("handle", "end", "提交");
        var decision = Assert.Single(Problems(task));
        Assert.Contains("办理人设为「上一环节选择」，但它前面的「紧急？」（条件判断）没有人可以选择办理人", decision.Message);
    }

    [Fact]
    public void A_later_assign_chosen_by_previous_carries_on_from_an_earlier_assign()
    {
        var flow = FlowBuilder.Define("again", "再次交办")
            .Start()
            .Node("assign", ActivityTypes.Assign, "交办", ("lead", In.Literal(Legal)))
            .Node("again", ActivityTypes.Assign, "再交办", ("unitsFrom", In.Literal(AssignActivity.FromPrevious)))
            .TimerFor("wait", "等待", JsonValue.Create("P1D"))
            .End()
            .Chain("start", "assign").Connect("assign", "wait", "提交").Chain("wait", "again").Connect("again", "end", "提交");
        Assert.Empty(Problems(flow));
    }

    [Fact]
    public void A_send_back_must_lead_back_to_an_earlier_step()
    {
        FlowBuilder Review(string target) => FlowBuilder.Define("back", "退回")
            .Start()
            .UserTask("handle", "承办", Assign.Units(Legal))
            .UserTask("review", "审核", Assign.Users(Wang), outcomes: ["通过", "退回"])
            .End()
            .Chain("start", "handle").Connect("handle", "review", "提交").Connect("review", "end", "通过").Connect("review", target, "退回");

        Assert.Empty(Problems(Review("handle")));
        Assert.Contains("「退回」连到的「结束」不会再回到本环节，事项退不回去", Assert.Single(Problems(Review("end"))).Message);
        Assert.Contains("「退回」连回了本环节自己", Assert.Single(Problems(Review("review"))).Message);
    }

    [Fact]
    public void A_condition_on_a_variable_nothing_sets_is_refused()
    {
        FlowBuilder Flow(bool set) => FlowBuilder.Define("vars", "变量")
            .Start()
            .SetVariables("mark", "标记", set ? "vars.redone = true" : "vars.count = 1")
            .Decision("again", "已重办？", "!vars.redone")
            .End()
            .Chain("start", "mark", "again").Connect("again", "end", "True").Connect("again", "end", "False");
        Assert.Empty(Problems(Flow(set: true)));
        Assert.Contains("流程变量「redone」", Assert.Single(Problems(Flow(set: false))).Message);
    }

    [Fact]
    public void The_shipped_templates_validate()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "workflows");
        var files = System.IO.Directory.GetFiles(folder, "*.json");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var definition = DefinitionJson.Parse(File.ReadAllText(file));
            Assert.True(Validator.Validate(definition).Count == 0,
                $"{Path.GetFileName(file)}: {string.Join("; ", Validator.Validate(definition).Select(e => e.Message))}");
        }
    }
}
