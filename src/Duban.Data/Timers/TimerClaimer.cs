using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Timers;

/// <summary>
/// Claims due timers for one worker with a lease. On PostgreSQL one statement picks and leases them with
/// FOR UPDATE SKIP LOCKED, so two app processes never claim the same row; a worker that dies leaves a lease that
/// runs out, and the timer is claimed again. Firing deletes the row in the same transaction that resumes the
/// instance, and a consumed bookmark cannot run twice, so a timer fires once.
/// </summary>
public sealed class TimerClaimer(DubanDbContext db, TimeProvider clock)
{
    /// <summary>A timer that failed this often is parked (left with its last error) instead of being retried for ever.</summary>
    public const int MaxAttempts = 10;

    public async Task<IReadOnlyList<Guid>> ClaimDueAsync(string owner, int max, TimeSpan lease, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        if (db.IsPostgres)
        {
            return await db.Database.SqlQuery<Guid>($"""
                UPDATE "Timers" SET "LeaseOwner" = {owner}, "LeaseUntil" = {until}, "Attempts" = "Attempts" + 1
                WHERE "Id" IN (
                    SELECT "Id" FROM "Timers"
                    WHERE "DueAt" <= {now} AND ("LeaseUntil" IS NULL OR "LeaseUntil" < {now}) AND "Attempts" < {MaxAttempts}
                    ORDER BY "DueAt" LIMIT {max}
                    FOR UPDATE SKIP LOCKED)
                RETURNING "Id" AS "Value"
                """).ToListAsync(ct);
        }

        // SQLite is one process (the embedded default); a conditional update per row still keeps claims exclusive.
        var due = await db.Timers.AsNoTracking()
            .Where(t => t.DueAt <= now && (t.LeaseUntil == null || t.LeaseUntil < now) && t.Attempts < MaxAttempts)
            .OrderBy(t => t.DueAt).Select(t => t.Id).Take(max).ToListAsync(ct);
        var claimed = new List<Guid>(due.Count);
        foreach (var id in due)
        {
            var rows = await db.Timers
                .Where(t => t.Id == id && (t.LeaseUntil == null || t.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.LeaseOwner, owner)
                    .SetProperty(t => t.LeaseUntil, until)
                    .SetProperty(t => t.Attempts, t => t.Attempts + 1), ct);
            if (rows == 1) claimed.Add(id);
        }
        return claimed;
    }

    public Task RecordFailureAsync(Guid id, string error, CancellationToken ct = default) =>
        db.Timers.Where(t => t.Id == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastError, error), ct);
}
