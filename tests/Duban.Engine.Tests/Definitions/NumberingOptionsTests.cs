using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Expressions;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Definitions;

/// <summary>Running-number rules (options.numbering): formatting, periods in China time, and what blocks publishing.</summary>
public class NumberingOptionsTests
{
    private static NumberingOptions Read(string json) => NumberingOptions.From(JsonNode.Parse($$"""{ "numbering": {{json}} }""")!.AsObject())!;

    private static IReadOnlyList<string> Problems(string json) => NumberingOptions.Problems(JsonNode.Parse($$"""{ "numbering": {{json}} }""")!.AsObject());

    private static readonly DateTimeOffset March2026 = new(2026, 3, 5, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void Formats_year_month_and_padded_sequence()
    {
        Assert.Equal("督〔2026〕12号", Read("""{ "pattern": "督〔{year}〕{seq}号" }""").Format(12, March2026));
        Assert.Equal("建提-2026-03-007", Read("""{ "pattern": "建提-{year}-{month}-{seq:3}" }""").Format(7, March2026));
        Assert.Equal("第1234号", Read("""{ "pattern": "第{seq:2}号" }""").Format(1234, March2026));
    }

    [Fact]
    public void The_year_and_the_period_follow_the_date_in_China()
    {
        var rule = Read("""{ "pattern": "督〔{year}〕{seq}号" }""");
        // 2025-12-31 17:00 UTC is 2026-01-01 01:00 in Beijing.
        var newYearInBeijing = new DateTimeOffset(2025, 12, 31, 17, 0, 0, TimeSpan.Zero);
        Assert.Equal("2026", rule.PeriodOf(newYearInBeijing));
        Assert.Equal("督〔2026〕1号", rule.Format(1, newYearInBeijing));
        Assert.Equal("2026-03", Read("""{ "pattern": "{year}{month}-{seq}", "reset": "month" }""").PeriodOf(March2026));
        Assert.Equal("*", Read("""{ "pattern": "督办第{seq}号" }""").PeriodOf(March2026));
    }

    [Fact]
    public void The_counter_is_the_pattern_unless_a_sequence_is_named()
    {
        Assert.Equal("督〔{year}〕{seq}号", Read("""{ "pattern": "督〔{year}〕{seq}号" }""").SequenceKey);
        Assert.Equal("督办", Read("""{ "pattern": "督〔{year}〕{seq}号", "sequence": " 督办 " }""").SequenceKey);
    }

    [Theory]
    [InlineData("""{ "pattern": "督〔{year}〕号" }""", "必须包含序号")]
    [InlineData("""{ "pattern": "{seq}-{seq}" }""", "只能包含一个序号")]
    [InlineData("""{ "pattern": "督〔{yr}〕{seq}号" }""", "「{yr}」无效")]
    [InlineData("""{ "pattern": "督{seq:0}号" }""", "序号位数")]
    [InlineData("""{ "pattern": "督{seq:x}号" }""", "序号位数")]
    [InlineData("""{ "pattern": "督{year:4}{seq}号" }""", "不能指定位数")]
    [InlineData("""{ "pattern": "督{seq}号}" }""", "花括号")]
    [InlineData("""{ "pattern": "督办第{seq}号", "reset": "year" }""", "必须包含 {year}")]
    [InlineData("""{ "pattern": "{year}-{seq}", "reset": "month" }""", "{month}")]
    [InlineData("""{ "pattern": "{year}-{seq}", "reset": "weekly" }""", "重新编号方式")]
    [InlineData("""{ "pattern": "" }""", "未设置格式")]
    [InlineData("""{ "pattern": 5 }""", "「pattern」应为文本")]
    [InlineData("""{ "pattern": "{seq}", "prefix": "x" }""", "不认识「prefix」")]
    [InlineData("\"督〔{year}〕{seq}号\"", "应为对象")]
    public void An_unusable_rule_is_reported(string json, string fragment)
    {
        Assert.Contains(Problems(json), p => p.Contains(fragment, StringComparison.Ordinal));
        Assert.Throws<FormatException>(() => Read(json));
    }

    [Fact]
    public void A_procedure_without_numbering_has_none()
    {
        Assert.Null(NumberingOptions.From(null));
        Assert.Null(NumberingOptions.From(new JsonObject { ["deadlines"] = new JsonObject() }));
        Assert.Empty(NumberingOptions.Problems(null));
    }

    [Fact]
    public void The_validator_blocks_publishing_a_bad_rule_as_a_problem_of_the_whole_definition()
    {
        var validator = new DefinitionValidator(ActivityRegistry.CreateDefault(), new JintScriptEvaluator());
        var flow = FlowBuilder.Define("numbered", "编号").Start().End().Chain("start", "end").Build();
        Assert.Empty(validator.Validate(flow with { Options = JsonNode.Parse("""{ "numbering": { "pattern": "督〔{year}〕{seq}号" } }""")!.AsObject() }));
        var error = Assert.Single(validator.Validate(flow with { Options = JsonNode.Parse("""{ "numbering": { "pattern": "督〔{year}〕号" } }""")!.AsObject() }));
        Assert.Null(error.ActivityId);
        Assert.Contains("{seq}", error.Message);
    }
}
