using System.Globalization;
using System.Text.Json.Serialization;
using Duban.Engine.Calendar;
using Duban.Engine.Forms;

namespace Duban.Data.Schedules;

/// <summary>The kinds of rule a schedule starts its procedure on (docs/decisions/026-schedules.md).</summary>
public static class ScheduleRuleKinds
{
    /// <summary>每周: on the given weekdays (1 = Monday … 7 = Sunday).</summary>
    public const string Weekly = "weekly";
    /// <summary>每月第 N 个工作日, on the organization's calendar (holidays and 调休 counted).</summary>
    public const string NthWorkingDay = "nthWorkingDay";
    /// <summary>每季度最后两周 (003 §五): the first working day of the quarter's last 14 days.</summary>
    public const string QuarterLastTwoWeeks = "quarterLastTwoWeeks";
    /// <summary>每年固定日期: month-days such as 07-15, 10-15, 01-15.</summary>
    public const string MonthDays = "monthDays";

    public static readonly IReadOnlyList<string> All = [Weekly, NthWorkingDay, QuarterLastTwoWeeks, MonthDays];
}

/// <summary>
/// When a schedule starts its procedure. Occurrences are dates in China time; each falls due at the start of its day.
/// A weekly or month-day occurrence that falls on a rest day moves to the next working day when
/// <see cref="ShiftToWorkingDay"/> is set (the default): the office is not at work to receive it.
/// </summary>
public sealed record ScheduleRule
{
    public string? Kind { get; init; }
    /// <summary>For <see cref="ScheduleRuleKinds.Weekly"/>: 1 = Monday … 7 = Sunday.</summary>
    public List<int>? Weekdays { get; init; }
    /// <summary>For <see cref="ScheduleRuleKinds.NthWorkingDay"/>: 1 … <see cref="MaxN"/>.</summary>
    public int? N { get; init; }
    /// <summary>For <see cref="ScheduleRuleKinds.MonthDays"/>: "MM-dd".</summary>
    public List<string>? MonthDays { get; init; }
    /// <summary>Weekly and month-day rules: a rest day moves to the next working day. Default true.</summary>
    public bool? ShiftToWorkingDay { get; init; }

    /// <summary>Every month has at least this many working days, even February with 春节.</summary>
    public const int MaxN = 15;

    /// <summary>How far ahead occurrences are looked for (a yearly rule needs a year; a little more for safety).</summary>
    private const int Horizon = 800;

    [JsonIgnore]
    public bool Shifts => ShiftToWorkingDay ?? true;

    /// <summary>What is wrong with the rule, by field (rule.kind, rule.weekdays …), in Chinese; empty when it is sound.</summary>
    public IReadOnlyList<FieldError> Problems()
    {
        var problems = new List<FieldError>();
        switch (Kind)
        {
            case null or "":
                problems.Add(new("rule.kind", "请选择重复方式"));
                break;
            case ScheduleRuleKinds.Weekly:
                if (Weekdays is not { Count: > 0 }) problems.Add(new("rule.weekdays", "请选择每周哪几天发起"));
                else if (Weekdays.Any(d => d is < 1 or > 7)) problems.Add(new("rule.weekdays", "星期应在周一到周日之间"));
                break;
            case ScheduleRuleKinds.NthWorkingDay:
                if (N is not { } n) problems.Add(new("rule.n", "请填写每月第几个工作日"));
                else if (n is < 1 or > MaxN) problems.Add(new("rule.n", $"每月第几个工作日应在 1 到 {MaxN} 之间"));
                break;
            case ScheduleRuleKinds.QuarterLastTwoWeeks:
                break;
            case ScheduleRuleKinds.MonthDays:
                if (MonthDays is not { Count: > 0 }) problems.Add(new("rule.monthDays", "请至少选择一个日期（如 7月15日）"));
                else if (MonthDays.FirstOrDefault(d => !TryMonthDay(d, out _, out _)) is { } bad)
                    problems.Add(new("rule.monthDays", $"日期「{bad}」无效，应为 月-日，如 07-15"));
                break;
            default:
                problems.Add(new("rule.kind", $"不认识的重复方式「{Kind}」"));
                break;
        }
        return problems;
    }

    /// <summary>The rule in the form kept: sorted, de-duplicated, only the parts its kind uses.</summary>
    public ScheduleRule Normalized() => Kind switch
    {
        ScheduleRuleKinds.Weekly => new() { Kind = Kind, Weekdays = Weekdays!.Distinct().Order().ToList(), ShiftToWorkingDay = Shifts },
        ScheduleRuleKinds.NthWorkingDay => new() { Kind = Kind, N = N },
        ScheduleRuleKinds.MonthDays => new()
        {
            Kind = Kind,
            MonthDays = MonthDays!.Select(d => { TryMonthDay(d, out var m, out var day); return $"{m:00}-{day:00}"; }).Distinct().ToList(),
            ShiftToWorkingDay = Shifts,
        },
        _ => new() { Kind = Kind },
    };

    /// <summary>The rule in Chinese words, as the schedule list shows it.</summary>
    public string Describe()
    {
        var shift = Shifts ? "，遇节假日顺延至下一个工作日" : "";
        return Kind switch
        {
            ScheduleRuleKinds.Weekly => "每周" + string.Join("、", (Weekdays ?? []).Distinct().Order().Select(WeekdayName)) + shift,
            ScheduleRuleKinds.NthWorkingDay => $"每月第 {N} 个工作日",
            ScheduleRuleKinds.QuarterLastTwoWeeks => "每季度最后两周（在其第一个工作日发起）",
            ScheduleRuleKinds.MonthDays => "每年 " + string.Join("、", (MonthDays ?? []).Select(d =>
                TryMonthDay(d, out var m, out var day) ? $"{m}月{day}日" : d)) + shift,
            _ => "（未设置）",
        };
    }

    public static string WeekdayName(int day) => day switch
    {
        1 => "周一",
        2 => "周二",
        3 => "周三",
        4 => "周四",
        5 => "周五",
        6 => "周六",
        7 => "周日",
        _ => day.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// The occurrences on or after <paramref name="from"/>, ascending, each date once, on <paramref name="calendar"/>.
    /// Looks <see cref="Horizon"/> days ahead.
    /// </summary>
    public IEnumerable<DateOnly> Occurrences(DateOnly from, WorkCalendar calendar)
    {
        // Nominal dates are looked for from a little before `from`: a rest day before it may shift onto or after it.
        var seen = new HashSet<DateOnly>();
        var found = new List<DateOnly>();
        var first = from.AddDays(-40);
        var last = from.AddDays(Horizon);
        switch (Kind)
        {
            case ScheduleRuleKinds.Weekly:
                var days = (Weekdays ?? []).ToHashSet();
                for (var d = first; d <= last; d = d.AddDays(1))
                    if (days.Contains(IsoWeekday(d))) found.Add(Shift(d, calendar));
                break;
            case ScheduleRuleKinds.NthWorkingDay:
                for (var month = new DateOnly(first.Year, first.Month, 1); month <= last; month = month.AddMonths(1))
                    found.Add(NthWorkingDayOf(month, N ?? 1, calendar));
                break;
            case ScheduleRuleKinds.QuarterLastTwoWeeks:
                for (var quarter = new DateOnly(first.Year, (first.Month - 1) / 3 * 3 + 1, 1); quarter <= last; quarter = quarter.AddMonths(3))
                {
                    var end = quarter.AddMonths(3).AddDays(-1);
                    var windowStart = end.AddDays(-13);
                    var d = windowStart;
                    while (d <= end && !calendar.IsWorkingDay(d)) d = d.AddDays(1);
                    if (d <= end) found.Add(d);
                }
                break;
            case ScheduleRuleKinds.MonthDays:
                var pairs = (MonthDays ?? []).Select(s => TryMonthDay(s, out var m, out var day) ? (m, day) : (0, 0)).Where(p => p.Item1 > 0).ToList();
                for (var year = first.Year; year <= last.Year; year++)
                    foreach (var (m, day) in pairs)
                        if (day <= DateTime.DaysInMonth(year, m)) found.Add(Shift(new DateOnly(year, m, day), calendar));
                break;
        }
        foreach (var d in found.Where(d => d >= from).Order())
            if (seen.Add(d)) yield return d;
    }

    private DateOnly Shift(DateOnly date, WorkCalendar calendar) => Shifts ? calendar.NextWorkingDay(date) : date;

    private static DateOnly NthWorkingDayOf(DateOnly month, int n, WorkCalendar calendar)
    {
        DateOnly? lastWorking = null;
        var count = 0;
        for (var d = month; d.Month == month.Month; d = d.AddDays(1))
        {
            if (!calendar.IsWorkingDay(d)) continue;
            lastWorking = d;
            if (++count == n) return d;
        }
        return lastWorking ?? month;
    }

    private static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;

    public static bool TryMonthDay(string? text, out int month, out int day)
    {
        month = day = 0;
        if (text is null) return false;
        var parts = text.Split('-');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out month)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out day)) return false;
        // 02-29 is refused: a yearly date that exists one year in four is a trap.
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2025, month);
    }
}
