namespace Duban.Engine.Tests.Execution.Support;

/// <summary>A clock the test moves by hand.</summary>
public sealed class FakeTimeProvider(DateTimeOffset start) : TimeProvider
{
    /// <summary>2025-06-02 09:00 Beijing time.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private DateTimeOffset _now = start.ToUniversalTime();

    public FakeTimeProvider() : this(DefaultStart) { }

    public override DateTimeOffset GetUtcNow() => _now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => _now += by;

    public void SetUtcNow(DateTimeOffset at) => _now = at.ToUniversalTime();
}
