using System.Text.Json.Nodes;
using Duban.Engine.Forms;

namespace Duban.Engine.Tests.Forms;

public class FormComputerTests
{
    private static readonly FormDefinition Form = new()
    {
        Id = "f1",
        Name = "经费",
        Fields =
        [
            new() { Key = "a", Label = "甲", Type = FieldTypes.Number },
            new() { Key = "b", Label = "乙", Type = FieldTypes.Number },
            new() { Key = "sum", Label = "合计", Type = FieldTypes.Computed, Compute = "a+b" },
            new() { Key = "double", Label = "两倍合计", Type = FieldTypes.Computed, Compute = "sum*2" },
        ],
    };

    // A stand-in for the script evaluator: understands the two expressions of the form above.
    private static JsonNode? Evaluate(string expression, JsonObject data) => expression switch
    {
        "a+b" => data["a"]!.GetValue<decimal>() + data["b"]!.GetValue<decimal>(),
        "sum*2" => data["sum"]!.GetValue<decimal>() * 2,
        _ => throw new InvalidOperationException(expression),
    };

    [Fact]
    public void Computed_fields_are_computed_in_field_order()
    {
        var data = JsonNode.Parse("""{ "a": 2, "b": 3, "sum": 100 }""")!.AsObject();

        var result = FormComputer.ApplyComputed(Form, data, Evaluate);

        Assert.Equal(5m, result["sum"]!.GetValue<decimal>());
        Assert.Equal(10m, result["double"]!.GetValue<decimal>());
        Assert.Equal(100, data["sum"]!.GetValue<int>());
        Assert.False(data.ContainsKey("double"));
    }

    [Fact]
    public void Null_result_sets_the_computed_field_to_null()
    {
        var form = Form with { Fields = [new() { Key = "x", Label = "结果", Type = FieldTypes.Computed, Compute = "undefined" }] };

        var result = FormComputer.ApplyComputed(form, JsonNode.Parse("""{ "x": 1 }""")!.AsObject(), (_, _) => null);

        Assert.True(result.ContainsKey("x"));
        Assert.Null(result["x"]);
    }

    [Fact]
    public void Evaluator_returning_a_node_of_the_data_does_not_corrupt_it()
    {
        var form = Form with { Fields = [new() { Key = "copy", Label = "副本", Type = FieldTypes.Computed, Compute = "item.list" }] };
        var data = JsonNode.Parse("""{ "list": [1, 2] }""")!.AsObject();

        var result = FormComputer.ApplyComputed(form, data, (_, d) => d["list"]);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{ "list": [1, 2], "copy": [1, 2] }"""), result));
    }
}
