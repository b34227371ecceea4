using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Duban.Data.Jobs;

/// <summary>
/// A row a background job works through — a timer to fire, a chase case to raise — that one worker at a time holds with
/// a lease. <see cref="Attempts"/> counts failures in a row, not claims: a backlog that outlasts a lease is claimed again
/// without coming any nearer to giving up.
/// </summary>
public interface ILeasedRow
{
    Guid Id { get; }
    string? LeaseOwner { get; set; }
    DateTimeOffset? LeaseUntil { get; set; }
    int Attempts { get; set; }
    string? LastError { get; set; }
}

/// <summary>Which rows of <typeparamref name="TRow"/> are due: the property that says when, and one that holds a row back.</summary>
/// <param name="DueProperty">A <see cref="DateTimeOffset"/> (or nullable) property: due once it has passed; null is never due.</param>
/// <param name="HeldProperty">A bool property: true holds the row back whatever its due time (a timer of an item in an incident).</param>
public sealed record LeasedQueue<TRow>(string DueProperty, string? HeldProperty = null) where TRow : class, ILeasedRow;

/// <summary>
/// The one lease mechanism of the background jobs. A claim picks the due rows nobody holds, oldest first, at most the
/// batch asked for, and leases them to one worker in one statement; a worker that dies leaves leases that run out, and
/// its rows are claimed again. Leases are the jobs' own bookkeeping, written here directly; what a job does with a row
/// (fire the timer, raise the rung) is a write through the door.
/// </summary>
public sealed class LeaseClaimer(DubanDbContext db, TimeProvider clock)
{
    /// <summary>After this many failures in a row a row is no longer claimed; what that means is the job's to say.</summary>
    public const int MaxAttempts = 10;

    public async Task<IReadOnlyList<Guid>> ClaimAsync<TRow>(LeasedQueue<TRow> queue, string owner, int max, TimeSpan lease, CancellationToken ct = default)
        where TRow : class, ILeasedRow
    {
        var now = clock.GetUtcNow();
        var until = now + lease;
        if (db.IsPostgres)
        {
            // The pick is a MATERIALIZED CTE: it runs once. As a plain "WHERE Id IN (SELECT … LIMIT n FOR UPDATE SKIP
            // LOCKED)" a cached generic plan may rescan the sub-select per outer row, and each rescan skips the rows it
            // has just locked — one claim of LIMIT 50 was seen to lease 200 rows (decision 003).
            var t = Table<TRow>(queue);
            var held = t.Held is null ? "" : $"AND NOT \"{t.Held}\" ";
            // Only names from the EF model are spliced in; every value is a parameter.
#pragma warning disable EF1002
            return await db.Database.SqlQueryRaw<Guid>($"""
                WITH picked AS MATERIALIZED (
                    SELECT "{t.Id}" FROM "{t.Name}"
                    WHERE "{t.Due}" <= @now {held}AND ("{t.LeaseUntil}" IS NULL OR "{t.LeaseUntil}" < @now) AND "{t.Attempts}" < @max
                    ORDER BY "{t.Due}" LIMIT @limit
                    FOR UPDATE SKIP LOCKED)
                UPDATE "{t.Name}" AS row SET "{t.LeaseOwner}" = @owner, "{t.LeaseUntil}" = @until
                FROM picked WHERE row."{t.Id}" = picked."{t.Id}"
                RETURNING row."{t.Id}" AS "Value"
                """,
                new Npgsql.NpgsqlParameter("now", now), new Npgsql.NpgsqlParameter("max", MaxAttempts), new Npgsql.NpgsqlParameter("limit", max),
                new Npgsql.NpgsqlParameter("owner", owner), new Npgsql.NpgsqlParameter("until", until)).ToListAsync(ct);
#pragma warning restore EF1002
        }

        // SQLite is one process (the embedded default); a conditional update per row still keeps claims exclusive.
        var due = await Due(queue, now).OrderBy(r => EF.Property<DateTimeOffset?>(r, queue.DueProperty)).Select(r => r.Id).Take(max).ToListAsync(ct);
        var claimed = new List<Guid>(due.Count);
        foreach (var id in due)
        {
            var rows = await db.Set<TRow>()
                .Where(r => r.Id == id && (r.LeaseUntil == null || r.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseUntil, until), ct);
            if (rows == 1) claimed.Add(id);
        }
        return claimed;
    }

    /// <summary>
    /// A worker failed on a row: one more failure, the error kept, and the row left alone for a while (longer after each
    /// failure) instead of being claimed again at once. Returns the failures so far.
    /// </summary>
    public async Task<int> RecordFailureAsync<TRow>(Guid id, string error, CancellationToken ct = default) where TRow : class, ILeasedRow
    {
        var row = await db.Set<TRow>().AsNoTracking().Where(r => r.Id == id).Select(r => new { r.Attempts }).FirstOrDefaultAsync(ct);
        if (row is null) return 0;
        var attempts = row.Attempts + 1;
        var retryAt = clock.GetUtcNow() + Backoff(attempts);
        var text = error.Length > 2000 ? error[..2000] : error;
        await db.Set<TRow>().Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Attempts, attempts)
            .SetProperty(r => r.LastError, text)
            .SetProperty(r => r.LeaseOwner, (string?)null)
            .SetProperty(r => r.LeaseUntil, retryAt), ct);
        return attempts;
    }

    /// <summary>Due rows nobody holds (as of <paramref name="now"/>), for claims and for the health check's backlog.</summary>
    public IQueryable<TRow> Due<TRow>(LeasedQueue<TRow> queue, DateTimeOffset now) where TRow : class, ILeasedRow
    {
        var rows = db.Set<TRow>().AsNoTracking()
            .Where(r => EF.Property<DateTimeOffset?>(r, queue.DueProperty) <= now && (r.LeaseUntil == null || r.LeaseUntil < now) && r.Attempts < MaxAttempts);
        return queue.HeldProperty is { } held ? rows.Where(r => !EF.Property<bool>(r, held)) : rows;
    }

    /// <summary>5 s, 10 s, 20 s … up to an hour: a failing row does not spin, and a passing fault does not park it long.</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Max(0, failures - 1))));

    private sealed record TableNames(string Name, string Id, string Due, string? Held, string LeaseOwner, string LeaseUntil, string Attempts);

    private TableNames Table<TRow>(LeasedQueue<TRow> queue) where TRow : class, ILeasedRow
    {
        var type = db.Model.FindEntityType(typeof(TRow)) ?? throw new InvalidOperationException($"{typeof(TRow).Name} is not mapped");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        string Column(string property) => type.FindProperty(property)?.GetColumnName(table)
            ?? throw new InvalidOperationException($"{typeof(TRow).Name}.{property} is not mapped");
        return new TableNames(type.GetTableName()!, Column(nameof(ILeasedRow.Id)), Column(queue.DueProperty),
            queue.HeldProperty is { } held ? Column(held) : null, Column(nameof(ILeasedRow.LeaseOwner)), Column(nameof(ILeasedRow.LeaseUntil)),
            Column(nameof(ILeasedRow.Attempts)));
    }
}
