using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// Issue 14's last bullets (docs/decisions/027): a rung's actor as a named person and a per-item 专人; the organization's
/// own score events on rungs and manual score entries; catch-up rungs dated when they fell due. The test item is due Monday
/// 2026-03-09; working days after it: 3/10 (1), 3/11 (2), 3/12 (3), 3/13 (4), 3/16 (5).
/// </summary>
public abstract class NamedPeopleAndOwnEventsTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public async Task InitializeAsync()
    {
        await fixture.ResetAsync();
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/scoring/table", new { table = "county" }));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task SaveLadderAsync(JsonNode rungs) =>
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync("/api/chasing/ladder", new JsonObject { ["rungs"] = rungs }));

    private async Task<JsonObject> ChasesAsync(Guid item) => await Json.GetAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases");

    private async Task<decimal> ScoreAsync(int year = 2026, string unit = "fzc") =>
        (await Json.GetAsync(await fixture.As("ducha"), $"/api/scoring/{year}/units/{unit}"))["score"]!.GetValue<decimal>();

    /// <summary>An administrator adds a person (as in 组织 → 人员) and answers the id.</summary>
    private async Task<string> AddUserAsync(string userName, string displayName, string unit, string role)
    {
        var id = (await Json.OkAsync(await (await fixture.As("admin")).PostAsJsonAsync("/api/users", new
        {
            userName, displayName, unitId = unit, roles = new[] { role }, password = "Duban@2026",
        }), HttpStatusCode.Created))["id"]!.GetValue<string>();
        await Auth.TestUsers.AdoptPasswordAsync(fixture, userName);
        return id;
    }

    private static bool InInbox(JsonArray inbox, Guid item, string name) =>
        inbox.Any(t => t!["instanceId"]!.GetValue<Guid>() == item && t["activityName"]!.GetValue<string>() == name);

    [Fact]
    public async Task A_rung_for_the_items_owner_goes_to_the_named_person_and_to_its_role_when_none_is_named()
    {
        var zhou = await AddUserAsync("zhouzr", "周专人", "bgs", "督查员");
        // 当面催办 by the item's 专人 (004 第五篇 六 3; 「对紧急批示交办事项，实行专人跟踪催办」 000 第十三条（四）), automatic here so the job raises it.
        await SaveLadderAsync(JsonNode.Parse("""
            [{ "key": "face", "name": "当面催办", "trigger": { "kind": "overdue", "days": 1 }, "actor": "督查员", "itemOwner": true,
               "record": "onSiteLog", "scoreEvent": "onSite" }]
            """)!);
        var plain = await fixture.StartItemAsync(title: "一般事项");
        var urgent = await fixture.StartItemAsync(title: "紧急批示事项");
        var ducha = await fixture.As("ducha");
        var named = await Json.OkAsync(await ducha.PutAsJsonAsync($"/api/instances/{urgent}/owner", new { userId = zhou }));
        Assert.Equal("周专人", named["owner"]!["userName"]!.GetValue<string>());
        var journal = (await ApiHelpers.InstanceAsync(ducha, urgent))["timeline"]!.AsArray();
        Assert.Contains(journal, j => j!["kind"]!.GetValue<string>() == "itemOwnerNamed" && j["comment"]!.GetValue<string>() == "指定周专人为专人");

        fixture.Clock.Set(Beijing(2026, 3, 11, 9));                              // 1 working day overdue (3/10 ended)
        Assert.Equal(2, await fixture.RunChasesAsync());
        ducha = await fixture.As("ducha");
        var zhouClient = await fixture.As("zhouzr");
        // No 专人 on the plain item: the rung's role (督查员) gets it; the urgent item's goes to 周专人 only.
        Assert.True(InInbox(await ApiHelpers.InboxAsync(ducha), plain, "当面催办：法制处"));
        Assert.False(InInbox(await ApiHelpers.InboxAsync(ducha), urgent, "当面催办：法制处"));
        Assert.True(InInbox(await ApiHelpers.InboxAsync(zhouClient), urgent, "当面催办：法制处"));
        var urgentChase = (await ChasesAsync(urgent))["chases"]!.AsArray().Single()!;
        Assert.Equal("周专人", urgentChase["actorName"]!.GetValue<string>());
        Assert.Null((await ChasesAsync(plain))["chases"]!.AsArray().Single()!["actorUserId"]);

        // Naming a 专人 on the plain item hands its open task over.
        await Json.OkAsync(await ducha.PutAsJsonAsync($"/api/instances/{plain}/owner", new { userId = zhou }));
        Assert.False(InInbox(await ApiHelpers.InboxAsync(ducha), plain, "当面催办：法制处"));
        Assert.True(InInbox(await ApiHelpers.InboxAsync(zhouClient), plain, "当面催办：法制处"));

        // The 专人 records the visit; 3 − 0.3 (003 §六（四）, the county table chosen) per visit recorded: two items, 2.4.
        foreach (var item in new[] { plain, urgent })
        {
            var chase = (await ChasesAsync(item))["chases"]!.AsArray().Single()!;
            await Json.OkAsync(await zhouClient.PostAsJsonAsync($"/api/chases/{chase["id"]}/record", new
            {
                record = new { visitedAt = "2026-03-11", inspectors = "周专人", metWith = "赵处长", findings = "进度滞后", requirements = "3月13日前办结" },
            }));
        }
        Assert.Equal(2.4m, await ScoreAsync());

        // Taken back: the rung goes to its role again.
        var back = await Json.OkAsync(await ducha.PutAsJsonAsync($"/api/instances/{plain}/owner", new { userId = (string?)null }));
        Assert.Null(back["owner"]);
    }

    [Fact]
    public async Task Only_a_supervisor_names_a_person_of_the_organization_who_sees_every_item()
    {
        var ducha = await fixture.As("ducha");
        var item = await fixture.StartItemAsync();
        // Another organization on the same installation (the platform administrator adds it), with its own administrator.
        await Json.OkAsync(await (await fixture.As("platform")).PostAsJsonAsync("/api/platform/organizations",
            new { id = "jtgs", name = "某集团公司", adminUserName = "jtducha", adminDisplayName = "集团督查员", adminPassword = "Duban@2026" }), HttpStatusCode.Created);
        await Auth.TestUsers.AdoptPasswordAsync(fixture, "jtducha");
        var outsider = (await (await fixture.As("jtducha")).GetFromJsonAsync<JsonArray>("/api/users"))!.Single()!["id"]!.GetValue<string>();
        var liaison = (await Json.GetAsync(ducha, $"/api/instances/{item}/chases"))["people"]!.AsArray()
            .Select(p => p!["displayName"]!.GetValue<string>()).ToList();
        Assert.Contains("王督查", liaison);
        Assert.DoesNotContain("张联络", liaison);                          // a unit's liaison is not offered
        Assert.DoesNotContain("集团督查员", liaison);

        var errors = await ApiHelpers.FieldErrorsAsync(await ducha.PutAsJsonAsync($"/api/instances/{item}/owner", new { userId = outsider }));
        Assert.Equal("专人应是本组织在职的人员，「集团督查员」不是", Assert.Single(errors["userId"]));
        var fazhiId = (await (await fixture.As("admin")).GetFromJsonAsync<JsonArray>("/api/users"))!.Single(u => u!["userName"]!.GetValue<string>() == "fazhi")!["id"]!.GetValue<string>();
        errors = await ApiHelpers.FieldErrorsAsync(await ducha.PutAsJsonAsync($"/api/instances/{item}/owner", new { userId = fazhiId }));
        Assert.Equal("专人应是督查员或领导（能看到全部督办事项），「张联络」不是", Assert.Single(errors["userId"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PutAsJsonAsync($"/api/instances/{item}/owner", new { userId = fazhiId })).StatusCode);
        Assert.Null((await ChasesAsync(item))["owner"]);                   // nothing changed

        // A rung's named person is checked the same way when the ladder is saved.
        var response = await (await fixture.As("admin")).PutAsJsonAsync("/api/chasing/ladder", new JsonObject
        {
            ["rungs"] = JsonNode.Parse($$"""[{ "key": "phone", "name": "电话催办", "trigger": { "kind": "manual" }, "person": "{{outsider}}", "record": "phoneLog" }]"""),
        });
        errors = await ApiHelpers.FieldErrorsAsync(response);
        Assert.Equal("「电话催办」的办理人应是本组织在职的人员，「集团督查员」不是", Assert.Single(errors["rungs[0].person"]));
    }

    [Fact]
    public async Task A_rung_with_a_named_person_goes_to_that_person_who_may_raise_and_record_it()
    {
        var qian = await AddUserAsync("qianld", "钱副主任", "bgs", "领导");
        await SaveLadderAsync(JsonNode.Parse($$"""
            [{ "key": "phone", "name": "电话催办", "trigger": { "kind": "overdue", "days": 1 }, "actor": "督查员", "person": "{{qian}}",
               "record": "phoneLog", "scoreEvent": "phone" }]
            """)!);
        var item = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));
        Assert.Equal(1, await fixture.RunChasesAsync());
        var qianClient = await fixture.As("qianld");
        Assert.True(InInbox(await ApiHelpers.InboxAsync(qianClient), item, "电话催办：法制处"));
        Assert.False(InInbox(await ApiHelpers.InboxAsync(await fixture.As("ducha")), item, "电话催办：法制处"));
        await ApiHelpers.CompleteOkAsync(qianClient, (await ApiHelpers.InboxAsync(qianClient)).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!["id"]!.GetValue<Guid>(),
            "登记", new JsonObject { ["calledAt"] = "2026-03-11 10:00", ["personReached"] = "赵处长", ["summary"] = "承诺本周报送" });
        Assert.Equal(2.9m, await ScoreAsync());                              // 3 − 0.1
    }

    [Fact]
    public async Task Own_events_count_on_rungs_and_manual_entries_and_a_revoked_entry_stays_on_record()
    {
        var admin = await fixture.As("admin");
        // The organization names 电话催办 its own way, and adds 逾期未报告 (deducts) and 提前办结 (adds).
        var saved = await admin.PutAsJsonAsync("/api/scoring/events", new
        {
            events = new object[] { new { key = "phone", name = "电话询问" }, new { name = "逾期未报告" }, new { name = "提前办结", adds = true } },
        });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var events = (await admin.GetFromJsonAsync<JsonArray>("/api/scoring/events"))!;
        Assert.Equal(9, events.Count);                                       // the shipped seven and two of its own
        Assert.Equal("电话询问", events.Single(e => e!["key"]!.GetValue<string>() == "phone")!["name"]!.GetValue<string>());
        var late = events.Single(e => e!["name"]!.GetValue<string>() == "逾期未报告")!["key"]!.GetValue<string>();
        var early = events.Single(e => e!["name"]!.GetValue<string>() == "提前办结")!["key"]!.GetValue<string>();
        Assert.True(events.Single(e => e!["key"]!.GetValue<string>() == early)!["adds"]!.GetValue<bool>());

        // The year's points: 3 to start, 逾期未报告 0.5 off, 提前办结 0.2 on, the rest as the county's.
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/scoring/2026/rules", new
        {
            startScore = 3m, floor = 0m, redoThreshold = 2,
            deductions = new Dictionary<string, decimal> { ["phone"] = 0.1m, ["writtenNotice"] = 0.2m, [late] = 0.5m, [early] = 0.2m },
        }));
        await SaveLadderAsync(JsonNode.Parse($$"""
            [{ "key": "written", "name": "书面催办", "trigger": { "kind": "overdue", "days": 1 },
               "notice": { "title": "催办通知", "text": "请书面报告最新进展情况和逾期原因。", "replyRequired": false }, "scoreEvent": "{{late}}" }]
            """)!);
        var item = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));                              // 1 working day overdue: the written notice, 逾期未报告
        Assert.Equal(1, await fixture.RunChasesAsync());
        Assert.Equal(2.5m, await ScoreAsync());                                  // 3 − 0.5
        Assert.Equal("逾期未报告", (await ChasesAsync(item))["chases"]!.AsArray().Single()!["scoreEventLabel"]!.GetValue<string>());

        // A manual entry by the office: 提前办结 for 法制处 on the item.
        var ducha = await fixture.As("ducha");
        var entry = await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{item}/score-entries", new { unitId = "fzc", eventKey = early, note = "分项任务提前完成" }),
            HttpStatusCode.Created);
        Assert.Equal(2.7m, await ScoreAsync());                                  // 2.5 + 0.2
        var unit = await Json.GetAsync(ducha, "/api/scoring/2026/units/fzc");
        Assert.Contains(unit["deductions"]!.AsArray(), l => l!["label"]!.GetValue<string>() == "提前办结" && l["adds"]!.GetValue<bool>() && l["total"]!.GetValue<decimal>() == -0.2m);

        // Refused: a unit not handling the item, an event the organization does not have, someone not of the office.
        var errors = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{item}/score-entries", new { unitId = "bgs", eventKey = early, note = "x" }));
        Assert.Contains("承办该事项的单位", Assert.Single(errors["unitId"]));
        errors = await ApiHelpers.FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{item}/score-entries", new { unitId = "fzc", eventKey = "praise", note = "x" }));
        Assert.StartsWith("考核事件「praise」不存在", Assert.Single(errors["eventKey"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PostAsJsonAsync($"/api/instances/{item}/score-entries",
            new { unitId = "fzc", eventKey = early, note = "自评" })).StatusCode);

        // Revoked: it stops counting and stays on record, journaled both times.
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/scoring/entries/{entry["id"]}/revoke", new { reason = "完成时间核实有误" }));
        Assert.Equal(2.5m, await ScoreAsync());
        var listed = (await Json.GetAsync(ducha, $"/api/instances/{item}/score-entries"))["entries"]!.AsArray().Single()!;
        Assert.True(listed["revoked"]!.GetValue<bool>());
        Assert.Equal("完成时间核实有误", listed["revokeReason"]!.GetValue<string>());
        var kinds = (await ApiHelpers.InstanceAsync(ducha, item))["timeline"]!.AsArray().Select(j => j!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("scoreEntryRecorded", kinds);
        Assert.Contains("scoreEntryRevoked", kinds);

        // An own event the ladder uses cannot be removed.
        var problem = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync("/api/scoring/events", new { events = new object[] { new { key = early, name = "提前办结", adds = true } } }));
        Assert.Contains("正被催办阶梯的「书面催办」使用", Assert.Single(problem["events"]));
    }

    [Fact]
    public async Task A_notice_raised_after_a_gap_is_dated_when_it_fell_due()
    {
        // The county ladder; the item is due 3/9 and the job does not run again until 2027-01-05. The 《通知单》 fell due at
        // the end of 3/12 (3 working days overdue): it counts in 2026, 3 − 0.2 = 2.8, not in 2027. (Calls and visits the
        // ladder asked for were never made: nothing for them.)
        var item = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2027, 1, 5, 9));
        Assert.Equal(3, await fixture.RunChasesAsync());                         // phone, written, onsite (the reminder is passed)
        var written = (await ChasesAsync(item))["chases"]!.AsArray().Single(c => c!["rungKey"]!.GetValue<string>() == "written")!;
        Assert.Equal(Beijing(2026, 3, 12, 23, 59).AddSeconds(59), written["fellDueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(Beijing(2027, 1, 5, 9), written["raisedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(2.8m, await ScoreAsync(2026));
        Assert.Equal(3m, await ScoreAsync(2027));
        var unit = await Json.GetAsync(await fixture.As("ducha"), "/api/scoring/2026/units/fzc");
        Assert.Equal(Beijing(2026, 3, 12, 23, 59).AddSeconds(59), unit["events"]!.AsArray().Single()!["at"]!.GetValue<DateTimeOffset>());
    }
}

public sealed class SqliteNamedPeopleAndOwnEventsTests(SqliteDeadlineFixture fixture)
    : NamedPeopleAndOwnEventsTests<SqliteDeadlineFixture>(fixture), IClassFixture<SqliteDeadlineFixture>;

public sealed class PostgresNamedPeopleAndOwnEventsTests(PostgresDeadlineFixture fixture)
    : NamedPeopleAndOwnEventsTests<PostgresDeadlineFixture>(fixture), IClassFixture<PostgresDeadlineFixture>;
