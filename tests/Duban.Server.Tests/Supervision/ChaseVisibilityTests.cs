using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// A chase counts against the chased unit: on an item shared by a 主办 and a 协办, each unit sees only the chases of its
/// own unit; the office and leaders see every unit's.
/// </summary>
public abstract class ChaseVisibilityTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<Guid> PhoneChaseAsync(HttpClient ducha, Guid item, string unit, string person)
    {
        var response = await ducha.PostAsJsonAsync($"/api/instances/{item}/chases", new
        {
            unitId = unit, rungKey = "phone",
            record = new { calledAt = "2026-03-02 10:30", personReached = person, summary = "请抓紧办理" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    private static async Task<List<string>> ChasedUnitsAsync(HttpClient client, Guid item)
    {
        var view = (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{item}/chases"))!;
        return view["chases"]!.AsArray().Select(c => c!["unitId"]!.GetValue<string>()).Order().ToList();
    }

    [Fact]
    public async Task Each_unit_sees_only_its_own_chases_and_the_office_sees_all()
    {
        await ImportAsync(await fixture.As("admin"), AssignmentApiTests<TFixture>.Definition());
        var ducha = await fixture.As("ducha");
        var item = await StartAsync(ducha, "assign-test", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        var onLead = await PhoneChaseAsync(ducha, item, "fzc", "赵处长");
        var onCo = await PhoneChaseAsync(ducha, item, "jinan", "刘联络");

        Assert.Equal(["fzc", "jinan"], await ChasedUnitsAsync(ducha, item));
        Assert.Equal(["fzc", "jinan"], await ChasedUnitsAsync(await fixture.As("lingdao"), item));
        var fazhi = await fixture.As("fazhi");
        var jinan = await fixture.As("jinan");
        Assert.Equal(["fzc"], await ChasedUnitsAsync(fazhi, item));
        Assert.Equal(["jinan"], await ChasedUnitsAsync(jinan, item));

        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync($"/api/chases/{onLead}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fazhi.GetAsync($"/api/chases/{onCo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.GetAsync($"/api/chases/{onLead}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ducha.GetAsync($"/api/chases/{onCo}")).StatusCode);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteChaseVisibilityTests(SqliteFixture fixture) : ChaseVisibilityTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresChaseVisibilityTests(PostgresFixture fixture) : ChaseVisibilityTests<PostgresFixture>(fixture);
