using Duban.Data.Instances;
using Duban.Data.Runtime;
using Duban.Data.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Supervision;

/// <summary>Configuration section <c>Duban:Chasing</c>.</summary>
public sealed class ChaseOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
    public int BatchSize { get; set; } = 50;
    public string? WorkerName { get; set; }
}

/// <summary>
/// Claims chase cases whose next rung has fallen due, with a lease — the same pattern as <see cref="Timers.TimerClaimer"/>:
/// PostgreSQL picks and leases them in one statement with FOR UPDATE SKIP LOCKED; SQLite (one process) updates each row
/// on a condition. A worker that dies leaves a lease that runs out.
/// </summary>
public sealed class ChaseClaimer(DubanDbContext db, TimeProvider clock)
{
    public const int MaxAttempts = 10;

    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(string owner, int max, TimeSpan lease, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        if (db.IsPostgres)
        {
            return await db.Database.SqlQuery<Guid>($"""
                UPDATE "ChaseCases" SET "LeaseOwner" = {owner}, "LeaseUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (
                    SELECT "Id" FROM "ChaseCases"
                    WHERE "NextCheckAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now}) AND "Attempts" < {MaxAttempts}
                    ORDER BY "NextCheckAt" LIMIT {max}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        }
        var due = await db.Set<ChaseCaseRecord>().AsNoTracking()
            .Where(c => c.NextCheckAt != null && c.NextCheckAt <= now && (c.LeaseUntil == null || c.LeaseUntil < now) && c.Attempts < MaxAttempts)
            .OrderBy(c => c.NextCheckAt).Select(c => c.Id).Take(max).ToListAsync(ct);
        var claimed = new List<Guid>(due.Count);
        foreach (var id in due)
        {
            var rows = await db.Set<ChaseCaseRecord>()
                .Where(c => c.Id == id && (c.LeaseUntil == null || c.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.LeaseOwner, owner)
                    .SetProperty(c => c.LeaseUntil, until)
                    .SetProperty(c => c.Attempts, c => c.Attempts + 1), ct);
            if (rows == 1) claimed.Add(id);
        }
        return claimed;
    }

    public Task RecordFailureAsync(Guid id, string error, CancellationToken ct = default) =>
        db.Set<ChaseCaseRecord>().Where(c => c.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastError, error.Length > 2000 ? error[..2000] : error), ct);
}

/// <summary>
/// The chasing ladder's background job: every poll it brings the cases in line with the open steps, then claims the
/// cases whose next rung has fallen due and raises them, each case in its own transaction. Rungs that fell due while
/// the app was down are raised on the first poll.
/// </summary>
public sealed class ChaseWorker(IServiceScopeFactory scopes, IOptions<ChaseOptions> options, ILogger<ChaseWorker> logger) : BackgroundService
{
    private readonly string _name = options.Value.WorkerName ?? $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Chase poll failed");
            }
            try { await Task.Delay(options.Value.PollInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One round: sync the cases, then claim and process due cases until none is left. Returns the rungs raised.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        using (var scope = scopes.CreateScope())
            await scope.ServiceProvider.GetRequiredService<ChaseService>().SyncCasesAsync(ct);
        var raised = 0;
        for (var round = 0; round < 100; round++)
        {
            IReadOnlyList<Guid> claimed;
            using (var scope = scopes.CreateScope())
                claimed = await scope.ServiceProvider.GetRequiredService<ChaseClaimer>().ClaimDueAsync(_name, options.Value.BatchSize, options.Value.Lease, ct);
            foreach (var id in claimed)
            {
                using var scope = scopes.CreateScope();
                try
                {
                    raised += await scope.ServiceProvider.GetRequiredService<ChaseService>().ProcessCaseAsync(id, ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Chase case {CaseId} failed; it is tried again when its lease runs out", id);
                    using var failure = scopes.CreateScope();
                    await failure.ServiceProvider.GetRequiredService<ChaseClaimer>().RecordFailureAsync(id, e.Message, ct);
                }
            }
            if (claimed.Count < options.Value.BatchSize) break;
        }
        return raised;
    }
}

/// <summary>Hands detached inbox tasks to the service they belong to.</summary>
internal sealed class DetachedTaskHandler(ExtensionService extensions, ChaseService chases) : IDetachedTaskHandler
{
    public Task CompleteAsync(TaskRecord task, InstanceRecord instance, CurrentUser user, CompleteTaskCommand command, CancellationToken ct) =>
        task.ActivityId switch
        {
            DetachedTasks.Extension => extensions.CompleteTaskAsync(task, instance, user, command, ct),
            DetachedTasks.ChaseAction or DetachedTasks.ChaseReply => chases.CompleteTaskAsync(task, instance, user, command, ct),
            _ => throw new Engine.Execution.WorkflowConflictException("该待办不在流程中，无法办理"),
        };
}
