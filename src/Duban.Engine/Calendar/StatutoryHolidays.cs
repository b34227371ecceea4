using System.Globalization;

namespace Duban.Engine.Calendar;

/// <summary>
/// The days off the law itself fixes (《全国年节及纪念日放假办法》, as revised by 国务院令第795号 from 2025): known for
/// any year before the State Council's notice for it is loaded. Only these days — the notice's 调休 (the bridged
/// weekdays and the make-up working weekends) cannot be known in advance, so a calendar of statutory days alone is
/// provisional (<see cref="WorkCalendar.IsProvisional(DateOnly)"/>).
/// <list type="bullet">
/// <item>元旦 1 January; 劳动节 1 May (and 2 May from 2025); 国庆节 1–3 October — fixed dates.</item>
/// <item>清明节 — the day of the solar term 清明 (4 or 5 April), by the 寿星 formula for 2001–2099.</item>
/// <item>春节 (正月初一至初三, and 除夕 from 2025), 端午节 (五月初五), 中秋节 (八月十五) — by the lunar calendar
/// (<see cref="ChineseLunisolarCalendar"/>, 1901–2100), checked against the notices for 2020–2026.</item>
/// </list>
/// </summary>
public static class StatutoryHolidays
{
    public const int FirstYear = 2001;
    public const int LastYear = 2099;

    private static readonly ChineseLunisolarCalendar Lunar = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, IReadOnlyList<CalendarDay>> Cache = new();

    /// <summary>The statutory days off of <paramref name="year"/> (empty outside <see cref="FirstYear"/>–<see cref="LastYear"/>).</summary>
    public static IReadOnlyList<CalendarDay> For(int year) => Cache.GetOrAdd(year, Compute);

    private static IReadOnlyList<CalendarDay> Compute(int year)
    {
        if (year is < FirstYear or > LastYear) return [];
        var days = new List<CalendarDay>();
        void Add(DateOnly date, string name) => days.Add(new CalendarDay(date, DayKind.Holiday, name));

        Add(new DateOnly(year, 1, 1), "元旦");
        var newYear = LunarDate(year, 1, 1);
        if (year >= 2025) Add(newYear.AddDays(-1), "春节（除夕）");
        for (var i = 0; i < 3; i++) Add(newYear.AddDays(i), "春节");
        Add(Qingming(year), "清明节");
        Add(new DateOnly(year, 5, 1), "劳动节");
        if (year >= 2025) Add(new DateOnly(year, 5, 2), "劳动节");
        Add(LunarDate(year, 5, 5), "端午节");
        Add(LunarDate(year, 8, 15), "中秋节");
        for (var d = 1; d <= 3; d++) Add(new DateOnly(year, 10, d), "国庆节");
        // 中秋 can fall on 1–3 October (2020, 2025): the day is off once.
        return days.GroupBy(d => d.Date).Select(g => g.First()).OrderBy(d => d.Date).ToList();
    }

    /// <summary>The Gregorian date of a lunar month and day in the lunar year that begins in <paramref name="year"/>.</summary>
    public static DateOnly LunarDate(int year, int month, int day)
    {
        var leap = Lunar.GetLeapMonth(year);
        var index = leap != 0 && leap <= month ? month + 1 : month;
        return DateOnly.FromDateTime(Lunar.ToDateTime(year, index, day, 0, 0, 0, 0));
    }

    /// <summary>The day of the solar term 清明: 4 April + ⌊0.2422·Y + 0.81⌋ − ⌊Y/4⌋ (Y the year in the century).</summary>
    public static DateOnly Qingming(int year)
    {
        var y = year % 100;
        return new DateOnly(year, 4, (int)Math.Floor(y * 0.2422 + 4.81) - y / 4);
    }
}
