using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// Deadlines in a year whose State Council notice is not loaded: counted on the statutory days off, flagged provisional
/// wherever they show, and worked out again — journaled, approved extensions kept — when the year is loaded.
/// </summary>
public abstract class ProvisionalDeadlineTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOf(int y, int m, int d) => Beijing(y, m, d, 23, 59).AddSeconds(59);

    private async Task<JsonObject> InboxRowAsync(Guid item) =>
        (await ApiHelpers.InboxAsync(await fixture.As("fazhi"))).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!.AsObject();

    [Fact]
    public async Task A_deadline_in_a_year_not_loaded_counts_statutory_days_is_provisional_and_is_recalculated_when_the_year_is_loaded()
    {
        // Tuesday 2026-12-29; the shipped calendar has 2024–2026, not 2027.
        fixture.Clock.Set(Beijing(2026, 12, 29, 9));
        // The flow's item deadline: 5 working days from registration — 12/30, 12/31, (元旦 1/1 is a statutory day off,
        // though 2027's notice is not loaded), 1/4, 1/5, 1/6 → Wednesday 2027-01-06. Monday to Friday alone gave 1/5.
        var plain = await fixture.StartItemAsync(title: "年底交办事项");
        var extended = await fixture.StartItemAsync(title: "已批准延期的事项");
        var typed = await fixture.StartItemAsync(dueDate: "2027-01-08", title: "限定日期的事项");

        var row = await InboxRowAsync(plain);
        Assert.Equal(EndOf(2027, 1, 6), row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.True(row["provisional"]!.GetValue<bool>());
        var ducha = await fixture.As("ducha");
        var item = await ApiHelpers.InstanceAsync(ducha, plain);
        Assert.True(item["instance"]!["provisional"]!.GetValue<bool>());
        Assert.True(item["openTasks"]![0]!["provisional"]!.GetValue<bool>());
        var ledger = await Json.GetAsync(ducha, "/api/ledger?pageSize=100");
        Assert.True(ledger["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == plain)!["provisional"]!.GetValue<bool>());
        var listed = await Json.GetAsync(ducha, "/api/instances?pageSize=100");
        Assert.True(listed["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == plain)!["provisional"]!.GetValue<bool>());

        // The unit asks for 2027-01-15 on the second item and the office approves.
        var fazhi = await fixture.As("fazhi");
        var asked = await Json.OkAsync(await fazhi.PostAsJsonAsync($"/api/instances/{extended}/extensions",
            new { reason = "跨年度数据需核实", newDueDate = "2027-01-15" }), System.Net.HttpStatusCode.Created);
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意" }));

        // The 2027 arrangement is loaded (a year file made up for the test: 元旦 1/1–1/4, Saturday 1/9 worked).
        var admin = await fixture.As("admin");
        var year = JsonNode.Parse("""
            { "year": 2027, "source": { "title": "测试用 2027 年节假日安排", "note": "为测试编写，非国务院通知原文" },
              "holidays": [ { "name": "元旦", "from": "2027-01-01", "to": "2027-01-04" } ],
              "workdays": [ { "date": "2027-01-09", "name": "元旦调休上班" } ] }
            """);
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/2027", year));

        // Recounted: 12/30, 12/31, 1/5, 1/6, 1/7 → Thursday 2027-01-07, no longer provisional; the step follows the item.
        row = await InboxRowAsync(plain);
        Assert.Equal(EndOf(2027, 1, 7), row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(row["provisional"]!.GetValue<bool>());
        item = await ApiHelpers.InstanceAsync(ducha, plain);
        Assert.Equal(EndOf(2027, 1, 7), item["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(item["instance"]!["provisional"]!.GetValue<bool>());
        var recalculated = item["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "deadlinesRecalculated")!;
        Assert.Equal(2027, recalculated["data"]!["year"]!.GetValue<int>());
        Assert.Contains(recalculated["data"]!["changes"]!.AsArray(), c => c!["what"]!.GetValue<string>() == "事项完成时限");

        // The approved extension stands (item and step), and so does a date someone typed; neither is journaled again.
        var kept = await ApiHelpers.InstanceAsync(ducha, extended);
        Assert.Equal(EndOf(2027, 1, 15), kept["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(EndOf(2027, 1, 15), (await InboxRowAsync(extended))["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.DoesNotContain(kept["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "deadlinesRecalculated");
        Assert.Equal(EndOf(2027, 1, 8), (await InboxRowAsync(typed))["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_year_not_loaded_shows_its_statutory_days()
    {
        var year = await Json.GetAsync(await fixture.As("admin"), "/api/calendar/2028");
        Assert.False(year["loaded"]!.GetValue<bool>());
        // 2028: 元旦 1/1; 除夕 1/25, 春节 1/26–1/28; 清明 4/4; 劳动节 5/1–5/2; 端午 5/28; 中秋 10/3 (inside 国庆); 国庆 10/1–10/3.
        Assert.Equal(
            ["2028-01-01", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-04-04", "2028-05-01", "2028-05-02", "2028-05-28",
                "2028-10-01", "2028-10-02", "2028-10-03"],
            year["days"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_day_edited_in_a_year_not_loaded_keeps_the_statutory_days_and_moves_open_deadlines()
    {
        fixture.Clock.Set(Beijing(2026, 12, 29, 9));
        var id = await fixture.StartItemAsync(title: "年底交办事项");   // due 2027-01-06, as above
        // The organization keeps 2027 by hand: it gives Tuesday 1/5 off. 元旦 stays a day off (statutory), so the
        // fifth working day is now 12/30, 12/31, 1/4, 1/6, 1/7 → 2027-01-07.
        var admin = await fixture.As("admin");
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/days/2027-01-05", new { kind = "holiday", name = "单位调休" }));
        var row = await InboxRowAsync(id);
        Assert.Equal(EndOf(2027, 1, 7), row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.False(row["provisional"]!.GetValue<bool>());
        var days = (await Json.GetAsync(admin, "/api/calendar/2027"))["days"]!.AsArray();
        Assert.Contains(days, d => d!["date"]!.GetValue<string>() == "2027-01-01" && d["name"]!.GetValue<string>() == "元旦");
        Assert.Contains(days, d => d!["date"]!.GetValue<string>() == "2027-01-05" && d["kind"]!.GetValue<string>() == "holiday");
        // The year now kept by hand counts as loaded: its statutory 春节 (除夕 2/5 … 初三 2/8) is there too.
        Assert.Contains(days, d => d!["date"]!.GetValue<string>() == "2027-02-08" && d["kind"]!.GetValue<string>() == "holiday");
    }
}

public sealed class SqliteProvisionalDeadlineTests(SqliteDeadlineFixture fixture) : ProvisionalDeadlineTests<SqliteDeadlineFixture>(fixture), IClassFixture<SqliteDeadlineFixture>;

public sealed class PostgresProvisionalDeadlineTests(PostgresDeadlineFixture fixture) : ProvisionalDeadlineTests<PostgresDeadlineFixture>(fixture), IClassFixture<PostgresDeadlineFixture>;
