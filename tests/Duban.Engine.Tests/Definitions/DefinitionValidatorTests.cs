using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Definitions;

/// <summary>What blocks publishing a definition; every problem with a node names it (id and display name).</summary>
public class DefinitionValidatorTests
{
    private static readonly DefinitionValidator Validator = new(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());

    /// <summary>A valid procedure: 开始 → 承办 → 审核 (通过/退回) → 金额较大？ → 领导审批 / 办结.</summary>
    private static FlowBuilder Valid() => FlowBuilder.Define("demo", "督办事项办理")
        .Form("f_start", "立项登记", Field.Text("subject", "事项名称", required: true), Field.Number("amount", "涉及金额"))
        .Start(form: "f_start", titleScript: "'关于' + item.subject + '的督办'")
        .UserTask("cb", "承办", Assign.Units(TestOrganization.Jinan))
        .UserTask("sh", "审核", Assign.Role(Roles.Supervisor), outcomes: ["通过", "退回"])
        .Decision("big", "金额较大？", "item.amount >= 10000")
        .UserTask("ld", "领导审批", Assign.UnitLeader(TestOrganization.Office))
        .End("end", name: "办结")
        .Chain("start", "cb")
        .Connect("cb", "sh", "提交").Connect("sh", "cb", "退回").Connect("sh", "big", "通过")
        .Connect("big", "ld", "True").Connect("big", "end", "False").Connect("ld", "end", "提交");

    private static ValidationError SingleError(WorkflowDefinition definition)
    {
        var errors = Validator.Validate(definition);
        return Assert.Single(errors);
    }

    private static void AssertNamesNode(ValidationError error, string id, string name, string fragment)
    {
        Assert.Equal(id, error.ActivityId);
        Assert.Contains(name, error.Message);
        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void A_valid_definition_gives_no_errors()
    {
        Assert.Empty(Validator.Validate(Valid().Build()));
    }

    [Fact]
    public void No_start_is_an_error_of_the_whole_definition()
    {
        var definition = Valid().Build();
        definition.Root.Activities.RemoveAll(a => a.Type == ActivityTypes.Start);
        definition.Root.Connections.RemoveAll(c => c.Source.Activity == "start");

        var errors = Validator.Validate(definition);

        var error = Assert.Single(errors);
        Assert.Null(error.ActivityId);
        Assert.Contains("开始节点", error.Message);
    }

    [Fact]
    public void Two_starts_name_each_start_node()
    {
        var definition = Valid()
            .Node("start2", ActivityTypes.Start, "第二个开始")
            .Connect("start2", "cb")
            .Build();

        var errors = Validator.Validate(definition);

        Assert.Equal(2, errors.Count);
        AssertNamesNode(errors.Single(e => e.ActivityId == "start"), "start", "开始", "只能有一个开始节点");
        AssertNamesNode(errors.Single(e => e.ActivityId == "start2"), "start2", "第二个开始", "只能有一个开始节点");
    }

    [Fact]
    public void An_unreachable_node_is_named()
    {
        var definition = Valid()
            .UserTask("orphan", "孤立的复核", Assign.Users(TestOrganization.Wang))
            .Connect("orphan", "end", "提交")
            .Build();

        AssertNamesNode(SingleError(definition), "orphan", "孤立的复核", "无法到达");
    }

    [Fact]
    public void A_dangling_port_is_named_with_its_node()
    {
        var definition = Valid().Build();
        definition.Root.Connections.RemoveAll(c => c is { Source.Activity: "big", Source.Port: "False" });

        var error = SingleError(definition);

        AssertNamesNode(error, "big", "金额较大？", "出口「False」没有连线");
    }

    [Fact]
    public void A_user_task_without_assignee_is_named()
    {
        var definition = Valid()
            .UserTask("fh", "复核", assignee: null)
            .Build();
        definition.Root.Connections.RemoveAll(c => c is { Source.Activity: "ld" });
        definition.Root.Connections.Add(new Connection(new Endpoint("ld", "提交"), new Endpoint("fh")));
        definition.Root.Connections.Add(new Connection(new Endpoint("fh", "提交"), new Endpoint("end")));

        AssertNamesNode(SingleError(definition), "fh", "复核", "办理人");
    }

    [Fact]
    public void Bad_javascript_syntax_is_named_with_its_node_and_input()
    {
        var definition = Valid().Build();
        var index = definition.Root.Activities.FindIndex(a => a.Id == "big");
        definition.Root.Activities[index] = FlowBuilder.Define().Decision("big", "金额较大？", "item.amount >= ").Build().Root.Activities[0];

        var error = SingleError(definition);

        AssertNamesNode(error, "big", "金额较大？", "condition");
    }

    [Fact]
    public void Bad_javascript_in_a_switch_case_is_named()
    {
        var definition = Valid()
            .Switch("sw", "按等级分流", ("重大", "item.level === '重大'"), ("较大", "item.level === ("))
            .End("end_sw", name: "分流办结")
            .Build();
        definition.Root.Connections.RemoveAll(c => c is { Source.Activity: "ld" });
        definition.Root.Connections.AddRange([
            new(new("ld", "提交"), new("sw")), new(new("sw", "重大"), new("end")),
            new(new("sw", "较大"), new("end")), new(new("sw", "Default"), new("end_sw")),
        ]);

        AssertNamesNode(SingleError(definition), "sw", "按等级分流", "较大");
    }

    [Fact]
    public void An_unknown_activity_type_is_named()
    {
        var definition = Valid()
            .Node("mail", "Elsa.SendEmail", "发送邮件")
            .Connect("big", "mail", "False")
            .Connect("mail", "end")
            .Build();
        definition.Root.Connections.RemoveAll(c => c is { Source.Activity: "big", Source.Port: "False", Target.Activity: "end" });

        AssertNamesNode(SingleError(definition), "mail", "发送邮件", "Elsa.SendEmail");
    }

    [Fact]
    public void A_connection_to_a_missing_node_names_its_source_and_the_missing_id()
    {
        var definition = Valid().Connect("ld", "ghost", "提交").Build();
        definition.Root.Connections.RemoveAll(c => c is { Source.Activity: "ld", Target.Activity: "end" });

        var errors = Validator.Validate(definition);

        var error = Assert.Single(errors);
        AssertNamesNode(error, "ld", "领导审批", "ghost");
    }

    [Fact]
    public void A_connection_from_a_port_the_node_does_not_have_is_named()
    {
        var definition = Valid().Connect("sh", "end", "同意").Build();

        AssertNamesNode(SingleError(definition), "sh", "审核", "同意");
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var definition = Valid()
            .Node("mail", "Elsa.SendEmail", "发送邮件")
            .UserTask("orphan", "孤立的复核", Assign.Users(TestOrganization.Wang))
            .Connect("orphan", "end", "提交")
            .Connect("ld", "ghost", "提交")
            .Build();

        var errors = Validator.Validate(definition);

        Assert.Equal(["ld", "mail", "orphan"], errors.Select(e => e.ActivityId).Distinct().Order());
    }
}
