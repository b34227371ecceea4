using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Audit;

/// <summary>
/// Seals the audit log every few seconds (<c>Duban:Audit:SealInterval</c>, default 5 s), and on demand before it is read
/// or verified; one sealing at a time in this instance, one across instances by the handler's lock.
/// </summary>
public sealed class AuditSealer(IServiceScopeFactory scopes, ILogger<AuditSealer> logger) : BackgroundService
{
    private readonly SemaphoreSlim _one = new(1, 1);

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Seals everything there is now; returns how many rows were sealed.</summary>
    public async Task<int> SealAllAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            var total = 0;
            await using var scope = scopes.CreateAsyncScope();
            var door = scope.ServiceProvider.GetRequiredService<WriteDoor>();
            for (int sealedNow; (sealedNow = await door.RunAsync(new SealAuditRecords(), ct)) > 0;) total += sealedNow;
            return total;
        }
        finally
        {
            _one.Release();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SealAllAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Sealing the audit log failed; tried again later");
            }
            try { await Task.Delay(Interval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public override void Dispose()
    {
        _one.Dispose();
        base.Dispose();
    }
}
