using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Deadlines;

/// <summary>A human step's <c>deadline</c> input, counted on the organization's calendar.</summary>
public sealed class StepDeadlineTests
{
    private static WorkflowDefinition Flow(ActivityInput deadline, JsonObject? options = null) =>
        FlowBuilder.Define("deadline-flow")
            .Start()
            .Node("cb", ActivityTypes.UserTask, "承办", ("assignee", In.Literal(Assign.Units(TestOrganization.Legal))), ("deadline", deadline))
            .Node("sh", ActivityTypes.UserTask, "审核", ("assignee", In.Literal(Assign.Role(Roles.Supervisor))),
                ("deadline", In.Literal(new JsonObject { ["preset"] = "done" })))
            .End()
            .Chain("start", "cb").Connect("cb", "sh", "提交").Connect("sh", "end", "提交")
            .Build() with
        { Options = options ?? Options() };

    private static JsonObject Options() => JsonNode.Parse("""
        { "deadlines": {
            "feedback": { "kind": "workingDays", "amount": 5 },
            "done": { "kind": "workingDays", "amount": 10, "from": "item" } } }
        """)!.AsObject();

    private static WorkflowDriver Driver(WorkflowDefinition definition, DateTimeOffset start)
    {
        var driver = new WorkflowDriver(definition, clock: new FakeTimeProvider(start));
        driver.Organization.Calendar = ShippedCalendars.Calendar();
        return driver;
    }

    [Fact]
    public void A_preset_deadline_counts_working_days_over_the_spring_festival()
    {
        var driver = Driver(Flow(In.Literal("feedback")), new DateTimeOffset(2024, 2, 7, 10, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang);
        var task = driver.TaskOf("cb", TestOrganization.LegalLiaison);
        Assert.Equal(new DateTimeOffset(2024, 2, 20, 23, 59, 59, TimeSpan.FromHours(8)), task.DueAt);
    }

    [Fact]
    public void A_later_step_can_count_from_registration()
    {
        var driver = Driver(Flow(In.Literal(3)), new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang);
        Assert.Equal(new DateOnly(2026, 3, 5), ChinaTime.DateOf(driver.TaskOf("cb", TestOrganization.LegalLiaison).DueAt!.Value));
        driver.Clock.Advance(TimeSpan.FromDays(4));
        driver.Complete("cb", TestOrganization.LegalLiaison);
        Assert.Null(driver.State.Incident?.Message);
        // 审核: 10 working days from registration (3/2), not from now.
        Assert.Equal(new DateOnly(2026, 3, 16), ChinaTime.DateOf(driver.TaskOf("sh", TestOrganization.Wang).DueAt!.Value));
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)), driver.State.StartedAt);
    }

    [Fact]
    public void A_script_can_take_the_deadline_from_the_form()
    {
        var driver = Driver(Flow(In.Js("item.urgent ? { kind: 'workingDays', amount: 1 } : 'feedback'")), new DateTimeOffset(2026, 9, 30, 9, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang, new JsonObject());
        // 5 working days from 9/30 over the National Day holiday: 10/8, 9, 10 (Sat, make-up), 12, 13.
        Assert.Equal(new DateOnly(2026, 10, 13), ChinaTime.DateOf(driver.TaskOf("cb", TestOrganization.LegalLiaison).DueAt!.Value));
    }

    [Fact]
    public void The_old_dueIn_still_works()
    {
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var definition = FlowBuilder.Define("due-in").Start()
            .Node("cb", ActivityTypes.UserTask, "承办", ("assignee", In.Literal(Assign.Units(TestOrganization.Legal))), ("dueIn", In.Literal("P10D")))
            .End().Chain("start", "cb", "end").Build();
        var driver = Driver(definition, start);
        driver.Start(TestOrganization.Wang);
        Assert.Equal(start.AddDays(10), driver.TaskOf("cb", TestOrganization.LegalLiaison).DueAt);
    }

    [Fact]
    public void A_bad_deadline_blocks_publishing_and_faults_at_run_time_with_a_chinese_message()
    {
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());
        var errors = validator.Validate(Flow(In.Literal(new JsonObject { ["kind"] = "weeks", ["amount"] = 2 })));
        Assert.Contains(errors, e => e.ActivityId == "cb" && e.Message.Contains("办理时限") && e.Message.Contains("weeks"));

        var driver = Driver(Flow(In.Js("'next week'")), new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang);
        Assert.Equal(WorkflowStatus.Faulted, driver.State.Status);
        Assert.Contains("办理时限无效", driver.State.Incident!.Message);
    }

    [Fact]
    public void The_item_deadline_follows_its_field_and_steps_can_use_it()
    {
        var options = JsonNode.Parse("""
            { "deadlines": { "item": { "kind": "field", "field": "dueDate", "fallback": { "kind": "workingDays", "amount": 10 } } } }
            """)!.AsObject();
        var definition = FlowBuilder.Define("item-due")
            .Form("f", "登记", Field.Text("dueDate", "完成时限"))
            .Start(form: "f")
            .Node("cb", ActivityTypes.UserTask, "承办", ("assignee", In.Literal(Assign.Units(TestOrganization.Legal))),
                ("deadline", In.Literal("itemDue")), ("form", In.Literal("f")))
            .End()
            .Chain("start", "cb").Connect("cb", "end", "提交")
            .Build() with
        { Options = options };
        var driver = Driver(definition, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang, new JsonObject());
        // No date given: 10 working days from registration.
        Assert.Equal(new DateOnly(2026, 3, 16), ChinaTime.DateOf(driver.State.DueAt!.Value));
        Assert.Equal(driver.State.DueAt, driver.TaskOf("cb", TestOrganization.LegalLiaison).DueAt);

        var restarted = Driver(definition, new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        restarted.Start(TestOrganization.Wang, new JsonObject { ["dueDate"] = "2026-06-30" });
        Assert.Equal(new DateOnly(2026, 6, 30), ChinaTime.DateOf(restarted.State.DueAt!.Value));

        // An approved extension fixes it: later data no longer moves it.
        restarted.EditState(s => { s.DueAt = ChinaTime.EndOf(new DateOnly(2026, 7, 31)); s.DueExtended = true; });
        restarted.Complete("cb", TestOrganization.LegalLiaison, data: new JsonObject { ["dueDate"] = "2026-05-01" });
        Assert.Equal(new DateOnly(2026, 7, 31), ChinaTime.DateOf(restarted.State.DueAt!.Value));
    }

    [Fact]
    public void Bad_procedure_options_block_publishing()
    {
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());
        var options = JsonNode.Parse("""{ "deadlines": { "item": { "kind": "months" } } }""")!.AsObject();
        var errors = validator.Validate(Flow(In.Literal("feedback")) with { Options = options });
        Assert.Contains(errors, e => e.ActivityId is null && e.Message.Contains("流程选项") && e.Message.Contains("「item」"));
    }

    /// <summary>报送 (quarterly, 07-15 / 10-15 / 01-15) → 审核: 下一季度 loops back, 退回 asks for the same report again.</summary>
    private static WorkflowDefinition QuarterlyLoop() =>
        FlowBuilder.Define("quarterly").Start()
            .Node("bs", ActivityTypes.UserTask, "报送办理情况", ("assignee", In.Literal(Assign.Units(TestOrganization.Legal))),
                ("deadline", In.Literal(JsonNode.Parse("""{ "kind": "fixedDates", "dates": ["07-15", "10-15", "01-15"] }"""))))
            .Node("sh", ActivityTypes.UserTask, "审核", ("assignee", In.Literal(Assign.Role(Roles.Supervisor))),
                ("outcomes", In.Literal(new JsonArray("下一季度", "退回", "办结"))))
            .End()
            .Chain("start", "bs").Connect("bs", "sh", "提交").Connect("sh", "bs", "下一季度").Connect("sh", "bs", "退回").Connect("sh", "end", "办结")
            .Build();

    [Fact]
    public void A_fixed_date_series_in_a_loop_gives_the_next_date_after_the_previous_one()
    {
        var driver = Driver(QuarterlyLoop(), new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        driver.Start(TestOrganization.Wang);
        // 6/1: the next of 07-15, 10-15, 01-15 is 2026-07-15 (Wednesday, a working day).
        Assert.Equal(new DateOnly(2026, 7, 15), ChinaTime.DateOf(driver.TaskOf("bs", TestOrganization.LegalLiaison).DueAt!.Value));

        // Sent early, on 7/10; the review sends it back the same day: the redo is still the 7-15 report.
        driver.Clock.Advance(TimeSpan.FromDays(39));
        driver.Complete("bs", TestOrganization.LegalLiaison);
        driver.Complete("sh", TestOrganization.Wang, "退回", comment: "数据不全");
        Assert.Equal(new DateOnly(2026, 7, 15), ChinaTime.DateOf(driver.TaskOf("bs", TestOrganization.LegalLiaison).DueAt!.Value));

        // Accepted on 7/10, the loop asks for the next quarter: 10-15 (Thursday), not 7-15 again.
        driver.Complete("bs", TestOrganization.LegalLiaison);
        driver.Complete("sh", TestOrganization.Wang, "下一季度");
        Assert.Equal(new DateOnly(2026, 10, 15), ChinaTime.DateOf(driver.TaskOf("bs", TestOrganization.LegalLiaison).DueAt!.Value));

        // The Q3 report sent on 2027-01-08, before 1-15: the next one is due 2027-07-15 (Thursday; no 04-15 in this series), not 1-15 again.
        driver.Complete("bs", TestOrganization.LegalLiaison);
        driver.Complete("sh", TestOrganization.Wang, "下一季度");
        Assert.Equal(new DateOnly(2027, 1, 15), ChinaTime.DateOf(driver.TaskOf("bs", TestOrganization.LegalLiaison).DueAt!.Value));
        driver.Clock.Advance(TimeSpan.FromDays(182));   // 2027-01-08
        driver.Complete("bs", TestOrganization.LegalLiaison);
        driver.Complete("sh", TestOrganization.Wang, "下一季度");
        Assert.Equal(new DateOnly(2027, 7, 15), ChinaTime.DateOf(driver.TaskOf("bs", TestOrganization.LegalLiaison).DueAt!.Value));
    }
}
