using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Data.Storage;

/// <summary>
/// Opens a SQLite connection again when the file is busy, as a statement would wait, instead of failing the request.
/// </summary>
/// <remarks>
/// Microsoft.Data.Sqlite waits for a lock while a <i>statement</i> runs (up to the command timeout), but not while a
/// connection opens: there a busy file (SQLITE_BUSY / SQLITE_LOCKED, "database is locked") is thrown at once. Under load
/// — a checkpoint of the write-ahead log, a long write beside the header's polls — a plain read such as the unread
/// count then answered 500. This interceptor opens the connection itself, retrying a busy open with a short pause up to
/// the connection's default timeout, and tells EF Core the connection is open. Any other error is thrown as before.
/// </remarks>
public sealed class SqliteOpenRetry : DbConnectionInterceptor
{
    public static readonly SqliteOpenRetry Instance = new();

    /// <summary>How long to wait between tries; tests shorten it.</summary>
    public TimeSpan Pause { get; init; } = TimeSpan.FromMilliseconds(50);

    public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        if (result.IsSuppressed || connection is not SqliteConnection sqlite) return result;
        var timer = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                sqlite.Open();
                return InterceptionResult.Suppress();
            }
            catch (SqliteException e) when (IsBusy(e) && timer.Elapsed < TimeoutOf(sqlite))
            {
                Thread.Sleep(PauseFor(attempt));
            }
        }
    }

    public override async ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (result.IsSuppressed || connection is not SqliteConnection sqlite) return result;
        var timer = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await sqlite.OpenAsync(cancellationToken);
                return InterceptionResult.Suppress();
            }
            catch (SqliteException e) when (IsBusy(e) && timer.Elapsed < TimeoutOf(sqlite))
            {
                await Task.Delay(PauseFor(attempt), cancellationToken);
            }
        }
    }

    /// <summary>SQLITE_BUSY (5) or SQLITE_LOCKED (6), with any extended code.</summary>
    public static bool IsBusy(SqliteException e) => e.SqliteErrorCode is 5 or 6;

    private static TimeSpan TimeoutOf(SqliteConnection connection) =>
        TimeSpan.FromSeconds(connection.DefaultTimeout > 0 ? connection.DefaultTimeout : 30);

    // 50 ms, then 100, 150 … up to half a second: quick when the lock is brief, not spinning when it is long.
    private TimeSpan PauseFor(int attempt) => TimeSpan.FromTicks(Math.Min(Pause.Ticks * attempt, Pause.Ticks * 10));
}
