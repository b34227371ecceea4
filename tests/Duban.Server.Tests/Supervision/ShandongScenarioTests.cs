using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// 山东省司法厅督促检查工作实施细则 (seed 000), configured through the API and walked on the virtual clock:
/// 第十三条（一） items are registered and numbered once 领导审定 approves; （二） a 主办 and 协办 per item; （三） first
/// feedback within 5 working days, done within 10; an extension approved for the 主办 and its 协办 across 端午.
/// The dates are worked out by hand from the 2026 holiday notice (国办发明电〔2025〕7号): 劳动节 5/1–5/5, 调休 workday
/// Saturday 5/9; 端午节 6/19–6/21.
/// </summary>
public abstract class ShandongScenarioTests(string provider)
{
    /// <summary>Monday 2026-04-27 09:00, Beijing.</summary>
    private static readonly DateTimeOffset Start = new(2026, 4, 27, 9, 0, 0, TimeSpan.FromHours(8));

    private static DateTimeOffset EndOf(int m, int d) => new DateTimeOffset(2026, m, d, 23, 59, 59, TimeSpan.FromHours(8));

    private static async Task<HttpClient> SignedIn(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
        return client;
    }

    private static JsonObject Field(string key, string label, string type, bool required = false, bool multiple = false) =>
        new() { ["key"] = key, ["label"] = label, ["type"] = type, ["required"] = required, ["multiple"] = multiple };

    /// <summary>
    /// 立项登记 → 领导审定 (同意 / 不同意) → 交办：反馈初步办理情况 (5 working days, 主办 and 协办) → 交办：办结 (the same
    /// units, carried on; due on the item's deadline, 10 working days) → 审核 → 办结.
    /// </summary>
    private static JsonObject Procedure()
    {
        var definition = Flow("sft-supervision", "山东省司法厅督办事项", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "立项登记", ["form"] = Literal("item") },
            new JsonObject
            {
                ["id"] = "approve", ["type"] = "Duban.UserTask", ["name"] = "领导审定",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "领导" }),
                ["outcomes"] = Literal(new JsonArray("同意", "不同意")),
            },
            new JsonObject
            {
                ["id"] = "feedback", ["type"] = "Duban.Assign", ["name"] = "反馈初步办理情况",
                ["lead"] = Script("item.leadUnit"), ["co"] = Script("item.coUnits"),
                ["form"] = Literal("item"), ["deadline"] = Literal(5), ["coDeadline"] = Literal(5),
            },
            new JsonObject
            {
                ["id"] = "finish", ["type"] = "Duban.Assign", ["name"] = "办结", ["unitsFrom"] = Literal("previous"),
                ["form"] = Literal("item"), ["deadline"] = Literal("itemDue"),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核把关",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结归档" },
            new JsonObject { ["id"] = "rejected", ["type"] = "Duban.End", ["name"] = "不予立项" },
        ], [
            Connection("start", "Done", "approve"), Connection("approve", "同意", "feedback"), Connection("approve", "不同意", "rejected"),
            Connection("feedback", "提交", "finish"), Connection("finish", "提交", "review"), Connection("review", "通过", "end"),
        ]);
        definition["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "item", ["name"] = "督查通知单",
            ["fields"] = new JsonArray(
                Field("title", "事项名称", "text", required: true),
                Field("leadUnit", "主办部门", "unit", required: true),
                Field("coUnits", "协办部门", "unit", multiple: true),
                Field("report", "办理情况", "textarea")),
        });
        definition["options"] = new JsonObject
        {
            ["numbering"] = new JsonObject { ["pattern"] = "鲁司督〔{year}〕{seq}号", ["assignAt"] = "approval", ["step"] = "approve" },
            ["deadlines"] = new JsonObject { ["item"] = new JsonObject { ["kind"] = "workingDays", ["amount"] = 10 } },
            ["extensions"] = new JsonObject { ["units"] = "leadAndCo" },
        };
        return definition;
    }

    private static async Task<Dictionary<string, DateTimeOffset>> DueByUnitAsync(HttpClient client, Guid id, string activityId)
    {
        var item = await InstanceAsync(client, id);
        var step = item["assignments"]!.AsArray().Single(a => a!["activityId"]!.GetValue<string>() == activityId && a["active"]!.GetValue<bool>())!;
        return step["units"]!.AsArray().Where(u => u!["status"]!.GetValue<string>() == "open")
            .ToDictionary(u => u!["unitId"]!.GetValue<string>(), u => u!["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task An_item_of_the_Shandong_justice_department_from_registration_to_an_extension_across_a_holiday()
    {
        await using var database = await VirtualClockHosts.DatabaseAsync(provider, Start);
        await using var plain = VirtualClockHosts.Plain(database, Start);
        await using var host = VirtualClockHosts.Virtual(plain, Start);
        var admin = await SignedIn(host, "admin");
        await ImportAsync(admin, Procedure());
        var ducha = await SignedIn(host, "ducha");
        var lingdao = await SignedIn(host, "lingdao");
        var year = "2026";

        // 第十三条（一）: an item 领导 does not approve is not registered — it takes no number.
        var refused = await StartAsync(ducha, "sft-supervision", new JsonObject { ["title"] = "不予立项的事项", ["leadUnit"] = "fzc" });
        var id = await StartAsync(ducha, "sft-supervision", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        Assert.Null((await InstanceAsync(ducha, id))["instance"]!["number"]);
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, refused, "领导审定"), "不同意", comment: "不属于督查范围");
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id, "领导审定"), "同意");
        Assert.Null((await InstanceAsync(ducha, refused))["instance"]!["number"]);
        Assert.Equal($"鲁司督〔{year}〕1号", (await InstanceAsync(ducha, id))["instance"]!["number"]!.GetValue<string>());

        // 第十三条（三）「5个工作日内反馈初步办理情况」, counted from Monday 4/27 (the day itself not counted):
        // 4/28 Tue (1), 4/29 Wed (2), 4/30 Thu (3), 5/1–5/5 劳动节, 5/6 Wed (4), 5/7 Thu (5) → Thursday 5/7.
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["fzc"] = EndOf(5, 7), ["jinan"] = EndOf(5, 7) }, await DueByUnitAsync(ducha, id, "feedback"));
        // 「10个工作日内办结」: … 5/7 Thu (5), 5/8 Fri (6), 5/9 Sat 调休上班 (7), 5/11 Mon (8), 5/12 Tue (9), 5/13 Wed (10).
        Assert.Equal(EndOf(5, 13), (await InstanceAsync(ducha, id))["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());

        // 第十一条: the office adds 青岛市司法局 as a 协办 at the first 交办; it stays on for 办结.
        Assert.Equal(HttpStatusCode.OK, (await ducha.PostAsJsonAsync($"/api/instances/{id}/assignments/feedback/units",
            new { unitId = "qingdao", reason = "涉及青岛试点" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/clock/advance", new { to = new DateTimeOffset(2026, 5, 6, 10, 0, 0, TimeSpan.FromHours(8)) })).StatusCode);
        var jinan = await SignedIn(host, "jinan");
        var qingdao = await SignedIn(host, "qingdao");
        var fazhi = await SignedIn(host, "fazhi");
        await CompleteOkAsync(jinan, await TaskOfAsync(jinan, id, "反馈初步办理情况（协办）"), "提交", comment: "已梳理济南试点情况");
        await CompleteOkAsync(qingdao, await TaskOfAsync(qingdao, id, "反馈初步办理情况（协办）"), "提交", comment: "已梳理青岛试点情况");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "反馈初步办理情况（主办）"), "提交", new JsonObject { ["report"] = "初步方案已形成" });
        // 办结: the same three units, each due on the item's deadline, Wednesday 5/13.
        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["fzc"] = EndOf(5, 13), ["jinan"] = EndOf(5, 13), ["qingdao"] = EndOf(5, 13) },
            await DueByUnitAsync(ducha, id, "finish"));

        // 第十条「确因情况复杂、期限内不能办结的，承办部门要提前报告」: on Monday 5/11 the 主办 asks to move 5/13 to Monday
        // 6/22, the first working day after 端午 (6/19–6/21); the office approves, and its 协办 move with it.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/clock/advance", new { to = new DateTimeOffset(2026, 5, 11, 9, 0, 0, TimeSpan.FromHours(8)) })).StatusCode);
        fazhi = await SignedIn(host, "fazhi");
        ducha = await SignedIn(host, "ducha");
        var asked = await fazhi.PostAsJsonAsync($"/api/instances/{id}/extensions", new { reason = "需会同两市司法局开展实地调研", newDueDate = "2026-06-22" });
        Assert.Equal(HttpStatusCode.Created, asked.StatusCode);
        var extension = (await asked.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Null(extension["warning"]);                                   // 6/22 is a working day
        Assert.Equal(HttpStatusCode.OK, (await ducha.PostAsJsonAsync($"/api/extensions/{extension["id"]}/decide", new { approve = true, opinion = "同意延期" })).StatusCode);

        Assert.Equal(new Dictionary<string, DateTimeOffset> { ["fzc"] = EndOf(6, 22), ["jinan"] = EndOf(6, 22), ["qingdao"] = EndOf(6, 22) },
            await DueByUnitAsync(ducha, id, "finish"));
        var item = await InstanceAsync(ducha, id);
        Assert.Equal(EndOf(6, 22), item["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        var moved = item["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "deadlineExtended").ToList();
        Assert.Equal(["fzc", "jinan", "qingdao"], moved.Select(e => e!["data"]!["unitId"]!.GetValue<string>()).Order());
        Assert.All(moved, e => Assert.Equal(EndOf(5, 13), e!["data"]!["from"]!.GetValue<DateTimeOffset>()));
    }
}

public sealed class SqliteShandongScenarioTests() : ShandongScenarioTests("Sqlite");

public sealed class PostgresShandongScenarioTests() : ShandongScenarioTests("Postgres");
