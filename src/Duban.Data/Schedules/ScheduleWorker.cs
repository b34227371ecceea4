using Duban.Data.Jobs;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Schedules;

/// <summary>Configuration section <c>Duban:Schedules</c>.</summary>
public sealed class ScheduleOptions : LeasedJobOptions
{
    public ScheduleOptions() => PollInterval = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Starts the items of 定期任务: every poll it claims the schedules whose next occurrence has come and runs each in a
/// write of its own. Occurrences that came while the app was down are handled on the first poll (decision 026).
/// </summary>
public sealed class ScheduleWorker(IServiceScopeFactory scopes, IOptions<ScheduleOptions> options, ILogger<ScheduleWorker> logger)
    : LeasedWorker<ScheduleRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<ScheduleRecord> Due = new(nameof(ScheduleRecord.NextRunAt));

    protected override LeasedQueue<ScheduleRecord> Queue => Due;

    protected override Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new RunSchedule(id, owner), ct);

    protected override Task GiveUpAsync(IServiceProvider services, Guid id, string error, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new ScheduleGaveUp(id, error), ct);
}
