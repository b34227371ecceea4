using System.Globalization;
using System.Text.Json;
using Duban.Engine.Definitions;

namespace Duban.Engine.Calendar;

/// <summary>Where a year's arrangement comes from: the State Council General Office's annual notice, or a local one.</summary>
public sealed record CalendarSource
{
    /// <summary>e.g. 国务院办公厅关于2025年部分节假日安排的通知</summary>
    public string? Title { get; init; }
    /// <summary>e.g. 国办发明电〔2024〕12号</summary>
    public string? Number { get; init; }
    /// <summary>The notice's date, yyyy-MM-dd.</summary>
    public string? Date { get; init; }
    public string? Note { get; init; }
}

/// <summary>A holiday as a notice states it: a name and a run of days off (放假调休), weekends inside it included.</summary>
public sealed record HolidayRange(string Name, string From, string To);

/// <summary>A make-up working day (调休上班), usually a Saturday or Sunday.</summary>
public sealed record MakeUpWorkday(string Date, string? Name = null);

/// <summary>
/// One year's holiday arrangement as a file: the shape of the shipped data (<c>Calendar/Holidays/2025.json</c>) and
/// of what an administrator loads. Dates are yyyy-MM-dd.
/// </summary>
public sealed record CalendarYear
{
    public int Year { get; init; }
    public CalendarSource? Source { get; init; }
    public List<HolidayRange> Holidays { get; init; } = [];
    public List<MakeUpWorkday> Workdays { get; init; } = [];

    /// <summary>What is wrong with this year's data, each message naming the day or holiday; empty when it is usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (Year is < 2000 or > 2100) problems.Add($"年份「{Year}」无效");
        var off = new Dictionary<DateOnly, string>();
        foreach (var holiday in Holidays ?? [])
        {
            if (holiday is null) { problems.Add("节假日条目为空"); continue; }
            var name = string.IsNullOrWhiteSpace(holiday.Name) ? "（未命名）" : holiday.Name;
            if (string.IsNullOrWhiteSpace(holiday.Name)) problems.Add("节假日缺少名称");
            if (!TryDate(holiday.From, out var from) || !TryDate(holiday.To, out var to))
            {
                problems.Add($"「{name}」的起止日期应为 yyyy-MM-dd 格式");
                continue;
            }
            if (to < from) problems.Add($"「{name}」的结束日期早于开始日期");
            else if (to.DayNumber - from.DayNumber > 30) problems.Add($"「{name}」超过 31 天，请检查日期");
            else
                for (var d = from; d <= to; d = d.AddDays(1))
                {
                    if (d.Year != Year) { problems.Add($"「{name}」的日期 {d:yyyy-MM-dd} 不在 {Year} 年内"); break; }
                    if (!off.TryAdd(d, name)) problems.Add($"{d:yyyy-MM-dd} 同时属于「{off[d]}」和「{name}」");
                }
        }
        var seen = new HashSet<DateOnly>();
        foreach (var workday in Workdays ?? [])
        {
            if (workday is null || !TryDate(workday.Date, out var date))
            {
                problems.Add($"调休上班日「{workday?.Date}」应为 yyyy-MM-dd 格式");
                continue;
            }
            if (date.Year != Year) problems.Add($"调休上班日 {date:yyyy-MM-dd} 不在 {Year} 年内");
            if (!seen.Add(date)) problems.Add($"调休上班日 {date:yyyy-MM-dd} 重复");
            if (off.TryGetValue(date, out var holiday)) problems.Add($"{date:yyyy-MM-dd} 既是「{holiday}」假期又是调休上班日");
            if (date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                problems.Add($"调休上班日 {date:yyyy-MM-dd} 是{Weekday(date)}，本来就是工作日");
        }
        return problems;
    }

    /// <summary>The days this year puts in a calendar. Call only when <see cref="Problems"/> is empty.</summary>
    public IEnumerable<CalendarDay> Days()
    {
        foreach (var holiday in Holidays)
            for (var d = ParseDate(holiday.From); d <= ParseDate(holiday.To); d = d.AddDays(1))
                yield return new CalendarDay(d, DayKind.Holiday, holiday.Name);
        foreach (var workday in Workdays)
            yield return new CalendarDay(ParseDate(workday.Date), DayKind.Workday, string.IsNullOrWhiteSpace(workday.Name) ? "调休上班" : workday.Name);
    }

    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Weekday(DateOnly date) => date.DayOfWeek switch
    {
        DayOfWeek.Monday => "周一",
        DayOfWeek.Tuesday => "周二",
        DayOfWeek.Wednesday => "周三",
        DayOfWeek.Thursday => "周四",
        DayOfWeek.Friday => "周五",
        DayOfWeek.Saturday => "周六",
        _ => "周日",
    };

    public static CalendarYear Parse(string json) =>
        JsonSerializer.Deserialize<CalendarYear>(json, DefinitionJson.Options) ?? throw new JsonException("empty calendar year");
}

/// <summary>The years shipped with Duban, from the State Council General Office's annual notices (embedded JSON files).</summary>
public static class ShippedCalendars
{
    private static readonly Lazy<IReadOnlyDictionary<int, CalendarYear>> Loaded = new(Load);

    public static IReadOnlyDictionary<int, CalendarYear> Years => Loaded.Value;

    public static CalendarYear? Find(int year) => Years.GetValueOrDefault(year);

    /// <summary>A calendar with every shipped year: what an organization starts with.</summary>
    public static WorkCalendar Calendar() => new(Years.Values.SelectMany(y => y.Days()), Years.Keys);

    private static readonly Lazy<WorkCalendar> Shared = new(Calendar);

    /// <summary>One shared instance of <see cref="Calendar"/>.</summary>
    public static WorkCalendar Default => Shared.Value;

    private static IReadOnlyDictionary<int, CalendarYear> Load()
    {
        var assembly = typeof(ShippedCalendars).Assembly;
        var years = new SortedDictionary<int, CalendarYear>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.Contains(".Calendar.Holidays.", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            var year = CalendarYear.Parse(reader.ReadToEnd());
            var problems = year.Problems();
            if (problems.Count > 0) throw new InvalidDataException($"Shipped calendar {name}: {string.Join("; ", problems)}");
            years[year.Year] = year;
        }
        return years;
    }
}
