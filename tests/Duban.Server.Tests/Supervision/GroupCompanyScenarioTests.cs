using System.Net;
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
/// The group company (seed 004 第五篇) on the virtual clock, configured through the API as its administrator would:
/// 六、催办 — 「电话催办。用于经常性的询问」 (by hand, each call logged), 「书面催办。用于逾期催办。对逾期未报告的督查事项，承办人要及时
/// 向承办单位发出"催办通知"…要求承办单位书面报告承办事项的最新进展情况和逾期原因」 (automatic, the first working day after the
/// deadline, with a written reply), 「当面催办。用于电话催办、书面催办仍未落实或紧急事项的催办…必要时可请有关领导同志听取汇报或出面
/// 协调」 (by hand, by the item's 专人 — here the leader the office names). The regulation gives no points; the company's
/// own table (docs/decisions/027): 100 to start (its annual performance assessment), 电话询问 0 (a routine enquiry is not a
/// fault), its own 「逾期未报告」 2 off per 催办通知, its own 「当面催办」 3 off, its own 「通报表扬」 1 on (八、通报), floor 0.
/// Dates: registered Thursday 2026-04-02; 「办理时限…一般不超过一个月」: due Thursday 4/30. 劳动节 is 5/1–5/5, with Saturday
/// 5/9 worked: the working days after 4/30 are 5/6 (1), 5/7 (2), 5/8 (3), 5/9 (4), 5/11 (5).
/// </summary>
public abstract class GroupCompanyScenarioTests(string provider)
{
    private static readonly DateTimeOffset Start = Beijing(4, 2, 9);

    private static DateTimeOffset Beijing(int m, int d, int h, int min = 0) => new(2026, m, d, h, min, 0, TimeSpan.FromHours(8));

    [Fact]
    public async Task The_group_companys_phone_written_and_face_to_face_chasing_with_its_own_score_table()
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
        async Task<decimal> Score(string unit) => (await ducha.GetFromJsonAsync<JsonObject>($"/api/scoring/2026/units/{unit}"))!["score"]!.GetValue<decimal>();
        async Task<JsonArray> Chases(Guid item) => (await ducha.GetFromJsonAsync<JsonObject>($"/api/instances/{item}/chases"))!["chases"]!.AsArray();
        async Task<List<string>> Rungs(Guid item) => (await Chases(item)).Select(c => c!["rungKey"]!.GetValue<string>()).ToList();

        // ---- the administrator sets the company up ----
        // Its score events: 电话催办 named 电话询问; its own 逾期未报告, 当面催办 (deduct) and 通报表扬 (adds).
        (await admin.PutAsJsonAsync("/api/scoring/events", new
        {
            events = new object[] { new { key = "phone", name = "电话询问" }, new { name = "逾期未报告" }, new { name = "当面催办" }, new { name = "通报表扬", adds = true } },
        })).EnsureSuccessStatusCode();
        var events = (await admin.GetFromJsonAsync<JsonArray>("/api/scoring/events"))!;
        string Key(string name) => events.Single(e => e!["name"]!.GetValue<string>() == name)!["key"]!.GetValue<string>();
        var (overdue, face, praise) = (Key("逾期未报告"), Key("当面催办"), Key("通报表扬"));
        (await admin.PutAsJsonAsync("/api/scoring/2026/rules", new
        {
            startScore = 100m, floor = 0m, redoThreshold = 0,
            deductions = new Dictionary<string, decimal> { ["phone"] = 0m, [overdue] = 2m, [face] = 3m, [praise] = 1m },
        })).EnsureSuccessStatusCode();
        // Its ladder: phone by hand; the written 催办通知 the first working day after the deadline has ended, with a written
        // reply in 3 working days; face to face by hand, by the item's 专人 (the office's 督查员 when none is named).
        (await admin.PutAsJsonAsync("/api/chasing/ladder", new JsonObject
        {
            ["rungs"] = JsonNode.Parse($$"""
                [{ "key": "phone", "name": "电话催办", "trigger": { "kind": "manual" }, "record": "phoneLog", "scoreEvent": "phone" },
                 { "key": "written", "name": "书面催办", "trigger": { "kind": "overdue", "days": 1 },
                   "notice": { "title": "催办通知", "text": "{unit}：你单位承办的「{item}」已超过办理时限（{due}），逾期未报告。请于{replyDue}前书面报告承办事项的最新进展情况和逾期原因。",
                               "replyRequired": true, "replyDays": 3 },
                   "scoreEvent": "{{overdue}}" },
                 { "key": "face", "name": "当面催办", "trigger": { "kind": "manual" }, "actor": "督查员", "itemOwner": true,
                   "record": "onSiteLog", "scoreEvent": "{{face}}" }]
                """),
        })).EnsureSuccessStatusCode();
        // The leader in charge, whom the office names 专人 on an urgent item (「必要时可请有关领导同志…出面协调」).
        var leader = (await (await admin.PostAsJsonAsync("/api/users", new
        {
            userName = "fgld", displayName = "孙副总经理", unitId = "bgs", roles = new[] { "领导" }, password = "Duban@2026",
        })).Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        await Auth.TestUsers.AdoptPasswordAsync(host.Services, "fgld");

        var flow = Flow("group-item", "集团公司督查事项", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }), ["deadline"] = Literal("itemDue"),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "end")]);
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督查事项办理卡", "fields": [
                { "key": "title", "label": "督查事由", "type": "text", "required": true },
                { "key": "unit", "label": "承办单位", "type": "unit", "required": true },
                { "key": "dueDate", "label": "办理时限", "type": "date" },
                { "key": "report", "label": "办理情况", "type": "textarea" } ] }]
            """);
        flow["options"] = JsonNode.Parse("""{ "deadlines": { "item": { "kind": "field", "field": "dueDate" } } }""");
        await ApiHelpers.ImportAsync(admin, flow);

        // ---- Thursday 4/2: two items registered, each due 4/30 (a month) ----
        var late = await ApiHelpers.StartAsync(ducha, "group-item", new JsonObject { ["title"] = "总经理办公会议定：物资采购流程整改", ["unit"] = "fzc", ["dueDate"] = "2026-04-30" });
        var prompt = await ApiHelpers.StartAsync(ducha, "group-item", new JsonObject { ["title"] = "总经理办公会议定：安全生产隐患排查", ["unit"] = "jinan", ["dueDate"] = "2026-04-30" });
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Empty(await Rungs(late));
        Assert.Equal(100m, await Score("fzc"));                                    // 100 to start

        // ---- Wednesday 4/15: a routine call by hand (电话询问), logged ----
        await AdvanceTo(Beijing(4, 15, 10));
        (await ducha.PostAsJsonAsync($"/api/instances/{late}/chases", new
        {
            unitId = "fzc", rungKey = "phone", record = new { calledAt = "2026-04-15 10:00", personReached = "赵处长", summary = "询问进展，答复月底前报送" },
        })).EnsureSuccessStatusCode();
        Assert.Equal(100m, await Score("fzc"));                                    // 电话询问: 0 (routine enquiry)

        // ---- Monday 4/20: 济南 reports early; the office praises it in a bulletin (八、通报) ----
        await AdvanceTo(Beijing(4, 20, 10));
        var jinan = await SignedIn("jinan");
        await ApiHelpers.CompleteOkAsync(jinan, await ApiHelpers.TaskOfAsync(jinan, prompt), "提交", new JsonObject { ["report"] = "隐患已全部整改" });
        (await ducha.PostAsJsonAsync($"/api/instances/{prompt}/score-entries", new { unitId = "jinan", eventKey = praise, note = "提前10天办结，经验在集团通报" }))
            .EnsureSuccessStatusCode();
        Assert.Equal(101m, await Score("jinan"));                                  // 100 + 1 (通报表扬)

        // ---- Wednesday 5/6, 10:00: 4/30 passed, 5/1–5/5 are 劳动节 — the first working day after it has not ended yet ----
        await AdvanceTo(Beijing(5, 6, 10));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["phone"], await Rungs(late));
        Assert.Equal(100m, await Score("fzc"));

        // ---- Thursday 5/7, 09:00: 5/6 ended — 1 working day overdue: the written 催办通知 ----
        await AdvanceTo(Beijing(5, 7, 9));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["phone", "written"], await Rungs(late));
        var written = (await Chases(late)).Single(c => c!["rungKey"]!.GetValue<string>() == "written")!;
        // The reply is due 3 working days after 5/7: 5/8 (1), Saturday 5/9 worked (2), 5/11 (3).
        Assert.Equal("法制处：你单位承办的「总经理办公会议定：物资采购流程整改」已超过办理时限（2026年4月30日），逾期未报告。"
            + "请于2026年5月11日前书面报告承办事项的最新进展情况和逾期原因。", written["noticeText"]!.GetValue<string>());
        Assert.Equal("逾期未报告", written["scoreEventLabel"]!.GetValue<string>());
        Assert.Equal(98m, await Score("fzc"));                                     // 100 − 2 (逾期未报告) at issue
        Assert.Empty((await Chases(prompt)));                                       // 济南 reported: never chased

        // ---- Friday 5/8: still nothing — the office names the leader in charge 专人; he goes to the unit (当面催办) ----
        await AdvanceTo(Beijing(5, 8, 15));
        var sun = await SignedIn("fgld");
        var visit = new
        {
            unitId = "fzc", rungKey = "face",
            record = new { visitedAt = "2026-05-08", inspectors = "孙副总经理、王督查", metWith = "赵处长", findings = "供应商比选未完成", requirements = "5月15日前办结" },
        };
        // Not yet the item's 专人, the leader may not: the rung's role is 督查员.
        Assert.Equal(HttpStatusCode.Forbidden, (await sun.PostAsJsonAsync($"/api/instances/{late}/chases", visit)).StatusCode);
        (await ducha.PutAsJsonAsync($"/api/instances/{late}/owner", new { userId = leader })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Created, (await sun.PostAsJsonAsync($"/api/instances/{late}/chases", visit)).StatusCode);
        Assert.Equal(95m, await Score("fzc"));                                     // 98 − 3 (当面催办), recorded

        // ---- Nothing more is raised by itself: the rest is by hand ----
        await AdvanceTo(Beijing(6, 30, 9));
        await worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(["phone", "written", "face"], await Rungs(late));

        // The unit's page lists every event and what it cost; the ranking is the same computation.
        var page = (await ducha.GetFromJsonAsync<JsonObject>("/api/scoring/2026/units/fzc"))!;
        Assert.Equal(["电话询问", "逾期未报告", "当面催办"], page["events"]!.AsArray().Select(e => e!["label"]!.GetValue<string>()).ToList());
        Assert.Equal(Beijing(5, 6, 23, 59).AddSeconds(59), page["events"]![1]!["at"]!.GetValue<DateTimeOffset>());   // dated when it fell due
        var ranking = (await ducha.GetFromJsonAsync<JsonObject>("/api/scoring/2026"))!["units"]!.AsArray();
        Assert.Equal(("jinan", 101m, 1), (ranking[0]!["unitId"]!.GetValue<string>(), ranking[0]!["score"]!.GetValue<decimal>(), ranking[0]!["rank"]!.GetValue<int>()));
        Assert.Equal(("fzc", 95m), (ranking[^1]!["unitId"]!.GetValue<string>(), ranking[^1]!["score"]!.GetValue<decimal>()));
    }
}

public sealed class SqliteGroupCompanyScenarioTests() : GroupCompanyScenarioTests("Sqlite");

public sealed class PostgresGroupCompanyScenarioTests() : GroupCompanyScenarioTests("Postgres");
