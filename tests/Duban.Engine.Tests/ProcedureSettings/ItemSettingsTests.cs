using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.ProcedureSettings;

/// <summary>What the form says about the item, who may start, and 交办 units taken from a field (decision 029).</summary>
public class ItemSettingsTests
{
    private static readonly DefinitionValidator Validator = new(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());

    private static WorkflowDefinition WithStartForm(FormItemFields? itemFields, params FormField[] fields) =>
        FlowBuilder.Define("new-procedure", "新建流程")
            .Start(form: "start")
            .UserTask("do", "办理", Assign.Users(Zhao))
            .End()
            .Chain("start", "do").Connect("do", "end", "提交")
            .Build() with
        { Forms = [new FormDefinition { Id = "start", Name = "登记", Fields = [.. fields], ItemFields = itemFields }] };

    private static FormField Date(string key, string label) => new() { Key = key, Label = label, Type = FieldTypes.Date };

    [Fact]
    public void A_new_procedures_items_are_named_by_its_first_text_field_not_after_the_procedure()
    {
        // The defect: a new text field's key is text1, and the title came only from a field keyed "title".
        var driver = new WorkflowDriver(WithStartForm(null, Field.Number("amount", "金额"), Field.Text("text1", "事项名称"), Field.Text("text2", "备注")));

        Assert.Equal("整治违规收费", driver.Start(Wang, Json.Obj("""{ "text1": "整治违规收费", "text2": "无" }""")).State.Title);
    }

    [Fact]
    public void The_field_marked_as_the_title_names_the_item()
    {
        var driver = new WorkflowDriver(WithStartForm(new FormItemFields(Title: "text2"), Field.Text("text1", "来文单位"), Field.Text("text2", "事项名称")));

        Assert.Equal("整治违规收费", driver.Start(Wang, Json.Obj("""{ "text1": "省政府办公厅", "text2": "整治违规收费" }""")).State.Title);
    }

    [Fact]
    public void The_date_field_marked_as_the_deadline_is_the_items_deadline_and_the_rule_stands_in_while_it_is_empty()
    {
        var definition = WithStartForm(new FormItemFields(Deadline: "due"), Field.Text("text1", "事项名称"), Date("due", "完成时限")) with
        {
            Options = JsonNode.Parse("""{ "deadlines": { "item": { "kind": "workingDays", "amount": 5 } } }""")!.AsObject(),
        };
        var typed = new WorkflowDriver(definition);
        typed.Start(Wang, Json.Obj("""{ "text1": "甲", "due": "2026-03-20" }"""));
        Assert.Equal(new DateOnly(2026, 3, 20), ChinaTime.DateOf(typed.State.DueAt!.Value));

        // The test clock starts on Monday 2025-06-02 (China); 5 working days on (端午 is not in a weekends-only calendar).
        var empty = new WorkflowDriver(definition);
        empty.Start(Wang, Json.Obj("""{ "text1": "乙" }"""));
        Assert.Equal(DeadlineDate(empty.Clock.GetUtcNow(), 5), ChinaTime.DateOf(empty.State.DueAt!.Value));
    }

    private static DateOnly DeadlineDate(DateTimeOffset from, int workingDays) =>
        WorkCalendar.WeekendsOnly.AddWorkingDays(ChinaTime.DateOf(from), workingDays);

    [Fact]
    public void A_marked_field_that_is_missing_or_of_the_wrong_type_is_refused_before_publishing()
    {
        var messages = Validator.Validate(WithStartForm(new FormItemFields(Title: "gone", Deadline: "text1"), Field.Text("text1", "事项名称")))
            .Select(e => e.Message).ToList();

        Assert.Contains("发起表单「登记」标为事项标题的字段「gone」不存在", messages);
        Assert.Contains("完成时限应取日期字段，「事项名称」不是日期", messages);
    }

    private static FormField Choice(string key, string label, params string[] options) =>
        new() { Key = key, Label = label, Type = FieldTypes.Select, Options = [.. options.Select(o => new FieldOption(o, o))] };

    [Fact]
    public void The_items_source_is_the_marked_field_else_a_field_keyed_source_else_a_choice_named_来源_or_依据()
    {
        // Decision 033: the ledger's 来源 follows the start form, not a key the administrator never sees.
        var basis = Choice("select1", "立项依据", "会议议定", "领导批示");
        var keyed = Choice("source", "来源", "会议");
        var note = Field.Text("text2", "来文单位");

        Assert.Null(ItemSource.Field(WithStartForm(null, Field.Text("text1", "事项名称"), note)));
        Assert.Equal("select1", ItemSource.Field(WithStartForm(null, Field.Text("text1", "事项名称"), basis))?.Key);
        Assert.Equal("source", ItemSource.Field(WithStartForm(null, basis, keyed))?.Key);
        Assert.Equal("text2", ItemSource.Field(WithStartForm(new FormItemFields(Source: "text2"), basis, keyed, note))?.Key);
    }

    [Fact]
    public void A_marked_source_that_is_missing_or_not_a_choice_or_text_is_refused_before_publishing()
    {
        var messages = Validator.Validate(WithStartForm(new FormItemFields(Source: "gone"), Field.Text("text1", "事项名称"))).Select(e => e.Message).ToList();
        Assert.Contains("发起表单「登记」标为事项来源的字段「gone」不存在", messages);

        messages = Validator.Validate(WithStartForm(new FormItemFields(Source: "due"), Field.Text("text1", "事项名称"), Date("due", "完成时限"))).Select(e => e.Message).ToList();
        Assert.Contains("事项来源应取选择或文本字段，「完成时限」不是", messages);
    }

    [Fact]
    public void A_built_visibility_condition_is_checked_like_a_branch_condition_before_publishing()
    {
        var kind = Choice("kind", "类别", "批办性", "参阅性");
        Condition Rule(string field, string op, JsonNode? value) => new() { Match = "all", Rules = [new() { Field = field, Op = op, Value = value }] };
        var definition = WithStartForm(null, Field.Text("text1", "事项名称"), kind,
            Field.Text("a", "办理要求") with { VisibleIf = Rule("kind", "eq", "批办") },
            Field.Text("b", "说明") with { VisibleIf = Rule("gone", "notEmpty", null) },
            Field.Text("c", "备注") with { VisibleIf = Rule("c", "notEmpty", null) },
            Field.Text("d", "阅知说明") with { VisibleIf = Rule("kind", "eq", "参阅性") });

        var messages = Validator.Validate(definition).Select(e => e.Message).ToList();

        Assert.Contains(messages, m => m.StartsWith("表单「登记」：字段「办理要求」的显示条件：", StringComparison.Ordinal) && m.Contains("不是字段「类别」的选项", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("表单「登记」：字段「说明」的显示条件：", StringComparison.Ordinal) && m.Contains("「gone」不在本流程的任何表单中", StringComparison.Ordinal));
        Assert.Contains("表单「登记」：字段「备注」的显示条件不能用字段自己", messages);
        Assert.DoesNotContain(messages, m => m.Contains("阅知说明", StringComparison.Ordinal));
    }

    [Fact]
    public void Everyone_may_start_when_no_one_is_named_and_otherwise_holders_of_a_role_or_members_of_a_unit_or_a_unit_under_it()
    {
        var org = new TestOrganization();
        Assert.True(StarterOptions.From(null).Allows(Jinan, [Duban.Engine.Directory.Roles.Liaison], org));

        var starters = StarterOptions.From(JsonNode.Parse("""{ "starters": { "roles": ["督查员"], "units": ["sft"] } }""")!.AsObject());
        Assert.True(starters.Allows(Office, [Duban.Engine.Directory.Roles.Supervisor], org));
        Assert.True(starters.Allows(Jinan, [Duban.Engine.Directory.Roles.Liaison], org)); // 济南 is under 司法厅

        var officeOnly = StarterOptions.From(JsonNode.Parse("""{ "starters": { "units": ["office"] } }""")!.AsObject());
        Assert.True(officeOnly.Allows(Office, [Duban.Engine.Directory.Roles.Leader], org));
        Assert.False(officeOnly.Allows(Jinan, [Duban.Engine.Directory.Roles.Liaison], org));
        Assert.Equal("厅办公室", officeOnly.Describe(org));
    }

    [Fact]
    public void A_starters_setting_of_the_wrong_shape_is_refused_before_publishing()
    {
        var definition = WithStartForm(null, Field.Text("text1", "事项名称")) with
        {
            Options = JsonNode.Parse("""{ "starters": { "roles": "督查员", "people": [] } }""")!.AsObject(),
        };
        Assert.Contains(Validator.Validate(definition), e => e.Message == "可发起人员的格式无效（roles、units 应为文本列表）");
    }

    private static WorkflowDefinition AssignFromFields(bool leadMultiple = false) =>
        FlowBuilder.Define()
            .Form("start", "登记", Field.Text("title", "事项名称"),
                new FormField { Key = "leadUnit", Label = "主办单位", Type = FieldTypes.Unit, Multiple = leadMultiple },
                Field.Units("coUnits", "协办单位"))
            .Start(form: "start")
            .Node("assign", ActivityTypes.Assign, "交办",
                ("lead", In.Literal(new JsonObject { ["field"] = "leadUnit" })), ("co", In.Literal(new JsonObject { ["field"] = "coUnits" })))
            .End()
            .Chain("start", "assign").Connect("assign", "end", "提交")
            .Build();

    [Fact]
    public void A_交办_takes_its_units_from_the_fields_the_administrator_picked_without_a_script()
    {
        var driver = new WorkflowDriver(AssignFromFields());
        driver.Start(Wang, Json.Obj("""{ "title": "甲", "leadUnit": "jinan", "coUnits": ["qingdao", "legal"] }"""));

        Assert.Equal(
            [TaskAssignee.Unit(Jinan), TaskAssignee.Unit(Qingdao), TaskAssignee.Unit(Legal)],
            driver.OpenTasksOf("assign").Select(t => t.Assignee).ToList());
        Assert.Empty(Validator.Validate(AssignFromFields()));
    }

    [Fact]
    public void A_交办_field_that_is_not_a_single_unit_field_is_refused_before_publishing()
    {
        Assert.Contains(Validator.Validate(AssignFromFields(leadMultiple: true)),
            e => e.Message == "「交办」：主办单位只能有一个，字段「主办单位」允许多选，请改为单选");
        var wrongField = AssignFromFields();
        var node = wrongField.Root.Find("assign")!;
        node.Inputs["co"] = System.Text.Json.JsonSerializer.SerializeToElement(In.Literal(new JsonObject { ["field"] = "title" }), DefinitionJson.Options);
        Assert.Contains(Validator.Validate(wrongField), e => e.Message == "「交办」：协办单位取自表单字段「事项名称」，该字段不是单位选择");
    }

    [Fact]
    public void A_single_line_text_without_a_limit_of_its_own_takes_at_most_200_characters()
    {
        var driver = new WorkflowDriver(WithStartForm(null, Field.Text("text1", "事项名称")));

        var e = Assert.Throws<WorkflowInputException>(() => driver.Start(Wang, new JsonObject { ["text1"] = new string('办', 201) }));
        Assert.Equal(("text1", "「事项名称」不能超过200个字"), (e.Errors.Single().Field, e.Errors.Single().Message));
        Assert.Equal(new string('办', 200), driver.Start(Wang, new JsonObject { ["text1"] = new string('办', 200) }).State.Title);
    }
}
