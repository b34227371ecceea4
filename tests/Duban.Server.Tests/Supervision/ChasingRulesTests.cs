using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// The ladder follows the organization's regulation (issue 14, docs/decisions/022). The test item is due Monday
/// 2026-03-09 (5 working days from Monday 3/2); working days after it: 3/10 (1), 3/11 (2), 3/12 (3), 3/13 (4), 3/16 (5).
/// </summary>
public abstract class ChasingRulesTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/table", new { table = "county" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task SaveLadderAsync(JsonArray rungs) =>
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/chasing/ladder", new JsonObject { ["rungs"] = rungs }));

    private async Task<JsonArray> ChasesAsync(Guid item) => (await Json.GetAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray();

    private static List<string> Keys(JsonArray chases) => chases.Select(c => c!["rungKey"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task A_notice_text_that_names_the_unit_prints_it_once()
    {
        await SaveLadderAsync(JsonNode.Parse("""
            [{ "key": "written", "name": "书面催办", "trigger": { "kind": "overdue", "days": 1 },
               "notice": { "title": "催办通知", "text": "{unit}：你单位承办的「{item}」已超过办理时限（{due}），请抓紧办理。", "replyRequired": false } }]
            """)!.AsArray());
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));            // 1 working day overdue (3/10 ended)
        Assert.Equal(1, await fixture.RunChasesAsync());
        var chase = Assert.Single(await ChasesAsync(id));
        Assert.Equal("法制处：你单位承办的「推进行政复议体制改革」已超过办理时限（2026年3月9日），请抓紧办理。", chase!["noticeText"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reminder_before_the_deadline_is_not_sent_for_an_item_already_overdue()
    {
        var soon = await fixture.StartItemAsync();                                   // due Monday 3/9; 到期提醒 due 3/5 (2 working days before)
        var late = await fixture.StartItemAsync(dueDate: "2026-03-05", title: "已逾期事项"); // due Thursday 3/5; 到期提醒 due 3/3

        // The job first runs on Friday 3/6: the reminder for the item due 3/9 is still useful and is sent (late); the
        // item due 3/5 is already overdue — its reminder is passed, and its phone rung (end of 3/6) is not due yet.
        fixture.Clock.Set(Beijing(2026, 3, 6, 9));
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(["remind"], Keys(await ChasesAsync(soon)));
        Assert.Empty(await ChasesAsync(late));

        // A year later (a gap): the overdue rungs of both are raised; no reminder for either.
        fixture.Clock.Set(Beijing(2027, 3, 1, 9));
        Assert.Equal(6, await fixture.RunChasesAsync());
        Assert.Equal(["remind", "phone", "written", "onsite"], Keys(await ChasesAsync(soon)));
        Assert.Equal(["phone", "written", "onsite"], Keys(await ChasesAsync(late)));
        Assert.DoesNotContain(await ApiHelpers.InboxAsync(await fixture.As("fazhi"), "notice"),
            n => n!["activityName"]!.GetValue<string>() == "督办事项即将到期提醒" && n["instanceId"]!.GetValue<Guid>() == late);
    }

    [Fact]
    public async Task A_manual_first_rung_does_not_block_the_automatic_rungs_after_it()
    {
        // 004 (a company): routine phone calls are made by hand; the written 催办通知 for overdue items is automatic.
        await SaveLadderAsync(JsonNode.Parse("""
            [{ "key": "phone", "name": "电话催办", "trigger": { "kind": "manual" }, "record": "phoneLog", "scoreEvent": "phone" },
             { "key": "written", "name": "书面催办", "trigger": { "kind": "overdue", "days": 2 },
               "notice": { "title": "催办通知", "text": "请抓紧办理。", "replyRequired": false }, "scoreEvent": "writtenNotice" }]
            """)!.AsArray());
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));            // 1 working day overdue: not yet
        Assert.Equal(0, await fixture.RunChasesAsync());
        fixture.Clock.Set(Beijing(2026, 3, 12, 9));            // 2 working days overdue (3/10, 3/11 ended): the written notice
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(["written"], Keys(await ChasesAsync(id)));
        // No phone call was made, so none is deducted: 3 − 0.2 (notice) = 2.8.
        Assert.Equal(2.8m, (await Json.GetAsync(await fixture.As("ducha"), "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_rung_that_needs_an_action_deducts_when_it_is_recorded_and_a_notice_when_it_is_issued()
    {
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));            // 1 working day overdue: 电话催办 raised — nobody has phoned yet
        Assert.Equal(1, await fixture.RunChasesAsync());        // (its 到期提醒 of 3/5 is passed: the item is overdue)
        Assert.Equal(3m, await ScoreAsync());                   // 3: the call is not made, nothing is deducted

        fixture.Clock.Set(Beijing(2026, 3, 11, 15));
        var ducha = await fixture.As("ducha");
        var call = (await ApiHelpers.InboxAsync(ducha)).Single(t => t!["activityName"]!.GetValue<string>() == "电话催办：法制处")!;
        await ApiHelpers.CompleteOkAsync(ducha, call["id"]!.GetValue<Guid>(), "登记", new JsonObject
        {
            ["calledAt"] = "2026-03-11 15:00", ["personReached"] = "赵处长", ["summary"] = "承诺周五前报送",
        });
        var unit = await Json.GetAsync(await fixture.As("ducha"), "/api/scoring/2026/units/fzc");
        Assert.Equal(2.9m, unit["score"]!.GetValue<decimal>());  // 3 − 0.1: deducted when the call was recorded,
        Assert.Equal(Beijing(2026, 3, 11, 15), unit["events"]![0]!["at"]!.GetValue<DateTimeOffset>());   // dated then

        fixture.Clock.Set(Beijing(2026, 3, 13, 9));            // 3 working days overdue: the 督查督办通知单 is issued
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(2.7m, await ScoreAsync());                 // 2.9 − 0.2 at issue, before any reply

        fixture.Clock.Set(Beijing(2026, 3, 17, 9));            // 5 working days overdue: 现场督办 raised, the visit not yet paid
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(2.7m, await ScoreAsync());
    }

    [Fact]
    public async Task A_send_back_with_the_same_deadline_carries_on_the_ladder_however_the_polls_fell()
    {
        // Two units, the same history: due 3/9; at 3/11 09:00 the phone rung (1 working day overdue); each submits at
        // 10:00 and is sent back (退回) at 11:00; the call is recorded for neither. The job polls between submission and
        // 退回 for 法制处 only. Neither gets the phone rung again; each gets the 通知单 at 3/13 (3 working days overdue):
        // 3 − 0.2 = 2.8 each — the same score whenever the job looked.
        var fzc = await fixture.StartItemAsync(unit: "fzc");
        var jinan = await fixture.StartItemAsync(unit: "jinan", title: "同样的事项");
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));
        Assert.Equal(2, await fixture.RunChasesAsync());
        foreach (var (item, user) in new[] { (fzc, "fazhi"), (jinan, "jinan") })
        {
            fixture.Clock.Set(Beijing(2026, 3, 11, 10));
            var unit = await fixture.As(user);
            await ApiHelpers.CompleteOkAsync(unit, await ApiHelpers.TaskOfAsync(unit, item), "提交", new JsonObject { ["report"] = "已办理" });
            if (user == "fazhi") Assert.Equal(0, await fixture.RunChasesAsync());   // the case sees nothing open
            fixture.Clock.Set(Beijing(2026, 3, 11, 11));
            var ducha = await fixture.As("ducha");
            await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, item, "审核"), "退回", comment: "材料不全");
        }
        Assert.Equal(0, await fixture.RunChasesAsync());        // before: the 法制处 case began a new cycle and raised the phone rung again
        fixture.Clock.Set(Beijing(2026, 3, 13, 9));
        Assert.Equal(2, await fixture.RunChasesAsync());
        Assert.Equal(["phone", "written"], Keys(await ChasesAsync(fzc)));
        Assert.Equal(["phone", "written"], Keys(await ChasesAsync(jinan)));
        var ducha2 = await fixture.As("ducha");
        foreach (var unit in new[] { "fzc", "jinan" })
            Assert.Equal(2.8m, (await Json.GetAsync(ducha2, $"/api/scoring/2026/units/{unit}"))["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_written_notice_raised_by_hand_before_the_deadline_says_what_is_true_and_costs_nothing()
    {
        var id = await fixture.StartItemAsync();                // due 3/9
        fixture.Clock.Set(Beijing(2026, 3, 4, 9));
        var ducha = await fixture.As("ducha");
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new
        {
            unitId = "fzc", rungKey = "phone", record = new { calledAt = "2026-03-04 09:00", personReached = "张联络", summary = "提醒按期办理" },
        }), HttpStatusCode.Created);
        var written = await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "written" }), HttpStatusCode.Created);
        var text = written["noticeText"]!.GetValue<string>();
        // Not 「已超过办理时限…经电话督办仍未办结」: the deadline has not passed; a call was made before.
        Assert.Equal("法制处：你单位承办的「推进行政复议体制改革」办理时限为2026年3月9日，尚未到期。此前已进行电话催办。"
            + "为确保按期办结，现进行书面督办，请抓紧办理，并于2026年3月9日前书面报告办理进展和下一步措施。", text);
        // Before the deadline these are reminders, not 督办 of a late unit: 3, nothing deducted.
        Assert.Equal(3m, await ScoreAsync());

        // After the deadline the rung's own text (the regulation's wording) is sent, and it costs 0.2: 3 − 0.2 = 2.8.
        fixture.Clock.Set(Beijing(2026, 3, 10, 9));
        var late = await Json.OkAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/instances/{id}/chases", new { unitId = "fzc", rungKey = "written" }), HttpStatusCode.Created);
        Assert.Contains("已超过办理时限", late["noticeText"]!.GetValue<string>());
        Assert.Equal(2.8m, await ScoreAsync());
    }

    private async Task<decimal> ScoreAsync() =>
        (await Json.GetAsync(await fixture.As("ducha"), "/api/scoring/2026/units/fzc"))["score"]!.GetValue<decimal>();
}

public sealed class SqliteChasingRulesTests(SqliteDeadlineFixture fixture) : ChasingRulesTests<SqliteDeadlineFixture>(fixture), IClassFixture<SqliteDeadlineFixture>;

public sealed class PostgresChasingRulesTests(PostgresDeadlineFixture fixture) : ChasingRulesTests<PostgresDeadlineFixture>(fixture), IClassFixture<PostgresDeadlineFixture>;
