using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Schedules.ScheduleHosts;

namespace Duban.Server.Tests.Schedules;

/// <summary>
/// 大安区委 (001) and the county (003) set their recurring work as schedules, and the virtual clock walks through
/// September and October 2026 — 国庆 1–7 Oct, 调休上班 Sun 20 Sep and Sat 10 Oct — one day at a time.
/// </summary>
public abstract class ScheduleScenarioTests(string provider)
{
    [Fact]
    public async Task Daan_and_the_county_recurring_work_starts_on_the_days_their_regulations_give()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("daan-weekly", "重大议定事项周督查"));
        await ImportAsync(admin, Recurring("daan-monthly", "月度重点工作交账"));
        await ImportAsync(admin, Recurring("county-window", "季度督查专项检查"));
        await ImportAsync(admin, Recurring("county-report", "季度工作报告"));

        // Set on Mon 14 Sep 2026, 09:00.
        // 001 第二十四条「重大议定事项进展情况周督查制度」: every Monday.
        await CreateAsync(admin, "周督查", "daan-weekly", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "重大议定事项周督查");
        // 001 第二十三条「实行每月工作交账」names no day: the 5th working day of the month (decision 026).
        await CreateAsync(admin, "月度交账", "daan-monthly", new JsonObject { ["kind"] = "nthWorkingDay", ["n"] = 5 }, "月度重点工作交账");
        // 003 §五(一)「將每季度的最後兩個星期作為督查督辦專項時間」: the window's first working day.
        await CreateAsync(admin, "季度专项检查", "county-window", new JsonObject { ["kind"] = "quarterLastTwoWeeks" }, "季度现场检查");
        // The quarterly report series 7-15 / 10-15 / 1-15.
        await CreateAsync(admin, "季度报告", "county-report",
            new JsonObject { ["kind"] = "monthDays", ["monthDays"] = new JsonArray("07-15", "10-15", "01-15") }, "季度工作报告");

        // One day at a time to Sat 31 Oct, a poll each morning at 09:00.
        for (var day = 0; day < 47; day++)
        {
            await AdvanceAsync(admin, 1);
            await PollAsync(host);
        }

        // 周督查, Mondays: 21 Sep, 28 Sep; 5 Oct is in 国庆 (1–7 Oct) → next working day Thu 8 Oct; 12, 19, 26 Oct.
        // (14 Sep, the day it was set, had begun already.)
        Assert.Equal(["2026-09-21", "2026-09-28", "2026-10-08", "2026-10-12", "2026-10-19", "2026-10-26"], await StartedOnAsync(host, "daan-weekly"));
        // 月度交账, 5th working day: September's was 7 Sep (1 Tue, 2, 3, 4, 7 Mon) — before the schedule; October: 1–7 off,
        // 8 Thu (1), 9 Fri (2), 10 Sat 调休上班 (3), 12 Mon (4), 13 Tue (5) → 13 Oct. A weekday count would say 7 Oct.
        Assert.Equal(["2026-10-13"], await StartedOnAsync(host, "daan-monthly"));
        // Q3 ends Wed 30 Sep; its last two weeks are 17–30 Sep; Thu 17 Sep is a working day → 17 Sep. Q4's opens 18 Dec.
        Assert.Equal(["2026-09-17"], await StartedOnAsync(host, "county-window"));
        // 15 Oct is a Thursday, a working day → 15 Oct.
        Assert.Equal(["2026-10-15"], await StartedOnAsync(host, "county-report"));

        // The list, on Sat 31 Oct: next 周督查 Mon 2 Nov, 9 Nov …; next 交账: November 2 Mon (1), 3, 4, 5, 6 Fri (5) → 6 Nov;
        // December 1 Tue (1), 2, 3, 4, 7 Mon (5) → 7 Dec; the window: Fri 18 Dec.
        var list = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))!.ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        Assert.Equal(["2026-11-02", "2026-11-09", "2026-11-16"], Next(list["周督查"], 3));
        Assert.Equal(["2026-11-06", "2026-12-07"], Next(list["月度交账"], 2));
        Assert.Equal(["2026-12-18"], Next(list["季度专项检查"], 1));
        Assert.Equal(6, list["周督查"]["lastRuns"]!.AsArray().Count(r => r!["status"]!.GetValue<string>() == "started"));
    }

    [Fact]
    public async Task A_second_host_on_the_same_database_polling_at_the_same_time_starts_nothing_twice()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain1 = ScheduleHosts.Plain(database);
        await using var host1 = Virtual(plain1);
        var admin = await SignedIn(host1, "admin");
        await ImportAsync(admin, Recurring("daan-weekly", "重大议定事项周督查"));
        await ImportAsync(admin, Recurring("daan-monthly", "月度重点工作交账"));
        await CreateAsync(admin, "周督查", "daan-weekly", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查");
        await CreateAsync(admin, "月度交账", "daan-monthly", new JsonObject { ["kind"] = "nthWorkingDay", ["n"] = 5 }, "月度交账");
        await using var plain2 = ScheduleHosts.Plain(database);
        await using var host2 = Virtual(plain2);
        var other = await SignedIn(host2, "admin");

        // Each day both hosts poll at once, three times; the second host reads the moved clock before it polls.
        for (var day = 0; day < 31; day++)
        {
            await AdvanceAsync(admin, 1);
            var today = (await admin.GetFromJsonAsync<JsonObject>("/api/clock"))!["today"]!.GetValue<string>();
            for (var wait = 0; wait < 100 && (await other.GetFromJsonAsync<JsonObject>("/api/clock"))!["today"]!.GetValue<string>() != today; wait++)
                await Task.Delay(50);
            for (var round = 0; round < 3; round++)
                await Task.WhenAll(Task.Run(() => PollAsync(host1)), Task.Run(() => PollAsync(host2)));
        }

        // To Thu 15 Oct: Mondays 21, 28 Sep, 8 Oct (for 5 Oct, 国庆), 12 Oct; the 5th working day of October, 13 Oct.
        Assert.Equal(["2026-09-21", "2026-09-28", "2026-10-08", "2026-10-12"], await StartedOnAsync(host1, "daan-weekly"));
        Assert.Equal(["2026-10-13"], await StartedOnAsync(host1, "daan-monthly"));
    }

    private static List<string> Next(JsonNode schedule, int count) =>
        schedule["nextOccurrences"]!.AsArray().Take(count).Select(d => d!.GetValue<string>()).ToList();
}

public sealed class SqliteScheduleScenarioTests() : ScheduleScenarioTests("Sqlite");

public sealed class PostgresScheduleScenarioTests() : ScheduleScenarioTests("Postgres");
