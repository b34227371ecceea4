using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Supervision.Chasing;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// The county (seed 003) on the virtual clock: §四's ladder (电话 → 《督查督办通知单》 → 现场, with a 到期提醒 before) and §六's
/// table (3 points; 电话 0.1, 通知单 0.2, 现场 0.3), the demo organization having chosen the county table at setup. The
/// item is registered Monday 2026-03-02 and due Monday 3/9; the rungs fall due 2 working days before (3/5 00:00), and
/// 1, 3 and 5 working days after (end of 3/10, 3/12, 3/16). An administrator moves the clock; the job runs once per step (the demo items of the installation are chased too, so
/// the item's own rungs are what is checked).
/// </summary>
public abstract class CountyLadderScenarioTests(string provider)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset Beijing(int m, int d, int h) => new(2026, m, d, h, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_county_ladder_climbs_with_the_clock_and_each_rung_costs_what_003_says_when_it_should()
    {
        await using var database = await VirtualClockHosts.DatabaseAsync(provider, Start);
        await using var plain = VirtualClockHosts.Plain(database, Start);
        await using var host = VirtualClockHosts.Virtual(plain, Start);
        async Task<HttpClient> SignedIn(string user)
        {
            var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
            (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
            return client;
        }
        var admin = await SignedIn("admin");
        var ducha = await SignedIn("ducha");
        var worker = host.Services.GetRequiredService<ChaseWorker>();
        async Task AdvanceTo(DateTimeOffset to) => (await admin.PostAsJsonAsync("/api/clock/advance", new { to })).EnsureSuccessStatusCode();
        async Task<decimal> Score() => (await ducha.GetFromJsonAsync<JsonObject>("/api/scoring/2026/units/fzc"))!["score"]!.GetValue<decimal>();
        async Task<List<string>> Rungs(Guid item) => (await ducha.GetFromJsonAsync<JsonObject>($"/api/instances/{item}/chases"))!["chases"]!.AsArray()
            .Select(c => c!["rungKey"]!.GetValue<string>()).ToList();
        async Task Record(Guid item, string rung, object record)
        {
            var chase = (await ducha.GetFromJsonAsync<JsonObject>($"/api/instances/{item}/chases"))!["chases"]!.AsArray().Single(c => c!["rungKey"]!.GetValue<string>() == rung)!;
            (await ducha.PostAsJsonAsync($"/api/chases/{chase["id"]}/record", new { record })).EnsureSuccessStatusCode();
        }

        var flow = Flow("county-item", "县政府督办事项", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }), ["deadline"] = Literal("itemDue"),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "end")]);
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督办单", "fields": [
                { "key": "title", "label": "事项名称", "type": "text", "required": true },
                { "key": "unit", "label": "承办单位", "type": "unit", "required": true },
                { "key": "dueDate", "label": "完成时限", "type": "date" } ] }]
            """);
        flow["options"] = JsonNode.Parse("""{ "deadlines": { "item": { "kind": "field", "field": "dueDate" } } }""");
        await ApiHelpers.ImportAsync(admin, flow);
        var item = await ApiHelpers.StartAsync(ducha, "county-item", new JsonObject { ["title"] = "县长交办：城区道路整修", ["unit"] = "fzc", ["dueDate"] = "2026-03-09" });

        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await Rungs(item));
        Assert.Equal(3m, await Score());                                        // 3 points (§四（四）: 3%, 3 分)

        await AdvanceTo(Beijing(3, 5, 10));                                     // Thu 3/5: 到期提醒 (2 working days before)
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["remind"], await Rungs(item));
        Assert.Equal(3m, await Score());                                        // a reminder costs nothing

        await AdvanceTo(Beijing(3, 11, 9));                                     // Wed 3/11: 3/10 ended — 1 working day overdue: 电话
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["remind", "phone"], await Rungs(item));
        Assert.Equal(3m, await Score());                                        // not yet phoned
        await Record(item, "phone", new { calledAt = "2026-03-11 09:30", personReached = "赵处长", summary = "承诺本周报送" });
        Assert.Equal(2.9m, await Score());                                      // 3 − 0.1 (§六（二）)

        await AdvanceTo(Beijing(3, 13, 9));                                     // Fri 3/13: 3/12 ended — 3 working days: 《通知单》
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["remind", "phone", "written"], await Rungs(item));
        Assert.Equal(2.7m, await Score());                                      // 2.9 − 0.2 at issue (§六（三）)

        await AdvanceTo(Beijing(3, 17, 9));                                     // Tue 3/17: 3/16 ended — 5 working days: 现场
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["remind", "phone", "written", "onsite"], await Rungs(item));
        Assert.Equal(2.7m, await Score());                                      // the visit not yet paid
        await Record(item, "onsite", new { visitedAt = "2026-03-17", inspectors = "王督查", metWith = "赵处长", findings = "进度滞后", requirements = "3月20日前办结" });
        Assert.Equal(2.4m, await Score());                                      // 2.7 − 0.3 (§六（四）)

        await AdvanceTo(Beijing(6, 30, 9));                                     // the rest of the ladder is raised by hand only
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["remind", "phone", "written", "onsite"], await Rungs(item));
    }
}

public sealed class SqliteCountyLadderScenarioTests() : CountyLadderScenarioTests("Sqlite");

public sealed class PostgresCountyLadderScenarioTests() : CountyLadderScenarioTests("Postgres");
