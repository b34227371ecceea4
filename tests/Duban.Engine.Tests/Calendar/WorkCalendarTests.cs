using Duban.Engine.Calendar;

namespace Duban.Engine.Tests.Calendar;

/// <summary>Working-day arithmetic on the shipped 2024–2026 calendars (State Council notices).</summary>
public sealed class WorkCalendarTests
{
    private static readonly WorkCalendar China = ShippedCalendars.Calendar();

    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void The_shipped_years_are_2024_to_2026_each_with_its_notice()
    {
        Assert.Equal([2024, 2025, 2026], ShippedCalendars.Years.Keys);
        var y2024 = ShippedCalendars.Find(2024)!;
        Assert.Equal("国务院办公厅关于2024年部分节假日安排的通知", y2024.Source!.Title);
        Assert.Equal("国办发明电〔2023〕7号", y2024.Source.Number);
        Assert.Equal("2023-10-25", y2024.Source.Date);
        Assert.Equal("国办发明电〔2024〕12号", ShippedCalendars.Find(2025)!.Source!.Number);
        Assert.Equal("2025-11-04", ShippedCalendars.Find(2026)!.Source!.Date);
        foreach (var year in ShippedCalendars.Years.Values) Assert.Empty(year.Problems());
    }

    [Theory]
    [InlineData(2024, 251)]
    [InlineData(2025, 248)]
    [InlineData(2026, 248)]
    public void Each_year_has_the_announced_number_of_working_days(int year, int expected)
    {
        var count = 0;
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            if (China.IsWorkingDay(d)) count++;
        Assert.Equal(expected, count);
    }

    [Fact]
    public void Spring_festival_2024_is_off_from_the_10th_to_the_17th_with_two_sundays_worked()
    {
        for (var d = D("2024-02-10"); d <= D("2024-02-17"); d = d.AddDays(1))
            Assert.False(China.IsWorkingDay(d), $"{d} should be off");
        Assert.True(China.IsWorkingDay(D("2024-02-04")), "Sunday 2/4 is a make-up working day");
        Assert.True(China.IsWorkingDay(D("2024-02-18")), "Sunday 2/18 is a make-up working day");
        Assert.True(China.IsWorkingDay(D("2024-02-09")), "除夕 2024 is a working day (rest only encouraged)");
        Assert.Equal("春节", China.Find(D("2024-02-12"))!.Name);
    }

    [Fact]
    public void Five_working_days_across_the_2024_spring_festival_count_the_make_up_sunday()
    {
        // Wed 2/7 → Thu 2/8 (1), Fri 2/9 (2), holiday, Sun 2/18 make-up (3), Mon 2/19 (4), Tue 2/20 (5).
        Assert.Equal(D("2024-02-20"), China.AddWorkingDays(D("2024-02-07"), 5));
        Assert.Equal(4, China.WorkingDaysBetween(D("2024-02-08"), D("2024-02-20")));
    }

    [Fact]
    public void A_saturday_make_up_day_is_a_working_day()
    {
        Assert.Equal(DayOfWeek.Saturday, D("2024-05-11").DayOfWeek);
        Assert.True(China.IsWorkingDay(D("2024-05-11")));
        Assert.Equal(D("2024-05-11"), China.AddWorkingDays(D("2024-05-10"), 1));
        Assert.Equal(D("2025-10-11"), China.AddWorkingDays(D("2025-10-10"), 1));
        Assert.False(China.IsWorkingDay(D("2024-05-18")), "an ordinary Saturday stays off");
    }

    [Fact]
    public void Ten_working_days_across_the_2026_spring_festival()
    {
        // Tue 2/10: 11, 12, 13, Sat 14 (make-up), holiday 15–23, 24, 25, 26, 27, Sat 28 (make-up), Mon 3/2.
        Assert.Equal(D("2026-03-02"), China.AddWorkingDays(D("2026-02-10"), 10));
    }

    [Fact]
    public void The_2025_national_day_and_mid_autumn_run_eight_days()
    {
        Assert.Equal(D("2025-10-09"), China.AddWorkingDays(D("2025-09-30"), 1));
        Assert.True(China.IsWorkingDay(D("2025-09-28")));
        Assert.Equal("国庆节、中秋节", China.Find(D("2025-10-06"))!.Name);
    }

    [Fact]
    public void Counting_across_new_year_2026_lands_on_the_make_up_sunday()
    {
        Assert.Equal(D("2026-01-04"), China.AddWorkingDays(D("2025-12-31"), 1));
        Assert.Equal(DayOfWeek.Sunday, D("2026-01-04").DayOfWeek);
    }

    [Fact]
    public void Next_working_day_skips_a_holiday_and_keeps_a_working_day()
    {
        Assert.Equal(D("2025-10-09"), China.NextWorkingDay(D("2025-10-05")));
        Assert.Equal(D("2026-01-04"), China.NextWorkingDay(D("2026-01-01")));
        Assert.Equal(D("2026-03-04"), China.NextWorkingDay(D("2026-03-04")));
    }

    [Fact]
    public void Negative_counts_go_back_and_between_is_signed()
    {
        Assert.Equal(D("2024-02-08"), China.AddWorkingDays(D("2024-02-18"), -2));
        Assert.Equal(-4, China.WorkingDaysBetween(D("2024-02-20"), D("2024-02-08")));
        Assert.Equal(0, China.WorkingDaysBetween(D("2024-02-10"), D("2024-02-17")));
        Assert.Equal(D("2024-02-07"), China.AddWorkingDays(D("2024-02-07"), 0));
    }

    [Fact]
    public void Without_holidays_only_weekends_are_off()
    {
        Assert.Equal(D("2027-02-15"), WorkCalendar.WeekendsOnly.AddWorkingDays(D("2027-02-12"), 1));
        Assert.True(WorkCalendar.WeekendsOnly.IsWorkingDay(D("2025-10-01")));
    }

    [Fact]
    public void A_year_file_with_mistakes_names_each_one()
    {
        var bad = new CalendarYear
        {
            Year = 2027,
            Holidays = [new("春节", "2027-02-10", "2027-02-05"), new("", "2027-05-01", "2027-05-03"), new("元旦", "2026-12-31", "2027-01-01")],
            Workdays = [new("2027-05-03"), new("2027-03-03"), new("2027-13-01")],
        };
        var problems = bad.Problems();
        Assert.Contains(problems, p => p.Contains("「春节」的结束日期早于开始日期"));
        Assert.Contains(problems, p => p.Contains("缺少名称"));
        Assert.Contains(problems, p => p.Contains("2026-12-31 不在 2027 年内"));
        Assert.Contains(problems, p => p.Contains("2027-05-03 既是"));
        Assert.Contains(problems, p => p.Contains("2027-03-03 是周三，本来就是工作日"));
        Assert.Contains(problems, p => p.Contains("2027-13-01"));
    }

    [Fact]
    public void China_dates_are_taken_at_utc_plus_eight()
    {
        Assert.Equal(D("2026-01-01"), ChinaTime.DateOf(new DateTimeOffset(2025, 12, 31, 16, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 1, 4, 15, 59, 59, TimeSpan.Zero), ChinaTime.EndOf(D("2026-01-04")).ToUniversalTime());
    }
}
