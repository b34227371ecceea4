using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Jobs;
using Duban.Data.Schedules;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Schedules.ScheduleHosts;

namespace Duban.Server.Tests.Schedules;

/// <summary>
/// The schedule worker on the virtual clock: each occurrence starts its item once, as the schedule's user, journaled like a
/// start by hand; occurrences missed while the app was down start once (the latest) and the rest are recorded as skipped.
/// </summary>
public abstract class ScheduleRunTests(string provider)
{
    [Fact]
    public async Task An_occurrence_starts_its_item_as_the_schedules_user_with_a_journal_note_and_the_list_shows_the_run()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "重大议定事项周督查"));
        // Mon 14 Sep 09:00: every Monday → the first is Mon 21 Sep (today's has begun already).
        var schedule = await CreateAsync(admin, "周督查", "weekly-check", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "本周重大议定事项进展");

        await AdvanceAsync(admin, 6); // Sun 20 Sep 09:00: nothing yet
        Assert.Equal(0, await PollAsync(host));
        await AdvanceAsync(admin, 1); // Mon 21 Sep 09:00
        Assert.Equal(1, await PollAsync(host));
        Assert.Equal(0, await PollAsync(host)); // a second poll the same day starts nothing
        Assert.Equal(["2026-09-21"], await StartedOnAsync(host, "weekly-check"));

        var list = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))!;
        var run = list[0]!["lastRuns"]!.AsArray().Single()!;
        Assert.Equal(("2026-09-21", "started"), (run["occurrence"]!.GetValue<string>(), run["status"]!.GetValue<string>()));
        Assert.Equal("本周重大议定事项进展", run["title"]!.GetValue<string>());
        Assert.Equal("2026-09-28", list[0]!["nextOccurrences"]![0]!.GetValue<string>());

        // Started as 王督查, with the start form's values, and the start line says a schedule started it.
        var ducha = await SignedIn(host, "ducha");
        var item = await InstanceAsync(ducha, run["instanceId"]!.GetValue<Guid>());
        Assert.Equal("王督查", item["instance"]!["initiatorName"]!.GetValue<string>());
        var started = item["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "instanceStarted")!;
        Assert.Equal("王督查", started["actorName"]!.GetValue<string>());
        Assert.StartsWith($"由定期任务「周督查」按计划发起（2026-09-21，每周周一", started["comment"]!.GetValue<string>());
        Assert.Equal(schedule["id"]!.GetValue<Guid>(), list[0]!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Occurrences_missed_while_the_app_was_down_start_the_latest_once_and_record_the_rest_as_skipped()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "重大议定事项周督查"));
        await CreateAsync(admin, "周督查", "weekly-check", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查");

        // Nobody polls from Mon 14 Sep to Sun 4 Oct: Mondays 21 Sep and 28 Sep fell due. The latest (28 Sep) starts on the
        // next poll (4 Oct), 21 Sep is recorded as skipped; the items of one week are not started three weeks late.
        await AdvanceAsync(admin, 20);
        Assert.Equal(1, await PollAsync(host));
        Assert.Equal(["2026-10-04"], await StartedOnAsync(host, "weekly-check"));
        // Mon 5 Oct is 国庆 (1–7 Oct): the week's check moves to Thu 8 Oct.
        await AdvanceAsync(admin, 3); // Wed 7 Oct
        Assert.Equal(0, await PollAsync(host));
        await AdvanceAsync(admin, 1); // Thu 8 Oct
        Assert.Equal(1, await PollAsync(host));
        Assert.Equal(["2026-10-04", "2026-10-08"], await StartedOnAsync(host, "weekly-check"));

        var runs = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))![0]!["lastRuns"]!.AsArray()
            .Select(r => (r!["occurrence"]!.GetValue<string>(), r["status"]!.GetValue<string>())).ToList();
        Assert.Equal([("2026-10-08", "started"), ("2026-09-28", "started"), ("2026-09-21", "skipped")], runs);
    }

    [Fact]
    public async Task A_start_the_procedure_refuses_is_recorded_as_failed_with_the_reason_and_the_schedule_goes_on()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "重大议定事项周督查"));
        await CreateAsync(admin, "周督查", "weekly-check", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查");
        // The procedure's start form changes after the schedule was set: 说明 becomes required, and the schedule has none.
        var changed = Recurring("weekly-check", "重大议定事项周督查");
        changed["forms"]![0]!["fields"]![1]!["required"] = true;
        await ImportAsync(admin, changed);

        await AdvanceAsync(admin, 7); // Mon 21 Sep
        Assert.Equal(0, await PollAsync(host));
        Assert.Empty(await StartedOnAsync(host, "weekly-check"));
        var view = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))![0]!;
        var run = view["lastRuns"]![0]!;
        Assert.Equal(("2026-09-21", "failed"), (run["occurrence"]!.GetValue<string>(), run["status"]!.GetValue<string>()));
        Assert.Contains("note", run["reason"]!.GetValue<string>());
        Assert.Equal("2026-09-28", view["nextOccurrences"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_workers_racing_on_one_occurrence_start_one_item()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "重大议定事项周督查"));
        var schedule = await CreateAsync(admin, "周督查", "weekly-check", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查");
        var id = schedule["id"]!.GetValue<Guid>();
        await AdvanceAsync(admin, 7); // Mon 21 Sep

        // A worker holds the schedule; a second process, believing the lease its own (it ran out under a slow worker and
        // was taken again), runs the same occurrence at the same moment. Both read the same state and race at commit.
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var claimed = await scope.ServiceProvider.GetRequiredService<LeaseClaimer>().ClaimAsync(ScheduleWorker.Due, "w1", 10, TimeSpan.FromMinutes(1));
            Assert.Equal([id], claimed);
        }
        plain.Gate.HoldUntil(2, "schedule-run");
        async Task<int> Run()
        {
            await using var scope = host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new RunSchedule(id, "w1"));
        }
        var results = await Task.WhenAll(Task.Run(Run), Task.Run(Run));
        plain.Gate.Open();
        Assert.Equal(1, results.Sum());
        Assert.Equal(["2026-09-21"], await StartedOnAsync(host, "weekly-check"));
        await using var check = host.Services.CreateAsyncScope();
        Assert.Equal(1, await check.ServiceProvider.GetRequiredService<DubanDbContext>().Set<ScheduleRunRecord>().CountAsync(r => r.ScheduleId == id));
    }

    [Fact]
    public async Task The_run_key_refuses_a_second_run_of_one_occurrence()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("weekly-check", "重大议定事项周督查"));
        var id = (await CreateAsync(admin, "周督查", "weekly-check", new JsonObject { ["kind"] = "weekly", ["weekdays"] = new JsonArray(1) }, "周督查"))["id"]!.GetValue<Guid>();
        var day = new DateOnly(2026, 9, 21);
        // (The virtual host's own scope: `plain` would start a second host of its own, on the system clock.)
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        {
            db.Set<ScheduleRunRecord>().Add(new ScheduleRunRecord { Id = Guid.NewGuid(), ScheduleId = id, Occurrence = day, Status = ScheduleRunStatus.Started });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            db.Set<ScheduleRunRecord>().Add(new ScheduleRunRecord { Id = Guid.NewGuid(), ScheduleId = id, Occurrence = day, Status = ScheduleRunStatus.Started });
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        }
    }

    [Fact]
    public async Task Loading_a_years_notice_plans_the_next_run_on_the_new_calendar()
    {
        await using var database = await ScheduleHosts.DatabaseAsync(provider);
        await using var plain = ScheduleHosts.Plain(database);
        await using var host = Virtual(plain);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Recurring("monthly-first", "月初工作部署"));
        // The 1st working day of each month. Today is Mon 14 Sep 2026: next Thu 8 Oct (1–7 国庆), Mon 2 Nov, Tue 1 Dec.
        await CreateAsync(admin, "月初部署", "monthly-first", new JsonObject { ["kind"] = "nthWorkingDay", ["n"] = 1 }, "月初工作部署");
        await AdvanceAsync(admin, 97); // Sun 20 Dec 2026
        Assert.Equal(1, await PollAsync(host)); // 1 Dec starts (8 Oct and 2 Nov skipped as missed)
        // 2027's notice is not loaded: on the statutory days alone 1 Jan (Fri) is 元旦 and 2–3 Jan a weekend → Mon 4 Jan.
        var before = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))![0]!;
        Assert.Equal("2027-01-04", before["nextOccurrences"]![0]!.GetValue<string>());

        // The notice comes: 元旦 1 Jan, and Sat 2 Jan a make-up working day (调休上班) → the 1st working day is Sat 2 Jan.
        var loaded = await admin.PutAsJsonAsync("/api/calendar/2027", new
        {
            year = 2027,
            holidays = new[] { new { name = "元旦", from = "2027-01-01", to = "2027-01-01" } },
            workdays = new[] { new { date = "2027-01-02", name = "元旦调休上班" } },
        });
        Assert.True(loaded.IsSuccessStatusCode, await loaded.Content.ReadAsStringAsync());
        var after = (await admin.GetFromJsonAsync<JsonArray>("/api/schedules"))![0]!;
        Assert.Equal("2027-01-02", after["nextOccurrences"]![0]!.GetValue<string>());

        // The worker looks on Sat 2 Jan, not on the 4th it had planned on the old calendar.
        await AdvanceAsync(admin, 13); // Sat 2 Jan 2027 09:00
        Assert.Equal(1, await PollAsync(host));
        Assert.Equal(["2026-12-20", "2027-01-02"], await StartedOnAsync(host, "monthly-first"));
    }
}

public sealed class SqliteScheduleRunTests() : ScheduleRunTests("Sqlite");

public sealed class PostgresScheduleRunTests() : ScheduleRunTests("Postgres");
