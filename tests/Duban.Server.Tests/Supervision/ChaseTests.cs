using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>催办: an overdue item climbs the ladder as the clock moves; every rung is logged and costs the unit points.</summary>
public abstract class ChaseTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        // The organization chooses the county table (003 §六) — without rules or a choice it is not scored.
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/table", new { table = "county" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonObject> ChasesAsync(Guid item) => await Json.GetAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases");

    private async Task<decimal> ScoreAsync(string unit = "fzc") =>
        (await Json.GetAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}"))["score"]!.GetValue<decimal>();

    private async Task<List<string>> ChasedKindsAsync(Guid item) =>
        (await ApiHelpers.InstanceAsync(await fixture.As("ducha"), item))["timeline"]!.AsArray()
            .Where(e => e!["kind"]!.GetValue<string>() == "chased").Select(e => e!["activityName"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task An_overdue_item_climbs_the_ladder_rung_by_rung_and_the_unit_loses_points_each_time()
    {
        var id = await fixture.StartItemAsync();               // due Monday 3/9
        Assert.Equal(0, await fixture.RunChasesAsync());
        Assert.Equal(3m, await ScoreAsync());

        fixture.Clock.Set(Beijing(2026, 3, 5, 9));             // two working days before: a reminder, no deduction
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(["到期提醒"], await ChasedKindsAsync(id));
        var notices = await ApiHelpers.InboxAsync(await fixture.As("fazhi"), "notice");
        Assert.Contains(notices, n => n!["activityName"]!.GetValue<string>() == "督办事项即将到期提醒");
        Assert.Equal(3m, await ScoreAsync());

        fixture.Clock.Set(Beijing(2026, 3, 10, 15));           // overdue, but not yet a whole working day
        Assert.Equal(0, await fixture.RunChasesAsync());

        fixture.Clock.Set(Beijing(2026, 3, 11, 9));            // one working day overdue: 电话催办, a task for the office to log the call
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(3m, await ScoreAsync());                   // deducted when the call is recorded, not when it is raised
        var ducha = await fixture.As("ducha");
        var call = (await ApiHelpers.InboxAsync(ducha)).Single(t => t!["activityName"]!.GetValue<string>() == "电话催办：法制处")!;
        var detail = await Json.GetAsync(ducha, $"/api/tasks/{call["id"]}");
        Assert.Equal("电话催办记录", detail["form"]!["name"]!.GetValue<string>());
        var missing = await ApiHelpers.CompleteAsync(ducha, call["id"]!.GetValue<Guid>(), "登记", new JsonObject { ["calledAt"] = "2026-03-11 09:30" });
        var errors = await ApiHelpers.FieldErrorsAsync(missing);
        Assert.Contains("personReached", errors.Keys);
        Assert.Contains("summary", errors.Keys);
        await ApiHelpers.CompleteOkAsync(ducha, call["id"]!.GetValue<Guid>(), "登记", new JsonObject
        {
            ["calledAt"] = "2026-03-11 09:30", ["personReached"] = "赵处长", ["summary"] = "承诺本周五前报送办理情况",
        });
        Assert.Equal(2.9m, await ScoreAsync());

        fixture.Clock.Set(Beijing(2026, 3, 13, 9));            // three working days overdue: 书面督办, a 督查督办通知单 needing a reply
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(2.7m, await ScoreAsync());
        var fazhi = await fixture.As("fazhi");
        var notice = (await ApiHelpers.InboxAsync(fazhi)).Single(t => t!["activityName"]!.GetValue<string>() == "督查督办通知单")!;
        Assert.Equal(Beijing(2026, 3, 18, 23, 59).AddSeconds(59), notice["dueAt"]!.GetValue<DateTimeOffset>());
        await ApiHelpers.CompleteOkAsync(fazhi, notice["id"]!.GetValue<Guid>(), "提交回复", new JsonObject
        {
            ["reasons"] = "涉及多个部门，数据核对耗时", ["progress"] = "已完成初稿", ["measures"] = "3月20日前报送",
        });

        fixture.Clock.Set(Beijing(2026, 3, 17, 9));            // five working days overdue: 现场督办 — counted once the visit is recorded
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(2.7m, await ScoreAsync());

        fixture.Clock.Set(Beijing(2026, 6, 30, 9));            // the next rung is raised by hand only
        Assert.Equal(0, await fixture.RunChasesAsync());
        Assert.Equal(["到期提醒", "电话催办", "书面督办", "现场督办"], await ChasedKindsAsync(id));

        var chases = await ChasesAsync(id);
        var rows = chases["chases"]!.AsArray();
        Assert.Equal(["remind", "phone", "written", "onsite"], rows.Select(c => c!["rungKey"]!.GetValue<string>()));
        Assert.All(rows, c => Assert.Equal("auto", c!["trigger"]!.GetValue<string>()));
        Assert.Equal("赵处长", rows[1]!["record"]!["personReached"]!.GetValue<string>());
        Assert.Equal("done", rows[1]!["status"]!.GetValue<string>());
        Assert.Equal("3月20日前报送", rows[2]!["reply"]!["measures"]!.GetValue<string>());
        Assert.Equal("open", rows[3]!["status"]!.GetValue<string>());      // the visit is still to be recorded
        var timeline = (await ApiHelpers.InstanceAsync(ducha, id))["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("chaseRecorded", timeline);
        Assert.Contains("chaseReplied", timeline);

        // 专项会议督办 by hand, with its record; the unit is asked for a written self-criticism.
        var meeting = await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new
        {
            unitId = "fzc", rungKey = "meeting",
            record = new { meetingAt = "2026-06-30", chairedBy = "李厅长", attendees = "法制处、厅办公室", decisions = "7月15日前办结" },
        });
        await Json.OkAsync(meeting, HttpStatusCode.Created);
        Assert.Equal(2.2m, await ScoreAsync());                 // 2.7 − 0.5; the visit is still unrecorded
        await Json.OkAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/chases/{rows[3]!["id"]}/record", new
        {
            record = new { visitedAt = "2026-06-30", inspectors = "王督查", metWith = "赵处长", findings = "进度滞后", requirements = "7月15日前办结" },
        }));
        Assert.Equal(1.9m, await ScoreAsync());                 // 2.2 − 0.3 when the visit is recorded
        var unitView = await Json.GetAsync(ducha, "/api/scoring/2026/units/fzc");
        // The visit recorded and the meeting raised at the same moment: in the order they were raised.
        Assert.Equal(["phone", "writtenNotice", "onSite", "specialMeeting"], unitView["events"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()));
        Assert.All(unitView["events"]!.AsArray(), e => Assert.Equal(id, e!["instanceId"]!.GetValue<Guid>()));
        Assert.Equal(0.5m, unitView["deductions"]!.AsArray().Single(d => d!["type"]!.GetValue<string>() == "specialMeeting")!["total"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_score_never_goes_below_the_floor()
    {
        var admin = await fixture.As("admin");
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new
        {
            startScore = 0.5m, floor = 0m, redoThreshold = 2,
            deductions = new Dictionary<string, decimal> { ["phone"] = 0.3m, ["writtenNotice"] = 0.3m, ["onSite"] = 0.3m },
        }));
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 20, 9));
        Assert.Equal(3, await fixture.RunChasesAsync());       // phone, written, on site — all due by now, in order; no reminder once overdue
        // The call and the visit are recorded (they deduct when recorded), in ladder order.
        var ducha = await fixture.As("ducha");
        var rows = (await ChasesAsync(id))["chases"]!.AsArray();
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/chases/{rows[0]!["id"]}/record", new
        {
            record = new { calledAt = "2026-03-20 09:10", personReached = "赵处长", summary = "催报" },
        }));
        fixture.Clock.Advance(TimeSpan.FromMinutes(30));
        await Json.OkAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/chases/{rows[2]!["id"]}/record", new
        {
            record = new { visitedAt = "2026-03-20", inspectors = "王督查", metWith = "赵处长", findings = "未办结", requirements = "尽快办结" },
        }));
        var view = await Json.GetAsync(await fixture.As("ducha"), "/api/scoring/2026/units/fzc");
        Assert.Equal(0m, view["score"]!.GetValue<decimal>());
        Assert.Equal([0.3m, 0.2m, 0m], view["events"]!.AsArray().Select(e => e!["applied"]!.GetValue<decimal>()));
        var ranking = await Json.GetAsync(await fixture.As("lingdao"), "/api/scoring/2026");
        var units = ranking["units"]!.AsArray();
        Assert.Equal("fzc", units[^1]!["unitId"]!.GetValue<string>());
        Assert.Equal(0.5m, units[0]!["score"]!.GetValue<decimal>());
        Assert.DoesNotContain(units, u => u!["unitId"]!.GetValue<string>() is "sft" or "bgs");
    }

    [Fact]
    public async Task A_withdrawn_chase_no_longer_counts_and_its_tasks_go()
    {
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 10, 9));            // overdue since the end of 3/9
        var ducha = await fixture.As("ducha");
        var raised = await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "written", note = "提前书面督办" }), HttpStatusCode.Created);
        Assert.Equal(2.8m, await ScoreAsync());
        Assert.Contains(await ApiHelpers.InboxAsync(await fixture.As("fazhi")), t => t!["activityName"]!.GetValue<string>() == "督查督办通知单");

        var noReason = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/chases/{raised["id"]}/cancel", new { reason = "" }));
        Assert.Equal("请填写撤销理由", noReason["reason"].Single());
        var cancelled = await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/chases/{raised["id"]}/cancel", new { reason = "误发" }));
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal(3m, await ScoreAsync());
        Assert.DoesNotContain(await ApiHelpers.InboxAsync(await fixture.As("fazhi")), t => t!["activityName"]!.GetValue<string>() == "督查督办通知单");

        // The withdrawn rung is open again; a rung raised by hand passes the automatic ones below it (no reminder now).
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new
        {
            unitId = "fzc", rungKey = "phone", record = new { calledAt = "2026-03-10 10:00", personReached = "张联络", summary = "催报办理情况" },
        }), HttpStatusCode.Created);
        fixture.Clock.Set(Beijing(2026, 3, 13, 9));
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(["书面督办", "电话催办", "书面督办"], await ChasedKindsAsync(id));
        Assert.Equal(2.7m, await ScoreAsync());
    }

    [Fact]
    public async Task Raising_by_hand_checks_who_what_and_whom()
    {
        var id = await fixture.StartItemAsync();
        var ducha = await fixture.As("ducha");
        var errors = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { }));
        Assert.Equal("请选择被催办单位", errors["unitId"].Single());
        Assert.Equal("请选择催办方式", errors["rungKey"].Single());
        var badRung = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "fax" }));
        Assert.StartsWith("催办方式「fax」不存在", badRung["rungKey"].Single());
        var notInvolved = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "jinan", rungKey = "written" }));
        Assert.Equal("被催办单位应是承办该事项的单位", notInvolved["unitId"].Single());
        var noRecord = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "phone" }));
        Assert.Contains("record.personReached", noRecord.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "written" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("jinan")).GetAsync($"/api/instances/{id}/chases")).StatusCode);
        await fixture.WithDbAsync(async db => Assert.False(await db.Set<ChaseRecord>().AnyAsync()));
    }

    [Fact]
    public async Task Two_chase_workers_at_once_raise_each_rung_exactly_once()
    {
        var items = new List<Guid>();
        for (var i = 0; i < 12; i++) items.Add(await fixture.StartItemAsync(unit: i % 2 == 0 ? "fzc" : "jinan", title: $"并发催办 {i}"));
        fixture.Clock.Set(Beijing(2026, 3, 20, 9));
        var scopes = fixture.Factory.Services.GetRequiredService<IServiceScopeFactory>();
        ChaseWorker Worker(string name) => new(scopes, Options.Create(new ChaseOptions { WorkerName = name, BatchSize = 5 }), NullLogger<ChaseWorker>.Instance);
        var raised = await Task.WhenAll(Task.Run(() => Worker("a").RunOnceAsync(CancellationToken.None)), Task.Run(() => Worker("b").RunOnceAsync(CancellationToken.None)));
        // A case one worker failed to save (it lost the race) is picked up again when its lease runs out.
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        var more = await fixture.RunChasesAsync();
        Assert.Equal(12 * 3, raised.Sum() + more);            // phone, written, on site each (no reminder once overdue)
        await fixture.WithDbAsync(async db =>
        {
            Assert.Equal(12 * 3, await db.Set<ChaseRecord>().CountAsync());
            var perRung = await db.Set<ChaseRecord>().GroupBy(c => new { c.InstanceId, c.RungKey }).Select(g => g.Count()).ToListAsync();
            Assert.All(perRung, n => Assert.Equal(1, n));
            Assert.Equal(12 * 3, await db.Journal.CountAsync(j => j.Kind == JournalKind.Chased));
        });
    }

    [Fact]
    public async Task Two_syncs_adding_the_same_cases_at_once_leave_one_case_each_and_neither_fails()
    {
        for (var i = 0; i < 3; i++) await fixture.StartItemAsync(title: $"同时同步 {i}");
        var scopes = fixture.Factory.Services.GetRequiredService<IServiceScopeFactory>();
        async Task<int> SyncAsync()
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new SyncChaseCases());
        }
        // Both read "no cases yet" and add them; the second insert loses on the unique index and is run again, finding them.
        fixture.Gate.HoldUntil(2, "chase-sync");
        var changed = await Task.WhenAll(Task.Run(SyncAsync), Task.Run(SyncAsync));
        fixture.Gate.Open();
        Assert.Equal([0, 3], changed.Order());
        await fixture.WithDbAsync(async db =>
        {
            var cases = await db.Set<ChaseCaseRecord>().ToListAsync();
            Assert.Equal(3, cases.Count);
            Assert.All(cases, c => Assert.Equal(Beijing(2026, 3, 9, 23, 59).AddSeconds(59), c.DueAt));
        });
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteChaseTests(SqliteDeadlineFixture fixture) : ChaseTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresChaseTests(PostgresDeadlineFixture fixture) : ChaseTests<PostgresDeadlineFixture>(fixture);
