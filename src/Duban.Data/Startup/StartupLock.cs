using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Duban.Data.Startup;

/// <summary>
/// Lets one process at a time migrate and set up a database, so that instances started together take turns
/// (docs/decisions/020). The holder is released when the returned handle is disposed, or when its process ends.
/// </summary>
public interface IStartupLock
{
    Task<IAsyncDisposable> AcquireAsync(DubanDbContext db, CancellationToken ct);
}

/// <summary>
/// PostgreSQL: a session-level advisory lock (<c>pg_advisory_lock</c>) held on a connection of its own, outside the pool,
/// so that closing it — or the process dying — always releases it. Advisory locks belong to one database, so two Duban
/// databases on one server do not wait for each other.
/// SQLite: an exclusive lock on the file <c>&lt;database&gt;.setup-lock</c> next to the database, so that two processes
/// on one data folder take turns too.
/// </summary>
public sealed class StartupLock(ILogger<StartupLock> logger) : IStartupLock
{
    /// <summary>The advisory lock's key: "dubanset" in ASCII. In <c>pg_locks</c>: locktype advisory, classid 1685414497, objid 1853056372.</summary>
    public const long AdvisoryKey = 0x647562616E736574;

    /// <summary>How long between two tries of the SQLite lock file, and between two "still waiting" log lines.</summary>
    private static readonly TimeSpan FilePollInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan WaitingLogInterval = TimeSpan.FromSeconds(15);

    public Task<IAsyncDisposable> AcquireAsync(DubanDbContext db, CancellationToken ct)
    {
        var connectionString = db.Database.GetConnectionString()
            ?? throw new InvalidOperationException("The database has no connection string; the start-up lock cannot be taken.");
        return db.IsPostgres ? AcquireAdvisoryAsync(connectionString, ct) : AcquireFileAsync(LockFileOf(connectionString), ct);
    }

    /// <summary>The lock file next to a SQLite database.</summary>
    public static string LockFileOf(string sqliteConnectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(sqliteConnectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
            throw new InvalidOperationException("An in-memory SQLite database has no file to lock next to.");
        return Path.GetFullPath(dataSource) + ".setup-lock";
    }

    private async Task<IAsyncDisposable> AcquireAdvisoryAsync(string connectionString, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            ApplicationName = "duban-startup-lock",
            // Waiting for another instance's migration is not a command that ran too long.
            CommandTimeout = 0,
        };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // A holder whose machine vanishes without closing the connection would keep the lock until the server's TCP
            // keepalive gives up (two hours by default on Linux); for this session, the server finds out within a minute.
            await using (var keepalive = new NpgsqlCommand(
                "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3", connection))
                await keepalive.ExecuteNonQueryAsync(ct);
            if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock(@key)", ct))
            {
                logger.LogInformation("Another Duban instance is migrating or setting up this database; waiting for it to finish");
                await ScalarAsync<object>(connection, "SELECT pg_advisory_lock(@key)", ct);
            }
            return new AdvisoryHandle(connection, logger);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("key", AdvisoryKey);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private sealed class AdvisoryHandle(NpgsqlConnection connection, ILogger logger) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None);
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // Closing the connection below ends the session, and the lock with it.
                logger.LogWarning(e, "Releasing the start-up lock failed; closing its connection releases it");
            }
            await connection.DisposeAsync();
        }
    }

    private async Task<IAsyncDisposable> AcquireFileAsync(string path, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waitingSince = DateTime.UtcNow;
        var lastLog = DateTime.MinValue;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock: flock(LOCK_EX) on Linux and macOS, a share mode on Windows. It is held
                // per open file, so two hosts in one process exclude each other as well. The file is never deleted: deleting
                // it while another process waits on it would let a third one lock a new file of the same name.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
            }
            catch (IOException e)
            {
                if (DateTime.UtcNow - lastLog >= WaitingLogInterval)
                {
                    logger.LogInformation("Waiting for the start-up lock {Path} (held by another Duban process on this data folder for {Seconds:0} s): {Message}",
                        path, (DateTime.UtcNow - waitingSince).TotalSeconds, e.Message);
                    lastLog = DateTime.UtcNow;
                }
            }
            await Task.Delay(FilePollInterval, ct);
        }
    }
}
