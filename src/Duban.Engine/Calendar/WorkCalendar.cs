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

    /// <summary>No holidays at all, not even the statutory ones: weekends only.</summary>
    public static readonly WorkCalendar WeekendsOnly = new([], [], statutoryWhereNotLoaded: false);

    private readonly Dictionary<DateOnly, CalendarDay> _days;
    private readonly HashSet<int> _years;
    private readonly bool _statutory;

    /// <param name="days">The loaded years' days off and make-up working days (and single days an administrator set).</param>
    /// <param name="years">The years whose notice is loaded.</param>
    /// <param name="statutoryWhereNotLoaded">
    /// In a year not loaded, take the days off the law fixes (<see cref="StatutoryHolidays"/>) instead of Monday to Friday;
    /// deadlines in such a year are provisional.
    /// </param>
    public WorkCalendar(IEnumerable<CalendarDay> days, IEnumerable<int> years, bool statutoryWhereNotLoaded = true)
    {
        _days = new Dictionary<DateOnly, CalendarDay>();
        foreach (var day in days) _days[day.Date] = day;
        Years = years.Distinct().Order().ToList();
        _years = [.. Years];
        _statutory = statutoryWhereNotLoaded;
    }

    /// <summary>The years whose holiday arrangements are loaded.</summary>
    public IReadOnlyList<int> Years { get; }

    public bool Covers(int year) => _years.Contains(year);

    /// <summary>
    /// A date in a year whose notice is not loaded: what the calendar says of it (the statutory days off, no 调休) may
    /// change when the notice comes, and so may a deadline on it.
    /// </summary>
    public bool IsProvisional(DateOnly date) => !_years.Contains(date.Year);

    /// <summary>A deadline (an instant) that falls in a year whose notice is not loaded.</summary>
    public bool IsProvisional(DateTimeOffset? due) => due is { } instant && IsProvisional(ChinaTime.DateOf(instant));

    public IReadOnlyCollection<CalendarDay> Days => _days.Values;

    /// <summary>The calendar's own entry for a day, if it has one; in a year not loaded, the statutory holiday on it.</summary>
    public CalendarDay? Find(DateOnly date) =>
        _days.GetValueOrDefault(date) ?? (_statutory && !_years.Contains(date.Year) ? Statutory(date) : null);

    public bool IsWorkingDay(DateOnly date) =>
        Find(date) is { } day
            ? day.Kind == DayKind.Workday
            : date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);

    private static CalendarDay? Statutory(DateOnly date)
    {
        foreach (var day in StatutoryHolidays.For(date.Year))
            if (day.Date == date) return day;
        return null;
    }

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
