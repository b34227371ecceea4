using Duban.Data.Jobs;
using Duban.Data.Timers;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Runtime.Timers;

/// <summary>Configuration section <c>Duban:Timers</c>.</summary>
public sealed class TimerOptions : LeasedJobOptions;

/// <summary>
/// Fires due timers: each claimed timer resumes its item in a write of its own. A timer that keeps failing to fire gives
/// its item an incident, so an administrator sees it and can retry it. Timers of an item in an incident are held.
/// </summary>
public sealed class TimerWorker(IServiceScopeFactory scopes, IOptions<TimerOptions> options, ILogger<TimerWorker> logger)
    : LeasedWorker<TimerRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<TimerRecord> Due = new(nameof(TimerRecord.DueAt), nameof(TimerRecord.Suspended));

    protected override LeasedQueue<TimerRecord> Queue => Due;

    protected override async Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct) =>
        await services.GetRequiredService<WriteDoor>().RunAsync(new FireTimer(id, owner), ct) ? 1 : 0;

    protected override Task GiveUpAsync(IServiceProvider services, Guid id, string error, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new TimerGaveUp(id, error), ct);
}
