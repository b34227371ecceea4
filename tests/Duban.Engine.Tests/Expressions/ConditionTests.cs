using System.Text.Json.Nodes;
using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Expressions;

/// <summary>A condition built by clicking is evaluated on the item's data without a script engine.</summary>
public class ConditionTests
{
    private static readonly JsonObject Item = JsonNode.Parse("""
        {
          "needLeader": "是", "amount": 12000, "amountText": "800", "level": "省级", "tags": ["紧急", "批示"],
          "due": "2026-03-20", "summary": "关于加快推进法治建设的督办", "empty": "", "none": null, "list": []
        }
        """)!.AsObject();

    private static bool Rule(string field, string op, string? valueJson = null) =>
        ConditionEvaluator.Evaluate(new Condition { Field = field, Op = op, Value = valueJson is null ? null : JsonNode.Parse(valueJson) }, Item);

    [Theory]
    [InlineData("needLeader", "eq", "\"是\"", true)]
    [InlineData("needLeader", "eq", "\"否\"", false)]
    [InlineData("needLeader", "ne", "\"否\"", true)]
    [InlineData("missing", "eq", "\"是\"", false)]
    [InlineData("missing", "ne", "\"是\"", true)]
    [InlineData("amount", "eq", "\"12000\"", true)]
    [InlineData("amount", "gt", "10000", true)]
    [InlineData("amount", "gt", "12000", false)]
    [InlineData("amount", "gte", "12000", true)]
    [InlineData("amount", "lt", "20000", true)]
    [InlineData("amount", "lte", "11999.5", false)]
    [InlineData("amountText", "lt", "1000", true)]
    [InlineData("missing", "lt", "1000", false)]
    [InlineData("missing", "lte", "1000", false)]
    [InlineData("level", "in", "[\"省级\",\"市级\"]", true)]
    [InlineData("level", "in", "[\"县级\"]", false)]
    [InlineData("level", "in", "\"省级\"", false)]
    [InlineData("tags", "in", "[\"批示\",\"会议\"]", true)]
    [InlineData("tags", "contains", "\"紧急\"", true)]
    [InlineData("tags", "contains", "\"会议\"", false)]
    [InlineData("summary", "contains", "\"法治\"", true)]
    [InlineData("summary", "contains", "\"安全\"", false)]
    [InlineData("due", "before", "\"2026-03-21\"", true)]
    [InlineData("due", "before", "\"2026-03-20\"", false)]
    [InlineData("due", "after", "\"2026-03-01\"", true)]
    [InlineData("due", "after", "\"2026-12-01\"", false)]
    [InlineData("summary", "after", "\"2026-12-01\"", false)]
    public void A_rule_compares_the_field_with_its_value(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, Rule(field, op, value));

    [Theory]
    [InlineData("empty", true)]
    [InlineData("none", true)]
    [InlineData("list", true)]
    [InlineData("missing", true)]
    [InlineData("needLeader", false)]
    [InlineData("tags", false)]
    [InlineData("amount", false)]
    public void Empty_and_not_empty_need_no_value(string field, bool empty)
    {
        Assert.Equal(empty, Rule(field, ConditionOps.Empty));
        Assert.Equal(!empty, Rule(field, ConditionOps.NotEmpty));
    }

    [Fact]
    public void Groups_join_their_rules_with_and_or_or_and_nest()
    {
        var condition = Condition.Read(JsonNode.Parse("""
            { "match": "all", "rules": [
                { "field": "needLeader", "op": "eq", "value": "是" },
                { "match": "any", "rules": [
                    { "field": "amount", "op": "gt", "value": 50000 },
                    { "field": "level", "op": "eq", "value": "省级" } ] } ] }
            """))!;
        Assert.True(ConditionEvaluator.Evaluate(condition, Item));

        var notProvincial = (JsonObject)Item.DeepClone();
        notProvincial["level"] = "县级";
        Assert.False(ConditionEvaluator.Evaluate(condition, notProvincial));
        notProvincial["amount"] = 60000;
        Assert.True(ConditionEvaluator.Evaluate(condition, notProvincial));
        notProvincial["needLeader"] = "否";
        Assert.False(ConditionEvaluator.Evaluate(condition, notProvincial));

        Assert.True(ConditionEvaluator.Evaluate(new Condition { Match = ConditionOps.All, Rules = [] }, Item));
        Assert.False(ConditionEvaluator.Evaluate(new Condition { Match = ConditionOps.Any, Rules = [] }, Item));
    }

    [Fact]
    public void An_unknown_operator_is_refused_not_read_as_false() =>
        Assert.Throws<ArgumentException>(() => Rule("amount", "between", "1"));

    [Fact]
    public void What_is_not_a_condition_object_is_not_read_as_one()
    {
        Assert.Null(Condition.Read(JsonValue.Create("item.a === 1")));
        Assert.Null(Condition.Read(JsonNode.Parse("""{ "rules": 3 }""")));
        Assert.NotNull(Condition.Read(JsonNode.Parse("""{ "field": "a", "op": "eq", "value": 1 }""")));
    }
}
