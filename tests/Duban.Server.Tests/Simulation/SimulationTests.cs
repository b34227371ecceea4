using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Simulation;

/// <summary>
/// 模拟运行 (issue 21, decision 045) on the shared host: a shipped template simulated on the demo organization's copy leaves
/// every table of the real database as it was; a wrong scenario is refused naming its field; only 管理员 may simulate.
/// </summary>
public abstract class SimulationTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The rows of every table of the model.</summary>
    internal static async Task<Dictionary<string, long>> RowCountsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var counts = new Dictionary<string, long>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            foreach (var table in db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
                counts[table] = Convert.ToInt64(await command.ExecuteScalarAsync());
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return counts;
    }

    [Fact]
    public async Task A_simulation_runs_the_ladder_and_the_scores_on_a_copy_and_writes_nothing_to_the_real_database()
    {
        var admin = await fixture.As("admin");
        var before = await RowCountsAsync(fixture.Factory.Services);

        var response = await admin.PostAsJsonAsync("/api/definitions/demo-supervision/simulations", new
        {
            startDate = "2026-03-02", units = new[] { "fzc" }, dueDate = "2026-03-20",
            behaviours = new object[] { new { unitId = "fzc", kind = "late", days = 4 } },
        });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<JsonObject>())!;

        Assert.Equal(before, await RowCountsAsync(fixture.Factory.Services));
        Assert.Equal("finished", result["stop"]!.GetValue<string>());
        var events = result["events"]!.AsArray();
        // 承办 is due 3/12 (the template's 8 working days); the county ladder (the demo organization's): 到期提醒, then 电话 (1
        // working day late, end of 3/13) and 《督查督办通知单》 (3, end of 3/17); the unit submits on the 4th working day late, 3/18.
        Assert.Equal(["remind", "phone", "written"], events.Where(e => e!["kind"]!.GetValue<string>() == "chased").Select(e => e!["step"]!.GetValue<string>()));
        var handle = result["steps"]!.AsArray().Single(s => s!["stepId"]!.GetValue<string>() == "handle")!;
        Assert.Equal("red", handle["light"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.FromHours(8)), handle["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2026, 3, 18, 9, 0, 0, TimeSpan.FromHours(8)), handle["doneAt"]!.GetValue<DateTimeOffset>());
        var fzc = result["scores"]!.AsArray().Single(s => s!["unitId"]!.GetValue<string>() == "fzc")!;
        Assert.Equal(2.7m, fzc["score"]!.GetValue<decimal>());                 // 3 − 0.1 (电话) − 0.2 (通知单), 003 §六
        Assert.Equal([0.1m, 0.2m], fzc["deductions"]!.AsArray().Select(d => d!["points"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task A_wrong_scenario_is_refused_naming_its_field_and_only_an_administrator_may_simulate()
    {
        var admin = await fixture.As("admin");
        var bad = await admin.PostAsJsonAsync("/api/definitions/demo-supervision/simulations", new
        {
            startDate = "2026-03-02", units = new[] { "fzc", "nowhere" }, maxDays = 400,
            behaviours = new object[] { new { unitId = "fzc", kind = "late" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("units[1]", errors.Select(e => e.Key));
        Assert.Contains("maxDays", errors.Select(e => e.Key));
        Assert.Equal("请填写 1 到 120 个工作日", errors["behaviours[0].days"]![0]!.GetValue<string>());

        var ducha = await fixture.As("ducha");
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync("/api/definitions/demo-supervision/simulations",
            new { startDate = "2026-03-02", units = new[] { "fzc" } })).StatusCode);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteSimulationTests(SqliteFixture fixture) : SimulationTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresSimulationTests(PostgresFixture fixture) : SimulationTests<PostgresFixture>(fixture);
