namespace Duban.Engine.Calendar;

/// <summary>
/// Dates in this domain are China dates (UTC+8, no daylight saving). A deadline on a date falls due at the end of
/// that day; the day an instant belongs to is its date in China.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The last second of <paramref name="date"/> in China: a deadline on that date is overdue after it.</summary>
    public static DateTimeOffset EndOf(DateOnly date) => new(date.ToDateTime(new TimeOnly(23, 59, 59)), Offset);

    public static DateTimeOffset StartOf(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), Offset);

    public static int YearOf(DateTimeOffset instant) => instant.ToOffset(Offset).Year;
}
