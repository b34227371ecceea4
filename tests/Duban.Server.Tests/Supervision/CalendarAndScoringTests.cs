using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>The work calendar administrators keep, and scores: rules, bulletins, redos, who sees what.</summary>
public abstract class CalendarAndScoringTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        // The organization chooses the county table (003 §六) — without rules or a choice it is not scored.
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/table", new { table = "county" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOf(int y, int m, int d) => Beijing(y, m, d, 23, 59).AddSeconds(59);

    [Fact]
    public async Task The_shipped_years_are_loaded_with_their_sources_and_november_warns_about_next_year()
    {
        var admin = await fixture.As("admin");
        var status = await Json.GetAsync(admin, "/api/calendar");
        Assert.Equal("sft", status["organizationId"]!.GetValue<string>());
        Assert.Equal([2024, 2025, 2026], status["years"]!.AsArray().Select(y => y!["year"]!.GetValue<int>()));
        var y2026 = status["years"]!.AsArray().Single(y => y!["year"]!.GetValue<int>() == 2026)!;
        Assert.Equal("国务院办公厅关于2026年部分节假日安排的通知", y2026["source"]!["title"]!.GetValue<string>());
        Assert.Equal("shipped", y2026["origin"]!.GetValue<string>());
        Assert.Empty(status["warnings"]!.AsArray());

        fixture.Clock.Set(Beijing(2026, 11, 2));
        var november = await Json.GetAsync(await fixture.As("admin"), "/api/calendar");
        Assert.Contains("尚未导入2027年节假日安排", november["warnings"]![0]!.GetValue<string>());

        var year = await Json.GetAsync(await fixture.As("fazhi"), "/api/calendar/2026");
        Assert.Equal(248, year["workingDays"]!.GetValue<int>());
        Assert.Contains(year["days"]!.AsArray(), d => d!["date"]!.GetValue<string>() == "2026-02-28" && d["kind"]!.GetValue<string>() == "workday" && d["weekday"]!.GetValue<string>() == "周六");
    }

    [Fact]
    public async Task An_administrator_changes_a_day_and_new_deadlines_follow_it()
    {
        var admin = await fixture.As("admin");
        // A local holiday on Thursday 3/5 and a make-up Saturday 3/7: five working days from 3/2 still end on Monday 3/9… count them.
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-05", new { kind = "holiday", name = "地方节日" }));
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-04", new { kind = "holiday", name = "地方节日" }));
        var id = await fixture.StartItemAsync();
        var task = (await ApiHelpers.InboxAsync(await fixture.As("fazhi"))).Single(t => t!["instanceId"]!.GetValue<Guid>() == id)!;
        Assert.Equal(EndOf(2026, 3, 11), task["dueAt"]!.GetValue<DateTimeOffset>());   // 3, 6, 9, 10, 11

        var day = await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-07", new { kind = "workday" }));
        Assert.Equal("workday", day["kind"]!.GetValue<string>());
        var check = await Json.GetAsync(admin, "/api/calendar/working-days?from=2026-03-02&days=5");
        Assert.Equal("2026-03-10", check["date"]!.GetValue<string>());               // 3, 6, 7 (Sat), 9, 10
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-04", new { kind = "normal" }));
        Assert.Equal("2026-03-09", (await Json.GetAsync(admin, "/api/calendar/working-days?from=2026-03-02&days=5"))["date"]!.GetValue<string>());

        var year = await Json.GetAsync(admin, "/api/calendar");
        Assert.NotNull(year["years"]!.AsArray().Single(y => y!["year"]!.GetValue<int>() == 2026)!["editedAt"]);

        // Reloading the shipped year undoes local edits.
        await Json.OkAsync(await admin.PostAsync("/api/calendar/2026/load-shipped", null));
        Assert.Equal("2026-03-09", (await Json.GetAsync(admin, "/api/calendar/working-days?from=2026-03-02&days=5"))["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_calendar_edits_are_refused_in_chinese_and_only_administrators_may_edit()
    {
        var admin = await fixture.As("admin");
        var weekday = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-04", new { kind = "workday" }));
        Assert.StartsWith("2026-03-04 是周三，本来就是工作日", weekday["kind"].Single());
        var noName = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-03-04", new { kind = "holiday" }));
        Assert.Equal("请填写节假日名称（如 春节）", noName["name"].Single());
        var badDate = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/calendar/days/2026-3-4", new { kind = "normal" }));
        Assert.Equal("日期应为 yyyy-MM-dd 格式", badDate["date"].Single());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("ducha")).PutAsJsonAsync("/api/calendar/days/2026-03-04", new { kind = "holiday", name = "x" })).StatusCode);
        var notShipped = await ApiHelpers.FieldErrorsAsync(await admin.PostAsync("/api/calendar/2030/load-shipped", null));
        Assert.StartsWith("系统未提供2030年的节假日安排", notShipped["year"].Single());

        // Importing next year from a file: mistakes are named, a good file loads.
        var bad = new JsonObject
        {
            ["year"] = 2027,
            ["holidays"] = new JsonArray(new JsonObject { ["name"] = "元旦", ["from"] = "2027-01-03", ["to"] = "2027-01-01" }),
            ["workdays"] = new JsonArray(new JsonObject { ["date"] = "2027-01-06" }),
        };
        var problems = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/calendar/2027", bad));
        Assert.Contains(problems["days"], p => p.Contains("「元旦」的结束日期早于开始日期"));
        Assert.Contains(problems["days"], p => p.Contains("2027-01-06 是周三"));
        var good = new JsonObject
        {
            ["year"] = 2027,
            ["source"] = new JsonObject { ["title"] = "本地维护", ["date"] = "2026-11-20" },
            ["holidays"] = new JsonArray(new JsonObject { ["name"] = "元旦", ["from"] = "2027-01-01", ["to"] = "2027-01-03" }),
            ["workdays"] = new JsonArray(),
        };
        var loaded = await Json.OkAsync(await admin.PutAsJsonAsync("/api/calendar/2027", good));
        Assert.True(loaded["loaded"]!.GetValue<bool>());
        Assert.Equal("imported", loaded["origin"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PutAsJsonAsync("/api/calendar/2027", good)).StatusCode);
    }

    [Fact]
    public async Task Redoing_an_item_more_than_twice_costs_once_and_bulletins_count_until_revoked()
    {
        var id = await fixture.StartItemAsync(dueDate: "2026-12-31");
        var fazhi = await fixture.As("fazhi");
        var ducha = await fixture.As("ducha");
        for (var round = 1; round <= 4; round++)
        {
            await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, id), "提交", new JsonObject { ["report"] = $"第 {round} 次报送" });
            var review = await ApiHelpers.TaskOfAsync(ducha, id, "审核");
            if (round < 4) await ApiHelpers.CompleteOkAsync(ducha, review, "退回", comment: "不符合要求");
            fixture.Clock.Advance(TimeSpan.FromHours(1));
            fazhi = await fixture.As("fazhi");
            ducha = await fixture.As("ducha");
        }
        var view = await Json.GetAsync(ducha, "/api/scoring/2026/units/fzc");
        var redo = Assert.Single(view["events"]!.AsArray());
        Assert.Equal("redo", redo!["type"]!.GetValue<string>());
        Assert.Equal("第 3 次复办", redo["note"]!.GetValue<string>());
        Assert.Equal(2.9m, view["score"]!.GetValue<decimal>());

        var errors = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/scoring/bulletins", new { unitId = "nope", title = "", issuedOn = "昨天" }));
        Assert.Equal(["issuedOn", "title", "unitId"], errors.Keys.Order());
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.PostAsJsonAsync("/api/scoring/bulletins", new { unitId = "fzc", title = "x", issuedOn = "2026-03-02" })).StatusCode);
        var bulletin = await Json.OkAsync(await ducha.PostAsJsonAsync("/api/scoring/bulletins",
            new { unitId = "fzc", title = "2026年第一季度督查通报", issuedOn = "2026-03-31", instanceId = id }), HttpStatusCode.Created);
        Assert.Equal(2.4m, (await Json.GetAsync(ducha, "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
        Assert.Contains("bulletinIssued", (await ApiHelpers.InstanceAsync(ducha, id))["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/scoring/bulletins/{bulletin["id"]}/revoke", new { reason = "通报对象有误" }));
        Assert.Equal(2.9m, (await Json.GetAsync(ducha, "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
        // Last year is untouched.
        Assert.Equal(3m, (await Json.GetAsync(ducha, "/api/scoring/2025/units/fzc"))["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_unit_sees_its_own_score_only_and_rules_are_checked()
    {
        var fazhi = await fixture.As("fazhi");
        Assert.Equal(3m, (await Json.GetAsync(fazhi, "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.GetAsync("/api/scoring/2026/units/jinan")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.GetAsync("/api/scoring/2026")).StatusCode);

        var rules = await Json.GetAsync(fazhi, "/api/scoring/2026/rules");
        Assert.True(rules["isDefault"]!.GetValue<bool>());
        Assert.Equal(0.2m, rules["deductions"]!["writtenNotice"]!.GetValue<decimal>());

        var admin = await fixture.As("admin");
        var bad = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules",
            new { startScore = 3, floor = 5, deductions = new Dictionary<string, decimal> { ["praise"] = 1, ["phone"] = -1 } }));
        Assert.Contains("floor", bad.Keys);
        Assert.Contains("deductions.praise", bad.Keys);
        Assert.Contains("deductions.phone", bad.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("ducha")).PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 5 })).StatusCode);
        var saved = await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new { startScore = 5, deductions = new Dictionary<string, decimal> { ["phone"] = 0.25m } }));
        Assert.False(saved["isDefault"]!.GetValue<bool>());
        Assert.Equal(5m, (await Json.GetAsync(fazhi, "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
        await Json.OkAsync(await admin.DeleteAsync("/api/scoring/2026/rules"));
        Assert.Equal(3m, (await Json.GetAsync(fazhi, "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteCalendarAndScoringTests(SqliteDeadlineFixture fixture) : CalendarAndScoringTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresCalendarAndScoringTests(PostgresDeadlineFixture fixture) : CalendarAndScoringTests<PostgresDeadlineFixture>(fixture);
