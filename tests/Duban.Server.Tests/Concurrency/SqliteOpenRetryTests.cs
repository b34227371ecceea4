using Duban.Data.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// A SQLite file that is busy while a connection opens makes the open wait and try again, as a statement does, instead of
/// failing the request (a header's unread-count poll once answered 500 with "database is locked" under load).
/// </summary>
public sealed class SqliteOpenRetryTests
{
    /// <summary>A connection whose first <c>busyOpens</c> opens find the file locked, the way SQLite reports it.</summary>
    private sealed class BusyAtFirst(int busyOpens, int errorCode = 5) : SqliteConnection("Data Source=:memory:")
    {
        public int Opens { get; private set; }

        public override void Open()
        {
            Opens++;
            if (Opens <= busyOpens) throw new SqliteException("SQLite Error 5: 'database is locked'.", errorCode);
            base.Open();
        }
    }

    private static DbContext Context(SqliteConnection connection, bool retry)
    {
        var options = new DbContextOptionsBuilder().UseSqlite(connection);
        if (retry) options.AddInterceptors(new SqliteOpenRetry { Pause = TimeSpan.FromMilliseconds(1) });
        return new DbContext(options.Options);
    }

    [Fact]
    public async Task A_busy_open_is_tried_again_until_the_file_is_free()
    {
        await using var connection = new BusyAtFirst(busyOpens: 3);
        await using var db = Context(connection, retry: true);

        var one = await db.Database.SqlQueryRaw<int>("SELECT 1 AS Value").SingleAsync();

        Assert.Equal(1, one);
        Assert.Equal(4, connection.Opens);
    }

    [Fact]
    public async Task Without_the_retry_the_same_open_fails()
    {
        await using var connection = new BusyAtFirst(busyOpens: 1);
        await using var db = Context(connection, retry: false);

        var error = await Assert.ThrowsAsync<SqliteException>(() => db.Database.SqlQueryRaw<int>("SELECT 1 AS Value").SingleAsync());
        Assert.Equal(5, error.SqliteErrorCode);
    }

    [Fact]
    public async Task A_file_busy_past_the_default_timeout_fails_then()
    {
        await using var connection = new BusyAtFirst(busyOpens: int.MaxValue) { DefaultTimeout = 1 };
        await using var db = Context(connection, retry: true);
        var started = DateTime.UtcNow;

        await Assert.ThrowsAsync<SqliteException>(() => db.Database.SqlQueryRaw<int>("SELECT 1 AS Value").SingleAsync());

        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20));
        Assert.True(connection.Opens > 1);
    }

    [Fact]
    public async Task Other_errors_are_not_retried()
    {
        await using var connection = new BusyAtFirst(busyOpens: 1, errorCode: 14); // SQLITE_CANTOPEN
        await using var db = Context(connection, retry: true);

        var error = await Assert.ThrowsAsync<SqliteException>(() => db.Database.SqlQueryRaw<int>("SELECT 1 AS Value").SingleAsync());
        Assert.Equal(14, error.SqliteErrorCode);
        Assert.Equal(1, connection.Opens);
    }
}
