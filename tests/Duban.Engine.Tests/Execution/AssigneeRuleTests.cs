using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Tests.Execution.Support;
using static Duban.Engine.Tests.Execution.Support.TestOrganization;

namespace Duban.Engine.Tests.Execution;

/// <summary>Who gets a step's tasks, for each kind of assignee rule.</summary>
public class AssigneeRuleTests
{
    /// <summary>Start (with a unit picker) → the step under test → 办结.</summary>
    private static WorkflowDriver Step(AssigneeRule rule, string? countersign = null) => new(FlowBuilder.Define()
        .Form("f_start", "立项登记", Field.Units("units", "承办单位"))
        .Start(form: "f_start")
        .UserTask("cb", "承办", rule, countersign: countersign)
        .End()
        .Chain("start", "cb").Connect("cb", "end", "提交")
        .Build());

    private static List<TaskAssignee> AssigneesAfterStart(AssigneeRule rule, string? countersign = null, string initiator = Wang, JsonObject? data = null)
    {
        var driver = Step(rule, countersign);
        driver.Start(initiator, data);
        return driver.OpenTasks.Select(t => t.Assignee).ToList();
    }

    [Fact]
    public void Users_rule_gives_each_named_user_a_task_and_skips_unknown_ids()
    {
        Assert.Equal([TaskAssignee.User(Zhao), TaskAssignee.User(Chen)],
            AssigneesAfterStart(Assign.Users(Zhao, "ghost", Chen, Zhao)));
    }

    [Fact]
    public void Role_rule_gives_one_task_any_holder_of_the_role_can_claim()
    {
        var driver = Step(Assign.Role(Roles.Supervisor));
        driver.Start(Liu);

        var task = Assert.Single(driver.OpenTasks);
        Assert.Equal(TaskAssignee.ForRole(Roles.Supervisor), task.Assignee);
        Assert.Equal(task, driver.TaskOf("cb", Zhao));
        Assert.Equal(task, driver.TaskOf("cb", Wang));

        driver.Complete("cb", Zhao);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void Role_rule_in_a_countersign_gives_every_holder_a_task()
    {
        Assert.Equal([TaskAssignee.User(Wang), TaskAssignee.User(Zhao)],
            AssigneesAfterStart(Assign.Role(Roles.Supervisor), UserTaskActivity.All).OrderBy(a => a.UserId));
        Assert.Equal([TaskAssignee.User(Wang)],
            AssigneesAfterStart(Assign.Role(Roles.Supervisor), UserTaskActivity.Sequence).Take(1));
    }

    [Fact]
    public void Role_rule_within_units_names_the_holders_in_those_units()
    {
        Assert.Equal([TaskAssignee.User(JinanLeader), TaskAssignee.User(QingdaoLeader)],
            AssigneesAfterStart(Assign.Role(Roles.Leader, Jinan, Qingdao)));
    }

    [Fact]
    public void Unit_rule_gives_each_unit_a_task_for_its_liaisons()
    {
        var driver = Step(Assign.Units(Jinan, "no-such-unit", Qingdao), UserTaskActivity.All);
        driver.Start(Wang);

        Assert.Equal([TaskAssignee.Unit(Jinan), TaskAssignee.Unit(Qingdao)], driver.OpenTasks.Select(t => t.Assignee));
        driver.Complete("cb", QingdaoLiaison);
        driver.Complete("cb", JinanLiaison);
        Assert.Equal(WorkflowStatus.Completed, driver.State.Status);
    }

    [Fact]
    public void UnitLeader_rule_names_the_leader_of_the_given_units_or_of_the_initiators_unit()
    {
        Assert.Equal([TaskAssignee.User(Chen)], AssigneesAfterStart(Assign.UnitLeader(Legal)));
        Assert.Equal([TaskAssignee.User(JinanLeader)], AssigneesAfterStart(Assign.UnitLeader(), initiator: JinanLiaison));
        Assert.Equal([TaskAssignee.User(Liu)], AssigneesAfterStart(Assign.UnitLeader(), initiator: Wang));
    }

    [Fact]
    public void Initiator_rule_gives_the_task_to_whoever_started_the_item()
    {
        Assert.Equal([TaskAssignee.User(QingdaoLiaison)], AssigneesAfterStart(Assign.Initiator(), initiator: QingdaoLiaison));
    }

    [Fact]
    public void Field_rule_takes_the_units_picked_in_the_form()
    {
        var assignees = AssigneesAfterStart(Assign.Field("units"), UserTaskActivity.All,
            data: new JsonObject { ["units"] = new JsonArray("qingdao", "legal") });

        Assert.Equal([TaskAssignee.Unit(Qingdao), TaskAssignee.Unit(Legal)], assignees);
    }

    [Fact]
    public void Field_rule_with_nothing_picked_becomes_an_incident()
    {
        var driver = Step(Assign.Field("units"));

        var started = driver.Start(Wang, new JsonObject());

        Assert.Equal(WorkflowStatus.Faulted, started.State.Status);
        Assert.Equal("cb", started.State.Incident!.ActivityId);
    }

    [Fact]
    public void Previous_rule_takes_the_assignees_chosen_by_whoever_completed_the_step_before()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("ps", "拟办", Assign.Users(Wang))
            .UserTask("ld", "领导批示", Assign.Previous())
            .End()
            .Chain("start", "ps").Connect("ps", "ld", "提交").Connect("ld", "end", "提交")
            .Build());
        driver.Start(Zhao);

        var result = driver.Complete("ps", Wang, nextAssignees: new() { ["ld"] = ["user:chen", "unit:jinan"] });

        Assert.Equal([TaskAssignee.User(Chen), TaskAssignee.Unit(Jinan)], result.Effects.NewTasks.Select(t => t.Assignee));
        Assert.Equal(["user:chen", "unit:jinan"], result.State.ChosenAssignees["ld"]);
    }

    [Fact]
    public void Previous_rule_needs_a_choice_when_the_step_before_is_completed()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .UserTask("ps", "拟办", Assign.Users(Wang))
            .UserTask("ld", "领导批示", Assign.Previous())
            .End()
            .Chain("start", "ps").Connect("ps", "ld", "提交").Connect("ld", "end", "提交")
            .Build());
        driver.Start(Zhao);

        var before = driver.StateJson();

        var missing = Assert.Throws<WorkflowInputException>(() => driver.Complete("ps", Wang));
        Assert.Equal("nextAssignees", missing.Errors.Single().Field);
        Assert.Contains("领导批示", missing.Message);
        var unknown = Assert.Throws<WorkflowInputException>(() => driver.Complete("ps", Wang,
            nextAssignees: new() { ["ld"] = ["user:nobody"] }));
        Assert.Equal("nextAssignees", unknown.Errors.Single().Field);
        var wrongStep = Assert.Throws<WorkflowInputException>(() => driver.Complete("ps", Wang,
            nextAssignees: new() { ["end"] = ["user:" + Liu] }));
        Assert.Equal("nextAssignees", wrongStep.Errors.Single().Field);
        Assert.Equal(before, driver.StateJson());
    }

    [Fact]
    public void Notice_recipients_by_role_get_one_claimable_notice()
    {
        var driver = new WorkflowDriver(FlowBuilder.Define()
            .Start()
            .Notify("cs", "抄送领导", Assign.Role(Roles.Leader))
            .End()
            .Chain("start", "cs", "end")
            .Build());

        var started = driver.Start(Wang);

        Assert.Equal(TaskAssignee.ForRole(Roles.Leader), Assert.Single(started.Effects.NewTasks).Assignee);
        Assert.Equal(WorkflowStatus.Completed, started.State.Status);
    }
}
