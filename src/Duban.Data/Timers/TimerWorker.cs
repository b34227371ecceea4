using Duban.Data.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Timers;

public sealed class TimerOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; set; } = 50;
    /// <summary>Name of this worker in leases; defaults to machine name + process id.</summary>
    public string? WorkerName { get; set; }
}

/// <summary>Polls for due timers, claims a batch, fires each in its own transaction. Timers that fell due while the app was down fire on the first poll.</summary>
public sealed class TimerWorker(IServiceScopeFactory scopes, IOptions<TimerOptions> options, ILogger<TimerWorker> logger) : BackgroundService
{
    private readonly string _name = options.Value.WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            int fired;
            try
            {
                fired = await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Timer poll failed");
                fired = 0;
            }
            if (fired < options.Value.BatchSize)
            {
                try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims and fires one batch; returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        IReadOnlyList<Guid> claimed;
        using (var scope = scopes.CreateScope())
            claimed = await scope.ServiceProvider.GetRequiredService<TimerClaimer>()
                .ClaimDueAsync(_name, options.Value.BatchSize, options.Value.Lease, ct);

        foreach (var id in claimed)
        {
            using var scope = scopes.CreateScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<WorkflowRuntime>().FireTimerAsync(id, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Timer {TimerId} failed; it will be retried when its lease runs out", id);
                using var failureScope = scopes.CreateScope();
                await failureScope.ServiceProvider.GetRequiredService<TimerClaimer>().RecordFailureAsync(id, e.Message, ct);
            }
        }
        return claimed.Count;
    }
}
