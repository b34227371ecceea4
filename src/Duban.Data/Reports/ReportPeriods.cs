using Duban.Engine.Calendar;

namespace Duban.Data.Reports;

/// <summary>The periods a report counts: the presets a person picks (本周, 本月, 本季度) and the one a schedule's run closes.</summary>
public static class ReportPeriods
{
    public static readonly IReadOnlyList<string> Presets = ["week", "month", "quarter"];

    /// <summary>本周 (Monday to today), 本月 or 本季度 (their first day to today); null for an unknown name.</summary>
    public static (DateOnly From, DateOnly To)? Preset(string name, DateOnly today) => name switch
    {
        "week" => (today.AddDays(-(((int)today.DayOfWeek + 6) % 7)), today),
        "month" => (new DateOnly(today.Year, today.Month, 1), today),
        "quarter" => (new DateOnly(today.Year, (today.Month - 1) / 3 * 3 + 1, 1), today),
        _ => null,
    };

    /// <summary>The first run date of a schedule on or after <paramref name="from"/>.</summary>
    public static DateOnly NextRun(string frequency, int day, DateOnly from)
    {
        if (frequency == ReportFrequency.Weekly)
        {
            var d = from;
            while (((int)d.DayOfWeek + 6) % 7 + 1 != day) d = d.AddDays(1);
            return d;
        }
        if (frequency == ReportFrequency.Quarterly)
        {
            var quarter = new DateOnly(from.Year, (from.Month - 1) / 3 * 3 + 1, day);
            return quarter >= from ? quarter : quarter.AddMonths(3);
        }
        var candidate = new DateOnly(from.Year, from.Month, day);
        return candidate >= from ? candidate : candidate.AddMonths(1);
    }

    /// <summary>What a run on <paramref name="runDate"/> reports: the seven days before it, or the calendar month or quarter before it.</summary>
    public static (DateOnly From, DateOnly To) PastPeriod(string frequency, DateOnly runDate)
    {
        if (frequency == ReportFrequency.Weekly) return (runDate.AddDays(-7), runDate.AddDays(-1));
        if (frequency == ReportFrequency.Quarterly)
        {
            var quarter = new DateOnly(runDate.Year, (runDate.Month - 1) / 3 * 3 + 1, 1).AddMonths(-3);
            return (quarter, quarter.AddMonths(3).AddDays(-1));
        }
        var first = new DateOnly(runDate.Year, runDate.Month, 1).AddMonths(-1);
        return (first, first.AddMonths(1).AddDays(-1));
    }

    public static DateTimeOffset RunAt(DateOnly date) => ChinaTime.StartOf(date);

    /// <summary>「2026年11月30日至2026年12月6日」.</summary>
    public static string Describe(DateOnly from, DateOnly to) => $"{from.Year}年{from.Month}月{from.Day}日至{to.Year}年{to.Month}月{to.Day}日";
}
