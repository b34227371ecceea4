using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Templates.Http;

namespace Duban.Server.Tests.Templates;

/// <summary>
/// The shipped template 领导批示办理 (workflows/leader-instruction.json), driven over HTTP by the demo users through every
/// class of instruction: 批办性 (with a 退回 at 审定 and at 审核, and a leader's new 批示 that reopens tracking), 指导性
/// (overdue: chased by the ladder, scored, no late extension), 参阅性 (read confirmations, no report) and 不宜转办 (the
/// office investigates itself; a new 批示 sends it back to the office).
/// </summary>
public abstract class LeaderInstructionTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TemplateFixture
{
    private const string Definition = "leader-instruction";

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonObject> UploadAsync(HttpClient client, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("%PDF-1.4 领导批示件扫描件"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        var uploaded = await OkJsonAsync(await client.PostAsync("/api/attachments", form));
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    /// <summary>督查员 registers an instruction the day it arrives, with the original attached.</summary>
    private async Task<Guid> RegisterAsync(string title)
    {
        var ducha = await fixture.As("ducha");
        return await StartAsync(ducha, Definition, new JsonObject
        {
            ["title"] = title,
            ["origin"] = "own",
            ["leader"] = "李厅长",
            ["instructionDate"] = "2026-03-02",
            ["instructionText"] = "请法制处牵头研究，提出加强行政复议案件办理的具体措施。",
            ["relatedDocument"] = "《关于2025年全省行政复议工作情况的报告》",
            ["original"] = new JsonArray(await UploadAsync(ducha, "批示件.pdf")),
            ["reportLeader"] = await fixture.UserIdAsync("lingdao"),
        });
    }

    private async Task ActAsync(string user, Guid item, string activity, string outcome, JsonObject? data = null, string? comment = null)
    {
        var client = await fixture.As(user);
        await CompleteOkAsync(client, await TaskOfAsync(client, item, activity), outcome, data, comment);
    }

    private Task ProposeAsync(Guid item, JsonObject proposal) => ActAsync("ducha", item, "拟办", "提交审定", proposal);

    private async Task<JsonObject> ItemAsync(Guid item) => await InstanceAsync(await fixture.As("ducha"), item);

    private static IEnumerable<JsonNode> Timeline(JsonObject detail) => detail["timeline"]!.AsArray().Select(e => e!);

    private static int Completed(JsonObject detail, string activityId, string? outcome = null) =>
        Timeline(detail).Count(e => e["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]?.GetValue<string>() == activityId
            && (outcome is null || e["outcome"]?.GetValue<string>() == outcome));

    private static void AssertFinished(JsonObject detail, string result)
    {
        Assert.Equal("completed", detail["instance"]!["status"]!.GetValue<string>());
        Assert.Equal(result, detail["instance"]!["result"]!.GetValue<string>());
        // Nothing left to do; a reminder the ladder sent stays in the unit's 阅知 box until read.
        Assert.All(detail["openTasks"]!.AsArray(), t => Assert.Equal("notice", t!["kind"]!.GetValue<string>()));
        Assert.Matches(new Regex("^督批〔2026〕\\d+号$"), detail["instance"]!["number"]!.GetValue<string>());
    }

    private async Task<JsonObject> LedgerRowAsync(Guid item)
    {
        var page = await GetJsonAsync(await fixture.As("ducha"), $"/api/ledger?definitionId={Definition}&pageSize=100");
        return page["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == item)!.AsObject();
    }

    private async Task<decimal> ScoreAsync(string unit) =>
        (await GetJsonAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}"))["score"]!.GetValue<decimal>();

    [Fact]
    public async Task A_批办性_instruction_is_assigned_reviewed_reported_and_reopened_by_a_new_instruction()
    {
        var item = await RegisterAsync("李厅长关于加强行政复议案件办理工作的批示");
        var registered = await ItemAsync(item);
        Assert.Equal("suspended", registered["instance"]!["status"]!.GetValue<string>());
        // 拟办 within one working day of registration: due at the end of Tuesday 3 March.
        var proposeTask = (await InboxAsync(await fixture.As("ducha"))).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal("拟办", proposeTask["activityName"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 3, 3, 23, 59, 59, TimeSpan.FromHours(8)), TruncateToSecond(proposeTask["dueAt"]!.GetValue<DateTimeOffset>()));

        await ProposeAsync(item, new JsonObject
        {
            ["category"] = "handle",
            ["proposal"] = "建议由法制处牵头办理，济南市司法局协办，3月20日前报送办理情况。",
            ["leadUnit"] = "fzc",
            ["coUnits"] = new JsonArray("jinan"),
            ["goal"] = "提出加强行政复议案件办理的具体措施，形成书面报告。",
            ["dueDate"] = "2026-03-20",
        });
        // The leader sends the proposal back once; the office proposes again.
        await ActAsync("lingdao", item, "领导审定", "退回", comment: "请明确时间节点，3月16日前报送。");
        await ProposeAsync(item, new JsonObject
        {
            ["proposal"] = "按领导意见，时限调整为3月16日。",
            ["dueDate"] = "2026-03-16",
        });
        await ActAsync("lingdao", item, "领导审定", "同意", new JsonObject { ["approvalOpinion"] = "同意。" });

        // 交办: 法制处 (主办) and 济南市司法局 (协办) each have a task, due on the date in the proposal.
        var fazhi = await fixture.As("fazhi");
        var leadTask = (await InboxAsync(fazhi)).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal("交办办理（主办）", leadTask["activityName"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 3, 16, 23, 59, 59, TimeSpan.FromHours(8)), TruncateToSecond(leadTask["dueAt"]!.GetValue<DateTimeOffset>()));
        await ActAsync("jinan", item, "交办办理（协办）", "提交", comment: "济南市司法局已梳理本市复议案件办理中的突出问题，建议建立繁简分流机制。");
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已研究提出三项措施（初稿）。" });
        await ActAsync("ducha", item, "审核", "退回", comment: "措施不够具体，请补充责任分工和完成时间。");
        // The second round goes to both units again; the 主办 may submit without waiting for the 协办.
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject
        {
            ["report"] = "已提出繁简分流、集中审理、案例指导三项措施，明确责任处室和完成时间。",
        });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject
        {
            ["reviewOpinion"] = "措施具体，同意呈阅。",
            ["feedback"] = "法制处会同济南市司法局提出三项措施，已于3月13日前落实责任分工。",
        });

        // The leader adds a new 批示 on the report: tracking starts again with a new deadline.
        await ActAsync("lingdao", item, "领导阅示", "新批示", new JsonObject { ["leaderReview"] = "请在全省推广繁简分流做法，4月底前报送推广情况。" });
        await ActAsync("ducha", item, "跟踪交办", "交办", new JsonObject
        {
            ["proposal"] = "按领导新批示，请法制处牵头在全省推广繁简分流做法。",
            ["goal"] = "在全省推广繁简分流做法，报送推广情况。",
            ["dueDate"] = "2026-04-30",
        });
        var reopened = (await InboxAsync(fazhi)).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 23, 59, 59, TimeSpan.FromHours(8)), TruncateToSecond(reopened["dueAt"]!.GetValue<DateTimeOffset>()));
        Assert.Equal(new DateTimeOffset(2026, 4, 30, 23, 59, 59, TimeSpan.FromHours(8)), TruncateToSecond((await LedgerRowAsync(item))["dueAt"]!.GetValue<DateTimeOffset>()));
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已在全省16市推广繁简分流做法。" });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["feedback"] = "繁简分流做法已在全省推广。" });
        await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });

        var done = await ItemAsync(item);
        AssertFinished(done, "办结");
        // The timeline: every round, every send-back, both 批示 on the report.
        Assert.Equal(2, Completed(done, "propose"));
        Assert.Equal(1, Completed(done, "approve", "退回"));
        Assert.Equal(1, Completed(done, "approve", "同意"));
        Assert.Equal(1, Completed(done, "review", "退回"));
        Assert.Equal(2, Completed(done, "review", "通过"));
        Assert.Equal(1, Completed(done, "leaderRead", "新批示"));
        Assert.Equal(1, Completed(done, "leaderRead", "阅示办结"));
        Assert.Equal(1, Completed(done, "track"));
        Assert.Equal(3, Timeline(done).Count(e => e["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]!.GetValue<string>() == "assign"
            && e["data"]?["role"]?.GetValue<string>() == "lead"));
        var data = done["data"]!.AsObject();
        Assert.Equal(2, data["leaderReview"]!.AsArray().Count);
        Assert.Equal(3, data["proposal"]!.AsArray().Count);
        Assert.Equal("2026-04-30", data["dueDate"]!.GetValue<string>());
        Assert.Single(data["original"]!.AsArray());

        // 交办: three rounds; the 协办's opinion of the first round stays on record.
        var steps = await (await fixture.As("ducha")).GetFromJsonAsync<JsonArray>($"/api/instances/{item}/assignments");
        Assert.Equal(3, steps!.Count);
        var co = steps[0]!["units"]!.AsArray().Single(u => u!["role"]!.GetValue<string>() == "co")!;
        Assert.Equal("jinan", co["unitId"]!.GetValue<string>());
        Assert.Equal("submitted", co["status"]!.GetValue<string>());
        Assert.Contains("繁简分流", co["comment"]!.GetValue<string>());

        // The ledger: completed, with both units; no chase, so no deduction.
        var row = await LedgerRowAsync(item);
        Assert.Equal("completed", row["status"]!.GetValue<string>());
        Assert.Equal("办结", row["result"]!.GetValue<string>());
        var units = row["units"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
        Assert.Contains("法制处", units);
        Assert.Contains("济南市司法局", units);
        Assert.Empty((await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray());
    }

    [Fact]
    public async Task A_指导性_instruction_overdue_is_chased_by_the_ladder_and_scored_and_may_no_longer_be_extended()
    {
        var before = await ScoreAsync("qingdao");
        var item = await RegisterAsync("李厅长关于做好青岛市公共法律服务指导工作的批示");
        await ProposeAsync(item, new JsonObject
        {
            ["category"] = "guide",
            ["proposal"] = "指导性批示，建议转青岛市司法局参照落实，3月6日前报告。",
            ["leadUnit"] = "qingdao",
            ["goal"] = "结合实际落实批示精神，报告落实情况。",
            ["dueDate"] = "2026-03-06",
        });
        await ActAsync("lingdao", item, "领导审定", "同意");

        // Tuesday 10 March: overdue since the end of Friday 6 March, one working day (Monday) has passed.
        fixture.SetTime(2026, 3, 10, 9);
        await fixture.RunChasesAsync();
        var chases = (await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray();
        // The job first looks after the deadline: the 到期提醒 due 3/4 is passed, not sent late (decision 022).
        Assert.Equal(["phone"], chases.OrderBy(c => c!["rungIndex"]!.GetValue<int>()).Select(c => c!["rungKey"]!.GetValue<string>()));
        Assert.All(chases, c => Assert.Equal("qingdao", c!["unitId"]!.GetValue<string>()));
        var phone = chases.Single(c => c!["rungKey"]!.GetValue<string>() == "phone")!;
        Assert.Equal("auto", phone["trigger"]!.GetValue<string>());
        // The ladder runs again at the same time: nothing is raised twice.
        await fixture.RunChasesAsync();
        Assert.Single((await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray());

        // The supervisor records the call.
        var recorded = await OkJsonAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/chases/{phone["id"]}/record", new
        {
            record = new { calledAt = "2026-03-10 09:30", personReached = "陈联络（青岛市司法局办公室）", summary = "已催报，对方承诺当日报送。" },
        }));
        Assert.Equal("done", recorded["status"]!.GetValue<string>());
        Assert.Equal(before - 0.1m, await ScoreAsync("qingdao"));

        // After the deadline an extension is refused, naming the date field.
        var late = await (await fixture.As("qingdao")).PostAsJsonAsync($"/api/instances/{item}/extensions", new { reason = "材料较多", newDueDate = "2026-03-20" });
        Assert.Contains("newDueDate", (await FieldErrorsAsync(late)).Keys);

        await ActAsync("qingdao", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已结合实际制定落实方案。" });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject { ["feedback"] = "青岛市司法局已制定落实方案（逾期2个工作日报送）。" });
        await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });

        var done = await ItemAsync(item);
        AssertFinished(done, "办结");
        var kinds = Timeline(done).Select(e => e["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(1, kinds.Count(k => k == "chased"));
        Assert.Contains("chaseRecorded", kinds);
        // Closed: the ladder climbs no further, the score stays.
        fixture.SetTime(2026, 3, 20, 9);
        await fixture.RunChasesAsync();
        Assert.Single((await GetJsonAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray());
        var score = await GetJsonAsync(await fixture.As("ducha"), "/api/scoring/2026/units/qingdao");
        Assert.Equal(before - 0.1m, score["score"]!.GetValue<decimal>());
        Assert.Contains(score["events"]!.AsArray(), e => e!["type"]!.GetValue<string>() == "phone" && e["instanceId"]!.GetValue<Guid>() == item);
        var ranking = await GetJsonAsync(await fixture.As("lingdao"), "/api/scoring/2026");
        Assert.Equal(before - 0.1m, ranking["units"]!.AsArray().Single(u => u!["unitId"]!.GetValue<string>() == "qingdao")!["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task A_参阅性_instruction_is_circulated_each_unit_confirms_it_has_read_it_and_no_report_is_asked()
    {
        var item = await RegisterAsync("李厅长关于学习借鉴外省公共法律服务经验的批示");
        await ProposeAsync(item, new JsonObject
        {
            ["category"] = "reference",
            ["proposal"] = "参阅性批示，建议转法制处、济南市司法局、青岛市司法局参阅。",
            ["readUnits"] = new JsonArray("fzc", "jinan", "qingdao"),
        });
        await ActAsync("lingdao", item, "领导审定", "同意");

        var ducha = await fixture.As("ducha");
        var reads = await GetJsonAsync(ducha, $"/api/instances/{item}/reads");
        Assert.Equal(3, reads["total"]!.GetValue<int>());
        Assert.Equal(3, reads["unread"]!.GetValue<int>());
        Assert.Contains("请认真参阅", reads["circulations"]![0]!["message"]!.GetValue<string>());
        // No deadline, no report: the units get a notice, not a task.
        Assert.Null((await LedgerRowAsync(item))["dueAt"]);
        foreach (var unitUser in new[] { "fazhi", "jinan", "qingdao" })
            Assert.DoesNotContain(await InboxAsync(await fixture.As(unitUser)), t => t!["instanceId"]!.GetValue<Guid>() == item);

        async Task ReadAsync(string user)
        {
            var client = await fixture.As(user);
            var notice = (await InboxAsync(client, "notice")).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
            var response = await client.PostAsJsonAsync($"/api/tasks/{notice["id"]}/read", new { comment = "已阅，将结合工作借鉴落实。" });
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        await ReadAsync("fazhi");
        await ReadAsync("jinan");
        reads = await GetJsonAsync(ducha, $"/api/instances/{item}/reads");
        Assert.Equal(2, reads["read"]!.GetValue<int>());
        var unread = reads["circulations"]![0]!["recipients"]!.AsArray().Single(r => r!["status"]!.GetValue<string>() == "unread")!;
        Assert.Equal("qingdao", unread["unitId"]!.GetValue<string>());
        Assert.Equal("suspended", (await ItemAsync(item))["instance"]!["status"]!.GetValue<string>());

        await ReadAsync("qingdao");
        var done = await ItemAsync(item);
        AssertFinished(done, "已传阅");
        reads = await GetJsonAsync(ducha, $"/api/instances/{item}/reads");
        Assert.Equal(3, reads["read"]!.GetValue<int>());
        Assert.All(reads["circulations"]![0]!["recipients"]!.AsArray(), r => Assert.False(string.IsNullOrEmpty(r!["readByName"]?.GetValue<string>())));
        Assert.Equal(3, Timeline(done).Count(e => e["kind"]!.GetValue<string>() == "noticeRead"));
        Assert.Empty((await (await fixture.As("ducha")).GetFromJsonAsync<JsonArray>($"/api/instances/{item}/assignments"))!);
        // The ledger filters by class of instruction and shows the class by its label.
        var references = await GetJsonAsync(ducha, $"/api/ledger?definitionId={Definition}&f.category=reference&fields=category&pageSize=100");
        var row = references["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == item)!;
        Assert.Equal("参阅性批示", row["fields"]!["category"]!.GetValue<string>());
        var handled = await GetJsonAsync(ducha, $"/api/ledger?definitionId={Definition}&f.category=handle&pageSize=100");
        Assert.DoesNotContain(handled["items"]!.AsArray(), r => r!["id"]!.GetValue<Guid>() == item);
    }

    [Fact]
    public async Task An_instruction_not_fit_to_forward_is_investigated_by_the_office_and_a_new_instruction_sends_it_back_to_the_office()
    {
        var item = await RegisterAsync("李厅长关于核查某律师事务所违规执业举报的批示");
        await ProposeAsync(item, new JsonObject
        {
            ["category"] = "direct",
            ["proposal"] = "涉及举报核查，不宜转办，建议由督查室直接调查核实。",
            ["dueDate"] = "2026-03-13",
        });
        await ActAsync("lingdao", item, "领导审定", "同意");
        await ActAsync("ducha", item, "调查办理", "呈阅", new JsonObject { ["investigation"] = "经调阅卷宗、约谈当事律师，举报事项部分属实。" });
        await ActAsync("lingdao", item, "领导阅示", "新批示", new JsonObject { ["leaderReview"] = "请进一步核实收费问题。" });
        await ActAsync("ducha", item, "调查办理", "呈阅", new JsonObject { ["investigation"] = "经进一步核实，收费问题已责令退还。" });
        await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "同意办结。" });

        var done = await ItemAsync(item);
        AssertFinished(done, "办结");
        Assert.Equal(2, Completed(done, "investigate"));
        Assert.Equal(0, Completed(done, "track"));
        Assert.Equal("经进一步核实，收费问题已责令退还。", done["data"]!["investigation"]!.GetValue<string>());
        // No unit was ever given the instruction.
        Assert.Empty((await (await fixture.As("ducha")).GetFromJsonAsync<JsonArray>($"/api/instances/{item}/assignments"))!);
        var units = (await LedgerRowAsync(item))["units"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
        Assert.DoesNotContain("法制处", units);
        Assert.DoesNotContain("济南市司法局", units);
        Assert.DoesNotContain("青岛市司法局", units);
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_each_field_and_changes_nothing()
    {
        var ducha = await fixture.As("ducha");
        var missing = await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = Definition,
            data = new JsonObject { ["title"] = "缺少原件的批示", ["origin"] = "own", ["leader"] = "李厅长", ["instructionDate"] = "2026-03-02", ["instructionText"] = "阅。" },
        });
        var errors = await FieldErrorsAsync(missing);
        Assert.Contains("original", errors.Keys);
        Assert.Contains("reportLeader", errors.Keys);

        var item = await RegisterAsync("李厅长关于规范行政执法监督工作的批示");
        var task = await TaskOfAsync(ducha, item, "拟办");
        // 批办性 without a unit, goal or date; and a proposal only the office may make.
        errors = await FieldErrorsAsync(await CompleteAsync(ducha, task, "提交审定", new JsonObject { ["category"] = "handle", ["proposal"] = "建议交办。" }));
        Assert.Contains("leadUnit", errors.Keys);
        Assert.Contains("goal", errors.Keys);
        Assert.Contains("dueDate", errors.Keys);
        errors = await FieldErrorsAsync(await CompleteAsync(ducha, task, "提交审定", new JsonObject
        {
            ["category"] = "handle", ["proposal"] = "建议交办。", ["leadUnit"] = "no-such-unit", ["goal"] = "规范执法监督。", ["dueDate"] = "2026-13-01",
        }));
        Assert.Contains("leadUnit", errors.Keys);
        Assert.Contains("dueDate", errors.Keys);
        var fazhi = await fixture.As("fazhi");
        var foreign = await CompleteAsync(fazhi, task, "提交审定", new JsonObject { ["category"] = "reference", ["proposal"] = "x", ["readUnits"] = new JsonArray("fzc") });
        Assert.False(foreign.IsSuccessStatusCode);

        var detail = await ItemAsync(item);
        Assert.Equal(["拟办"], detail["openTasks"]!.AsArray().Select(t => t!["activityName"]!.GetValue<string>()));
        Assert.Null(detail["data"]!["category"]);
        Assert.Equal(0, Completed(detail, "propose"));
        await (await fixture.As("ducha")).PostAsJsonAsync($"/api/instances/{item}/cancel", new { reason = "测试结束" });
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new DateTimeOffset(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset).ToOffset(TimeSpan.FromHours(8));
}

[Collection(SqliteTemplateFixture.Collection)]
public sealed class SqliteLeaderInstructionTests(SqliteTemplateFixture fixture)
    : LeaderInstructionTests<SqliteTemplateFixture>(fixture);

[Collection(PostgresTemplateFixture.Collection)]
public sealed class PostgresLeaderInstructionTests(PostgresTemplateFixture fixture)
    : LeaderInstructionTests<PostgresTemplateFixture>(fixture);
