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
/// The shipped template 人大代表建议、政协提案办理 (workflows/proposal.json) and its annual report
/// (workflows/proposal-annual-report.json), driven over HTTP by the demo users: a dispute of the assignment in the
/// 签收 window, a late 签收 chased by the ladder, 协办 opinions before the 主办's reply, a 退回 at review, the
/// proposer's 满意 given through a link without an account; 不满意 → 重办 within a month → still 不满意 → closed; the
/// report to the assigning office within 20 days after the year's handling is done.
/// </summary>
public abstract class ProposalTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TemplateFixture
{
    private const string Definition = "proposal";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOfDay(int year, int month, int day) => new(year, month, day, 23, 59, 59, China);

    private static DateTimeOffset Due(JsonNode? task) => TruncateToSecond(task!["dueAt"]!.GetValue<DateTimeOffset>());

    private static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new DateTimeOffset(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset).ToOffset(China);

    private async Task<JsonObject> UploadAsync(HttpClient client, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("%PDF-1.4 答复函（签发稿）"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        var uploaded = await OkJsonAsync(await client.PostAsync("/api/attachments", form));
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    private async Task<Guid> RegisterAsync(string title, string lead, params string[] co) =>
        await StartAsync(await fixture.As("ducha"), Definition, new JsonObject
        {
            ["proposalType"] = "npc",
            ["proposalNo"] = "第0123号",
            ["session"] = "省十四届人大五次会议",
            ["proposers"] = "王代表",
            ["coProposers"] = "李代表、赵代表",
            ["proposerContact"] = "0531-88880000",
            ["title"] = title,
            ["category"] = "law",
            ["content"] = "建议在乡镇（街道）普遍设立公共法律服务工作站，配备专职人员，提供法律咨询和人民调解服务。",
            ["leadUnit"] = lead,
            ["coUnits"] = new JsonArray(co.Select(u => (JsonNode)u).ToArray()),
            ["requirements"] = "请认真研究，按时答复。",
        });

    private async Task ActAsync(string user, Guid item, string activity, string outcome, JsonObject? data = null, string? comment = null)
    {
        var client = await fixture.As(user);
        await CompleteOkAsync(client, await TaskOfAsync(client, item, activity), outcome, data, comment);
    }

    private async Task<JsonObject> ReplyAsync(string replyClass, string text) => new()
    {
        ["contactDate"] = "2026-03-10",
        ["contactMethod"] = "meet",
        ["contactSummary"] = "当面听取王代表意见，代表希望优先在偏远乡镇设站。",
        ["replyClass"] = replyClass,
        ["replyText"] = text,
        ["replyLetter"] = new JsonArray(await UploadAsync(await fixture.As("fazhi"), "答复函.pdf")),
        ["signedBy"] = "赵处长",
    };

    private async Task<JsonObject> ItemAsync(Guid item) => await InstanceAsync(await fixture.As("ducha"), item);

    private static IEnumerable<JsonNode> Timeline(JsonObject detail) => detail["timeline"]!.AsArray().Select(e => e!);

    private static IEnumerable<JsonNode> Completions(JsonObject detail, string activityId, string? outcome = null) =>
        Timeline(detail).Where(e => e["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]?.GetValue<string>() == activityId
            && (outcome is null || e["outcome"]?.GetValue<string>() == outcome));

    /// <summary>The item's open steps (not notices, not the chase ladder's own tasks).</summary>
    private static List<JsonNode> OpenTasks(JsonObject detail) => detail["openTasks"]!.AsArray().Select(t => t!)
        .Where(t => t["kind"]!.GetValue<string>() == "task" && !t["activityId"]!.GetValue<string>().StartsWith("chase", StringComparison.Ordinal)).ToList();

    private async Task<JsonObject> LedgerRowAsync(Guid item, string definition = Definition, string? fields = null)
    {
        var page = await GetJsonAsync(await fixture.As("ducha"), $"/api/ledger?definitionId={definition}&pageSize=100{(fields is null ? "" : "&fields=" + fields)}");
        return page["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == item)!.AsObject();
    }

    private async Task<JsonObject> ScoreAsync(string unit) => await GetJsonAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}");

    [Fact]
    public async Task A_disputed_assignment_is_adjusted_a_late_签收_is_chased_and_the_proposer_answers_满意_through_a_link()
    {
        fixture.SetTime(2026, 3, 2, 9);
        var fzcBefore = (await ScoreAsync("fzc"))["score"]!.GetValue<decimal>();
        var jinanBefore = (await ScoreAsync("jinan"))["score"]!.GetValue<decimal>();
        var item = await RegisterAsync("关于加强基层公共法律服务体系建设的建议", "fzc", "jinan");

        // 登记交办: numbered, titled; 法制处 and 济南市司法局 each have a 签收 task, due in 5 working days (Monday 9 March).
        var registered = await ItemAsync(item);
        Assert.Matches(new Regex("^建提〔2026〕\\d+号$"), registered["instance"]!["number"]!.GetValue<string>());
        Assert.Equal("代表建议第0123号：关于加强基层公共法律服务体系建设的建议", registered["instance"]!["title"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 6, 2), TruncateToSecond(registered["instance"]!["dueAt"]!.GetValue<DateTimeOffset>()));
        var signoffs = OpenTasks(registered);
        Assert.Equal(["法制处", "济南市司法局"], signoffs.Select(t => t["unitName"]!.GetValue<string>()).Order());
        Assert.All(signoffs, t => Assert.Equal("签收", t["activityName"]!.GetValue<string>()));
        Assert.All(signoffs, t => Assert.Equal(EndOfDay(2026, 3, 9), Due(t)));

        // 济南市司法局 disputes the assignment within the window: a reason is required.
        fixture.SetTime(2026, 3, 3, 10);
        var jinan = await fixture.As("jinan");
        var jinanSignoff = await TaskOfAsync(jinan, item, "签收");
        Assert.Equal(["签收", "退回"], (await GetJsonAsync(jinan, $"/api/tasks/{jinanSignoff}"))["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains("comment", (await FieldErrorsAsync(await CompleteAsync(jinan, jinanSignoff, "退回"))).Keys);
        await CompleteOkAsync(jinan, jinanSignoff, "退回", comment: "该事项不涉及济南市，建议改由青岛市司法局协办（青岛已开展试点）。");
        // The other unit's 签收 is withdrawn until the office has decided.
        var fazhi = await fixture.As("fazhi");
        Assert.DoesNotContain(await InboxAsync(fazhi), t => t!["instanceId"]!.GetValue<Guid>() == item);

        // 交办异议处理: the office adjusts the 协办 and must say why.
        var ducha = await fixture.As("ducha");
        var review = await TaskOfAsync(ducha, item, "交办异议处理");
        Assert.Contains("adjustOpinion", (await FieldErrorsAsync(await CompleteAsync(ducha, review, "调整交办",
            new JsonObject { ["coUnits"] = new JsonArray("qingdao") }))).Keys);
        await CompleteOkAsync(ducha, review, "调整交办", new JsonObject
        {
            ["coUnits"] = new JsonArray("qingdao"),
            ["adjustOpinion"] = "理由成立，改由青岛市司法局协办。",
        });
        var adjusted = await ItemAsync(item);
        Assert.Equal(["fzc", "qingdao"], adjusted["data"]!["assignedUnits"]!.AsArray().Select(u => u!.GetValue<string>()));
        Assert.Equal(["法制处", "青岛市司法局"], OpenTasks(adjusted).Select(t => t["unitName"]!.GetValue<string>()).Order());
        Assert.All(OpenTasks(adjusted), t => Assert.Equal(EndOfDay(2026, 3, 10), Due(t)));
        await ActAsync("qingdao", item, "签收", "签收", new JsonObject { ["signOpinion"] = "同意协办。" });

        // 法制处 lets the window pass: red, and the ladder chases it (电话催办 one working day overdue; the job first looks
        // after the deadline, so the 到期提醒 is passed, not sent late — decision 022).
        fixture.SetTime(2026, 3, 12, 9);
        fazhi = await fixture.As("fazhi");
        var lateSignoff = (await InboxAsync(fazhi)).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal("red", lateSignoff["light"]!.GetValue<string>());
        Assert.Equal(1, await fixture.RunChasesAsync());
        ducha = await fixture.As("ducha");
        var chases = (await GetJsonAsync(ducha, $"/api/instances/{item}/chases"))["chases"]!.AsArray();
        Assert.Equal(["phone"], chases.Select(c => c!["rungKey"]!.GetValue<string>()));
        Assert.All(chases, c => Assert.Equal("fzc", c!["unitId"]!.GetValue<string>()));
        var phone = chases.Single(c => c!["rungKey"]!.GetValue<string>() == "phone")!;
        await OkJsonAsync(await ducha.PostAsJsonAsync($"/api/chases/{phone["id"]}/record", new
        {
            record = new { calledAt = "2026-03-12 09:30", personReached = "张联络（法制处）", summary = "已提醒签收，法制处今日签收。" },
        }));
        // The window has closed: 退回 is no longer offered, and a late dispute is refused, naming the outcome.
        var lateId = lateSignoff["id"]!.GetValue<Guid>();
        Assert.Equal(["签收"], (await GetJsonAsync(fazhi, $"/api/tasks/{lateId}"))["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        var lateDispute = await FieldErrorsAsync(await CompleteAsync(fazhi, lateId, "退回", comment: "建议改由其他单位主办。"));
        Assert.Contains("现已超过期限", Assert.Single(lateDispute["outcome"]));
        await ActAsync("fazhi", item, "签收", "签收", new JsonObject { ["signOpinion"] = "同意主办。" });

        // 办理答复: the 主办's task is due with the item (3 months from assignment), the 协办's in a month (moved off a Sunday).
        var handling = OpenTasks(await ItemAsync(item));
        var leadTask = handling.Single(t => t["activityName"]!.GetValue<string>() == "办理答复（主办）");
        var coTask = handling.Single(t => t["activityName"]!.GetValue<string>() == "办理答复（协办）");
        Assert.Equal("法制处", leadTask["unitName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 6, 2), Due(leadTask));
        Assert.Equal("青岛市司法局", coTask["unitName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 4, 13), Due(coTask));

        // The 主办 cannot reply before the 协办 has given its opinion; then it sees that opinion.
        fixture.SetTime(2026, 3, 13, 9);
        fazhi = await fixture.As("fazhi");
        var firstReply = await ReplyAsync("A", "已在全省乡镇设立公共法律服务工作站，偏远乡镇年内全覆盖。");
        Assert.Equal(HttpStatusCode.Conflict, (await CompleteAsync(fazhi, await TaskOfAsync(fazhi, item, "办理答复（主办）"), "提交审核", firstReply)).StatusCode);
        var qingdao = await fixture.As("qingdao");
        var coTaskId = await TaskOfAsync(qingdao, item, "办理答复（协办）");
        Assert.Contains("coSignedBy", (await FieldErrorsAsync(await CompleteAsync(qingdao, coTaskId, "提交",
            new JsonObject { ["coOpinionText"] = "青岛市已在全部涉农街道设站。" }))).Keys);
        await CompleteOkAsync(qingdao, coTaskId, "提交", new JsonObject
        {
            ["coOpinionText"] = "青岛市已在全部涉农街道设站，可提供试点经验。",
            ["coSignedBy"] = "陈局长",
        });
        var steps = (await fazhi.GetFromJsonAsync<JsonArray>($"/api/instances/{item}/assignments"))!;
        var co = steps.Single()!["units"]!.AsArray().Single(u => u!["role"]!.GetValue<string>() == "co")!;
        Assert.Equal("qingdao", co["unitId"]!.GetValue<string>());
        Assert.Equal("青岛市已在全部涉农街道设站，可提供试点经验。", co["input"]!["coOpinionText"]!.GetValue<string>());
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", firstReply);

        // 审核答复 sends it back once: only the 主办 handles it again (the 协办 gave its opinion), still due with the item.
        fixture.SetTime(2026, 3, 16, 9);
        await ActAsync("ducha", item, "审核答复", "退回", comment: "答复未说明偏远乡镇设站的具体时间，请补充。");
        var again = OpenTasks(await ItemAsync(item));
        var redoTask = Assert.Single(again);
        Assert.Equal("办理答复（主办）", redoTask["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 6, 2), Due(redoTask));
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", new JsonObject
        {
            ["replyText"] = "已在全省乡镇设立公共法律服务工作站，偏远乡镇于2026年9月底前全覆盖。",
        });
        // Only a step configured for it can be answered from outside.
        var reviewTask = await TaskOfAsync(await fixture.As("ducha"), item, "审核答复");
        Assert.Equal("该环节不支持在线征询",
            (await GetJsonAsync(await fixture.As("ducha"), $"/api/feedback-links?taskId={reviewTask}"))["reason"]!.GetValue<string>());
        Assert.Contains("taskId", (await FieldErrorsAsync(await (await fixture.As("ducha")).PostAsJsonAsync("/api/feedback-links", new { taskId = reviewTask }))).Keys);
        await ActAsync("ducha", item, "审核答复", "通过", new JsonObject
        {
            ["reviewOpinion"] = "答复针对所提问题，同意寄送。",
            ["replySentOn"] = "2026-03-17",
        });

        // 征询满意度 through a link: only the office makes it; the proposer needs no account; it works once.
        fixture.SetTime(2026, 3, 18, 9);
        ducha = await fixture.As("ducha");
        fazhi = await fixture.As("fazhi");
        var feedback = await TaskOfAsync(ducha, item, "征询满意度");
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.PostAsJsonAsync("/api/feedback-links", new { taskId = feedback })).StatusCode);
        Assert.True((await GetJsonAsync(ducha, $"/api/feedback-links?taskId={feedback}"))["available"]!.GetValue<bool>());
        var notForLiaisons = await GetJsonAsync(fazhi, $"/api/feedback-links?taskId={feedback}");
        Assert.False(notForLiaisons["available"]!.GetValue<bool>());
        Assert.Equal("只有督查员或管理员可以生成征询链接", notForLiaisons["reason"]!.GetValue<string>());
        var link = await OkJsonAsync(await ducha.PostAsJsonAsync("/api/feedback-links", new { taskId = feedback }));
        var token = link["token"]!.GetValue<string>();
        Assert.Equal($"/feedback/{token}", link["path"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 4, 17, 9, 0, 0, China), link["expiresAt"]!.GetValue<DateTimeOffset>().ToOffset(China));

        var outsider = fixture.Factory.CreateClient();
        var view = await GetJsonAsync(outsider, $"/api/public/feedback/{token}");
        Assert.Equal("王代表", view["respondentName"]!.GetValue<string>());
        Assert.Equal("提出人满意度", view["question"]!.GetValue<string>());
        Assert.Equal(["满意", "基本满意", "不满意"], view["choices"]!.AsArray().Select(c => c!["label"]!.GetValue<string>()));
        var details = view["details"]!.AsArray().ToDictionary(d => d!["label"]!.GetValue<string>(), d => d!["value"]?.GetValue<string>());
        Assert.Equal("法制处", details["主办单位"]);
        Assert.Equal("A类：所提问题已经解决或基本解决", details["答复类别"]);
        Assert.DoesNotContain("答复函（签发稿）", details.Keys);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/public/feedback/{token[..^4]}AAAA")).StatusCode);
        Assert.Equal(["choice"], (await FieldErrorsAsync(await outsider.PostAsJsonAsync($"/api/public/feedback/{token}", new { choice = "很好" }))).Keys);
        Assert.Equal(["choice"], (await FieldErrorsAsync(await outsider.PostAsJsonAsync($"/api/public/feedback/{token}", new { note = "没选" }))).Keys);
        Assert.Equal(HttpStatusCode.NoContent, (await outsider.PostAsJsonAsync($"/api/public/feedback/{token}",
            new { choice = "satisfied", note = "答复具体，工作站已经建起来了。" })).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await outsider.PostAsJsonAsync($"/api/public/feedback/{token}", new { choice = "dissatisfied" })).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await outsider.GetAsync($"/api/public/feedback/{token}")).StatusCode);

        // Closed: the result names the reply class and the satisfaction; the answer is signed by the proposer.
        var done = await ItemAsync(item);
        Assert.Equal("completed", done["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("办结（A类，满意）", done["instance"]!["result"]!.GetValue<string>());
        Assert.Empty(OpenTasks(done));
        Assert.Equal("link", done["data"]!["feedbackChannel"]!.GetValue<string>());
        Assert.Equal("王代表（在线征询）", done["data"]!["satisfactionNote"]!.AsArray().Single()!["userName"]!.GetValue<string>());

        // The timeline: the dispute with its reason, the withdrawn 签收, two rounds of 签收, the review's 退回, the chases.
        var dispute = Assert.Single(Completions(done, "signoff", "退回"));
        Assert.Equal("刘联络", dispute["actorName"]!.GetValue<string>());
        Assert.Contains("青岛市司法局", dispute["comment"]!.GetValue<string>());
        Assert.Single(Completions(done, "disputeReview", "调整交办"));
        Assert.Equal(2, Completions(done, "signoff", "签收").Count());
        Assert.Contains(Timeline(done), e => e["kind"]!.GetValue<string>() == "taskCancelled" && e["activityId"]?.GetValue<string>() == "signoff");
        Assert.Single(Completions(done, "review", "退回"));
        Assert.Single(Completions(done, "review", "通过"));
        Assert.Equal("王代表（在线征询）", Assert.Single(Completions(done, "feedback"))["actorName"]!.GetValue<string>());
        Assert.Single(Timeline(done), e => e["kind"]!.GetValue<string>() == "chased");   // the phone rung (no reminder once overdue)
        Assert.Contains(Timeline(done), e => e["kind"]!.GetValue<string>() == "chaseRecorded");

        // The ledger: completed, number, units, reply class and satisfaction as people read them.
        var row = await LedgerRowAsync(item, fields: "replyClass,satisfaction,leadUnit");
        Assert.Equal("completed", row["status"]!.GetValue<string>());
        Assert.Equal("办结（A类，满意）", row["result"]!.GetValue<string>());
        Assert.Equal(done["instance"]!["number"]!.GetValue<string>(), row["number"]!.GetValue<string>());
        Assert.Equal("A类：所提问题已经解决或基本解决", row["fields"]!["replyClass"]!.GetValue<string>());
        Assert.Equal("满意", row["fields"]!["satisfaction"]!.GetValue<string>());
        Assert.Equal("法制处", row["fields"]!["leadUnit"]!.GetValue<string>());
        var units = row["units"]!.AsArray().Select(u => u!.GetValue<string>()).ToList();
        Assert.Contains("法制处", units);
        Assert.Contains("青岛市司法局", units);

        // Scores: the phone chase cost 法制处 0.1; the dispute cost 济南市司法局 nothing.
        var fzc = await ScoreAsync("fzc");
        Assert.Equal(fzcBefore - 0.1m, fzc["score"]!.GetValue<decimal>());
        var deduction = Assert.Single(fzc["events"]!.AsArray(), e => e!["instanceId"]?.GetValue<Guid>() == item)!;
        Assert.Equal("phone", deduction["type"]!.GetValue<string>());
        Assert.Equal(0.1m, deduction["applied"]!.GetValue<decimal>());
        Assert.Equal(jinanBefore, (await ScoreAsync("jinan"))["score"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task 不满意_is_redone_within_a_month_and_after_one_redo_the_item_closes_whatever_the_answer()
    {
        // Registered the day before the May holiday: the 签收 window counts Saturday 9 May (调休上班).
        fixture.SetTime(2026, 4, 30, 9);
        var item = await RegisterAsync("关于规范法律援助经费使用的建议", "fzc");
        var signoff = Assert.Single(OpenTasks(await ItemAsync(item)));
        Assert.Equal("法制处", signoff["unitName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 5, 11), Due(signoff));
        await ActAsync("fazhi", item, "签收", "签收");

        // No 协办: the 主办 replies alone, due three months after assignment.
        var lead = Assert.Single(OpenTasks(await ItemAsync(item)));
        Assert.Equal("办理答复（主办）", lead["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 7, 30), Due(lead));
        fixture.SetTime(2026, 5, 6, 9);
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", await ReplyAsync("C", "经研究，所提建议涉及经费体制调整，留作今后工作参考。"));
        await ActAsync("ducha", item, "审核答复", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["replySentOn"] = "2026-05-06" });

        // The office records 不满意 from the written 征询意见表: the 主办 redoes it within a month.
        fixture.SetTime(2026, 5, 20, 9);
        var ducha = await fixture.As("ducha");
        var feedback = await TaskOfAsync(ducha, item, "征询满意度");
        var missing = await FieldErrorsAsync(await CompleteAsync(ducha, feedback, "提交", new JsonObject { ["satisfactionNote"] = "不满意" }));
        Assert.Contains("satisfaction", missing.Keys);
        Assert.Contains("feedbackChannel", missing.Keys);
        await CompleteOkAsync(ducha, feedback, "提交", new JsonObject
        {
            ["satisfaction"] = "dissatisfied",
            ["feedbackChannel"] = "form",
            ["satisfactionNote"] = "答复过于原则，未回应经费监管的具体问题。",
        });
        var redo = Assert.Single(OpenTasks(await ItemAsync(item)));
        Assert.Equal("办理答复（主办）", redo["activityName"]!.GetValue<string>());
        Assert.Equal("法制处", redo["unitName"]!.GetValue<string>());
        // A month from 20 May is Saturday 20 June, in the 端午 holiday: due Monday 22 June.
        Assert.Equal(EndOfDay(2026, 6, 22), Due(redo));

        fixture.SetTime(2026, 6, 1, 9);
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", new JsonObject
        {
            ["contactDate"] = "2026-05-28",
            ["contactSummary"] = "再次当面沟通，代表关注经费监管。",
            ["replyClass"] = "B",
            ["replyText"] = "已将经费监管纳入2026年法律援助工作要点，年内出台管理办法。",
        });
        await ActAsync("ducha", item, "审核答复", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["replySentOn"] = "2026-06-01" });

        // Still 不满意 after the redo (given through a link): recorded, and the item closes — one redo only.
        // A link not used within its 30 days has expired; the office sends a new one.
        ducha = await fixture.As("ducha");
        var second = await TaskOfAsync(ducha, item, "征询满意度");
        var stale = (await OkJsonAsync(await ducha.PostAsJsonAsync("/api/feedback-links", new { taskId = second })))["token"]!.GetValue<string>();
        fixture.SetTime(2026, 7, 2, 9);
        var outsider = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/public/feedback/{stale}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.PostAsJsonAsync($"/api/public/feedback/{stale}", new { choice = "satisfied" })).StatusCode);
        ducha = await fixture.As("ducha");
        var token = (await OkJsonAsync(await ducha.PostAsJsonAsync("/api/feedback-links", new { taskId = second })))["token"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await outsider.PostAsJsonAsync($"/api/public/feedback/{token}",
            new { choice = "dissatisfied", note = "仍未解决经费监管问题。" })).StatusCode);

        var done = await ItemAsync(item);
        Assert.Equal("completed", done["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("办结（B类，不满意，已重办）", done["instance"]!["result"]!.GetValue<string>());
        var notes = done["data"]!["satisfactionNote"]!.AsArray();
        Assert.Equal(2, notes.Count);
        Assert.Equal("王督查", notes[0]!["userName"]!.GetValue<string>());
        Assert.Equal("王代表（在线征询）", notes[1]!["userName"]!.GetValue<string>());
        Assert.Equal(2, Completions(done, "handle").Count());
        Assert.Equal(2, Completions(done, "feedback").Count());
        var rounds = Timeline(done).Where(e => e["kind"]!.GetValue<string>() == "activityStarted" && e["activityId"]?.GetValue<string>() == "redo").ToList();
        Assert.Single(rounds);
        var row = await LedgerRowAsync(item, fields: "replyClass,satisfaction");
        Assert.Equal("不满意", row["fields"]!["satisfaction"]!.GetValue<string>());
        Assert.Equal("B类：所提问题正在解决或已列入计划逐步解决", row["fields"]!["replyClass"]!.GetValue<string>());
    }

    /// <summary>
    /// Issue 16: the office has claimed (签收) the 征询满意度 task to follow it up; the proposer's link still answers it
    /// while it is open, and the office's own completion after that is the lost race (409).
    /// </summary>
    [Fact]
    public async Task The_proposer_answers_through_the_link_after_the_office_has_claimed_the_task()
    {
        fixture.SetTime(2026, 4, 30, 9);
        var item = await RegisterAsync("关于加强社区矫正工作的建议", "fzc");
        await ActAsync("fazhi", item, "签收", "签收");
        fixture.SetTime(2026, 5, 6, 9);
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", await ReplyAsync("A", "已采纳，年内在全省推开。"));
        await ActAsync("ducha", item, "审核答复", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["replySentOn"] = "2026-05-06" });

        var ducha = await fixture.As("ducha");
        var feedback = await TaskOfAsync(ducha, item, "征询满意度");
        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsync($"/api/tasks/{feedback}/claim", null)).StatusCode);
        var token = (await OkJsonAsync(await ducha.PostAsJsonAsync("/api/feedback-links", new { taskId = feedback })))["token"]!.GetValue<string>();

        var outsider = fixture.Factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await outsider.GetAsync($"/api/public/feedback/{token}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await outsider.PostAsJsonAsync($"/api/public/feedback/{token}",
            new { choice = "satisfied", note = "答复及时，措施具体。" })).StatusCode);

        // The office, a moment late, finds the answer recorded; a second answer through the link is gone.
        Assert.Equal(HttpStatusCode.Conflict, (await CompleteAsync(ducha, feedback, "提交", new JsonObject
        {
            ["satisfaction"] = "dissatisfied", ["feedbackChannel"] = "form",
        })).StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await outsider.PostAsJsonAsync($"/api/public/feedback/{token}", new { choice = "dissatisfied" })).StatusCode);
        var done = await ItemAsync(item);
        var answer = Assert.Single(Completions(done, "feedback"));
        Assert.Equal("王代表（在线征询）", answer["actorName"]!.GetValue<string>());
        Assert.Equal("satisfied", done["data"]!["satisfaction"]!.GetValue<string>());
    }

    /// <summary>
    /// Issue 16: the proposer's answer through the link and the office's own completion of the claimed 征询满意度 task
    /// commit at once (the commit gate holds both until each has read the task). One is recorded, once; the office's loss
    /// is a 409, the link's a 410 — the public page's 「征询已结束」, which is what the proposer is to be told (decision 009).
    /// </summary>
    [Fact]
    public async Task The_link_answer_and_the_office_completing_the_claimed_task_at_once_one_is_recorded_once()
    {
        fixture.SetTime(2026, 4, 30, 9);
        var item = await RegisterAsync("关于完善法律援助的建议", "fzc");
        await ActAsync("fazhi", item, "签收", "签收");
        fixture.SetTime(2026, 5, 6, 9);
        await ActAsync("fazhi", item, "办理答复（主办）", "提交审核", await ReplyAsync("A", "已采纳。"));
        await ActAsync("ducha", item, "审核答复", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["replySentOn"] = "2026-05-06" });
        var ducha = await fixture.As("ducha");
        var feedback = await TaskOfAsync(ducha, item, "征询满意度");
        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsync($"/api/tasks/{feedback}/claim", null)).StatusCode);
        var token = (await OkJsonAsync(await ducha.PostAsJsonAsync("/api/feedback-links", new { taskId = feedback })))["token"]!.GetValue<string>();
        var outsider = fixture.Factory.CreateClient();

        fixture.Gate.HoldUntil(2, "complete");
        var link = outsider.PostAsJsonAsync($"/api/public/feedback/{token}", new { choice = "satisfied", note = "答复及时。" });
        var office = CompleteAsync(ducha, feedback, "提交", new JsonObject { ["satisfaction"] = "basic", ["feedbackChannel"] = "form" });
        await Task.WhenAll(link, office);
        fixture.Gate.Open();

        var (linkStatus, officeStatus) = ((await link).StatusCode, (await office).StatusCode);
        Assert.True((linkStatus, officeStatus) is (HttpStatusCode.NoContent, HttpStatusCode.Conflict) or (HttpStatusCode.Gone, HttpStatusCode.NoContent),
            $"link {(int)linkStatus}, office {(int)officeStatus}");
        var done = await ItemAsync(item);
        var answer = Assert.Single(Completions(done, "feedback"));
        if (linkStatus == HttpStatusCode.NoContent)
        {
            Assert.Equal(("王代表（在线征询）", "satisfied", "link"), (answer["actorName"]!.GetValue<string>(),
                done["data"]!["satisfaction"]!.GetValue<string>(), done["data"]!["feedbackChannel"]!.GetValue<string>()));
            Assert.Contains("该待办已由王代表（在线征询）办理", await (await office).Content.ReadAsStringAsync());
        }
        else
        {
            Assert.Equal(("basic", "form"), (done["data"]!["satisfaction"]!.GetValue<string>(), done["data"]!["feedbackChannel"]!.GetValue<string>()));
            Assert.NotEqual("王代表（在线征询）", answer["actorName"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task The_year_s_handling_is_reported_to_the_assigning_office_within_20_days_with_the_leader_s_sign_off()
    {
        // The year's handling done on 15 September: 20 days later is 5 October, in the National Day holiday → 8 October.
        fixture.SetTime(2026, 9, 16, 9);
        var ducha = await fixture.As("ducha");
        var missing = await FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "proposal-annual-report",
            data = new { year = 2026 },
        }));
        Assert.Contains("completedOn", missing.Keys);
        Assert.Contains("units", missing.Keys);
        var item = await StartAsync(ducha, "proposal-annual-report", new JsonObject
        {
            ["year"] = 2026,
            ["completedOn"] = "2026-09-15",
            ["units"] = new JsonArray("fzc", "jinan"),
            ["requirements"] = "请于9月28日前报送本单位办理总结。",
        });
        var registered = await ItemAsync(item);
        Assert.Equal("2026年度建议提案办理情况报告", registered["instance"]!["title"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 10, 8), TruncateToSecond(registered["instance"]!["dueAt"]!.GetValue<DateTimeOffset>()));
        // Each unit's summary within 10 days: 26 September is a Saturday before the 中秋 holiday's end → Monday 28 September.
        var summaries = OpenTasks(registered);
        Assert.Equal(["法制处", "济南市司法局"], summaries.Select(t => t["unitName"]!.GetValue<string>()).Order());
        Assert.All(summaries, t => Assert.Equal(EndOfDay(2026, 9, 28), Due(t)));

        await ActAsync("fazhi", item, "单位办理总结", "提交", new JsonObject { ["unitSummary"] = "法制处主办建议12件，A类7件、B类4件、C类1件，满意率100%。" });
        await ActAsync("jinan", item, "单位办理总结", "提交", new JsonObject { ["unitSummary"] = "济南市司法局协办建议3件，均按时提交协办意见。" });
        fixture.SetTime(2026, 9, 29, 9);
        var draft = new JsonObject
        {
            ["statistics"] = new JsonArray(new JsonObject
            {
                ["kind"] = "npc", ["total"] = 12, ["classA"] = 7, ["classB"] = 4, ["classC"] = 1,
                ["satisfied"] = 11, ["basic"] = 1, ["dissatisfied"] = 0, ["redone"] = 1,
            }),
            ["reportText"] = "2026年共承办省人大代表建议12件，均在规定时限内答复。",
            ["reportFile"] = new JsonArray(await UploadAsync(await fixture.As("ducha"), "办理情况报告.pdf")),
        };
        await ActAsync("ducha", item, "汇总起草报告", "提交审签", draft);
        await ActAsync("lingdao", item, "领导审签", "退回", comment: "请补充重办件的整改情况。");
        await ActAsync("ducha", item, "汇总起草报告", "提交审签", new JsonObject
        {
            ["reportText"] = "2026年共承办省人大代表建议12件，均在规定时限内答复；1件不满意，重办后代表基本满意。",
        });
        await ActAsync("lingdao", item, "领导审签", "同意报送", new JsonObject { ["leaderOpinion"] = "同意报送。" });
        await ActAsync("ducha", item, "报送交办单位", "已报送", new JsonObject
        {
            ["sentOn"] = "2026-09-30",
            ["sentTo"] = "省人大常委会代表工作委员会",
            ["sentDocNo"] = "鲁司〔2026〕88号",
        });

        var done = await ItemAsync(item);
        Assert.Equal("completed", done["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("已报送", done["instance"]!["result"]!.GetValue<string>());
        Assert.Equal(2, done["data"]!["unitSummary"]!.AsArray().Count);
        Assert.Equal(["法制处", "济南市司法局"], done["data"]!["unitSummary"]!.AsArray().Select(o => o!["unitName"]!.GetValue<string>()).Order());
        Assert.Single(Completions(done, "sign", "退回"));
        Assert.Single(Completions(done, "sign", "同意报送"));
        Assert.Equal("completed", (await LedgerRowAsync(item, "proposal-annual-report"))["status"]!.GetValue<string>());
    }
}

[Collection(SqliteTemplateFixture.Collection)]
public sealed class SqliteProposalTests(SqliteTemplateFixture fixture)
    : ProposalTests<SqliteTemplateFixture>(fixture);

[Collection(PostgresTemplateFixture.Collection)]
public sealed class PostgresProposalTests(PostgresTemplateFixture fixture)
    : ProposalTests<PostgresTemplateFixture>(fixture);
