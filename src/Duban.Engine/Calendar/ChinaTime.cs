namespace Duban.Engine.Calendar;

/// <summary>
/// Dates in this domain are China dates (UTC+8, no daylight saving). A deadline on a date falls due at the end of
/// that day; the day an instant belongs to is its date in China.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>
    /// The last second of <paramref name="date"/> in China: a deadline on that date is overdue after it. In UTC, as
    /// every stored instant is (PostgreSQL takes only offset 0).
    /// </summary>
    public static DateTimeOffset EndOf(DateOnly date) => new DateTimeOffset(date.ToDateTime(new TimeOnly(23, 59, 59)), Offset).ToUniversalTime();

    /// <summary>Midnight at the start of <paramref name="date"/> in China, in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    public static int YearOf(DateTimeOffset instant) => instant.ToOffset(Offset).Year;
}
