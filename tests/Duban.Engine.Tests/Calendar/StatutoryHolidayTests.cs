using Duban.Engine.Calendar;

namespace Duban.Engine.Tests.Calendar;

/// <summary>The days off the law fixes, known for a year before its State Council notice is loaded.</summary>
public sealed class StatutoryHolidayTests
{
    private static DateOnly D(string text) => DateOnly.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    // year, 春节 (正月初一), 清明, 端午, 中秋 — as the State Council notices of these years give them.
    [InlineData(2020, "2020-01-25", "2020-04-04", "2020-06-25", "2020-10-01")]
    [InlineData(2021, "2021-02-12", "2021-04-04", "2021-06-14", "2021-09-21")]
    [InlineData(2022, "2022-02-01", "2022-04-05", "2022-06-03", "2022-09-10")]
    [InlineData(2023, "2023-01-22", "2023-04-05", "2023-06-22", "2023-09-29")]
    [InlineData(2024, "2024-02-10", "2024-04-04", "2024-06-10", "2024-09-17")]
    [InlineData(2025, "2025-01-29", "2025-04-04", "2025-05-31", "2025-10-06")]
    [InlineData(2026, "2026-02-17", "2026-04-05", "2026-06-19", "2026-09-25")]
    public void Lunar_and_solar_term_holidays_fall_where_the_notices_put_them(int year, string spring, string qingming, string dragonBoat, string midAutumn)
    {
        Assert.Equal(D(spring), StatutoryHolidays.LunarDate(year, 1, 1));
        Assert.Equal(D(qingming), StatutoryHolidays.Qingming(year));
        Assert.Equal(D(dragonBoat), StatutoryHolidays.LunarDate(year, 5, 5));
        Assert.Equal(D(midAutumn), StatutoryHolidays.LunarDate(year, 8, 15));
    }

    [Fact]
    public void Every_statutory_day_is_off_in_the_shipped_notices()
    {
        foreach (var (year, notice) in ShippedCalendars.Years)
        {
            var off = notice.Days().Where(d => d.Kind == DayKind.Holiday).Select(d => d.Date).ToHashSet();
            foreach (var day in StatutoryHolidays.For(year))
                Assert.True(off.Contains(day.Date), $"{day.Date:yyyy-MM-dd} {day.Name} is statutory but not off in the {year} notice");
        }
        // From 2025 the law gives 除夕 and 2 May too; before, not.
        Assert.Equal(11, StatutoryHolidays.For(2024).Count);
        Assert.Equal(13, StatutoryHolidays.For(2026).Count);
    }

    [Fact]
    public void A_year_not_loaded_takes_the_statutory_days_and_its_dates_are_provisional()
    {
        var calendar = ShippedCalendars.Calendar(); // 2024–2026 loaded, 2027 not
        // 元旦 2027 is a Friday: no longer a working day.
        Assert.False(calendar.IsWorkingDay(D("2027-01-01")));
        Assert.Equal("元旦", calendar.Find(D("2027-01-01"))!.Name);
        // 春节 2027: 除夕 2/5 (Fri) … 初三 2/8 (Mon); so 1 working day after Thursday 2/4 is Tuesday 2/9.
        Assert.Equal(D("2027-02-09"), calendar.AddWorkingDays(D("2027-02-04"), 1));
        // 国庆 10/1–10/3 2027 (Fri–Sun) and nothing more: Monday 10/4 works until the notice says otherwise.
        Assert.True(calendar.IsWorkingDay(D("2027-10-04")));
        Assert.True(calendar.IsProvisional(D("2027-03-01")));
        Assert.False(calendar.IsProvisional(D("2026-12-31")));
        Assert.True(calendar.IsProvisional(ChinaTime.EndOf(D("2027-01-04"))));
        // A loaded year is what its notice says, not the statutory days: 2026's 元旦 ran 1/1–1/3 and Sunday 1/4 was worked.
        Assert.True(calendar.IsWorkingDay(D("2026-01-04")));
        // Weekends only means weekends only.
        Assert.True(WorkCalendar.WeekendsOnly.IsWorkingDay(D("2027-01-01")));
    }
}
