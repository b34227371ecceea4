using Duban.Engine.Calendar;

namespace Duban.Engine.Deadlines;

/// <summary>
/// When the light turns yellow (<c>options.lights</c>): <c>yellowWorkingDays</c> — from N working days before the
/// deadline; <c>yellowPercent</c> — when N% or less of the time (from start to deadline) is left. Either condition
/// turns it yellow; leave one out (null) to use only the other.
/// </summary>
public sealed record LightRule(int? YellowWorkingDays = null, int? YellowPercent = null)
{
    /// <summary>Yellow from one working day before, or in the last fifth of the time.</summary>
    public static readonly LightRule Default = new(1, 20);

    public IEnumerable<string> Problems()
    {
        if (YellowWorkingDays is < 0 or > 365) yield return "黄灯提前工作日数应在 0 到 365 之间（yellowWorkingDays）";
        if (YellowPercent is < 0 or > 100) yield return "黄灯剩余时间百分比应在 0 到 100 之间（yellowPercent）";
    }
}

/// <summary>红黄绿灯: red once overdue; yellow close to the deadline (see <see cref="LightRule"/>); green before.</summary>
public static class Lights
{
    public const string Green = "green";
    public const string Yellow = "yellow";
    public const string Red = "red";

    public static string? Of(DateTimeOffset start, DateTimeOffset? due, DateTimeOffset now, WorkCalendar calendar, LightRule? rule = null)
    {
        if (due is not { } deadline) return null;
        if (now > deadline) return Red;
        rule ??= LightRule.Default;
        if (rule.YellowWorkingDays is { } days && calendar.WorkingDaysBetween(ChinaTime.DateOf(now), ChinaTime.DateOf(deadline)) <= days)
            return Yellow;
        if (rule.YellowPercent is { } percent && (deadline - now).Ticks <= (deadline - start).Ticks / 100.0 * percent)
            return Yellow;
        return Green;
    }
}
