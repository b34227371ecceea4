namespace Duban.Engine.Calendar;

/// <summary>What a calendar says about a day beyond "Monday to Friday work, weekends off".</summary>
public enum DayKind
{
    /// <summary>放假: a day off, even on a weekday.</summary>
    Holiday,
    /// <summary>调休上班: a working day, even on a Saturday or Sunday.</summary>
    Workday,
}

/// <summary>One day that differs from the weekly rhythm (or names a holiday's weekend days).</summary>
public sealed record CalendarDay(DateOnly Date, DayKind Kind, string? Name = null);

/// <summary>
/// A work calendar: Monday to Friday are working days, Saturday and Sunday are not, except where a day says
/// otherwise — statutory holidays (放假) and the make-up working days (调休上班) the State Council announces each
/// year. Immutable; all arithmetic is on dates in China time (see <see cref="ChinaTime"/>).
/// </summary>
public sealed class WorkCalendar
{
    /// <summary>Arithmetic never walks further than this many days (about 30 years).</summary>
    public const int MaxSpanDays = 11_000;

    /// <summary>No holidays loaded: weekends only.</summary>
    public static readonly WorkCalendar WeekendsOnly = new([], []);

    private readonly Dictionary<DateOnly, CalendarDay> _days;

    public WorkCalendar(IEnumerable<CalendarDay> days, IEnumerable<int> years)
    {
        _days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days) _days[day.Date] = day;
        Years = years.Distinct().Order().ToList();
    }

    /// <summary>The years whose holiday arrangements are loaded.</summary>
    public IReadOnlyList<int> Years { get; }

    public bool Covers(int year) => Years.Contains(year);

    public IReadOnlyCollection<CalendarDay> Days => _days.Values;

    /// <summary>The calendar's own entry for a day, if it has one.</summary>
    public CalendarDay? Find(DateOnly date) => _days.GetValueOrDefault(date);

    public bool IsWorkingDay(DateOnly date) =>
        _days.TryGetValue(date, out var day)
            ? day.Kind == DayKind.Workday
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    /// <summary><paramref name="date"/> itself when it is a working day, else the first working day after it.</summary>
    public DateOnly NextWorkingDay(DateOnly date)
    {
        for (var i = 0; i < MaxSpanDays; i++, date = date.AddDays(1))
            if (IsWorkingDay(date)) return date;
        throw new InvalidOperationException("日历中找不到工作日");
    }

    /// <summary>
    /// The <paramref name="count"/>-th working day after <paramref name="from"/> (which itself is not counted, the way
    /// "within 5 working days of assignment" is read). Zero gives <paramref name="from"/>; a negative count goes back.
    /// </summary>
    public DateOnly AddWorkingDays(DateOnly from, int count)
    {
        if (Math.Abs(count) > MaxSpanDays) throw new ArgumentOutOfRangeException(nameof(count), "工作日数过大");
        var step = count >= 0 ? 1 : -1;
        var left = Math.Abs(count);
        var date = from;
        for (var walked = 0; left > 0; walked++)
        {
            if (walked > MaxSpanDays) throw new InvalidOperationException("日历中找不到足够的工作日");
            date = date.AddDays(step);
            if (IsWorkingDay(date)) left--;
        }
        return date;
    }

    /// <summary>
    /// Working days after <paramref name="from"/> up to and including <paramref name="to"/>: 0 when they are the same
    /// day or <paramref name="to"/> is the next day off; negative when <paramref name="to"/> lies before.
    /// </summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        if (to < from) return -WorkingDaysBetween(to, from);
        if (to.DayNumber - from.DayNumber > MaxSpanDays) throw new ArgumentOutOfRangeException(nameof(to), "日期跨度过大");
        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
            if (IsWorkingDay(d)) count++;
        return count;
    }
}
