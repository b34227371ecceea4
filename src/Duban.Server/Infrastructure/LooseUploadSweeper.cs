using Duban.Data.Attachments;
using Duban.Data.Security;
using Duban.Data.Writes;
using Microsoft.Extensions.Options;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Removes uploads that no item claimed within <see cref="RequestLimitOptions.OrphanUploadLifetime"/> (a start form filled
/// with files and never sent), once an hour on the installation's clock. The first round runs an hour after start, so a
/// test host (whose rounds the tests run with <see cref="RunOnceAsync"/>) is never surprised by one.
/// </summary>
public sealed class LooseUploadSweeper(IServiceScopeFactory scopes, IOptions<SecurityOptions> options, ILogger<LooseUploadSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>One round: every expired loose upload, in batches. Returns how many were removed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var removed = await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new ExpireLooseUploads(options.Value.Limits.OrphanUploadLifetime), ct);
            total += removed;
            if (removed < 200) return total;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Real time between rounds: a test clock moved ahead must not start one behind a test's back; the age is the door's (installation) time.
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var removed = await RunOnceAsync(stoppingToken);
                if (removed > 0) logger.LogInformation("Removed {Count} uploads that no item claimed", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Removing unclaimed uploads failed; the next round tries again");
            }
        }
    }
}
