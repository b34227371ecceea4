using Duban.Data.Jobs;
using Duban.Data.Supervision.Chasing;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Health;

/// <summary>What one background job has not done yet although it is due.</summary>
/// <param name="Due">Rows due now or earlier and not yet done (parked ones included).</param>
/// <param name="Parked">Of those, rows that failed too often and are no longer tried by themselves.</param>
/// <param name="OldestDueAt">When the longest-waiting of them fell due; null when none is due.</param>
public sealed record BacklogFigures(int Due, int Parked, DateTimeOffset? OldestDueAt);

/// <summary>
/// The background jobs' backlog at <paramref name="At"/>: timers due but not fired, chase cases due but not raised, closed
/// items waiting for their journal to be compacted (decision 042) — housekeeping paced on purpose, so its age is shown but
/// is not lateness.
/// </summary>
public sealed record Backlog(DateTimeOffset At, BacklogFigures Timers, BacklogFigures ChaseCases, BacklogFigures Compactions)
{
    /// <summary>How long the longest-waiting due timer or chase case has waited; zero when nothing is due.</summary>
    public TimeSpan OldestDueAge =>
        new[] { Timers.OldestDueAt, ChaseCases.OldestDueAt }.Where(d => d is not null).Select(d => At - d!.Value).DefaultIfEmpty(TimeSpan.Zero).Max();
}

/// <summary>
/// Reads the backlog of the timer, chase and compaction workers for the readiness check. Read-only, untracked, and on the
/// indexes the workers claim by (<c>Timers (Suspended, DueAt)</c>, <c>ChaseCases.NextCheckAt</c>, the partial
/// <c>ItemCompactions.DueAt</c>).
/// </summary>
public sealed class BacklogReader(DubanDbContext db, TimeProvider clock)
{
    public async Task<Backlog> ReadAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();

        // A timer held because its item is in an incident waits for the item's retry, not for the worker.
        var dueTimers = db.Timers.AsNoTracking().Where(t => t.DueAt <= now && !t.Suspended);
        var timerCounts = await dueTimers.GroupBy(_ => 1)
            .Select(g => new { Due = g.Count(), Parked = g.Count(t => t.Attempts >= LeaseClaimer.MaxAttempts) }).SingleOrDefaultAsync(ct);
        var timers = timerCounts is null
            ? new BacklogFigures(0, 0, null)
            : new BacklogFigures(timerCounts.Due, timerCounts.Parked, await dueTimers.OrderBy(t => t.DueAt).Select(t => t.DueAt).FirstAsync(ct));

        var dueCases = db.Set<ChaseCaseRecord>().AsNoTracking().Where(c => c.NextCheckAt != null && c.NextCheckAt <= now);
        var caseCounts = await dueCases.GroupBy(_ => 1)
            .Select(g => new { Due = g.Count(), Parked = g.Count(c => c.Attempts >= LeaseClaimer.MaxAttempts) }).SingleOrDefaultAsync(ct);
        var chaseCases = caseCounts is null
            ? new BacklogFigures(0, 0, null)
            : new BacklogFigures(caseCounts.Due, caseCounts.Parked, await dueCases.OrderBy(c => c.NextCheckAt).Select(c => c.NextCheckAt).FirstAsync(ct));

        var dueCompactions = db.Set<Instances.ItemCompactionRecord>().AsNoTracking().Where(c => c.DueAt != null && c.DueAt <= now);
        var compactionCounts = await dueCompactions.GroupBy(_ => 1)
            .Select(g => new { Due = g.Count(), Parked = g.Count(c => c.Attempts >= LeaseClaimer.MaxAttempts) }).SingleOrDefaultAsync(ct);
        var compactions = compactionCounts is null
            ? new BacklogFigures(0, 0, null)
            : new BacklogFigures(compactionCounts.Due, compactionCounts.Parked, await dueCompactions.OrderBy(c => c.DueAt).Select(c => c.DueAt).FirstAsync(ct));

        return new Backlog(now, timers, chaseCases, compactions);
    }
}
