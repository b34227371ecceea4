using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Tasks;
using Duban.Server.Tests.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Dashboards;

/// <summary>
/// The 驾驶舱's numbers are the 台账's (decision 041): every figure, opened as the ledger filter it carries, lists exactly
/// as many items — for the office, a leader and a unit's liaison, with and without a filter; the other organization's
/// items are never counted. And the office's early warning, closed to everyone else.
/// </summary>
public abstract class DashboardTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TwoOrganizationsFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Seeded(Guid FzcMeeting, Guid JinanDocument, Guid JinanMeeting, Guid Declined, Guid Cancelled, Guid Waiting);

    private static JsonObject Item(string title, string source, string unit) => new()
    {
        ["title"] = title, ["source"] = source, ["content"] = "驾驶舱测试", ["handlingUnit"] = unit, ["dueDate"] = "2026-12-31",
    };

    /// <summary>Besides the fixture's one item per organization: four given to units (one overdue), one declined (办结, late), one cancelled, one waiting.</summary>
    private async Task<Seeded> SeedAsync()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        async Task<Guid> Start(string title, string source, string unit, string? leader)
        {
            var id = await StartAsync(ducha, "demo-supervision", Item(title, source, unit));
            if (leader is not null) await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), leader);
            return id;
        }
        var fzcMeeting = await Start("A 法制处会议事项", "meeting", "fzc", "同意");
        await Start("B 法制处批示事项", "instruction", "fzc", "同意");
        var jinanDocument = await Start("C 济南文件事项", "document", "jinan", "同意");
        var jinanMeeting = await Start("D 济南会议事项", "meeting", "jinan", "同意");
        var declined = await Start("E 不予立项事项", "meeting", "qingdao", "不同意");
        var cancelled = await Start("F 撤销事项", "other", "fzc", null);
        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsJsonAsync($"/api/instances/{cancelled}/cancel", new { reason = "重复登记" })).StatusCode);
        var waiting = await Start("G 待审定事项", "instruction", "qingdao", null);
        await fixture.Factory.WithDbAsync(async db =>
        {
            var red = await db.Tasks.SingleAsync(t => t.InstanceId == jinanDocument && t.Status == HumanTaskStatus.Open);
            red.DueAt = DateTimeOffset.UtcNow.AddHours(-1);
            // Declined after its deadline: completed, but not on time.
            var item = await db.Instances.SingleAsync(i => i.Id == declined);
            item.DueAt = item.FinishedAt!.Value.AddMinutes(-1);
            await db.SaveChangesAsync();
        });
        return new Seeded(fzcMeeting, jinanDocument, jinanMeeting, declined, cancelled, waiting);
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Every figure of the dashboard, wherever it sits.</summary>
    private static IEnumerable<JsonObject> Figures(JsonObject dashboard)
    {
        yield return dashboard["total"]!.AsObject();
        foreach (var list in new[] { "byStatus", "byLight", "bySource", "byDefinition" })
            foreach (var figure in dashboard[list]!.AsArray()) yield return figure!.AsObject();
        foreach (var unit in dashboard["units"]!.AsArray())
            foreach (var name in new[] { "open", "overdue", "completed", "onTime" }) yield return unit![name]!.AsObject();
        foreach (var month in dashboard["months"]!.AsArray())
            foreach (var name in new[] { "registered", "closed" }) yield return month![name]!.AsObject();
    }

    /// <summary>Each figure's count equals the ledger's total for the filter it carries.</summary>
    private static async Task<JsonObject> AgreesWithLedgerAsync(HttpClient client, string query = "")
    {
        var dashboard = await GetAsync(client, "/api/dashboard" + (query.Length > 0 ? "?" + query : ""));
        var checkedFigures = 0;
        foreach (var figure in Figures(dashboard))
        {
            var ledger = await GetAsync(client, "/api/ledger?pageSize=1&" + figure["query"]!.GetValue<string>());
            Assert.True(ledger["total"]!.GetValue<int>() == figure["count"]!.GetValue<int>(),
                $"{figure["label"]} ({figure["query"]}): dashboard {figure["count"]}, ledger {ledger["total"]}");
            checkedFigures++;
        }
        Assert.True(checkedFigures > 30, $"only {checkedFigures} figures");
        return dashboard;
    }

    private static int Count(JsonObject dashboard, string list, string key) =>
        dashboard[list]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == key)!["count"]!.GetValue<int>();

    [Fact]
    public async Task Every_figure_is_the_ledgers_count_for_the_filter_it_carries()
    {
        var s = await SeedAsync();
        var ducha = await AgreesWithLedgerAsync(await fixture.As("ducha"));
        // Seven seeded and the fixture's own item; the other organization's item is not among them.
        Assert.Equal(8, ducha["total"]!["count"]!.GetValue<int>());
        Assert.Equal(6, Count(ducha, "byStatus", "open"));
        Assert.Equal(1, Count(ducha, "byStatus", "completed"));
        Assert.Equal(1, Count(ducha, "byStatus", "cancelled"));
        Assert.Equal(1, Count(ducha, "byLight", "red"));
        Assert.Equal(3, Count(ducha, "bySource", "meeting") - 1);
        var jinan = ducha["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "jinan")!;
        Assert.Equal("济南市司法局", jinan["unitName"]!.GetValue<string>());
        Assert.Equal(2, jinan["open"]!["count"]!.GetValue<int>());
        Assert.Equal(1, jinan["overdue"]!["count"]!.GetValue<int>());
        Assert.Contains("light=red", jinan["overdue"]!["query"]!.GetValue<string>(), StringComparison.Ordinal);
        var thisMonth = ducha["months"]!.AsArray()[^1]!;
        Assert.Equal(8, thisMonth["registered"]!["count"]!.GetValue<int>());
        Assert.Equal(8, Count(ducha, "byDefinition", "demo-supervision"));

        // With the dashboard's own filter, every figure keeps it.
        var meetings = await AgreesWithLedgerAsync(await fixture.As("ducha"), "source=meeting&unitId=jinan");
        Assert.Equal([s.JinanMeeting], (await GetAsync(await fixture.As("ducha"), "/api/ledger?" + meetings["total"]!["query"]!.GetValue<string>()))["items"]!
            .AsArray().Select(r => r!["id"]!.GetValue<Guid>()));
        Assert.All(Figures(meetings), f => Assert.Contains("unitId=jinan", f["query"]!.GetValue<string>(), StringComparison.Ordinal));

        // A leader sees what the office sees.
        Assert.Equal(8, (await AgreesWithLedgerAsync(await fixture.As("lingdao")))["total"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_liaison_counts_only_his_units_items_and_another_organization_only_its_own()
    {
        var s = await SeedAsync();
        var jinan = await AgreesWithLedgerAsync(await fixture.As("jinan"));
        Assert.Equal(2, jinan["total"]!["count"]!.GetValue<int>());
        Assert.Equal(["jinan"], jinan["units"]!.AsArray().Select(u => u!["unitId"]!.GetValue<string>()));
        Assert.Equal(1, Count(jinan, "byLight", "red"));
        Assert.Equal(s.JinanDocument, (await GetAsync(await fixture.As("jinan"), "/api/ledger?" + jinan["byLight"]![0]!["query"]!.GetValue<string>()))["items"]![0]!["id"]!.GetValue<Guid>());

        var gov = await GetAsync(await fixture.As("gov-ducha"), "/api/dashboard");
        Assert.Equal(1, gov["total"]!["count"]!.GetValue<int>());
        Assert.All(gov["units"]!.AsArray(), u => Assert.StartsWith("gov-", u!["unitId"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.DoesNotContain(TwoOrganizationsFixture.SftMarker, gov.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_time_rate_per_unit_counts_completed_items_by_their_deadline()
    {
        var s = await SeedAsync();
        var ducha = await AgreesWithLedgerAsync(await fixture.As("ducha"));
        var late = await GetAsync(await fixture.As("ducha"), "/api/ledger?status=completed&timeliness=late");
        Assert.Equal([s.Declined], late["items"]!.AsArray().Select(r => r!["id"]!.GetValue<Guid>()));
        Assert.Equal(0, (await GetAsync(await fixture.As("ducha"), "/api/ledger?timeliness=onTime"))["total"]!.GetValue<int>());
        // Nothing completed for a unit: no rate rather than 0 %.
        var jinan = ducha["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "jinan")!;
        Assert.Null(jinan["onTimeRate"]);
    }

    [Fact]
    public async Task The_source_is_kept_on_the_item_and_items_from_before_the_column_get_it_at_start_up()
    {
        var s = await SeedAsync();
        static Task<Dictionary<Guid, string?>> SourcesAsync(Data.DubanDbContext db) => db.Instances.ToDictionaryAsync(i => i.Id, i => i.Source);
        var kept = new Dictionary<Guid, string?>();
        await fixture.Factory.WithDbAsync(async db => kept = await SourcesAsync(db));
        // The writer keeps the start form's 来源 on the row.
        Assert.Equal("meeting", kept[s.FzcMeeting]);
        Assert.Equal("document", kept[s.JinanDocument]);
        Assert.Equal("other", kept[s.Cancelled]);

        // An installation from before the column: the one-time start-up step reads each item's state under its version.
        await fixture.Factory.WithDbAsync(db => db.Instances.ExecuteUpdateAsync(u => u.SetProperty(i => i.Source, (string?)null)));
        var filled = await fixture.Factory.WithScopeAsync(sp => Data.Startup.ItemSourcesFill.FillAsync(sp.GetRequiredService<Data.DubanDbContext>(),
            sp.GetRequiredService<Data.Definitions.DefinitionCache>(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default, batchSize: 3));
        Assert.Equal(kept.Count(k => k.Value is not null), filled);
        await fixture.Factory.WithDbAsync(async db => Assert.Equal(kept, await SourcesAsync(db)));
        // The ledger's 来源 filter reads the column.
        var ours = new List<Guid>();
        await fixture.Factory.WithDbAsync(async db =>
        {
            var organization = await db.Instances.Where(i => i.Id == s.FzcMeeting).Select(i => i.OrganizationId).SingleAsync();
            ours = await db.Instances.Where(i => i.OrganizationId == organization && i.Source == "meeting").Select(i => i.Id).ToListAsync();
        });
        Assert.Contains(s.JinanMeeting, ours);
        var meetings = await GetAsync(await fixture.As("ducha"), "/api/ledger?source=meeting&pageSize=50");
        Assert.Equal(ours.Order(), meetings["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()).Order());
    }

    [Fact]
    public void A_source_value_is_kept_as_its_text_and_a_list_between_separators()
    {
        const string sep = Data.ReadModel.ItemSourceValue.Separator;
        Assert.Equal("meeting", Data.ReadModel.ItemSourceValue.Of(JsonValue.Create("meeting")));
        Assert.Equal("3", Data.ReadModel.ItemSourceValue.Of(JsonValue.Create(3)));
        Assert.Equal("true", Data.ReadModel.ItemSourceValue.Of(JsonValue.Create(true)));
        Assert.Equal($"{sep}meeting{sep}document{sep}", Data.ReadModel.ItemSourceValue.Of(new JsonArray("meeting", "document")));
        Assert.Null(Data.ReadModel.ItemSourceValue.Of(new JsonArray()));
        Assert.Null(Data.ReadModel.ItemSourceValue.Of(null));
        Assert.Null(Data.ReadModel.ItemSourceValue.Of(JsonValue.Create(new string('来', Data.ReadModel.ItemSourceValue.MaxLength + 1))));
        Assert.Equal($"%{sep}a\\_b{sep}%", Data.ReadModel.ItemSourceValue.InListPattern("a_b"));
    }

    [Fact]
    public async Task Bad_filters_are_the_ledgers_400s()
    {
        var response = await (await fixture.As("ducha")).GetAsync("/api/dashboard?from=2026-13-01");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("from", (await FieldErrorsAsync(response)).Keys);
        var timeliness = await (await fixture.As("ducha")).GetAsync("/api/ledger?timeliness=soon");
        Assert.Equal(HttpStatusCode.BadRequest, timeliness.StatusCode);
        Assert.Contains("timeliness", (await FieldErrorsAsync(timeliness)).Keys);
    }

    [Fact]
    public async Task The_early_warning_is_the_offices_alone_and_names_the_items_behind_each_figure()
    {
        var s = await SeedAsync();
        foreach (var user in new[] { "jinan", "lingdao", "fazhi" })
            Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As(user)).GetAsync("/api/dashboard/warnings")).StatusCode);

        // 法制处 reports on item A, is sent back, reports again on its deadline's day, and the office accepts it.
        var fazhi = await fixture.As("fazhi");
        var ducha = await fixture.As("ducha");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, s.FzcMeeting, "承办"), "提交", new() { ["report"] = "已形成初稿" });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, s.FzcMeeting, "审核"), "退回", comment: "缺少佐证材料，请补充");
        var again = await TaskOfAsync(fazhi, s.FzcMeeting, "承办");
        await CompleteOkAsync(fazhi, again, "提交", new() { ["report"] = "已补充" });
        await fixture.Factory.WithDbAsync(async db =>
        {
            var step = await db.Tasks.SingleAsync(t => t.Id == again);
            step.DueAt = step.CompletedAt;
            await db.SaveChangesAsync();
        });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, s.FzcMeeting, "审核"), "通过", new() { ["reviewOpinion"] = "同意办结" });

        var warnings = await GetAsync(ducha, "/api/dashboard/warnings");
        var fzc = warnings["units"]!.AsArray().Single()!;
        Assert.Equal("fzc", fzc["unitId"]!.GetValue<string>());
        Assert.Equal([s.FzcMeeting], fzc["returns"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        Assert.Equal([s.FzcMeeting], fzc["lastDay"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        Assert.Equal("A 法制处会议事项", fzc["lastDay"]![0]!["title"]!.GetValue<string>());
        Assert.Empty(fzc["extensions"]!.AsArray());
        // A period before any of it: nothing.
        Assert.Empty((await GetAsync(ducha, "/api/dashboard/warnings?from=2020-01-01&to=2020-12-31"))["units"]!.AsArray());
        // The other organization's office sees none of it.
        Assert.Empty((await GetAsync(await fixture.As("gov-ducha"), "/api/dashboard/warnings"))["units"]!.AsArray());

        // Completed by its deadline: on time in 法制处's rate.
        var dashboard = await AgreesWithLedgerAsync(ducha);
        var fzcFigures = dashboard["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "fzc")!;
        Assert.Equal(1, fzcFigures["onTime"]!["count"]!.GetValue<int>());
        Assert.Equal(100.0, fzcFigures["onTimeRate"]!.GetValue<double>());

        var bad = await (await fixture.As("ducha")).GetAsync("/api/dashboard/warnings?from=2026-12-01&to=2026-11-01");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

[Collection(SqliteTwoOrganizationsFixture.Collection)]
public sealed class SqliteDashboardTests(SqliteTwoOrganizationsFixture fixture) : DashboardTests<SqliteTwoOrganizationsFixture>(fixture);

[Collection(PostgresTwoOrganizationsFixture.Collection)]
public sealed class PostgresDashboardTests(PostgresTwoOrganizationsFixture fixture) : DashboardTests<PostgresTwoOrganizationsFixture>(fixture);
