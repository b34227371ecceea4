using Duban.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Writes;

/// <summary>
/// Seals the audit log every few seconds (<c>Duban:Audit:SealInterval</c>, default 5 s; zero: never in the background),
/// and on demand before it is read or verified; one sealing at a time in this instance, one across instances by the handler's lock.
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
        // Zero: no background sealing, only on demand (before every read, verify and export) — the test hosts' choice,
        // whose database resets must not race a sealer.
        if (Interval <= TimeSpan.Zero) return;
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

/// <summary>Gives the rows not yet sealed their place in the chain, oldest first, up to <paramref name="Batch"/> at a time.</summary>
public sealed record SealAuditRecords(int Batch = 500) : IWrite<int>
{
    public string Operation => "audit-seal";
    public string Subject => "audit";
}

internal sealed class SealAuditRecordsHandler : IWriteHandler<SealAuditRecords, int>
{
    /// <summary>One sealer at a time across instances (PostgreSQL); SQLite has one writer anyway.</summary>
    private const long LockKey = 0x4175_6469_74; // "Audit"

    public async Task<int> HandleAsync(SealAuditRecords write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        await context.BeginTransactionAsync(ct);
        if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
        var open = await db.Set<AuditRecord>().Where(r => r.Sequence == null).OrderBy(r => r.Id).Take(write.Batch).ToListAsync(ct);
        if (open.Count == 0) return 0;
        var last = await db.Set<AuditRecord>().AsNoTracking().Where(r => r.Sequence != null).OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(ct);
        var sequence = last?.Sequence ?? 0;
        var previous = last?.Hash ?? AuditChain.Genesis;
        foreach (var row in open)
        {
            sequence++;
            row.Sequence = sequence;
            row.PreviousHash = previous;
            row.Hash = previous = AuditChain.HashOf(row, sequence, previous);
        }
        return open.Count;
    }
}
