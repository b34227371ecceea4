using Duban.Data.Jobs;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Supervision.Chasing;

/// <summary>Configuration section <c>Duban:Chasing</c>.</summary>
public sealed class ChaseOptions : LeasedJobOptions
{
    public ChaseOptions() => PollInterval = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The chasing ladder's background job: every poll it brings the cases in line with the open steps, then claims the
/// cases whose next rung has fallen due and raises them, each case in its own write. Rungs that fell due while the app
/// was down are raised on the first poll.
/// </summary>
public sealed class ChaseWorker(IServiceScopeFactory scopes, IOptions<ChaseOptions> options, ILogger<ChaseWorker> logger)
    : LeasedWorker<ChaseCaseRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<ChaseCaseRecord> Due = new(nameof(ChaseCaseRecord.NextCheckAt));

    protected override LeasedQueue<ChaseCaseRecord> Queue => Due;

    protected override Task BeforeClaimsAsync(IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new SyncChaseCases(), ct);

    protected override Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new ProcessChaseCase(id, owner), ct);
}
