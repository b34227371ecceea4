using System.Text.Json.Nodes;
using Duban.Engine.Forms;

namespace Duban.Engine.Tests.Forms;

public class FormDataMergerTests
{
    private static readonly FormDefinition Form = new()
    {
        Id = "f1",
        Name = "督办事项",
        Fields =
        [
            new() { Key = "title", Label = "事项名称", Type = FieldTypes.Text },
            new() { Key = "reply", Label = "办理情况", Type = FieldTypes.Textarea },
            new() { Key = "opinion", Label = "审核意见", Type = FieldTypes.Opinion },
            new() { Key = "total", Label = "合计", Type = FieldTypes.Computed, Compute = "1" },
        ],
    };

    private static readonly OpinionStamp First =
        new("u1", "张三", "督查室", "初审", new DateTimeOffset(2025, 3, 1, 9, 30, 0, TimeSpan.FromHours(8)));

    private static readonly OpinionStamp Second =
        new("u2", "李四", null, "复核", new DateTimeOffset(2025, 3, 2, 10, 0, 0, 123, TimeSpan.Zero));

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Editable_values_overwrite_and_other_data_is_kept()
    {
        var current = Json("""{ "title": "旧名称", "reply": "未办", "other": 1 }""");

        var merged = FormDataMerger.Merge(Form, current, Json("""{ "title": "新名称", "reply": null }"""), First);

        Assert.True(JsonNode.DeepEquals(Json("""{ "title": "新名称", "reply": null, "other": 1 }"""), merged));
    }

    [Fact]
    public void Opinion_is_appended_with_its_stamp()
    {
        var merged = FormDataMerger.Merge(Form, new JsonObject(), Json("""{ "opinion": "同意" }"""), First);

        var expected = Json("""
            { "opinion": [{ "text": "同意", "userId": "u1", "userName": "张三", "unitName": "督查室", "step": "初审", "at": "2025-03-01T01:30:00.000Z" }] }
            """);
        Assert.True(JsonNode.DeepEquals(expected, merged), merged.ToJsonString());
    }

    [Fact]
    public void Opinion_appended_twice_keeps_both_entries_and_the_older_one_unchanged()
    {
        var once = FormDataMerger.Merge(Form, new JsonObject(), Json("""{ "opinion": "同意" }"""), First);
        var firstEntry = once["opinion"]![0]!.DeepClone();

        var twice = FormDataMerger.Merge(Form, once, Json("""{ "opinion": "请补充材料" }"""), Second);

        var history = twice["opinion"]!.AsArray();
        Assert.Equal(2, history.Count);
        Assert.True(JsonNode.DeepEquals(firstEntry, history[0]));
        Assert.Equal("请补充材料", history[1]!["text"]!.GetValue<string>());
        Assert.Equal("u2", history[1]!["userId"]!.GetValue<string>());
        Assert.Null(history[1]!["unitName"]);
        Assert.Equal("2025-03-02T10:00:00.123Z", history[1]!["at"]!.GetValue<string>());
        Assert.Single(once["opinion"]!.AsArray());
    }

    [Fact]
    public void Attempt_to_overwrite_opinion_history_is_ignored()
    {
        var current = FormDataMerger.Merge(Form, new JsonObject(), Json("""{ "opinion": "同意" }"""), First);
        var before = current.DeepClone();

        var merged = FormDataMerger.Merge(Form, current, Json("""{ "opinion": [{ "text": "篡改", "userId": "u1" }] }"""), Second);

        Assert.True(JsonNode.DeepEquals(before, merged));
    }

    [Fact]
    public void Blank_opinion_adds_no_entry()
    {
        var merged = FormDataMerger.Merge(Form, new JsonObject(), Json("""{ "opinion": "  " }"""), First);

        Assert.False(merged.ContainsKey("opinion"));
    }

    [Fact]
    public void Computed_fields_and_unknown_keys_are_not_merged()
    {
        var merged = FormDataMerger.Merge(Form, Json("""{ "total": 3 }"""), Json("""{ "total": 99, "bogus": 1 }"""), First);

        Assert.True(JsonNode.DeepEquals(Json("""{ "total": 3 }"""), merged));
    }

    [Fact]
    public void Merge_returns_a_new_object_and_never_mutates_inputs()
    {
        var current = Json("""{ "title": "旧", "opinion": [{ "text": "原意见" }] }""");
        var values = Json("""{ "title": "新", "opinion": "追加" }""");
        var currentCopy = current.DeepClone();
        var valuesCopy = values.DeepClone();

        var merged = FormDataMerger.Merge(Form, current, values, First);

        Assert.NotSame(current, merged);
        Assert.True(JsonNode.DeepEquals(currentCopy, current));
        Assert.True(JsonNode.DeepEquals(valuesCopy, values));
        Assert.Equal(2, merged["opinion"]!.AsArray().Count);
    }
}
