using Duban.Data.Clock;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Clock;

/// <param name="Mode"><c>system</c> (real time) or <c>virtual</c> (training, acceptance, demos).</param>
/// <param name="Now">The installation's time.</param>
/// <param name="Today">Its date in China time (yyyy-MM-dd): what "today" is for deadlines and lights.</param>
/// <param name="OffsetSeconds">How far a virtual clock is ahead of real time; 0 for the system clock.</param>
public sealed record ClockView(string Mode, DateTimeOffset Now, string Today, double OffsetSeconds);

/// <param name="Days">Move forward by this many days (with <paramref name="Hours"/>); or give <paramref name="To"/>.</param>
/// <param name="To">Move forward to this time.</param>
public sealed record AdvanceClockRequest(double? Days, double? Hours, DateTimeOffset? To);

/// <summary>The installation's clock; a virtual one can be moved forward by an administrator (docs/decisions/021).</summary>
internal static class ClockEndpoints
{
    public static void MapClockApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/clock").WithTags("系统").RequireAuthorization();

        group.MapGet("/", (VirtualClock clock, TimeProvider time) => TypedResults.Ok(View(clock, time)))
            .WithSummary("系统时间（虚拟时钟时为模拟时间）");

        group.MapPost("/advance", async Task<Ok<ClockView>> (AdvanceClockRequest request, HttpContext http, WriteDoor door, VirtualClock clock,
            TimeProvider time, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (request.Days is < 0 or > 366) throw new WorkflowInputException("days", "天数应在 0 到 366 之间");
            if (request.Hours is < 0 or > 24 * 366) throw new WorkflowInputException("hours", "小时数应在 0 到 8784 之间");
            TimeSpan? by = request.Days is null && request.Hours is null ? null : TimeSpan.FromDays(request.Days ?? 0) + TimeSpan.FromHours(request.Hours ?? 0);
            if (by is { } step && (double.IsNaN(step.TotalDays) || step <= TimeSpan.Zero))
                throw new WorkflowInputException("days", "前进的时长应大于 0");
            await door.RunAsync(new AdvanceClock(user, by, request.To), ct);
            return TypedResults.Ok(View(clock, time));
        }).WithSummary("虚拟时钟向后调（管理员；仅非生产环境）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
    }

    private static ClockView View(VirtualClock clock, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new ClockView(clock.IsVirtual ? "virtual" : "system", now, ChinaTime.DateOf(now).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            clock.IsVirtual ? clock.Offset.TotalSeconds : 0);
    }
}
