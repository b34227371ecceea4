using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Deadlines;

/// <summary>Green, yellow, red as a controllable clock moves.</summary>
public sealed class LightsTests
{
    private static readonly WorkCalendar China = ShippedCalendars.Calendar();

    [Fact]
    public void A_ten_working_day_task_turns_yellow_one_working_day_before_and_red_after_the_day()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        var start = clock.GetUtcNow();
        var due = DeadlineCalculator.Compute(new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = 10 }, new DeadlineContext(start, start, China))!.DueAt;
        Assert.Equal(new DateOnly(2026, 3, 16), ChinaTime.DateOf(due));

        string? Light() => Lights.Of(start, due, clock.GetUtcNow(), China, new LightRule(YellowWorkingDays: 1));
        Assert.Equal(Lights.Green, Light());
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 12, 17, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal(Lights.Green, Light());
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 13, 9, 0, 0, TimeSpan.FromHours(8)));   // Friday: one working day left
        Assert.Equal(Lights.Yellow, Light());
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 16, 23, 59, 59, TimeSpan.FromHours(8)));
        Assert.Equal(Lights.Yellow, Light());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(Lights.Red, Light());
    }

    [Fact]
    public void Working_days_before_the_deadline_count_the_make_up_saturday_and_skip_the_holiday()
    {
        var start = new DateTimeOffset(2026, 2, 2, 9, 0, 0, TimeSpan.FromHours(8));
        var due = ChinaTime.EndOf(new DateOnly(2026, 2, 24));
        var friday = new DateTimeOffset(2026, 2, 13, 9, 0, 0, TimeSpan.FromHours(8));
        // From Friday 2/13: Saturday 2/14 (make-up) and Tuesday 2/24 are the two working days left.
        Assert.Equal(Lights.Yellow, Lights.Of(start, due, friday, China, new LightRule(YellowWorkingDays: 2)));
        Assert.Equal(Lights.Green, Lights.Of(start, due, friday, China, new LightRule(YellowWorkingDays: 1)));
    }

    [Fact]
    public void A_percentage_rule_turns_yellow_when_that_share_of_the_time_is_left()
    {
        var start = new DateTimeOffset(2026, 3, 2, 0, 0, 0, TimeSpan.FromHours(8));
        var due = start.AddDays(10);
        var rule = new LightRule(YellowPercent: 30);
        Assert.Equal(Lights.Green, Lights.Of(start, due, start.AddDays(6.9), China, rule));
        Assert.Equal(Lights.Yellow, Lights.Of(start, due, start.AddDays(7), China, rule));
        Assert.Null(Lights.Of(start, null, start, China, rule));
        // The default: one working day or the last fifth.
        Assert.Equal(Lights.Yellow, Lights.Of(start, due, start.AddDays(8.1), China));
    }
}
