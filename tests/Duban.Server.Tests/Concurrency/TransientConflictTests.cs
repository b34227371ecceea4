using Duban.Data.Writes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// A transaction PostgreSQL rolls back to end a deadlock (or could not serialize) kept nothing: the door runs the write
/// again on fresh data instead of answering 500. Other database errors still reach the caller at once.
/// </summary>
public sealed class TransientConflictTests
{
    private sealed record Probe(string Code) : IWrite<int>
    {
        public string Operation => "probe";
        public string Subject => Code;
    }

    /// <summary>Fails its first attempts with the PostgreSQL error <see cref="Probe.Code"/>, then succeeds.</summary>
    private sealed class ProbeHandler(int failures) : IWriteHandler<Probe, int>
    {
        public int Calls;

        public Task<int> HandleAsync(Probe write, WriteContext context, CancellationToken ct)
        {
            if (++Calls <= failures)
                throw new DbUpdateException("save failed", new PostgresException("refused", "ERROR", "ERROR", write.Code));
            return Task.FromResult(Calls);
        }
    }

    private static async Task<(int? Result, Exception? Error, int Calls)> RunAsync(string code, int failures)
    {
        await using var database = await DatabaseTarget.SeededAsync("Sqlite");
        await using var plain = new DubanFactory(database);
        var handler = new ProbeHandler(failures);
        await using var host = plain.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<IWriteHandler<Probe, int>>(handler)));
        await using var scope = host.Services.CreateAsyncScope();
        try
        {
            return (await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new Probe(code)), null, handler.Calls);
        }
        catch (Exception e)
        {
            return (null, e, handler.Calls);
        }
    }

    [Theory]
    [InlineData(PostgresErrorCodes.DeadlockDetected)]
    [InlineData(PostgresErrorCodes.SerializationFailure)]
    public async Task A_deadlock_victim_is_run_again(string code)
    {
        var (result, error, calls) = await RunAsync(code, failures: 2);
        Assert.Null(error);
        Assert.Equal((3, 3), (result, calls));
    }

    [Fact]
    public async Task Other_database_errors_are_not_retried()
    {
        var (_, error, calls) = await RunAsync(PostgresErrorCodes.ForeignKeyViolation, failures: 1);
        Assert.IsType<DbUpdateException>(error);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_write_that_keeps_losing_gives_up_after_the_last_attempt()
    {
        var (_, error, calls) = await RunAsync(PostgresErrorCodes.DeadlockDetected, failures: WriteDoor.MaxAttempts);
        Assert.IsType<DbUpdateException>(error);
        Assert.Equal(WriteDoor.MaxAttempts, calls);
    }
}
