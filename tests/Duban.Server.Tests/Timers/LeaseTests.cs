using Duban.Data;
using Duban.Data.Jobs;
using Duban.Data.Runtime.Timers;
using Duban.Data.Timers;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Timers;

/// <summary>The one lease mechanism the background jobs share (timers, chase cases): claims honour their batch, count failures, not claims.</summary>
public abstract class LeaseTests(string provider)
{
    protected static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    protected static async Task AddDueTimersAsync(DubanDbContext db, int count)
    {
        var due = DateTimeOffset.UtcNow.AddHours(-1);
        for (var i = 0; i < count; i++)
            db.Timers.Add(new TimerRecord { Id = Guid.CreateVersion7(), InstanceId = Guid.CreateVersion7(), BookmarkId = $"b{i}", ActivityId = "wait", DueAt = due.AddSeconds(i) });
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
    }

    [Fact]
    public async Task A_backlog_that_outlasts_its_lease_is_claimed_again_without_coming_nearer_to_giving_up()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = new DubanFactory(database);
        _ = host.Server;
        await host.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            await AddDueTimersAsync(db, 5);
            var claimer = sp.GetRequiredService<LeaseClaimer>();
            // A worker claims the backlog but takes longer than its lease; another claims it again, over and over.
            for (var round = 0; round < LeaseClaimer.MaxAttempts + 2; round++)
            {
                var claimed = await claimer.ClaimAsync(TimerWorker.Due, $"worker-{round}", 10, TimeSpan.FromMilliseconds(1));
                Assert.Equal(5, claimed.Count);
                await Task.Delay(5);
            }
            Assert.All(await db.Timers.AsNoTracking().ToListAsync(), t => Assert.Equal(0, t.Attempts));
            return 0;
        });
    }

    [Fact]
    public async Task A_failure_is_counted_and_the_row_rests_before_it_is_claimed_again()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = new DubanFactory(database);
        _ = host.Server;
        await host.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            await AddDueTimersAsync(db, 1);
            var claimer = sp.GetRequiredService<LeaseClaimer>();
            var id = Assert.Single(await claimer.ClaimAsync(TimerWorker.Due, "a", 10, Minute));
            Assert.Equal(1, await claimer.RecordFailureAsync<TimerRecord>(id, "连接中断"));
            var row = await db.Timers.AsNoTracking().SingleAsync();
            Assert.Equal(("连接中断", (string?)null), (row.LastError, row.LeaseOwner));
            Assert.True(row.LeaseUntil > DateTimeOffset.UtcNow, "a failed row waits out its back-off");
            Assert.Empty(await claimer.ClaimAsync(TimerWorker.Due, "b", 10, Minute));
            Assert.Equal(2, await claimer.RecordFailureAsync<TimerRecord>(id, "again"));
            Assert.True(LeaseClaimer.Backoff(2) > LeaseClaimer.Backoff(1), "each failure waits longer");
            return 0;
        });
    }

    [Fact]
    public async Task A_held_timer_is_not_claimed()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = new DubanFactory(database);
        _ = host.Server;
        await host.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            await AddDueTimersAsync(db, 2);
            var held = await db.Timers.OrderBy(t => t.DueAt).FirstAsync();
            held.Suspended = true;
            await db.SaveChangesAsync();
            var claimed = await sp.GetRequiredService<LeaseClaimer>().ClaimAsync(TimerWorker.Due, "a", 10, Minute);
            Assert.DoesNotContain(held.Id, claimed);
            Assert.Single(claimed);
            return 0;
        });
    }
}

public sealed class SqliteLeaseTests() : LeaseTests("Sqlite");

public sealed class PostgresLeaseTests() : LeaseTests("Postgres")
{
    /// <summary>
    /// PostgreSQL may keep a generic plan made while the table was empty. For the shape
    /// <c>UPDATE … WHERE "Id" IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)</c> that plan is a nested-loop semi-join that
    /// rescans the sub-select per row, and each rescan skips the rows it has just locked: a LIMIT 50 claim leased every due
    /// row. The control below shows the conditions reproduce that; the claimer must lease exactly its batch under them.
    /// </summary>
    [Fact]
    public async Task A_claim_on_a_plan_made_on_an_empty_table_honours_its_limit()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        await using (var host = new DubanFactory(database))
            _ = host.Server; // migrated and seeded; the Timers table is empty

        // One session, plans cached as generic from the first use, statistics taken on the empty table.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            Options = "-c plan_cache_mode=force_generic_plan",
            MaxAutoPrepare = 20,
            AutoPrepareMinUsages = 1,
        }.ConnectionString;
        await using var db = new PostgresDubanDbContext(new DbContextOptionsBuilder<PostgresDubanDbContext>().UseNpgsql(connection).Options);
        await db.Database.OpenConnectionAsync();
        await db.Database.ExecuteSqlRawAsync("""ANALYZE "Timers" """);

        const string OldShape = """
            UPDATE "Timers" SET "LeaseOwner" = @owner, "LeaseUntil" = @until
            WHERE "Id" IN (SELECT "Id" FROM "Timers" WHERE "DueAt" <= @now AND ("LeaseUntil" IS NULL OR "LeaseUntil" < @now)
                           ORDER BY "DueAt" LIMIT @limit FOR UPDATE SKIP LOCKED)
            """;
        async Task<int> OldClaimAsync(string owner) => await db.Database.ExecuteSqlRawAsync(OldShape,
            new Npgsql.NpgsqlParameter("owner", owner), new Npgsql.NpgsqlParameter("until", DateTimeOffset.UtcNow.AddMinutes(1)),
            new Npgsql.NpgsqlParameter("now", DateTimeOffset.UtcNow), new Npgsql.NpgsqlParameter("limit", 50));
        var claimer = new LeaseClaimer(db, TimeProvider.System);

        Assert.Equal(0, await OldClaimAsync("control"));
        Assert.Empty(await claimer.ClaimAsync(TimerWorker.Due, "claimer", 50, Minute));
        await AddDueTimersAsync(db, 200);

        var control = await OldClaimAsync("control");
        Assert.True(control > 50, $"the control should show the old shape overrunning its LIMIT 50 on this plan; it leased {control}");
        await db.Timers.ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseOwner, (string?)null).SetProperty(t => t.LeaseUntil, (DateTimeOffset?)null));

        var claimed = await claimer.ClaimAsync(TimerWorker.Due, "claimer", 50, Minute);
        Assert.Equal(50, claimed.Count);
        Assert.Equal(50, await db.Timers.CountAsync(t => t.LeaseOwner == "claimer"));
    }
}
