using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.ProcedureSettings;

/// <summary>A human step's edge rules: nobody found, the initiator found, an approver found again (decision 029).</summary>
public class ApproverEdgeRuleTests
{
    /// <summary>开始 → 审核 (the step under test, outcomes 同意/退回) → 办结; 退回 goes back to 登记.</summary>
    private static WorkflowDefinition Flow(AssigneeRule rule, JsonObject? options = null, params (string Key, ActivityInput? Input)[] edge) =>
        FlowBuilder.Define()
            .Start()
            .UserTask("register", "登记", Assign.Initiator())
            .Node("review", ActivityTypes.UserTask, "审核",
                [("assignee", In.Literal(rule)), ("outcomes", In.Literal(new[] { "退回", "同意" })), .. edge])
            .UserTask("after", "归档", Assign.Users(Zhao))
            .End()
            .Chain("start", "register").Connect("register", "review", "提交")
            .Connect("review", "register", "退回").Connect("review", "after", "同意").Connect("after", "end", "提交")
            .Build() with
        { Options = options };

    private static (string Key, ActivityInput? Input) Edge(string key, JsonNode value) => (key, In.Literal(value));

    [Fact]
    public void Nobody_found_stops_the_item_on_an_incident_by_default_as_before()
    {
        var driver = new WorkflowDriver(Flow(Assign.UnitLeader(Department)));
        driver.Start(Wang);
        var result = driver.Complete("register", Wang);

        Assert.Equal("review", result.State.Incident?.ActivityId);
        Assert.Contains("找不到办理人", result.State.Incident!.Message);
    }

    [Fact]
    public void Nobody_found_with_auto_pass_takes_the_first_outcome_that_does_not_send_back_and_says_so_in_the_journal()
    {
        var driver = new WorkflowDriver(Flow(Assign.UnitLeader(Department), null, Edge("noAssignee", "autoPass")));
        driver.Start(Wang);
        driver.Complete("register", Wang);

        Assert.Null(driver.State.Incident);
        Assert.Empty(driver.OpenTasksOf("review"));
        var passed = Assert.Single(driver.Journal, j => j.Kind == JournalKind.StepAutoPassed);
        Assert.Equal(("review", "同意"), (passed.ActivityId, passed.Outcome));
        Assert.Contains("找不到办理人", passed.Comment);
        Assert.Equal("noAssignee", (string?)passed.Data!["reason"]);
        Assert.Equal(TaskAssignee.User(Zhao), Assert.Single(driver.OpenTasksOf("after")).Assignee);
    }

    [Fact]
    public void Nobody_found_goes_to_the_procedures_administrators_or_else_the_administrator_role()
    {
        var named = new WorkflowDriver(Flow(Assign.UnitLeader(Department), new JsonObject { ["administrators"] = new JsonArray(Zhao) }, Edge("noAssignee", "admin")));
        named.Start(Wang);
        named.Complete("register", Wang);
        Assert.Equal(TaskAssignee.User(Zhao), Assert.Single(named.OpenTasksOf("review")).Assignee);

        var role = new WorkflowDriver(Flow(Assign.UnitLeader(Department), null, Edge("noAssignee", "admin")));
        role.Start(Wang);
        role.Complete("register", Wang);
        Assert.Equal(TaskAssignee.ForRole(Duban.Engine.Directory.Roles.Admin), Assert.Single(role.OpenTasksOf("review")).Assignee);
    }

    [Fact]
    public void Nobody_found_goes_to_the_named_person()
    {
        var driver = new WorkflowDriver(Flow(Assign.UnitLeader(Department), null, Edge("noAssignee", "user"), Edge("noAssigneeUser", Chen)));
        driver.Start(Wang);
        driver.Complete("register", Wang);

        Assert.Equal(TaskAssignee.User(Chen), Assert.Single(driver.OpenTasksOf("review")).Assignee);
    }

    [Fact]
    public void The_initiator_as_assignee_is_kept_by_default_skipped_or_replaced_by_the_head_of_their_unit()
    {
        var kept = new WorkflowDriver(Flow(Assign.Users(Wang)));
        kept.Start(Wang);
        kept.Complete("register", Wang);
        Assert.Equal(TaskAssignee.User(Wang), Assert.Single(kept.OpenTasksOf("review")).Assignee);

        var skipped = new WorkflowDriver(Flow(Assign.Users(Wang), null, Edge("initiatorAssignee", "skip")));
        skipped.Start(Wang);
        skipped.Complete("register", Wang);
        Assert.Empty(skipped.OpenTasksOf("review"));
        var passed = Assert.Single(skipped.Journal, j => j.Kind == JournalKind.StepAutoPassed);
        Assert.Equal(("同意", "initiator"), (passed.Outcome, (string?)passed.Data!["reason"]));
        Assert.Contains("王督查", passed.Comment);

        // Wang and Zhao both review; skipping the initiator leaves Zhao, and the step waits for him.
        var others = new WorkflowDriver(Flow(Assign.Users(Wang, Zhao), null, Edge("initiatorAssignee", "skip")));
        others.Start(Wang);
        others.Complete("register", Wang);
        Assert.Equal(TaskAssignee.User(Zhao), Assert.Single(others.OpenTasksOf("review")).Assignee);

        // Wang's unit (厅办公室) is headed by Liu.
        var head = new WorkflowDriver(Flow(Assign.Users(Wang), null, Edge("initiatorAssignee", "unitHead")));
        head.Start(Wang);
        head.Complete("register", Wang);
        Assert.Equal(TaskAssignee.User(Liu), Assert.Single(head.OpenTasksOf("review")).Assignee);
    }

    [Fact]
    public void An_approver_of_an_earlier_step_is_passed_when_the_step_deduplicates()
    {
        // 初审 by Zhao, then 审核 by Zhao again: with dedupe the second passes by itself.
        static WorkflowDefinition TwoReviews(bool dedupe) => FlowBuilder.Define()
            .Start()
            .UserTask("first", "初审", Assign.Users(Zhao), ["同意"])
            .Node("review", ActivityTypes.UserTask, "审核",
                ("assignee", In.Literal(Assign.Users(Zhao))), ("outcomes", In.Literal(new[] { "同意", "退回" })),
                ("dedupe", dedupe ? In.Literal(true) : null))
            .End()
            .Chain("start", "first").Connect("first", "review", "同意").Connect("review", "end", "同意").Connect("review", "first", "退回")
            .Build();

        var plain = new WorkflowDriver(TwoReviews(false));
        plain.Start(Wang);
        plain.Complete("first", Zhao, "同意");
        Assert.Single(plain.OpenTasksOf("review"));

        var deduped = new WorkflowDriver(TwoReviews(true));
        deduped.Start(Wang);
        deduped.Complete("first", Zhao, "同意");
        Assert.Empty(deduped.OpenTasksOf("review"));
        Assert.Equal(WorkflowStatus.Completed, deduped.State.Status);
        var passed = Assert.Single(deduped.Journal, j => j.Kind == JournalKind.StepAutoPassed);
        Assert.Equal(("review", "同意", "duplicate"), (passed.ActivityId, passed.Outcome, (string?)passed.Data!["reason"]));
        Assert.Contains("赵督查", passed.Comment);
    }

    [Fact]
    public void A_send_back_is_not_an_approval_for_deduplication()
    {
        // Zhao sends 审核 back; 登记 again, then 审核 again: Zhao sent back, never approved, so he gets the task again.
        var driver = new WorkflowDriver(Flow(Assign.Users(Zhao), null, Edge("dedupe", true)));
        driver.Start(Wang);
        driver.Complete("register", Wang);
        driver.Complete("review", Zhao, "退回", comment: "材料不全");
        driver.Complete("register", Wang);

        Assert.Single(driver.OpenTasksOf("review"));
        Assert.DoesNotContain(driver.Journal, j => j.Kind == JournalKind.StepAutoPassed);
    }

    [Fact]
    public void Unusable_edge_rules_are_refused_before_publishing()
    {
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new Duban.Engine.Expressions.JintScriptEvaluator());
        var messages = validator.Validate(Flow(Assign.Users(Zhao), null, Edge("noAssignee", "user"), Edge("initiatorAssignee", "maybe")))
            .Select(e => e.Message).ToList();

        Assert.Contains("「审核」：找不到办理人时转交指定人员，请选择人员", messages);
        Assert.Contains("「审核」：办理人是发起人时的处理「maybe」无效", messages);
    }
}
