using System.Diagnostics;
using Npgsql;

namespace Duban.Benchmarks;

/// <summary>
/// Phase 3: the server's plain commit rate. Each client has its own connection and its own row of
/// <c>bench_counter</c> and loops <c>UPDATE … SET v = v + 1</c>, autocommit, one row per transaction.
/// </summary>
internal static class RawCommits
{
    public static async Task<PhaseResult> RunAsync(string connectionString, int clients, int seconds)
    {
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            foreach (var sql in new[] { "DROP TABLE IF EXISTS bench_counter", "CREATE TABLE bench_counter(id int PRIMARY KEY, v bigint NOT NULL DEFAULT 0)" })
            {
                await using var ddl = new NpgsqlCommand(sql, setup);
                await ddl.ExecuteNonQueryAsync();
            }
            await using var fill = new NpgsqlCommand("INSERT INTO bench_counter(id, v) SELECT g, 0 FROM generate_series(1, $1) g", setup)
            { Parameters = { new() { Value = clients } } };
            await fill.ExecuteNonQueryAsync();
        }

        var multiplexing = new NpgsqlConnectionStringBuilder(connectionString).Multiplexing;
        var result = new PhaseResult();
        var latencies = new List<long>[clients];
        var readyCount = 0;
        var allReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long deadline = 0;
        var tasks = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(1 << 16);
            NpgsqlConnection? connection = null;
            NpgsqlCommand? command = null;
            try
            {
                connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                command = new NpgsqlCommand("UPDATE bench_counter SET v = v + 1 WHERE id = $1", connection)
                { Parameters = { new() { Value = c + 1 } } };
                // Explicit preparation is not available with Multiplexing=true; auto-preparation may still apply.
                if (!multiplexing) await command.PrepareAsync();
            }
            catch (Exception e)
            {
                allReady.TrySetException(e); // a client that cannot start would otherwise leave the others waiting
                if (command is not null) await command.DisposeAsync();
                if (connection is not null) await connection.DisposeAsync();
                throw;
            }
            await using var ownConnection = connection;
            await using var ownCommand = command;
            if (Interlocked.Increment(ref readyCount) == clients) allReady.TrySetResult();
            await go.Task;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                if (started >= Volatile.Read(ref deadline)) break;
                try
                {
                    await command.ExecuteNonQueryAsync();
                    mine.Add(Stopwatch.GetTimestamp() - started);
                    Interlocked.Increment(ref result.Operations);
                }
                catch (Exception e)
                {
                    result.Fail(e, conflict: false);
                }
            }
        })).ToArray();

        try
        {
            await allReady.Task;
        }
        catch
        {
            go.TrySetResult(); // deadline is still 0: the clients that did start stop at once
            try { await Task.WhenAll(tasks); } catch (Exception) { /* reported below */ }
            throw;
        }
        var wall = Stopwatch.StartNew();
        Volatile.Write(ref deadline, Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency);
        go.TrySetResult();
        await Task.WhenAll(tasks);
        result.WallSeconds = wall.Elapsed.TotalSeconds;
        result.LatenciesMs = Phases.Merge(latencies);

        await using (var check = new NpgsqlConnection(connectionString))
        {
            await check.OpenAsync();
            await using var sum = new NpgsqlCommand("SELECT coalesce(sum(v), 0) FROM bench_counter", check);
            var total = Convert.ToInt64(await sum.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            if (total != result.Operations)
                result.ErrorSamples.Enqueue($"bench_counter sums to {total}, but {result.Operations} updates were counted");
        }
        return result;
    }
}
