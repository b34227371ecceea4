using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Timers;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Timers;

/// <summary>Durable timers: they survive a restart, and with several workers on one database each fires once.</summary>
public abstract class TimerTests(string provider)
{
    [Fact]
    public async Task A_timer_due_while_the_app_was_stopped_fires_after_restart()
    {
        // Both hosts read one test clock, which only the test moves. It starts at the machine's time, so the sign-in
        // cookies it dates are fresh to the client too, on a whole second, as PostgreSQL keeps no ticks.
        var now = DateTimeOffset.UtcNow;
        var clock = new FakeTimeProvider(now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond)));
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        Guid id;
        await using (var first = new DubanFactory(database, clock))
        {
            var admin = first.NewClient();
            await LoginAsync(admin, "admin");
            await ImportAsync(admin, TestDefinitions.Timer("wait-2s", new JsonObject { ["duration"] = TestDefinitions.Literal("PT2S") }));
            var ducha = first.NewClient();
            await LoginAsync(ducha, "ducha");
            id = await StartAsync(ducha, "wait-2s", null);
            var due = await first.WithScopeAsync(async sp => (await sp.GetRequiredService<DubanDbContext>().Timers.SingleAsync(t => t.InstanceId == id)).DueAt);
            Assert.Equal(clock.GetUtcNow().AddSeconds(2), due);
            Assert.Equal("suspended", (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>());
            Assert.Equal(0, await first.Services.GetRequiredService<TimerWorker>().RunOnceAsync(CancellationToken.None)); // not due yet
        }

        // The app is down while the timer falls due.
        clock.Advance(TimeSpan.FromSeconds(3));

        // The restarted app's first round of the timer worker fires it.
        await using var second = new DubanFactory(database, clock);
        Assert.Equal(1, await second.Services.GetRequiredService<TimerWorker>().RunOnceAsync(CancellationToken.None));
        var status = await second.WithScopeAsync(async sp =>
            (await sp.GetRequiredService<DubanDbContext>().Instances.SingleAsync(x => x.Id == id)).Status.ToString());
        Assert.Equal("Completed", status);
        await second.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.TimerFired));
            Assert.False(await db.Timers.AnyAsync());
        });
    }

    [Fact]
    public async Task A_timer_given_in_china_time_is_stored_as_the_same_instant()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        await using var host = new DubanFactory(database);
        var admin = host.NewClient();
        await LoginAsync(admin, "admin");
        await ImportAsync(admin, TestDefinitions.Timer("beijing", new JsonObject { ["until"] = TestDefinitions.Literal("2030-01-01T08:00:00+08:00") }));
        var ducha = host.NewClient();
        await LoginAsync(ducha, "ducha");
        var id = await StartAsync(ducha, "beijing", null);
        await host.WithDbAsync(async db =>
        {
            var timer = await db.Timers.SingleAsync(t => t.InstanceId == id);
            Assert.Equal(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), timer.DueAt);
            Assert.False(await db.Timers.AnyAsync(t => t.DueAt < new DateTimeOffset(2029, 12, 31, 23, 59, 0, TimeSpan.Zero)));
        });
    }

    [Fact]
    public async Task A_timer_due_while_its_item_is_faulted_waits_for_the_repair()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        await using var host = new DubanFactory(database);
        var admin = host.NewClient();
        await LoginAsync(admin, "admin");
        // Fork: one branch waits on a timer already due, the other faults on a broken condition.
        await ImportAsync(admin, TestDefinitions.Flow("timer-and-fault", "定时与异常", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject { ["id"] = "fork", ["type"] = "Duban.Fork", ["name"] = "并行" },
            new JsonObject { ["id"] = "wait", ["type"] = "Duban.Timer", ["name"] = "等待", ["until"] = TestDefinitions.Literal("2020-01-01T00:00:00Z") },
            new JsonObject { ["id"] = "check", ["type"] = "Duban.Decision", ["name"] = "判断", ["condition"] = TestDefinitions.Script("item.missing.value > 1") },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [
            TestDefinitions.Connection("start", "Done", "fork"), TestDefinitions.Connection("fork", "Done", "wait"),
            TestDefinitions.Connection("fork", "Done", "check"), TestDefinitions.Connection("wait", "Done", "end"),
            TestDefinitions.Connection("check", "True", "end"), TestDefinitions.Connection("check", "False", "end"),
        ]));
        var ducha = host.NewClient();
        await LoginAsync(ducha, "ducha");
        var id = await StartAsync(ducha, "timer-and-fault", null);
        Assert.Equal("faulted", (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>());

        await host.Services.GetRequiredService<TimerWorker>().RunOnceAsync(CancellationToken.None);

        await host.WithDbAsync(async db =>
        {
            Assert.True(await db.Timers.AnyAsync(t => t.InstanceId == id), "the timer must survive until the incident is repaired");
            Assert.False(await db.Journal.AnyAsync(j => j.InstanceId == id && j.Kind == JournalKind.TimerFired));
        });
    }

    private static async Task LoginAsync(HttpClient client, string user)
    {
        var response = await client.PostAsync("/api/auth/login",
            new StringContent($$"""{"userName":"{{user}}","password":"Duban@2026"}""", System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    internal static async Task<List<Guid>> StartManyAsync(DubanFactory factory, string definitionId, int count)
    {
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
            ids.Add(await factory.WithScopeAsync(async sp =>
                (await sp.GetRequiredService<WriteDoor>().RunAsync(new StartItem(definitionId,
                    new CurrentUser("bench", "ducha", "王督查", "bgs", "厅办公室（督查室）", ["督查员"]) { OrganizationId = "sft" }, null))).Id));
        return ids;
    }
}

public sealed class SqliteTimerTests() : TimerTests("Sqlite");

public sealed class PostgresTimerTests() : TimerTests("Postgres")
{
    [Fact]
    public async Task Two_workers_on_one_database_fire_200_timers_none_twice()
    {
        await using var database = await DatabaseTarget.SeededAsync("Postgres", DubanFixture.Variant);
        await using var a = new DubanFactory(database);
        var admin = a.NewClient();
        var login = await admin.PostAsync("/api/auth/login",
            new StringContent("""{"userName":"admin","password":"Duban@2026"}""", System.Text.Encoding.UTF8, "application/json"));
        login.EnsureSuccessStatusCode();
        await ImportAsync(admin, TestDefinitions.Timer("already-due", new JsonObject { ["until"] = TestDefinitions.Literal("2020-01-01T00:00:00Z") }));
        var ids = await StartManyAsync(a, "already-due", 200);

        await using var b = new DubanFactory(database);
        _ = b.Server;
        var workers = new[] { a, b }.Select(f => f.Services.GetRequiredService<TimerWorker>()).ToArray();

        // Both workers poll side by side until neither finds anything due.
        var claims = await Task.WhenAll(workers.Select(async worker =>
        {
            var claimed = 0;
            for (var idle = 0; idle < 3;)
            {
                var n = await worker.RunOnceAsync(CancellationToken.None);
                claimed += n;
                idle = n == 0 ? idle + 1 : 0;
            }
            return claimed;
        }));

        await a.WithDbAsync(async db =>
        {
            var fired = await db.Journal.Where(j => j.Kind == JournalKind.TimerFired).GroupBy(j => j.InstanceId)
                .Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
            Assert.Equal(200, fired.Count);
            Assert.All(fired, f => Assert.Equal(1, f.Count));
            Assert.Equal(200, await db.Instances.CountAsync(i => ids.Contains(i.Id) && i.Status == WorkflowStatus.Completed));
            Assert.False(await db.Timers.AnyAsync());
        });
        Assert.Equal(200, claims.Sum());
        Assert.All(claims, c => Assert.True(c > 0, $"each worker should have fired some timers: {string.Join("/", claims)}"));
    }
}
