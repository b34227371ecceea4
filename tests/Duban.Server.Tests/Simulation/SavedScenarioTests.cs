using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;

namespace Duban.Server.Tests.Simulation;

/// <summary>
/// Scenarios kept with a procedure (issue 21, decision 045): saved with the figures the draft gave, run again before
/// publishing, shown as changed when an edit of the draft changes what they give, and accepted anew.
/// </summary>
public abstract class SavedScenarioTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string Scenarios = "/api/definitions/demo-supervision/scenarios";

    private static object Late4 => new
    {
        startDate = "2026-03-02", units = new[] { "fzc" }, dueDate = "2026-03-20",
        behaviours = new object[] { new { unitId = "fzc", kind = "late", days = 4 } },
    };

    private static async Task<JsonArray> CheckAsync(HttpClient admin)
    {
        var response = await admin.PostAsync($"{Scenarios}/check", null);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }

    [Fact]
    public async Task A_saved_scenario_shows_what_an_edit_of_the_draft_changes_until_its_new_result_is_accepted()
    {
        var admin = await fixture.As("admin");
        var saved = await admin.PostAsJsonAsync(Scenarios, new { name = "法制处逾期 4 个工作日", scenario = Late4 });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var view = (await saved.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = view["id"]!.GetValue<string>();
        Assert.Equal("fzc", view["scenario"]!["units"]![0]!.GetValue<string>());

        var twice = await admin.PostAsJsonAsync(Scenarios, new { name = "法制处逾期 4 个工作日", scenario = Late4 });
        Assert.Equal(HttpStatusCode.BadRequest, twice.StatusCode);
        Assert.Contains("name", (await twice.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Single((await admin.GetFromJsonAsync<JsonArray>(Scenarios))!);

        var unchanged = Assert.Single(await CheckAsync(admin))!;
        Assert.False(unchanged["changed"]!.GetValue<bool>());
        Assert.Empty(unchanged["differences"]!.AsArray());

        // The office gives 承办 three times the time: its deadline, and with it the unit's late submission and the end, move.
        var document = await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision");
        var definition = document!["definition"]!.AsObject();
        var handle = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "handle")!;
        handle["dueIn"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "P30D" } };
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync("/api/definitions/demo-supervision", definition)).StatusCode);

        var changed = Assert.Single(await CheckAsync(admin))!;
        Assert.True(changed["changed"]!.GetValue<bool>());
        var differences = changed["differences"]!.AsArray().Select(d => d!.GetValue<string>()).ToList();
        Assert.Contains("承办（法制处）：时限 2026-03-12 → 2026-04-01", differences);
        Assert.Contains("承办（法制处）：完成日期 2026-03-18 → 2026-04-08", differences);
        Assert.Contains("结束日期：2026-03-18 → 2026-04-08", differences);

        // A change based on an older version of the scenario is refused; the current one accepts the draft's result.
        var stale = await admin.PutAsJsonAsync($"{Scenarios}/{id}", new { name = "法制处逾期 4 个工作日", scenario = Late4, version = view["version"]!.GetValue<long>() + 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var accepted = await admin.PutAsJsonAsync($"{Scenarios}/{id}", new { name = "法制处逾期 4 个工作日", scenario = Late4, version = view["version"]!.GetValue<long>() });
        Assert.True(accepted.StatusCode == HttpStatusCode.OK, await accepted.Content.ReadAsStringAsync());
        Assert.False(Assert.Single(await CheckAsync(admin))!["changed"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"{Scenarios}/{id}")).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>(Scenarios))!);
    }

    [Fact]
    public async Task Only_an_administrator_of_the_procedures_organization_keeps_scenarios()
    {
        var ducha = await fixture.As("ducha");
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.GetAsync(Scenarios)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync(Scenarios, new { name = "x", scenario = Late4 })).StatusCode);
        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/definitions/no-such-procedure/scenarios")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"{Scenarios}/{Guid.NewGuid()}")).StatusCode);
        var blank = await admin.PostAsJsonAsync(Scenarios, new { name = " ", scenario = Late4 });
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Equal("请填写场景名称", (await blank.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]![0]!.GetValue<string>());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteSavedScenarioTests(SqliteFixture fixture) : SavedScenarioTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresSavedScenarioTests(PostgresFixture fixture) : SavedScenarioTests<PostgresFixture>(fixture);
