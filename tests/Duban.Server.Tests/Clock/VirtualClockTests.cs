using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Clock;
using Duban.Data.Runtime.Timers;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Clock;

/// <summary>
/// The virtual clock of a training, acceptance or demo installation: it starts at a set date, an administrator moves it
/// forward, and what depends on time — deadlines, timers — follows it. Production refuses it.
/// </summary>
public abstract class VirtualClockTests(string provider)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static WebApplicationFactory<Program> Virtual(DubanFactory host, string? environment = null) => host.WithWebHostBuilder(b =>
    {
        b.UseSetting("Duban:Clock:Mode", "Virtual");
        b.UseSetting("Duban:Clock:Start", Start.ToString("O"));
        if (environment is not null) b.UseEnvironment(environment);
    });

    private static async Task<HttpClient> SignedIn(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
        return client;
    }

    [Fact]
    public async Task The_clock_starts_at_its_date_moves_forward_only_by_an_administrator_and_timers_follow_it()
    {
        await using var database = await DatabaseTarget.EmptyAsync(provider);
        await using var plain = new DubanFactory(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        var clock = (await admin.GetFromJsonAsync<JsonObject>("/api/clock"))!;
        Assert.Equal(("virtual", "2026-03-02"), (clock["mode"]!.GetValue<string>(), clock["today"]!.GetValue<string>()));

        // An item waits two days on a timer; at the start date nothing is due.
        await ImportAsync(admin, TestDefinitions.Timer("wait-2d", new JsonObject { ["duration"] = TestDefinitions.Literal("P2D") }));
        var ducha = await SignedIn(host, "ducha");
        var id = await StartAsync(ducha, "wait-2d", null);
        var worker = host.Services.GetRequiredService<TimerWorker>();
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var item = await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Instances.AsNoTracking().SingleAsync(i => i.Id == id);
            Assert.Equal(new DateOnly(2026, 3, 2), DateOnly.FromDateTime(item.CreatedAt.ToOffset(TimeSpan.FromHours(8)).DateTime));
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync("/api/clock/advance", new { days = 3 })).StatusCode);
        var back = await admin.PostAsJsonAsync("/api/clock/advance", new { to = Start.AddDays(-1) });
        Assert.Contains("to", (await FieldErrorsAsync(back)).Keys);
        Assert.Contains("days", (await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/clock/advance", new { days = -1 }))).Keys);

        var moved = await admin.PostAsJsonAsync("/api/clock/advance", new { days = 3 });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("2026-03-05", (await moved.Content.ReadFromJsonAsync<JsonObject>())!["today"]!.GetValue<string>());
        Assert.Equal(1, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal("completed", (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refresh_that_read_the_offset_before_an_advance_cannot_take_the_clock_back()
    {
        // An installation set up on the start day (a copy; the first start on a virtual clock is the test above).
        await using var database = await VirtualClockHosts.DatabaseAsync(provider, Start);
        await using var plain = VirtualClockHosts.Plain(database, Start);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        long before;
        await using (var scope = host.Services.CreateAsyncScope())
            before = (await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Set<ClockStateRecord>().AsNoTracking().SingleAsync()).OffsetTicks;
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/clock/advance", new { days = 7 })).StatusCode);

        // What a refresh that read the row just before the advance committed brings, arriving after it.
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Set<ClockStateRecord>()
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.OffsetTicks, before));
        await host.Services.GetRequiredService<VirtualClockRefresher>().RefreshAsync(CancellationToken.None);

        Assert.Equal("2026-03-09", (await admin.GetFromJsonAsync<JsonObject>("/api/clock"))!["today"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_system_clock_cannot_be_moved()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = new DubanFactory(database);
        var admin = host.NewClient();
        (await admin.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = "Duban@2026" })).EnsureSuccessStatusCode();
        Assert.Equal("system", (await admin.GetFromJsonAsync<JsonObject>("/api/clock"))!["mode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/clock/advance", new { days = 1 })).StatusCode);
    }

    [Fact]
    public async Task Production_refuses_to_start_on_a_virtual_clock()
    {
        await using var database = await DatabaseTarget.EmptyAsync(provider);
        await using var plain = new DubanFactory(database);
        await using var host = Virtual(plain, environment: "Production");
        var failure = Assert.ThrowsAny<Exception>(() => host.Server);
        Assert.Contains("虚拟时钟", failure.ToString());
    }
}

public sealed class SqliteVirtualClockTests() : VirtualClockTests("Sqlite");

public sealed class PostgresVirtualClockTests() : VirtualClockTests("Postgres");
