namespace Duban.Server.Ledger;

/// <summary>
/// The office's local time, for the ledger's day filters and the dates written into Excel: a user who picks
/// 2026-11-01 means that day in China, not in UTC. Configured with <c>Duban:TimeZone</c> (default Asia/Shanghai).
/// </summary>
public sealed class LedgerTime(IConfiguration configuration)
{
    public TimeZoneInfo Zone { get; } = Find(configuration["Duban:TimeZone"] is { Length: > 0 } id ? id : "Asia/Shanghai");

    private static TimeZoneInfo Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // No time zone data on the machine: China has had no daylight saving since 1991.
            return TimeZoneInfo.CreateCustomTimeZone(id, TimeSpan.FromHours(8), id, id);
        }
    }

    /// <summary>The instant a local day begins.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>An instant as local wall-clock time (for Excel cells, which carry no zone).</summary>
    public DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;
}
