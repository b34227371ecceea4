using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Deadlines;

/// <summary>
/// Where a deadline counts from (the 交办, a date field defaulted or stamped by a step) and an item deadline that depends
/// on the branch (参阅性 items have none).
/// </summary>
public sealed class DeadlineStartsTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>
    /// 登记 (类别; 收文日期 defaults to today; 交办日期 stamped by 交办) → 审定 → 参阅性? → yes: 设定完成时限 (none) → 阅知;
    /// no: 交办 (the unit's step follows the item's deadline) → 办结.
    /// </summary>
    private static WorkflowDefinition Flow(JsonObject itemDeadline) =>
        FlowBuilder.Define("dated")
            .Form("f", "督办单",
                Field.Text("title", "事项名称"),
                Field.Select("category", "类别", "交办性", "参阅性"),
                new FormField { Key = "receivedOn", Label = "收文日期", Type = FieldTypes.Date, DefaultToday = true, Required = true },
                new FormField { Key = "assignedOn", Label = "交办日期", Type = FieldTypes.Date, StampedBy = "assign" })
            .Start(form: "f")
            .UserTask("sd", "领导审定", Assign.Users(Liu))
            .Decision("d", "参阅性？", "item.category === '参阅性'")
            .Node("none", ActivityTypes.SetItemDeadline, "参阅件不设时限")
            .UserTask("read", "阅知", Assign.Units(Legal))
            .Node("assign", ActivityTypes.Assign, "交办", ("lead", In.Literal(Legal)), ("deadline", In.Literal("itemDue")))
            .End()
            .Chain("start", "sd").Connect("sd", "d", "提交")
            .Connect("d", "none", "True").Connect("none", "read", "Done").Connect("read", "end", "提交")
            .Connect("d", "assign", "False").Connect("assign", "end", "提交")
            .Build() with
        { Options = new JsonObject { ["deadlines"] = new JsonObject { ["item"] = itemDeadline.DeepClone() } } };

    private static WorkflowDriver Driver(WorkflowDefinition definition)
    {
        var driver = new WorkflowDriver(definition, clock: new FakeTimeProvider(Monday));
        driver.Organization.Calendar = ShippedCalendars.Calendar();
        return driver;
    }

    private static JsonObject Item(string category) => new() { ["title"] = "全省营商环境评估整改", ["category"] = category };

    [Fact]
    public void An_item_deadline_counts_from_the_first_assignment_and_the_step_stamps_its_date()
    {
        var driver = Driver(Flow(JsonNode.Parse("""{ "kind": "calendarDays", "amount": 30, "from": "assign" }""")!.AsObject()));
        driver.Start(Wang, Item("交办性"));
        // Registered Monday 3/2: 收文日期 (required, left empty) defaults to that day; not assigned yet, so no deadline yet.
        Assert.Equal("2026-03-02", driver.State.Data["receivedOn"]!.GetValue<string>());
        Assert.Null(driver.State.DueAt);
        Assert.Null(driver.State.Data["assignedOn"]);

        // 审定 on Wednesday 3/4 starts the 交办: 30 days from 3/4 is Friday 4/3, a working day (清明 is 4/4–4/6).
        driver.Clock.Advance(TimeSpan.FromDays(2));
        driver.Complete("sd", Liu);
        Assert.Null(driver.State.Incident?.Message);
        Assert.Equal("2026-03-04", driver.State.Data["assignedOn"]!.GetValue<string>());
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 4, 3)), driver.State.DueAt);
        Assert.Equal(driver.State.DueAt, driver.OpenTasksOf("assign").Single().DueAt);
    }

    [Fact]
    public void A_reference_item_has_no_deadline_on_its_branch_while_the_other_branch_keeps_its_own()
    {
        var spec = JsonNode.Parse("""{ "kind": "calendarDays", "amount": 30, "from": "item" }""")!.AsObject();
        var reference = Driver(Flow(spec));
        reference.Start(Wang, Item("参阅性"));
        // 30 days from registration 3/2 is 4/1 (Wednesday) until the branch is known …
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 4, 1)), reference.State.DueAt);
        reference.Complete("sd", Liu);
        // … the 参阅性 branch sets none: the item and its 阅知 step have no deadline, and later events keep it so.
        Assert.Null(reference.State.DueAt);
        Assert.Null(reference.OpenTasksOf("read").Single().DueAt);

        var assigned = Driver(Flow(spec));
        assigned.Start(Wang, Item("交办性"));
        assigned.Complete("sd", Liu);
        Assert.Equal(ChinaTime.EndOf(new DateOnly(2026, 4, 1)), assigned.State.DueAt);
    }

    [Fact]
    public void Stamps_and_defaults_only_on_date_fields_and_a_stamp_names_a_step_of_the_procedure()
    {
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());
        var flow = Flow(new JsonObject { ["kind"] = "calendarDays", ["amount"] = 30, ["from"] = "assign" });
        var bad = flow with
        {
            Forms =
            [
                new FormDefinition
                {
                    Id = "f", Name = "督办单",
                    Fields =
                    [
                        new FormField { Key = "title", Label = "事项名称", Type = FieldTypes.Text, DefaultToday = true },
                        new FormField { Key = "assignedOn", Label = "交办日期", Type = FieldTypes.Date, StampedBy = "nowhere" },
                    ],
                },
            ],
        };
        var errors = validator.Validate(bad);
        Assert.Contains(errors, e => e.Message.Contains("事项名称") && e.Message.Contains("只有表单中的日期字段"));
        Assert.Contains(errors, e => e.Message.Contains("交办日期") && e.Message.Contains("nowhere"));
        Assert.DoesNotContain(validator.Validate(flow), e => e.Message.Contains("日期"));
    }
}
