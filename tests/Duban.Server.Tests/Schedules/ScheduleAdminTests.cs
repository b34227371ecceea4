using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Schedules.ScheduleHosts;

namespace Duban.Server.Tests.Schedules;

/// <summary>
/// An administrator sets a procedure to start on a rule, with its start form's values and the user it starts as; the
/// list says the rule in Chinese and shows the next dates on the organization's calendar; pause, resume, delete.
/// </summary>
public abstract class ScheduleAdminTests(string provider)
{
    [Fact]
    public async Task An_administrator_sets_a_schedule_and_the_list_shows_its_rule_in_words_and_its_next_dates()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("monthly-account", "月度重点工作交账"));

        // 001 第二十三条 月度重点工作交账 — the regulation names no day; the office chose the 5th working day (decision 026).
        // Today is Mon 2026-09-14. September's 5th working day (1 Tue, 2, 3, 4, 7 Mon) has passed, so the first is October's:
        // 1–7 国庆 off, 8 Thu (1), 9 Fri (2), 10 Sat 调休上班 (3), 12 Mon (4), 13 Tue (5) → 2026-10-13.
        // November: 2 Mon (1), 3, 4, 5, 6 Fri (5) → 2026-11-06. December: 1 Tue (1), 2, 3, 4, 7 Mon (5) → 2026-12-07.
        var created = await CreateAsync(admin, "月度交账", "monthly-account", new JsonObject { ["kind"] = "nthWorkingDay", ["n"] = 5 }, "区委班子领导月度交账");
        Assert.Equal("每月第 5 个工作日", created["ruleText"]!.GetValue<string>());
        Assert.Equal(["2026-10-13", "2026-11-06", "2026-12-07"], Dates(created["nextOccurrences"]!).Take(3));
        Assert.Equal("王督查", created["startAsUserName"]!.GetValue<string>());
        Assert.Equal("区委班子领导月度交账", created["defaults"]!["title"]!.GetValue<string>());

        // 001 第二十四条 周督查, every Monday: 21 Sep, 28 Sep, then 5 Oct is 国庆 → the next working day, Thu 8 Oct; then 12 Oct.
        var weekly = await CreateAsync(admin, "重大议定事项周督查", "monthly-account", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查");
        Assert.Equal("每周周一，遇节假日顺延至下一个工作日", weekly["ruleText"]!.GetValue<string>());
        Assert.Equal(["2026-09-21", "2026-09-28", "2026-10-08", "2026-10-12", "2026-10-19"], Dates(weekly["nextOccurrences"]!));

        // 003 §五: the last two weeks of each quarter; Q3 ends 30 Sep, so the window is 17–30 Sep, opening Thu 17 Sep (a working
        // day); Q4: 18–31 Dec, Fri 18 Dec.
        var window = await CreateAsync(admin, "季度督查专项时间", "monthly-account", new JsonObject { ["kind"] = "quarterLastTwoWeeks" }, "季度现场检查");
        Assert.Equal(["2026-09-17", "2026-12-18"], Dates(window["nextOccurrences"]!).Take(2));

        // The quarterly report series 7-15 / 10-15 / 1-15: the next one after 14 Sep is 15 Oct (Thu), then 15 Jan.
        var series = await CreateAsync(admin, "季度工作报告", "monthly-account",
            new JsonObject { ["kind"] = "monthDays", ["monthDays"] = new JsonArray("07-15", "10-15", "01-15") }, "季度工作报告");
        Assert.Equal("每年 7月15日、10月15日、1月15日，遇节假日顺延至下一个工作日", series["ruleText"]!.GetValue<string>());
        Assert.Equal("2026-10-15", Dates(series["nextOccurrences"]!)[0]);

        var list = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))!;
        Assert.Equal(["月度交账", "重大议定事项周督查", "季度督查专项时间", "季度工作报告"], list.Select(s => s!["name"]!.GetValue<string>()));

        // Pause: no next dates; resume: from the first occurrence after today again; delete: gone.
        var id = weekly["id"]!.GetValue<Guid>();
        var paused = (await (await admin.PostAsync($"/api/schedules/{id}/pause", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(paused["paused"]!.GetValue<bool>());
        Assert.Empty(paused["nextOccurrences"]!.AsArray());
        var resumed = (await (await admin.PostAsync($"/api/schedules/{id}/resume", null)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2026-09-21", Dates(resumed["nextOccurrences"]!)[0]);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/schedules/{id}")).StatusCode);
        Assert.Equal(3, (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))!.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/schedules/{id}/pause", null)).StatusCode);

        // An edit goes through the same checks.
        var monthlyId = created["id"]!.GetValue<Guid>();
        var edited = await admin.PutAsJsonAsync($"/api/schedules/{monthlyId}", new
        {
            name = "月度交账",
            definitionId = "monthly-account",
            rule = new JsonObject { ["kind"] = "nthWorkingDay", ["n"] = 1 },
            defaults = new JsonObject { ["title"] = "月度交账" },
            startAsUserId = await UserIdAsync(admin, "ducha"),
        });
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        // The 1st working day of October is Thu 8 Oct (1–7 国庆).
        Assert.Equal("2026-10-08", Dates((await edited.Content.ReadFromJsonAsync<JsonObject>())!["nextOccurrences"]!)[0]);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_the_field_named_in_Chinese_and_only_administrators_may_set_schedules()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "周督查"));
        var ducha = await UserIdAsync(admin, "ducha");

        // An empty rule.
        var errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "周督查", definitionId = "weekly-check", rule = new JsonObject(), defaults = new JsonObject { ["title"] = "周督查" }, startAsUserId = ducha,
        }));
        Assert.Equal(["请选择重复方式"], errors["rule.kind"]);
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "周督查", definitionId = "weekly-check", rule = new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray() },
            defaults = new JsonObject { ["title"] = "周督查" }, startAsUserId = ducha,
        }));
        Assert.Equal(["请选择每周哪几天发起"], errors["rule.weekdays"]);
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "交账", definitionId = "weekly-check", rule = new JsonObject { ["kind"] = "monthDays", ["monthDays"] = new JsonArray("02-30") },
            defaults = new JsonObject { ["title"] = "x" }, startAsUserId = ducha,
        }));
        Assert.Contains("02-30", errors["rule.monthDays"][0]);

        // The start form's required 标题 left empty: named as the form field.
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "周督查", definitionId = "weekly-check", rule = new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) },
            defaults = new JsonObject(), startAsUserId = ducha,
        }));
        Assert.True(errors.ContainsKey("defaults.title"), string.Join(",", errors.Keys));

        // A user without the right to start: a unit's liaison (张联络) registers nothing for the office.
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "周督查", definitionId = "weekly-check", rule = new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) },
            defaults = new JsonObject { ["title"] = "周督查" }, startAsUserId = await UserIdAsync(admin, "fazhi"),
        }));
        Assert.Contains("无权发起", errors["startAsUserId"][0]);

        // No name, no procedure, no user: each named.
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new { rule = new JsonObject { ["kind"] = "quarterLastTwoWeeks" } }));
        Assert.Equal("请填写任务名称", errors["name"][0]);
        Assert.Equal("请选择要定期发起的流程", errors["definitionId"][0]);
        Assert.Equal("请选择以谁的名义发起", errors["startAsUserId"][0]);
        errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/schedules", new
        {
            name = "x", definitionId = "no-such", rule = new JsonObject { ["kind"] = "quarterLastTwoWeeks" }, startAsUserId = ducha,
        }));
        Assert.Contains("不存在或尚未发布", errors["definitionId"][0]);

        // A supervisor may not set schedules.
        var supervisor = await SignedIn(host, "ducha");
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.PostAsJsonAsync("/api/schedules", new
        {
            name = "周督查", definitionId = "weekly-check", rule = new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) },
            defaults = new JsonObject { ["title"] = "周督查" }, startAsUserId = ducha,
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await supervisor.GetAsync("/api/schedules")).StatusCode);
        Assert.Empty((await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))!);
    }

    private static List<string> Dates(JsonNode node) => node.AsArray().Select(d => d!.GetValue<string>()).ToList();
}

public sealed class SqliteScheduleAdminTests() : ScheduleAdminTests("Sqlite");

public sealed class PostgresScheduleAdminTests() : ScheduleAdminTests("Postgres");
