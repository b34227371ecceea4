using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// 江苏省政府办公厅 (seed 002, 苏政办发〔2014〕94号 三(一) 限期报告制度), configured through the API without scripts for
/// its time rules and walked on the virtual clock:
/// 「对省政府召开的重要会议、下发的重要文件，一般在30日内报告贯彻落实情况。对省政府确定的年度重点工作，一般在每年7月15日、10月15日、
/// 1月15日前报告前一季度工作进展情况。对省政府领导同志重要批示交办事项，一般在30日内办结并报告办理情况……对省人大代表建议和省政协提案，
/// 承办单位一般在交办后3个月内答复建议提案人，并在当年办理任务完成后20日内向交办单位报告办理情况。」
/// One procedure: 登记 → 审定 → by 类别: each branch sets the item's deadline (设定完成时限), then 交办 / 季度报送 / 阅知.
/// Expected dates are counted by hand from the regulation on the 2026 calendar (国办发明电〔2025〕7号) and written next to
/// each assertion.
/// </summary>
public abstract class JiangsuScenarioTests(string provider)
{
    private const string FlowId = "js-duban";

    private static DateTimeOffset EndOf(int y, int m, int d) => new DateTimeOffset(y, m, d, 23, 59, 59, TimeSpan.FromHours(8));

    private static JsonObject Node(string id, string type, string name, params (string Key, JsonNode? Value)[] inputs)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = name };
        foreach (var (key, value) in inputs) node[key] = Literal(value);
        return node;
    }

    private static JsonObject Deadline(string json) => JsonNode.Parse(json)!.AsObject();

    private static JsonObject Procedure()
    {
        var unitTask = new JsonObject { ["type"] = "field", ["field"] = "unit" };
        var office = new JsonObject { ["type"] = "role", ["role"] = "督查员" };
        var flow = Flow(FlowId, "省政府督查事项", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            Node("sd", "Duban.UserTask", "审定", ("assignee", office.DeepClone()), ("form", "f")),
            Node("sw", "Duban.Switch", "按类别", ("cases", new JsonArray(
                new JsonObject { ["label"] = "会议文件", ["condition"] = "item.category === '会议文件'" },
                new JsonObject { ["label"] = "领导批示", ["condition"] = "item.category === '领导批示'" },
                new JsonObject { ["label"] = "建议提案", ["condition"] = "item.category === '建议提案'" },
                new JsonObject { ["label"] = "重点工作", ["condition"] = "item.category === '重点工作'" }))),
            // 「重要会议、重要文件，一般在30日内报告」: 30 days from the meeting or the document (印发日期, today unless typed).
            Node("d-meeting", "Duban.SetItemDeadline", "30日内报告", ("deadline", Deadline("""{ "kind": "calendarDays", "amount": 30, "from": "field:issuedOn" }"""))),
            // 「领导同志重要批示交办事项，一般在30日内办结」: 30 days from the 交办.
            Node("d-instruction", "Duban.SetItemDeadline", "30日内办结", ("deadline", Deadline("""{ "kind": "calendarDays", "amount": 30, "from": "assign" }"""))),
            // 「建议提案……交办后3个月内答复」.
            Node("d-proposal", "Duban.SetItemDeadline", "3个月内答复", ("deadline", Deadline("""{ "kind": "months", "amount": 3, "from": "assign" }"""))),
            // 年度重点工作 has no single deadline: each quarterly report has its own.
            Node("d-key", "Duban.SetItemDeadline", "按季度报告"),
            // 参阅件 (the default branch): no deadline.
            Node("d-none", "Duban.SetItemDeadline", "参阅件不设时限"),
            Node("assign", "Duban.Assign", "交办", ("lead", null), ("deadline", "itemDue"), ("form", "f")),
            Node("review", "Duban.UserTask", "审核", ("assignee", office.DeepClone()), ("form", "f"), ("outcomes", new JsonArray("通过")),
                ("deadline", 1)),
            // 「当年办理任务完成后20日内向交办单位报告」: 20 days from the 答复 (答复日期, stamped when the 交办 step is done).
            Node("report", "Duban.UserTask", "报告办理情况", ("assignee", unitTask.DeepClone()), ("form", "f"),
                ("deadline", Deadline("""{ "kind": "calendarDays", "amount": 20, "from": "field:repliedOn" }"""))),
            Node("quarterly", "Duban.UserTask", "报告季度进展", ("assignee", unitTask.DeepClone()), ("form", "f"),
                ("deadline", Deadline("""{ "kind": "fixedDates", "dates": ["07-15", "10-15", "01-15"] }"""))),
            Node("q-review", "Duban.UserTask", "季度审核", ("assignee", office.DeepClone()), ("form", "f"), ("outcomes", new JsonArray("下一季度", "办结"))),
            Node("read", "Duban.UserTask", "阅知", ("assignee", unitTask.DeepClone())),
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [
            Connection("start", "Done", "sd"), Connection("sd", "提交", "sw"),
            Connection("sw", "会议文件", "d-meeting"), Connection("sw", "领导批示", "d-instruction"), Connection("sw", "建议提案", "d-proposal"),
            Connection("sw", "重点工作", "d-key"), Connection("sw", "Default", "d-none"),
            Connection("d-meeting", "Done", "assign"), Connection("d-instruction", "Done", "assign"), Connection("d-proposal", "Done", "assign"),
            Connection("assign", "提交", "review"), Connection("review", "通过", "report"), Connection("report", "提交", "end"),
            Connection("d-key", "Done", "quarterly"), Connection("quarterly", "提交", "q-review"),
            Connection("q-review", "下一季度", "quarterly"), Connection("q-review", "办结", "end"),
            Connection("d-none", "Done", "read"), Connection("read", "提交", "end"),
        ]);
        // 交办: the unit named on the form.
        flow["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "assign")!["lead"] = Script("item.unit");
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督查事项", "fields": [
                { "key": "title", "label": "事项名称", "type": "text", "required": true },
                { "key": "category", "label": "类别", "type": "select", "required": true, "options": [
                    { "value": "会议文件", "label": "重要会议、重要文件" }, { "value": "领导批示", "label": "领导批示交办" },
                    { "value": "建议提案", "label": "人大建议、政协提案" }, { "value": "重点工作", "label": "年度重点工作" },
                    { "value": "参阅", "label": "参阅" } ] },
                { "key": "unit", "label": "承办单位", "type": "unit", "required": true },
                { "key": "issuedOn", "label": "会议或印发日期", "type": "date", "defaultToday": true },
                { "key": "assignedOn", "label": "交办日期", "type": "date", "stampedBy": "assign" },
                { "key": "repliedOn", "label": "答复日期", "type": "date", "stampedBy": "assign", "stampWhen": "done" },
                { "key": "report", "label": "办理情况", "type": "textarea" } ] }]
            """);
        return flow;
    }

    private sealed class Scenario(DatabaseTarget database, DubanFactory plain, WebApplicationFactory<Program> host) : IAsyncDisposable
    {
        private readonly Dictionary<string, HttpClient> _clients = new();

        public async Task<HttpClient> As(string user)
        {
            if (_clients.TryGetValue(user, out var known)) return known;
            var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
            (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
            return _clients[user] = client;
        }

        /// <summary>An administrator moves the virtual clock forward.</summary>
        public async Task AdvanceAsync(int days)
        {
            var moved = await (await As("admin")).PostAsJsonAsync("/api/clock/advance", new { days });
            Assert.True(moved.IsSuccessStatusCode, await moved.Content.ReadAsStringAsync());
        }

        public async Task<Guid> RegisterAsync(string title, string category, string? issuedOn = null)
        {
            var data = new JsonObject { ["title"] = title, ["category"] = category, ["unit"] = "fzc" };
            if (issuedOn is not null) data["issuedOn"] = issuedOn;
            return await ApiHelpers.StartAsync(await As("ducha"), FlowId, data);
        }

        public async Task DoAsync(string user, Guid item, string step, string outcome = "提交", JsonObject? data = null)
        {
            var client = await As(user);
            await ApiHelpers.CompleteOkAsync(client, await ApiHelpers.TaskOfAsync(client, item, step), outcome, data);
        }

        public async Task<JsonObject> TaskAsync(string user, Guid item, string step) =>
            (await ApiHelpers.InboxAsync(await As(user))).Single(t => t!["instanceId"]!.GetValue<Guid>() == item && t["activityName"]!.GetValue<string>() == step)!.AsObject();

        public async Task<JsonObject> ItemAsync(Guid item) => await ApiHelpers.InstanceAsync(await As("ducha"), item);

        public async ValueTask DisposeAsync()
        {
            foreach (var client in _clients.Values) client.Dispose();
            await host.DisposeAsync();
            await plain.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    private async Task<Scenario> StartAsync(DateTimeOffset start)
    {
        var database = await VirtualClockHosts.DatabaseAsync(provider, start);
        var plain = VirtualClockHosts.Plain(database, start);
        var host = VirtualClockHosts.Virtual(plain, start);
        var scenario = new Scenario(database, plain, host);
        await ApiHelpers.ImportAsync(await scenario.As("admin"), Procedure());
        return scenario;
    }

    private static DateTimeOffset? Due(JsonNode? node) => node?["dueAt"]?.GetValue<DateTimeOffset?>();

    [Fact]
    public async Task Meeting_and_instruction_items_have_30_days_from_their_own_start_and_reference_items_none()
    {
        await using var js = await StartAsync(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));   // Monday
        var meeting = await js.RegisterAsync("落实省政府常务会议精神", "会议文件", issuedOn: "2026-02-27");
        var instruction = await js.RegisterAsync("落实省长批示", "领导批示");
        var reference = await js.RegisterAsync("参阅：外省经验做法", "参阅");
        // 领导批示: 印发日期 left empty defaults to the day of registration.
        Assert.Equal("2026-03-02", (await js.ItemAsync(instruction))["data"]!["issuedOn"]!.GetValue<string>());

        // 审定 two days later, Wednesday 3/4: the items are assigned (交办) that day.
        await js.AdvanceAsync(2);
        foreach (var id in new[] { meeting, instruction, reference }) await js.DoAsync("ducha", id, "审定");

        // 会议文件: 30 days from the meeting (2/27) is Sunday 3/29 → the next working day, Monday 3/30.
        Assert.Equal(EndOf(2026, 3, 30), Due((await js.ItemAsync(meeting))["instance"]));
        Assert.Equal(EndOf(2026, 3, 30), Due(await js.TaskAsync("fazhi", meeting, "交办（主办）")));
        // 领导批示: 30 days from the 交办 (3/4, stamped as 交办日期) is Friday 4/3 (清明 is 4/4–4/6).
        var item = await js.ItemAsync(instruction);
        Assert.Equal("2026-03-04", item["data"]!["assignedOn"]!.GetValue<string>());
        Assert.Equal(EndOf(2026, 4, 3), Due(item["instance"]));
        Assert.Equal(EndOf(2026, 4, 3), Due(await js.TaskAsync("fazhi", instruction, "交办（主办）")));
        Assert.False((await js.TaskAsync("fazhi", instruction, "交办（主办）"))["provisional"]!.GetValue<bool>());
        // 参阅: no deadline for the item or its 阅知 step.
        Assert.Null(Due((await js.ItemAsync(reference))["instance"]));
        Assert.Null(Due(await js.TaskAsync("fazhi", reference, "阅知")));
    }

    [Fact]
    public async Task A_proposal_is_answered_within_3_months_of_the_assignment_and_reported_20_days_after_the_answer()
    {
        await using var js = await StartAsync(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
        var proposal = await js.RegisterAsync("关于加快城乡公交一体化的建议", "建议提案");
        await js.AdvanceAsync(2);                                   // 审定 and 交办 on Wednesday 3/4
        await js.DoAsync("ducha", proposal, "审定");
        // 3 months from 3/4 is Thursday 6/4.
        Assert.Equal(EndOf(2026, 6, 4), Due((await js.ItemAsync(proposal))["instance"]));
        Assert.Equal(EndOf(2026, 6, 4), Due(await js.TaskAsync("fazhi", proposal, "交办（主办）")));

        // The unit answers on Wednesday 5/20 (答复日期 stamped when its 交办 step is done); the office approves it the same day.
        await js.AdvanceAsync(77);
        await js.DoAsync("fazhi", proposal, "交办（主办）", data: new JsonObject { ["report"] = "已当面答复代表" });
        await js.DoAsync("ducha", proposal, "审核", "通过");
        Assert.Equal("2026-05-20", (await js.ItemAsync(proposal))["data"]!["repliedOn"]!.GetValue<string>());
        // The report: 20 days after the answer (5/20) is Tuesday 6/9.
        Assert.Equal(EndOf(2026, 6, 9), Due(await js.TaskAsync("fazhi", proposal, "报告办理情况")));
    }

    [Fact]
    public async Task Quarterly_reports_are_due_on_the_next_date_of_the_series_each_time()
    {
        await using var js = await StartAsync(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.FromHours(8)));   // Monday
        var key = await js.RegisterAsync("2026年度重点工作：营商环境优化", "重点工作");
        await js.DoAsync("ducha", key, "审定");
        // No deadline for the item itself; the first report is due 7-15 (Wednesday).
        Assert.Null(Due((await js.ItemAsync(key))["instance"]));
        Assert.Equal(EndOf(2026, 7, 15), Due(await js.TaskAsync("fazhi", key, "报告季度进展")));

        // Sent early on Friday 7/10; the next report is due 10-15 (Thursday), not 7-15 again.
        await js.AdvanceAsync(39);
        await js.DoAsync("fazhi", key, "报告季度进展", data: new JsonObject { ["report"] = "二季度进展" });
        await js.DoAsync("ducha", key, "季度审核", "下一季度");
        Assert.Equal(EndOf(2026, 10, 15), Due(await js.TaskAsync("fazhi", key, "报告季度进展")));

        // Sent on Monday 10/12: next 2027-01-15 (Friday). 2027's notice is not loaded: the date is provisional.
        await js.AdvanceAsync(94);
        await js.DoAsync("fazhi", key, "报告季度进展", data: new JsonObject { ["report"] = "三季度进展" });
        await js.DoAsync("ducha", key, "季度审核", "下一季度");
        var q4 = await js.TaskAsync("fazhi", key, "报告季度进展");
        Assert.Equal(EndOf(2027, 1, 15), Due(q4));
        Assert.True(q4["provisional"]!.GetValue<bool>());

        // Sent on Friday 2027-01-08, before 1-15: the series goes on to 2027-07-15 (Thursday), not 1-15 again.
        await js.AdvanceAsync(88);
        await js.DoAsync("fazhi", key, "报告季度进展", data: new JsonObject { ["report"] = "四季度及全年进展" });
        await js.DoAsync("ducha", key, "季度审核", "下一季度");
        Assert.Equal(EndOf(2027, 7, 15), Due(await js.TaskAsync("fazhi", key, "报告季度进展")));
    }
}

public sealed class SqliteJiangsuScenarioTests() : JiangsuScenarioTests("Sqlite");

public sealed class PostgresJiangsuScenarioTests() : JiangsuScenarioTests("Postgres");
