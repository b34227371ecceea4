using System.Text.Json.Nodes;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;

namespace Duban.Engine.Tests.Deadlines;

/// <summary>Deadlines in working days, calendar days, months and fixed dates, on the shipped calendar.</summary>
public sealed class DeadlineCalculatorTests
{
    private static readonly WorkCalendar China = ShippedCalendars.Calendar();

    private static DateTimeOffset Beijing(int y, int m, int d, int hour = 10) => new(y, m, d, hour, 0, 0, TimeSpan.FromHours(8));

    private static DeadlineContext At(DateTimeOffset start, JsonObject? data = null, JsonObject? presets = null, DateTimeOffset? itemStart = null) =>
        new(start, itemStart ?? start, China, data, null, presets);

    private static string DateOf(Deadline? deadline) => deadline!.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void Working_days_skip_the_spring_festival_and_fall_due_at_the_end_of_the_day()
    {
        var deadline = DeadlineCalculator.Compute(new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = 5 }, At(Beijing(2024, 2, 7)));
        Assert.Equal("2024-02-20", DateOf(deadline));
        Assert.Equal(new DateTimeOffset(2024, 2, 20, 23, 59, 59, TimeSpan.FromHours(8)), deadline!.DueAt);
    }

    [Fact]
    public void A_deadline_landing_on_a_holiday_moves_to_the_next_working_day()
    {
        // 30 days from 2025-09-05 is 10-05, inside the eight-day National Day holiday.
        var spec = new DeadlineSpec { Kind = DeadlineKinds.CalendarDays, Amount = 30 };
        Assert.Equal("2025-10-09", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2025, 9, 5)))));
        Assert.Equal("2025-10-05", DateOf(DeadlineCalculator.Compute(spec with { NextWorkingDay = false }, At(Beijing(2025, 9, 5)))));
    }

    [Fact]
    public void Months_clamp_to_the_month_end_and_a_make_up_saturday_needs_no_move()
    {
        var threeMonths = new DeadlineSpec { Kind = DeadlineKinds.Months, Amount = 3 };
        // 2025-11-30 + 3 months = 2026-02-28, a Saturday that is a 调休 working day.
        Assert.Equal("2026-02-28", DateOf(DeadlineCalculator.Compute(threeMonths, At(Beijing(2025, 11, 30)))));
        // 2025-12-31 + 1 month = 2026-01-31, an ordinary Saturday → Monday 02-02.
        Assert.Equal("2026-02-02", DateOf(DeadlineCalculator.Compute(threeMonths with { Amount = 1 }, At(Beijing(2025, 12, 31)))));
    }

    [Theory]
    [InlineData("2025-07-01", "2025-07-15")]
    [InlineData("2025-07-15", "2025-07-15")]
    [InlineData("2025-07-16", "2025-10-15")]
    [InlineData("2025-10-16", "2026-01-15")]
    [InlineData("2028-07-10", "2028-07-17")] // 2028-07-15 is a Saturday
    public void Quarterly_reports_are_due_on_the_next_fixed_date(string start, string expected)
    {
        var spec = new DeadlineSpec { Kind = DeadlineKinds.FixedDates, Dates = ["07-15", "10-15", "01-15"] };
        var from = DateOnly.ParseExact(start, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(expected, DateOf(DeadlineCalculator.Compute(spec, At(ChinaTime.StartOf(from).AddHours(9)))));
    }

    [Fact]
    public void A_date_field_gives_the_deadline_and_an_empty_one_falls_back()
    {
        var spec = new DeadlineSpec
        {
            Kind = DeadlineKinds.Field, Field = "dueDate",
            Fallback = new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = 10 },
        };
        Assert.Equal("2026-12-31", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2026, 3, 2), new JsonObject { ["dueDate"] = "2026-12-31" }))));
        // A typed date on a holiday is kept unless asked otherwise.
        Assert.Equal("2026-10-01", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2026, 3, 2), new JsonObject { ["dueDate"] = "2026-10-01" }))));
        Assert.Equal("2026-10-08", DateOf(DeadlineCalculator.Compute(spec with { NextWorkingDay = true }, At(Beijing(2026, 3, 2), new JsonObject { ["dueDate"] = "2026-10-01" }))));
        Assert.Equal("2026-03-16", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2026, 3, 2), new JsonObject()))));
        Assert.Null(DeadlineCalculator.Compute(spec with { Fallback = null }, At(Beijing(2026, 3, 2))));
        Assert.Equal("2026-03-01", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2026, 3, 2), new JsonObject { ["dueDate"] = "2026-03-01T22:00" }))));
        Assert.Equal("2026-03-02", DateOf(DeadlineCalculator.Compute(spec, At(Beijing(2026, 3, 2), new JsonObject { ["dueDate"] = "2026-03-01T22:00:00Z" }))));
    }

    [Fact]
    public void The_start_can_be_registration_or_a_date_field()
    {
        var fromItem = new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = 10, From = DeadlineStarts.Item };
        Assert.Equal("2026-03-16", DateOf(DeadlineCalculator.Compute(fromItem, At(Beijing(2026, 3, 10), itemStart: Beijing(2026, 3, 2)))));
        var fromField = new DeadlineSpec { Kind = DeadlineKinds.CalendarDays, Amount = 20, From = "field:doneOn" };
        Assert.Equal("2026-12-21", DateOf(DeadlineCalculator.Compute(fromField, At(Beijing(2026, 3, 2), new JsonObject { ["doneOn"] = "2026-12-01" }))));
        var missing = Assert.Throws<DeadlineException>(() => DeadlineCalculator.Compute(fromField, At(Beijing(2026, 3, 2))));
        Assert.Contains("doneOn", missing.Message);
    }

    [Fact]
    public void Presets_come_from_the_procedure_options()
    {
        var presets = new JsonObject
        {
            ["feedback"] = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 },
            ["done"] = new JsonObject { ["kind"] = "workingDays", ["amount"] = 10, ["from"] = "item" },
        };
        var context = At(Beijing(2026, 3, 9), presets: presets, itemStart: Beijing(2026, 3, 2));
        Assert.Equal("2026-03-16", DateOf(DeadlineCalculator.Compute(DeadlineCalculator.Parse(JsonValue.Create("feedback"), presets: presets), context)));
        Assert.Equal("2026-03-16", DateOf(DeadlineCalculator.Compute(new DeadlineSpec { Preset = "done" }, context)));
        // What the step says wins over the preset.
        Assert.Equal("2026-03-23", DateOf(DeadlineCalculator.Compute(new DeadlineSpec { Preset = "done", From = "step" }, context)));
        Assert.Equal("2026-03-12", DateOf(DeadlineCalculator.Compute(DeadlineCalculator.Parse(JsonValue.Create(3)), context)));
        Assert.Equal("2026-04-30", DateOf(DeadlineCalculator.Compute(DeadlineCalculator.Parse(JsonValue.Create("2026-04-30")), context)));
    }

    [Fact]
    public void Bad_specs_are_named()
    {
        Assert.Contains("时限类型「weeks」无效", DeadlineCalculator.Problems(new DeadlineSpec { Kind = "weeks" }, null).Single());
        Assert.Contains("amount", DeadlineCalculator.Problems(new DeadlineSpec { Kind = DeadlineKinds.WorkingDays }, null).Single());
        Assert.Contains("07/15", DeadlineCalculator.Problems(new DeadlineSpec { Kind = DeadlineKinds.FixedDates, Dates = ["07/15"] }, null).Single());
        Assert.Contains("没有名为「nope」", DeadlineCalculator.Problems(new DeadlineSpec { Preset = "nope" }, new JsonObject()).Single());
        var loop = new JsonObject { ["a"] = new JsonObject { ["preset"] = "b" }, ["b"] = new JsonObject { ["preset"] = "a" } };
        Assert.Contains("循环", DeadlineCalculator.Problems(new DeadlineSpec { Preset = "a" }, loop).Single());
        Assert.Contains("起算点", DeadlineCalculator.Problems(new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = 1, From = "tomorrow" }, null).Single());
        Assert.Throws<DeadlineException>(() => DeadlineCalculator.Parse(JsonValue.Create("下周")));
    }

    [Fact]
    public void Procedure_options_are_checked_key_by_key()
    {
        var options = JsonNode.Parse("""
            {
              "deadlines": { "item": { "kind": "field", "field": "dueDate" }, "feedback": { "kind": "workingDays" } },
              "lights": { "yellowWorkingDays": -1 },
              "extensions": { "approval": ["office", "boss"] },
              "ladder": [ { "key": "phone", "name": "电话催办", "trigger": { "kind": "soon" }, "scoreEvent": "phone" } ]
            }
            """)!.AsObject();
        var problems = ProcedureOptions.Problems(options);
        Assert.Contains(problems, p => p.Contains("默认时限「feedback」") && p.Contains("amount"));
        Assert.Contains(problems, p => p.Contains("yellowWorkingDays"));
        Assert.Contains(problems, p => p.Contains("「boss」"));
        Assert.Contains(problems, p => p.Contains("催办阶梯") && p.Contains("「soon」"));
        Assert.Empty(ProcedureOptions.Problems(JsonNode.Parse("""{ "deadlines": { "item": { "kind": "workingDays", "amount": 10 } } }""")!.AsObject()));
    }
}
