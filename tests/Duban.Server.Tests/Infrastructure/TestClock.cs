namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// A clock the test sets by hand, forwards or back; a host given it reads every deadline, light, chase and journal time
/// from it. (FakeTimeProvider from Microsoft.Extensions.TimeProvider.Testing only moves forward; a fixture that goes back
/// to its start between tests needs this one.)
/// </summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset at) => Interlocked.Exchange(ref _ticks, at.UtcTicks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    /// <summary>A time in China (UTC+8), as the people in the tests live it.</summary>
    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 9, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.FromHours(8));
}
