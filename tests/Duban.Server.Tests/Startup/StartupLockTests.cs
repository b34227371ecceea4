using Duban.Data;
using Duban.Data.Startup;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Duban.Server.Tests.Startup;

/// <summary>The start-up lock itself: one holder at a time, and a holder that dies lets go (docs/decisions/020).</summary>
public sealed class StartupLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly StartupLock _lock = new(NullLogger<StartupLock>.Instance);

    private static DubanDbContext Context(DatabaseTarget database) => database.IsPostgres
        ? new PostgresDubanDbContext(new DbContextOptionsBuilder<PostgresDubanDbContext>().UseNpgsql(database.ConnectionString).Options)
        : new SqliteDubanDbContext(new DbContextOptionsBuilder<SqliteDubanDbContext>()
            .UseSqlite($"Data Source={Path.Combine(database.DataDir, "duban.db")}").Options);

    /// <summary>The advisory locks on Duban's key in this database: whether each is granted or waited for, and by which session.</summary>
    private static async Task<List<(bool Granted, int Pid)>> AdvisoryLocksAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("""
            SELECT granted, pid FROM pg_locks
            WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND classid = @high AND objid = @low AND objsubid = 1
            """, connection);
        command.Parameters.AddWithValue("high", (long)(StartupLock.AdvisoryKey >> 32));
        command.Parameters.AddWithValue("low", StartupLock.AdvisoryKey & 0xFFFFFFFF);
        await using var reader = await command.ExecuteReaderAsync();
        var locks = new List<(bool, int)>();
        while (await reader.ReadAsync()) locks.Add((reader.GetBoolean(0), reader.GetInt32(1)));
        return locks;
    }

    private static async Task<List<(bool Granted, int Pid)>> WaitForAsync(NpgsqlConnection connection, Func<List<(bool Granted, int Pid)>, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var locks = await AdvisoryLocksAsync(connection);
            if (condition(locks) || DateTime.UtcNow > deadline) return locks;
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task On_PostgreSQL_a_second_holder_waits_in_pg_locks_until_the_first_lets_go()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        await using var db1 = Context(database);
        await using var db2 = Context(database);
        await using var observer = new NpgsqlConnection(database.ConnectionString);
        await observer.OpenAsync();

        var first = await _lock.AcquireAsync(db1, CancellationToken.None);
        var second = _lock.AcquireAsync(db2, CancellationToken.None);
        var locks = await WaitForAsync(observer, l => l.Count == 2);
        Assert.Equal([true, false], locks.Select(l => l.Granted).OrderDescending());
        Assert.False(second.IsCompleted);

        await first.DisposeAsync();
        await using var held = await second.WaitAsync(Patience);
        Assert.Equal([true], (await AdvisoryLocksAsync(observer)).Select(l => l.Granted));
    }

    [Fact]
    public async Task On_PostgreSQL_the_lock_of_an_instance_that_died_is_released()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        await using var db1 = Context(database);
        await using var db2 = Context(database);
        await using var observer = new NpgsqlConnection(database.ConnectionString);
        await observer.OpenAsync();

        var dead = await _lock.AcquireAsync(db1, CancellationToken.None);
        var holder = Assert.Single(await AdvisoryLocksAsync(observer)).Pid;
        var waiting = _lock.AcquireAsync(db2, CancellationToken.None);
        await WaitForAsync(observer, l => l.Count == 2);

        // The holder's session ends without unlocking, as when its process is killed.
        await using (var kill = new NpgsqlCommand($"SELECT pg_terminate_backend({holder})", observer))
            await kill.ExecuteScalarAsync();
        await using var held = await waiting.WaitAsync(Patience);
        Assert.NotEqual(holder, Assert.Single(await AdvisoryLocksAsync(observer), l => l.Granted).Pid);
        await dead.DisposeAsync(); // unlocking a dead session only logs
    }

    [Fact]
    public async Task On_SQLite_the_lock_file_next_to_the_database_lets_one_holder_in_at_a_time()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Sqlite");
        await using var db1 = Context(database);
        await using var db2 = Context(database);
        Assert.Equal(Path.Combine(database.DataDir, "duban.db.setup-lock"), StartupLock.LockFileOf(db1.Database.GetConnectionString()!));

        var first = await _lock.AcquireAsync(db1, CancellationToken.None);
        var second = _lock.AcquireAsync(db2, CancellationToken.None);
        // The second one tries the file every 200 ms; were the file not locked, it would have it at once.
        await Task.Delay(1000);
        Assert.False(second.IsCompleted, "two holders of the SQLite start-up lock at once");

        await first.DisposeAsync();
        await using var held = await second.WaitAsync(Patience);
        Assert.True(File.Exists(Path.Combine(database.DataDir, "duban.db.setup-lock")));
    }
}
