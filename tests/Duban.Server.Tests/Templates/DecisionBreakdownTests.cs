using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Templates.Http;

namespace Duban.Server.Tests.Templates;

/// <summary>
/// The shipped template 决策部署分解 (workflows/decision-breakdown.json, each row a decision-breakdown-task.json child),
/// driven over HTTP by the demo users with the clock under the test's control: three tasks — one sent back once and
/// reporting monthly, one extended, one chased when overdue — and the decision closing when the last one closes.
/// </summary>
public abstract class DecisionBreakdownTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TemplateFixture
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> RegisterAsync(string title) =>
        await StartAsync(await fixture.As("ducha"), "decision-breakdown", new JsonObject
        {
            ["title"] = title,
            ["sourceType"] = "partyMeeting",
            ["source"] = "厅党委会议（2026年第3次）",
            ["sourceDate"] = "2026-02-27",
            ["summary"] = "会议决定：加快推进公共法律服务体系建设，年内实现实体、热线、网络平台融合。",
            ["leader"] = await fixture.UserIdAsync("lingdao"),
        });

    private async Task ActAsync(string user, Guid item, string activity, string outcome, JsonObject? data = null, string? comment = null)
    {
        var client = await fixture.As(user);
        await CompleteOkAsync(client, await TaskOfAsync(client, item, activity), outcome, data, comment);
    }

    private async Task<JsonObject> ItemAsync(Guid item) => await InstanceAsync(await fixture.As("ducha"), item);

    private async Task<JsonObject> ProgressAsync(Guid decision) => await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{decision}/breakdown");

    private static JsonObject Line(JsonObject progress, string title) =>
        progress["tasks"]!.AsArray().Single(t => t!["title"]!.GetValue<string>() == title)!.AsObject();

    private static IEnumerable<string> Kinds(JsonObject detail) => detail["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>());

    private static DateTimeOffset EndOf(int month, int day) => new(2026, month, day, 23, 59, 59, China);

    private static DateTimeOffset Second(JsonNode? value) =>
        value!.GetValue<DateTimeOffset>() is var v ? new DateTimeOffset(v.Ticks - v.Ticks % TimeSpan.TicksPerSecond, v.Offset).ToOffset(China) : default;

    private async Task<decimal> ScoreAsync(string unit) =>
        (await GetJsonAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}"))["score"]!.GetValue<decimal>();

    private const string TaskA = "制定公共法律服务实体平台建设方案";
    private const string TaskB = "推进青岛市村居法律顾问全覆盖";
    private const string TaskC = "推进济南市公共法律服务中心标准化建设";

    private static JsonObject Row(string task, string lead, JsonArray? units, string deadline, string? phases = null) => new()
    {
        ["task"] = task, ["leadUnit"] = lead, ["units"] = units, ["owner"] = "分管处长", ["goal"] = $"{task}，按期报送完成情况。",
        ["deadline"] = deadline, ["phases"] = phases,
    };

    [Fact]
    public async Task A_decision_is_broken_down_each_task_is_tracked_on_its_own_and_the_decision_closes_when_the_last_task_closes()
    {
        var (fzcBefore, jinanBefore, qingdaoBefore) = (await ScoreAsync("fzc"), await ScoreAsync("jinan"), await ScoreAsync("qingdao"));
        var decision = await RegisterAsync("厅党委会议关于加快推进公共法律服务体系建设的决定");
        await ActAsync("lingdao", decision, "领导审定", "同意", new JsonObject { ["approvalOpinion"] = "同意立项，请督查室分解落实。" });

        // The breakdown table is checked row by row, naming the cell.
        var ducha = await fixture.As("ducha");
        var breakdownTask = await TaskOfAsync(ducha, decision, "任务分解");
        var bad = await CompleteAsync(ducha, breakdownTask, "分解下达", new JsonObject
        {
            ["breakdown"] = new JsonArray(Row(TaskA, "fzc", null, "2026-03-20"), Row(TaskB, "no-such-unit", null, "2026-03-27"), new JsonObject { ["task"] = TaskC }),
        });
        var errors = await FieldErrorsAsync(bad);
        Assert.Contains("breakdown[1].leadUnit", errors.Keys);
        Assert.Contains("breakdown[2].leadUnit", errors.Keys);
        Assert.Contains("breakdown[2].deadline", errors.Keys);
        Assert.Empty((await ItemAsync(decision))["children"]!.AsArray());

        await CompleteOkAsync(ducha, breakdownTask, "分解下达", new JsonObject
        {
            ["breakdown"] = new JsonArray(
                Row(TaskA, "fzc", new JsonArray("jinan"), "2026-03-20", "3月10日前完成调研；3月20日前报送建设方案"),
                Row(TaskB, "qingdao", null, "2026-03-27"),
                Row(TaskC, "jinan", null, "2026-03-13")),
        });

        // One child item per row, numbered, titled by its task, due on its row's date.
        var detail = await ItemAsync(decision);
        Assert.Equal("suspended", detail["instance"]!["status"]!.GetValue<string>());
        Assert.Matches(new Regex("^督决〔2026〕\\d+号$"), detail["instance"]!["number"]!.GetValue<string>());
        Assert.Equal("2026-03-27", detail["data"]!["finalDeadline"]!.GetValue<string>());
        var children = detail["children"]!.AsArray();
        Assert.Equal(3, children.Count);
        Assert.All(children, c => Assert.Matches(new Regex("^督任〔2026〕\\d+号$"), c!["number"]!.GetValue<string>()));
        var ids = children.ToDictionary(c => c!["title"]!.GetValue<string>(), c => c!["id"]!.GetValue<Guid>());
        var (a, b, c) = (ids[TaskA], ids[TaskB], ids[TaskC]);

        var progress = await ProgressAsync(decision);
        Assert.Equal(3, progress["total"]!.GetValue<int>());
        Assert.Equal(3, progress["open"]!.GetValue<int>());
        Assert.Equal([TaskA, TaskB, TaskC], progress["tasks"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()));
        Assert.Equal(EndOf(3, 13), Second(Line(progress, TaskC)["dueAt"]));
        Assert.Equal("green", Line(progress, TaskC)["light"]!.GetValue<string>());
        Assert.Equal("onSchedule", Line(progress, TaskC)["timeliness"]!.GetValue<string>());
        Assert.Equal("fzc", Line(progress, TaskA)["leadUnitId"]!.GetValue<string>());
        Assert.Equal(["济南市司法局"], Line(progress, TaskA)["coUnitNames"]!.AsArray().Select(u => u!.GetValue<string>()));
        // Units see their own task, not the decision's page.
        var fazhi = await fixture.As("fazhi");
        Assert.Equal(HttpStatusCode.NotFound, (await fazhi.GetAsync($"/api/instances/{decision}/breakdown")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync($"/api/instances/{a}")).StatusCode);

        // Task A (法制处 with 济南 as 责任单位): a monthly report, a send-back, then done on time.
        fixture.SetTime(2026, 3, 4, 10);
        fazhi = await fixture.As("fazhi");
        var monthly = (await InboxAsync(fazhi)).Single(t => t!["instanceId"]!.GetValue<Guid>() == a && t["activityName"]!.GetValue<string>() == "月度进展报告")!;
        Assert.Equal(EndOf(4, 2), Second(monthly["dueAt"]));
        // Both liaisons of 法制处 send the report at the same moment: one wins, the other is told; one report is kept.
        var fzcz = await fixture.As("fzcz");
        fixture.Gate.HoldUntil(2, "complete");
        var sent = await System.Threading.Tasks.Task.WhenAll(
            CompleteAsync(fazhi, monthly["id"]!.GetValue<Guid>(), "报送", new JsonObject
            {
                ["progressReports"] = "已完成12个市的实地调研，正在起草建设方案。下月计划：征求意见。", ["percent"] = 40, ["currentPhase"] = "调研",
            }),
            CompleteAsync(fzcz, monthly["id"]!.GetValue<Guid>(), "报送", new JsonObject
            {
                ["progressReports"] = "实地调研已完成，建设方案起草中。", ["percent"] = 45, ["currentPhase"] = "调研",
            }));
        fixture.Gate.Open();
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], sent.Select(r => r.StatusCode).Order());
        // The next report is due a month later: 2 May falls in the 劳动节 holiday, so the first working day after it.
        monthly = (await InboxAsync(fazhi)).Single(t => t!["instanceId"]!.GetValue<Guid>() == a && t["activityName"]!.GetValue<string>() == "月度进展报告")!;
        Assert.Equal(EndOf(5, 6), Second(monthly["dueAt"]));
        await ActAsync("jinan", a, "交办办理（协办）", "提交", comment: "济南市已完成市级平台选址，可作为试点。");
        await ActAsync("fazhi", a, "交办办理（主办）", "提交", new JsonObject { ["report"] = "建设方案（征求意见稿）已形成。", ["percent"] = 90 });
        await ActAsync("ducha", a, "审核", "退回", comment: "方案缺少经费测算，请补充后报送。");
        await ActAsync("fazhi", a, "交办办理（主办）", "提交", new JsonObject { ["report"] = "建设方案已补充经费测算，经处务会审定。", ["percent"] = 100, ["currentPhase"] = "完成" });
        await ActAsync("ducha", a, "审核", "通过", new JsonObject { ["reviewOpinion"] = "方案完整，同意办结。" });
        var doneA = await ItemAsync(a);
        Assert.Equal("completed", doneA["instance"]!["status"]!.GetValue<string>());
        // The monthly report still open when the task closed went with it.
        Assert.DoesNotContain(doneA["openTasks"]!.AsArray(), t => t!["kind"]!.GetValue<string>() == "task");
        Assert.Contains(doneA["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]!.GetValue<string>() == "review"
            && e["outcome"]!.GetValue<string>() == "退回" && e["comment"]!.GetValue<string>().Contains("经费测算"));
        Assert.Equal("suspended", (await ItemAsync(decision))["instance"]!["status"]!.GetValue<string>());

        // Task B (青岛): an extension asked before the deadline, approved by the office and then a leader.
        fixture.SetTime(2026, 3, 5, 15);
        var qingdao = await fixture.As("qingdao");
        var earlier = await qingdao.PostAsJsonAsync($"/api/instances/{b}/extensions", new { reason = "需等待村居换届完成", newDueDate = "2026-03-20" });
        Assert.Contains("newDueDate", (await FieldErrorsAsync(earlier)).Keys);
        var extension = await OkJsonAsync(await qingdao.PostAsJsonAsync($"/api/instances/{b}/extensions",
            new { reason = "部分村居正在换届，法律顾问聘任需待换届完成", newDueDate = "2026-04-10" }));
        await OkJsonAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/extensions/{extension["id"]}/decide", new { approve = true, opinion = "情况属实，同意报领导审批。" }));
        var decided = await OkJsonAsync(await (await fixture.As("lingdao")).PostAsJsonAsync($"/api/extensions/{extension["id"]}/decide", new { approve = true, opinion = "同意延期至4月10日。" }));
        Assert.Equal("approved", decided["status"]!.GetValue<string>());
        var leadTaskB = (await InboxAsync(qingdao)).Single(t => t!["instanceId"]!.GetValue<Guid>() == b && t["activityName"]!.GetValue<string>() == "交办办理（主办）")!;
        Assert.Equal(EndOf(4, 10), Second(leadTaskB["dueAt"]));
        Assert.Equal(EndOf(4, 10), Second(Line(await ProgressAsync(decision), TaskB)["dueAt"]));

        // Task C (济南), due Friday 13 March: reminded three working days before, phoned one working day after.
        fixture.SetTime(2026, 3, 11, 9);
        await fixture.RunChasesAsync();
        var chases = (await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{c}/chases"))["chases"]!.AsArray();
        Assert.Equal(["remind"], chases.Select(x => x!["rungKey"]!.GetValue<string>()));
        fixture.SetTime(2026, 3, 17, 10);
        await fixture.RunChasesAsync();
        await fixture.RunChasesAsync(); // a second round at the same time raises nothing more
        chases = (await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{c}/chases"))["chases"]!.AsArray();
        Assert.Equal(["remind", "phone"], chases.OrderBy(x => x!["rungIndex"]!.GetValue<int>()).Select(x => x!["rungKey"]!.GetValue<string>()));
        Assert.All(chases, x => Assert.Equal("jinan", x!["unitId"]!.GetValue<string>()));
        // The office makes the call and records it: the phone rung deducts when recorded (decision 022).
        var phone = chases.Single(x => x!["rungKey"]!.GetValue<string>() == "phone")!;
        await OkJsonAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/chases/{phone["id"]}/record", new
        {
            record = new { calledAt = "2026-03-17 10:30", personReached = "刘联络", summary = "承诺尽快报送" },
        }));
        progress = await ProgressAsync(decision);
        Assert.Equal("overdue", Line(progress, TaskC)["timeliness"]!.GetValue<string>());
        Assert.Equal("red", Line(progress, TaskC)["light"]!.GetValue<string>());
        Assert.Equal(1, progress["overdue"]!.GetValue<int>());
        // Nothing else was chased: A is done, B's deadline moved.
        Assert.Empty((await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{b}/chases"))["chases"]!.AsArray());
        await ActAsync("jinan", c, "交办办理（主办）", "提交", new JsonObject { ["report"] = "济南市公共法律服务中心已按标准完成改造。", ["percent"] = 100 });
        await ActAsync("ducha", c, "审核", "通过");

        // Monday 30 March, past B's first deadline but within the extension: nothing to chase; B closes on time.
        fixture.SetTime(2026, 3, 30, 9);
        await fixture.RunChasesAsync();
        progress = await ProgressAsync(decision);
        Assert.Equal("onSchedule", Line(progress, TaskB)["timeliness"]!.GetValue<string>());
        Assert.NotEqual("red", Line(progress, TaskB)["light"]!.GetValue<string>());
        Assert.Empty((await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{b}/chases"))["chases"]!.AsArray());
        await ActAsync("qingdao", b, "交办办理（主办）", "提交", new JsonObject { ["report"] = "全市村居法律顾问已全部聘任到位。", ["percent"] = 100 });
        Assert.Equal("suspended", (await ItemAsync(decision))["instance"]!["status"]!.GetValue<string>());
        await ActAsync("ducha", b, "审核", "通过");

        // The decision closed with its last task.
        detail = await ItemAsync(decision);
        Assert.Equal("completed", detail["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("办结", detail["instance"]!["result"]!.GetValue<string>());
        Assert.Equal(3, Kinds(detail).Count(k => k == "childStarted"));
        Assert.Equal(3, Kinds(detail).Count(k => k == "childCompleted"));

        progress = await ProgressAsync(decision);
        Assert.Equal(3, progress["done"]!.GetValue<int>());
        Assert.Equal(2, progress["doneOnTime"]!.GetValue<int>());
        Assert.Equal(1, progress["doneLate"]!.GetValue<int>());
        Assert.Equal(0, progress["overdue"]!.GetValue<int>());
        Assert.Equal(100, progress["percentDone"]!.GetValue<int>());
        var lineA = Line(progress, TaskA);
        Assert.Equal("onTime", lineA["timeliness"]!.GetValue<string>());
        Assert.Equal(1, lineA["returns"]!.GetValue<int>());
        Assert.Equal(1, lineA["progressReports"]!.GetValue<int>());
        Assert.Equal(100m, lineA["percent"]!.GetValue<decimal>());
        Assert.Contains("实地调研", lineA["lastReport"]!.GetValue<string>());
        var lineB = Line(progress, TaskB);
        Assert.Equal("onTime", lineB["timeliness"]!.GetValue<string>());
        Assert.Equal(1, lineB["extensionsApproved"]!.GetValue<int>());
        var lineC = Line(progress, TaskC);
        Assert.Equal("late", lineC["timeliness"]!.GetValue<string>());
        Assert.Equal(2, lineC["chases"]!.GetValue<int>());
        Assert.Null(lineC["light"]);

        // The timelines of the tasks carry the extension and the chases.
        var kindsB = Kinds(await ItemAsync(b)).ToList();
        Assert.Contains("extensionRequested", kindsB);
        Assert.Contains("extensionStageApproved", kindsB);
        Assert.Contains("extensionApproved", kindsB);
        Assert.Equal(2, Kinds(await ItemAsync(c)).Count(k => k == "chased"));

        // The ledger lists the three tasks as done; the scores come from what was logged.
        var ledger = await GetJsonAsync(await fixture.As("ducha"), "/api/ledger?definitionId=decision-breakdown-task&pageSize=100");
        var rows = ledger["items"]!.AsArray().Where(r => ids.ContainsValue(r!["id"]!.GetValue<Guid>())).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Equal("completed", r!["status"]!.GetValue<string>()));
        Assert.Equal(jinanBefore - 0.1m, await ScoreAsync("jinan"));
        Assert.Equal(fzcBefore, await ScoreAsync("fzc"));        // sent back once: within the tolerated redos
        Assert.Equal(qingdaoBefore, await ScoreAsync("qingdao")); // extended in time: never chased
        var jinan = await GetJsonAsync(await fixture.As("ducha"), "/api/scoring/2026/units/jinan");
        Assert.Contains(jinan["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "phone" && e["instanceId"]!.GetValue<Guid>() == c);
    }

    [Fact]
    public async Task A_decision_the_leader_does_not_approve_is_not_broken_down()
    {
        var ducha = await fixture.As("ducha");
        var missing = await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "decision-breakdown",
            data = new JsonObject { ["title"] = "缺少来源和责任领导的决策", ["sourceType"] = "meeting" },
        });
        var errors = await FieldErrorsAsync(missing);
        Assert.Contains("source", errors.Keys);
        Assert.Contains("leader", errors.Keys);

        var decision = await RegisterAsync("关于暂缓调整法律援助经济困难标准的动议");
        // Only the named leader approves; a unit's liaison cannot.
        var fazhi = await fixture.As("fazhi");
        Assert.DoesNotContain(await InboxAsync(fazhi), t => t!["instanceId"]!.GetValue<Guid>() == decision);
        await ActAsync("lingdao", decision, "领导审定", "不同意", new JsonObject { ["approvalOpinion"] = "条件尚不成熟，暂不立项。" });
        var detail = await ItemAsync(decision);
        Assert.Equal("completed", detail["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("不予立项", detail["instance"]!["result"]!.GetValue<string>());
        Assert.Empty(detail["children"]!.AsArray());
        Assert.Equal(0, (await ProgressAsync(decision))["total"]!.GetValue<int>());
    }
}

[Collection(SqliteTemplateFixture.Collection)]
public sealed class SqliteDecisionBreakdownTests(SqliteTemplateFixture fixture)
    : DecisionBreakdownTests<SqliteTemplateFixture>(fixture);

[Collection(PostgresTemplateFixture.Collection)]
public sealed class PostgresDecisionBreakdownTests(PostgresTemplateFixture fixture)
    : DecisionBreakdownTests<PostgresTemplateFixture>(fixture);
