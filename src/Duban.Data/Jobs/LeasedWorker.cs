using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Jobs;

/// <summary>How a background job polls: <c>Duban:Timers</c>, <c>Duban:Chasing</c>.</summary>
public class LeasedJobOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a claim is held; a batch should be processed well within it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; set; } = 50;
    /// <summary>Most batches one poll works through before it yields (the job never starves requests of the database).</summary>
    public int MaxBatchesPerPoll { get; set; } = 100;
    /// <summary>
    /// Most rows the background loop processes per second (0 = no limit): a backlog — thousands of items that fell due while
    /// the server was down — is worked off at this pace beside the users' requests, not all at once (docs/decisions/042).
    /// Its size shows on the health endpoint's backlog check meanwhile.
    /// </summary>
    public double MaxRowsPerSecond { get; set; } = 20;
    /// <summary>Name of this worker in leases; defaults to machine name + process id.</summary>
    public string? WorkerName { get; set; }
}

/// <summary>
/// A background job over one leased queue: each poll claims a batch, processes each row in its own scope (a write through
/// the door), and records a failure on the row when processing throws; rows that keep failing are handed to
/// <see cref="GiveUpAsync"/>. Rows that fell due while the app was down are processed on the first poll.
/// </summary>
public abstract class LeasedWorker<TRow>(IServiceScopeFactory scopes, LeasedJobOptions options, ILogger logger) : BackgroundService
    where TRow : class, ILeasedRow
{
    protected string Name { get; } = options.WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected abstract LeasedQueue<TRow> Queue { get; }

    /// <summary>Does the work of one claimed row, in <paramref name="services"/>' scope. Returns a count for the caller (rungs raised …).</summary>
    protected abstract Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct);

    /// <summary>A row failed <see cref="LeaseClaimer.MaxAttempts"/> times and will not be claimed again: make that visible.</summary>
    protected virtual Task GiveUpAsync(IServiceProvider services, Guid id, string error, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Work a poll does before it claims (bringing the queue in line with the data).</summary>
    protected virtual Task BeforeClaimsAsync(IServiceProvider services, CancellationToken ct) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken, paced: true);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "{Job} poll failed", GetType().Name);
            }
            try { await Task.Delay(options.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One poll: claims and processes batches until none is full or the poll's share is used. Returns the sum of <see cref="ProcessAsync"/>.</summary>
    /// <param name="paced">Keep to <see cref="LeasedJobOptions.MaxRowsPerSecond"/> (the background loop does; a caller that runs one poll on purpose need not).</param>
    public async Task<int> RunOnceAsync(CancellationToken ct, bool paced = false)
    {
        var pace = paced && options.MaxRowsPerSecond > 0 ? TimeSpan.FromSeconds(1 / options.MaxRowsPerSecond) : TimeSpan.Zero;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var processed = 0;
        using (var scope = scopes.CreateScope())
            await BeforeClaimsAsync(scope.ServiceProvider, ct);
        var total = 0;
        for (var batch = 0; batch < options.MaxBatchesPerPoll; batch++)
        {
            IReadOnlyList<Guid> claimed;
            using (var scope = scopes.CreateScope())
                claimed = await scope.ServiceProvider.GetRequiredService<LeaseClaimer>().ClaimAsync(Queue, Name, options.BatchSize, options.Lease, ct);
            foreach (var id in claimed)
            {
                using var scope = scopes.CreateScope();
                try
                {
                    total += await ProcessAsync(scope.ServiceProvider, id, Name, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "{Job}: row {Id} failed; it is tried again after a pause", GetType().Name, id);
                    using var failure = scopes.CreateScope();
                    var attempts = await failure.ServiceProvider.GetRequiredService<LeaseClaimer>().RecordFailureAsync<TRow>(id, e.Message, ct);
                    if (attempts >= LeaseClaimer.MaxAttempts)
                    {
                        using var giveUp = scopes.CreateScope();
                        await GiveUpAsync(giveUp.ServiceProvider, id, e.Message, ct);
                    }
                }
                processed++;
                if (pace > TimeSpan.Zero && pace * processed - System.Diagnostics.Stopwatch.GetElapsedTime(started) is { } wait && wait > TimeSpan.Zero)
                    await Task.Delay(wait, ct);
            }
            if (claimed.Count < options.BatchSize) break;
        }
        return total;
    }
}
