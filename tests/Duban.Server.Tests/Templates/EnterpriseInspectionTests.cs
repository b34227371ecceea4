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
/// The shipped template 企业督查 (workflows/enterprise-inspection.json with its child procedures 督查整改建议书 and
/// 严重问题督查报告), driven over HTTP by the demo users: the weekly plan, preparation from the checklist, the
/// inspection recorded item by item with a photo, then each problem handled — one fixed on the spot, one by a
/// 《督查整改建议书》 whose first fix fails verification and whose deadline passes (chased, scored), two serious problems
/// reported to the leader (one acted on and followed up, one dropped) — and the written summary and the archive.
/// </summary>
public abstract class EnterpriseInspectionTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TemplateFixture
{
    private const string Definition = "enterprise-inspection";
    private const string Rectification = "enterprise-inspection-rectification";
    private const string Serious = "enterprise-inspection-serious";
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOfDay(int year, int month, int day) => new(year, month, day, 23, 59, 59, China);

    private static DateTimeOffset Due(JsonNode? task) => TruncateToSecond(task!["dueAt"]!.GetValue<DateTimeOffset>());

    private static DateTimeOffset TruncateToSecond(DateTimeOffset value) =>
        new DateTimeOffset(value.Ticks - value.Ticks % TimeSpan.TicksPerSecond, value.Offset).ToOffset(China);

    private async Task<JsonObject> PhotoAsync(HttpClient client, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. Encoding.UTF8.GetBytes(name)]);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", name);
        var uploaded = await OkJsonAsync(await client.PostAsync("/api/attachments", form));
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    private async Task ActAsync(string user, Guid item, string activity, string outcome, JsonObject? data = null, string? comment = null)
    {
        var client = await fixture.As(user);
        await CompleteOkAsync(client, await TaskOfAsync(client, item, activity), outcome, data, comment);
    }

    private async Task<JsonObject> ItemAsync(Guid item) => await InstanceAsync(await fixture.As("ducha"), item);

    private static IEnumerable<JsonNode> Timeline(JsonObject detail) => detail["timeline"]!.AsArray().Select(e => e!);

    private static IEnumerable<JsonNode> Completions(JsonObject detail, string activityId, string? outcome = null) =>
        Timeline(detail).Where(e => e["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]?.GetValue<string>() == activityId
            && (outcome is null || e["outcome"]?.GetValue<string>() == outcome));

    /// <summary>The item's open steps (not notices, not the chase ladder's own tasks).</summary>
    private static List<JsonNode> Steps(JsonObject detail) => detail["openTasks"]!.AsArray().Select(t => t!)
        .Where(t => t["kind"]!.GetValue<string>() == "task" && !t["activityId"]!.GetValue<string>().StartsWith("chase", StringComparison.Ordinal)).ToList();

    private static void AssertClosed(JsonObject detail, string result)
    {
        Assert.Equal("completed", detail["instance"]!["status"]!.GetValue<string>());
        Assert.Equal(result, detail["instance"]!["result"]!.GetValue<string>());
        Assert.Empty(Steps(detail));
    }

    private async Task<JsonObject> LedgerRowAsync(string definition, Guid item)
    {
        var page = await GetJsonAsync(await fixture.As("ducha"), $"/api/ledger?definitionId={definition}&pageSize=100");
        return page["items"]!.AsArray().Single(r => r!["id"]!.GetValue<Guid>() == item)!.AsObject();
    }

    private async Task<JsonObject> ScoreAsync(string unit) => await GetJsonAsync(await fixture.As("ducha"), $"/api/scoring/2026/units/{unit}");

    private static Guid ChildOf(JsonObject parent, string titlePrefix) =>
        parent["children"]!.AsArray().Single(c => c!["title"]!.GetValue<string>().StartsWith(titlePrefix, StringComparison.Ordinal))!["id"]!.GetValue<Guid>();

    [Fact]
    public async Task A_weekly_inspection_is_planned_prepared_recorded_and_every_problem_is_followed_to_its_end_before_the_archive()
    {
        fixture.SetTime(2026, 3, 2, 9);
        var qingdaoBefore = (await ScoreAsync("qingdao"))["score"]!.GetValue<decimal>();
        var jinanBefore = (await ScoreAsync("jinan"))["score"]!.GetValue<decimal>();
        var ducha = await fixture.As("ducha");
        var inspector = await fixture.UserIdAsync("ducha");

        // 确定目标: the weekly plan — focus, method, time, people.
        var missing = await FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = Definition,
            data = new { title = "第10周安全生产专项督查" },
        }));
        Assert.Contains("focus", missing.Keys);
        Assert.Contains("inspectors", missing.Keys);
        var plan = await StartAsync(ducha, Definition, new JsonObject
        {
            ["title"] = "第10周安全生产专项督查",
            ["weekOf"] = new JsonArray("2026-03-02", "2026-03-06"),
            ["inspectionType"] = "special",
            ["focus"] = "安全生产责任制落实、消防通道管理、安全台账。",
            ["methods"] = new JsonArray("onsite", "documents"),
            ["inspectionDate"] = "2026-03-04",
            ["targetUnits"] = new JsonArray("fzc", "jinan", "qingdao"),
            ["inspectors"] = new JsonArray(inspector),
        });
        var planned = await ItemAsync(plan);
        Assert.Matches(new Regex("^督查〔2026〕第\\d+期$"), planned["instance"]!["number"]!.GetValue<string>());
        var prepare = Assert.Single(Steps(planned));
        Assert.Equal("查前准备", prepare["activityName"]!.GetValue<string>());
        Assert.Equal("王督查", prepare["assigneeName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 4), Due(prepare));

        // 查前准备: the items to check come from the configurable checklist.
        var prepareTask = await TaskOfAsync(ducha, plan, "查前准备");
        Assert.Contains("checkItems", (await FieldErrorsAsync(await CompleteAsync(ducha, prepareTask, "准备就绪",
            new JsonObject { ["checkItems"] = new JsonArray("飞行检查"), ["prepared"] = new JsonArray("study") }))).Keys);
        await CompleteOkAsync(ducha, prepareTask, "准备就绪", new JsonObject
        {
            ["checkItems"] = new JsonArray("safety", "site", "records"),
            ["prepared"] = new JsonArray("study", "record", "docs", "notice"),
        });

        // 实施检查 on 4 March, recorded item by item by the next working day: OK, or a problem with a photo.
        fixture.SetTime(2026, 3, 4, 16);
        ducha = await fixture.As("ducha");
        var inspectTask = (await InboxAsync(ducha)).Single(t => t!["instanceId"]!.GetValue<Guid>() == plan)!;
        Assert.Equal("实施检查", inspectTask["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 5), Due(inspectTask));
        var photo = await PhotoAsync(ducha, "青岛消防通道.png");
        var noSituation = await FieldErrorsAsync(await CompleteAsync(ducha, inspectTask["id"]!.GetValue<Guid>(), "提交检查记录", new JsonObject
        {
            ["findings"] = new JsonArray(new JsonObject { ["checkItem"] = "safety", ["unit"] = "jinan", ["result"] = "ok" }),
        }));
        Assert.Contains("findings[0].situation", noSituation.Keys);
        await CompleteOkAsync(ducha, inspectTask["id"]!.GetValue<Guid>(), "提交检查记录", new JsonObject
        {
            ["findings"] = new JsonArray(
                new JsonObject { ["checkItem"] = "safety", ["unit"] = "jinan", ["situation"] = "安全生产责任书已签订，但有分包工程未经审批。", ["result"] = "problem" },
                new JsonObject { ["checkItem"] = "site", ["unit"] = "qingdao", ["situation"] = "一号楼消防通道堆放杂物。", ["result"] = "problem", ["evidence"] = new JsonArray(photo.DeepClone()) },
                new JsonObject { ["checkItem"] = "records", ["unit"] = "fzc", ["situation"] = "安全台账缺少2月记录；统计数据与报表不一致。", ["result"] = "problem" },
                new JsonObject { ["checkItem"] = "safety", ["unit"] = "qingdao", ["situation"] = "安全责任制落实到位。", ["result"] = "ok" }),
        });

        // 查后处理: one problem fixed on the spot, one 整改建议书 with a deadline, two serious problems for the leader.
        var afterCare = Assert.Single(Steps(await ItemAsync(plan)));
        Assert.Equal("查后处理", afterCare["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 6), Due(afterCare));
        await ActAsync("ducha", plan, "查后处理", "提交", new JsonObject
        {
            ["onSiteFixes"] = new JsonArray(new JsonObject
            {
                ["problem"] = "安全台账缺少2月记录", ["unit"] = "fzc", ["person"] = "赵处长", ["fix"] = "当场补记2月安全检查记录，负责人签字确认。",
            }),
            ["rectifications"] = new JsonArray(new JsonObject
            {
                ["problem"] = "一号楼消防通道堆放杂物", ["unit"] = "qingdao", ["requirement"] = "清理杂物，建立消防通道每日巡查制度。",
                ["deadline"] = "2026-03-13", ["evidence"] = new JsonArray(photo.DeepClone()),
            }),
            ["seriousProblems"] = new JsonArray(
                new JsonObject
                {
                    ["problem"] = "分包工程未经审批擅自开工", ["unit"] = "jinan", ["facts"] = "二号楼装修工程分包给无资质单位，已开工10天。",
                    ["suggestion"] = "责令停工整改，追究项目负责人责任。",
                },
                new JsonObject
                {
                    ["problem"] = "安全统计数据与报表不一致", ["unit"] = "fzc", ["facts"] = "2月报表隐患数为3处，台账记录为5处。",
                    ["suggestion"] = "核实数据来源，如系虚报予以通报。",
                }),
        });

        // Each 整改建议书 and each serious problem is an item of its own, numbered; the plan waits for them all.
        var tracking = await ItemAsync(plan);
        Assert.Empty(Steps(tracking));
        Assert.Equal(3, tracking["children"]!.AsArray().Count);
        var notice = ChildOf(tracking, "督查整改建议书：");
        var contracting = ChildOf(tracking, "严重问题督查报告：分包工程");
        var statistics = ChildOf(tracking, "严重问题督查报告：安全统计");
        var noticeItem = await ItemAsync(notice);
        Assert.Matches(new Regex("^督改〔2026〕\\d+号$"), noticeItem["instance"]!["number"]!.GetValue<string>());
        Assert.Equal("第10周安全生产专项督查", noticeItem["data"]!["source"]!.GetValue<string>());
        Assert.Equal(photo["id"]!.GetValue<string>(), noticeItem["data"]!["evidence"]![0]!["id"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 13), TruncateToSecond(noticeItem["instance"]!["dueAt"]!.GetValue<DateTimeOffset>()));
        var fix = Assert.Single(Steps(noticeItem));
        Assert.Equal("整改落实", fix["activityName"]!.GetValue<string>());
        Assert.Equal("青岛市司法局", fix["unitName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 13), Due(fix));
        Assert.Matches(new Regex("^督报〔2026〕\\d+号$"), (await ItemAsync(contracting))["instance"]!["number"]!.GetValue<string>());

        // 整改建议书: the department reports its fix; the inspector finds it not done and sends it back.
        fixture.SetTime(2026, 3, 10, 10);
        var qingdao = await fixture.As("qingdao");
        var fixTask = await TaskOfAsync(qingdao, notice, "整改落实");
        // The department may not open the inspection, but it reads the inspection's photo of its problem through the
        // 整改建议书 it was given; a unit with no such child still may not.
        var photoUrl = $"/api/attachments/{photo["id"]!.GetValue<string>()}";
        Assert.Equal(HttpStatusCode.NotFound, (await qingdao.GetAsync($"/api/instances/{plan}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await qingdao.GetAsync(photoUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("jinan")).GetAsync(photoUrl)).StatusCode);
        Assert.Contains("fixEvidence", (await FieldErrorsAsync(await CompleteAsync(qingdao, fixTask, "报告整改情况",
            new JsonObject { ["fixReport"] = "已清理。", ["fixSignedBy"] = "陈局长" }))).Keys);
        await CompleteOkAsync(qingdao, fixTask, "报告整改情况", new JsonObject
        {
            ["fixReport"] = "已清理一号楼消防通道杂物。",
            ["fixEvidence"] = new JsonArray(await PhotoAsync(qingdao, "清理后.png")),
            ["fixSignedBy"] = "陈局长",
        });
        var duchaNow = await fixture.As("ducha");
        var verify = await TaskOfAsync(duchaNow, notice, "整改验证");
        Assert.Contains("comment", (await FieldErrorsAsync(await CompleteAsync(duchaNow, verify, "退回"))).Keys);
        await CompleteOkAsync(duchaNow, verify, "退回", comment: "现场复查：杂物已清理，但巡查制度未建立，请补充。");
        var refix = Assert.Single(Steps(await ItemAsync(notice)));
        Assert.Equal("整改落实", refix["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 13), Due(refix));

        // The deadline passes without a new report: the ladder phones, then sends a written 催办通知 needing a reply.
        fixture.SetTime(2026, 3, 19, 9);
        Assert.Equal(2, await fixture.RunChasesAsync());       // no 到期提醒 once overdue (decision 022)
        duchaNow = await fixture.As("ducha");
        var chases = (await GetJsonAsync(duchaNow, $"/api/instances/{notice}/chases"))["chases"]!.AsArray();
        Assert.Equal(["phone", "written"], chases.Select(c => c!["rungKey"]!.GetValue<string>()).Order());
        Assert.All(chases, c => Assert.Equal("qingdao", c!["unitId"]!.GetValue<string>()));
        var phone = chases.Single(c => c!["rungKey"]!.GetValue<string>() == "phone")!;
        await OkJsonAsync(await duchaNow.PostAsJsonAsync($"/api/chases/{phone["id"]}/record", new
        {
            record = new { calledAt = "2026-03-19 09:20", personReached = "陈联络（青岛市司法局）", summary = "答复今日建立巡查制度并报告。" },
        }));
        qingdao = await fixture.As("qingdao");
        var reply = (await InboxAsync(qingdao)).Single(t => t!["instanceId"]!.GetValue<Guid>() == notice && t["activityName"]!.GetValue<string>() == "催办通知")!;
        await CompleteOkAsync(qingdao, reply["id"]!.GetValue<Guid>(), "提交回复", new JsonObject
        {
            ["reasons"] = "巡查制度需经局务会研究，未能按期完成。",
            ["progress"] = "制度已起草，3月19日局务会通过。",
            ["measures"] = "即日起执行每日巡查，责任到人。",
        });
        await CompleteOkAsync(qingdao, await TaskOfAsync(qingdao, notice, "整改落实"), "报告整改情况", new JsonObject
        {
            ["fixReport"] = "已清理杂物，建立消防通道每日巡查制度并执行。",
            ["fixEvidence"] = new JsonArray(await PhotoAsync(qingdao, "巡查制度.png")),
        });
        await ActAsync("ducha", notice, "整改验证", "整改到位", new JsonObject { ["verifyOpinion"] = "复查合格，整改到位。" });
        var closedNotice = await ItemAsync(notice);
        AssertClosed(closedNotice, "整改完成");
        Assert.Equal(2, Completions(closedNotice, "fix").Count());
        var failed = Assert.Single(Completions(closedNotice, "verify", "退回"));
        Assert.Contains("巡查制度未建立", failed["comment"]!.GetValue<string>());
        Assert.Single(Completions(closedNotice, "verify", "整改到位"));
        Assert.Equal(2, Timeline(closedNotice).Count(e => e["kind"]!.GetValue<string>() == "taskCreated" && e["activityId"]?.GetValue<string>() == "fix"));
        Assert.Equal(2, Timeline(closedNotice).Count(e => e["kind"]!.GetValue<string>() == "chased"));   // phone, written (no reminder once overdue)
        Assert.Contains(Timeline(closedNotice), e => e["kind"]!.GetValue<string>() == "chaseReplied");

        // Serious problem 1: 督查报告 → the leader sends it back once, then decides → 济南 acts → followed up.
        fixture.SetTime(2026, 3, 20, 9);
        await ActAsync("ducha", contracting, "形成督查报告", "报请领导决策", new JsonObject { ["reportText"] = "二号楼装修工程违规分包，存在重大安全隐患。" });
        await ActAsync("lingdao", contracting, "领导决策", "退回", comment: "请查明分包合同签订人。");
        await ActAsync("ducha", contracting, "形成督查报告", "报请领导决策", new JsonObject
        {
            ["reportText"] = "二号楼装修工程违规分包，合同由项目负责人签订，存在重大安全隐患。",
        });
        var lingdao = await fixture.As("lingdao");
        var decide = await TaskOfAsync(lingdao, contracting, "领导决策");
        var noUnit = await FieldErrorsAsync(await CompleteAsync(lingdao, decide, "作出决定", new JsonObject
        {
            ["decisionType"] = "handle", ["decision"] = "责令停工整改。",
        }));
        Assert.Contains("implUnit", noUnit.Keys);
        Assert.Contains("implDeadline", noUnit.Keys);
        await CompleteOkAsync(lingdao, decide, "作出决定", new JsonObject
        {
            ["decisionType"] = "handle",
            ["decision"] = "同意处理建议：责令停工，清退无资质分包单位，对项目负责人诫勉谈话。",
            ["implUnit"] = "jinan",
            ["implDeadline"] = "2026-03-31",
            ["leaderOpinion"] = "严肃处理，举一反三。",
        });
        var implement = Assert.Single(Steps(await ItemAsync(contracting)));
        Assert.Equal("落实决定", implement["activityName"]!.GetValue<string>());
        Assert.Equal("济南市司法局", implement["unitName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 31), Due(implement));
        await ActAsync("jinan", contracting, "落实决定", "报告落实情况", new JsonObject { ["implReport"] = "已停工并清退分包单位，项目负责人已诫勉谈话。" });
        await ActAsync("ducha", contracting, "跟踪核查", "已落实", new JsonObject { ["checkOpinion"] = "经核查，已落实。" });
        var closedContracting = await ItemAsync(contracting);
        AssertClosed(closedContracting, "已落实");
        Assert.Single(Completions(closedContracting, "decide", "退回"));

        // Serious problem 2: the leader decides not to act; no follow-up is needed (nor asked for).
        await ActAsync("ducha", statistics, "形成督查报告", "报请领导决策", new JsonObject { ["reportText"] = "安全统计数据前后不一致。" });
        await ActAsync("lingdao", statistics, "领导决策", "作出决定", new JsonObject
        {
            ["decisionType"] = "none",
            ["decision"] = "经核实系统计口径不同所致，不属虚报，不予处理；请统一统计口径。",
        });
        AssertClosed(await ItemAsync(statistics), "不予处理");

        // Everything closed: the written summary (problems, causes, measures), to the leader, then the archive.
        var summary = Assert.Single(Steps(await ItemAsync(plan)));
        Assert.Equal("书面总结", summary["activityName"]!.GetValue<string>());
        Assert.Equal(EndOfDay(2026, 3, 25), Due(summary));
        await ActAsync("ducha", plan, "书面总结", "提交", new JsonObject
        {
            ["problemsSummary"] = "发现问题4个：台账不全（已现场整改）、消防通道堵塞（限期整改，逾期后整改到位）、违规分包（已停工处理）、统计口径不一（不予处理）。",
            ["causes"] = "安全生产责任层层递减，日常巡查流于形式。",
            ["measures"] = "建立每日巡查制度；分包审批纳入月度督查清单；统一安全统计口径。",
        });
        lingdao = await fixture.As("lingdao");
        var read = (await InboxAsync(lingdao, "notice")).Single(t => t!["instanceId"]!.GetValue<Guid>() == plan)!;
        Assert.Equal("报公司领导阅知", read["activityName"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await lingdao.PostAsJsonAsync($"/api/tasks/{read["id"]}/read", new { comment = "阅。" })).StatusCode);
        await ActAsync("ducha", plan, "归档", "归档", new JsonObject
        {
            ["archiveNo"] = "DC-2026-010",
            ["archiveItems"] = new JsonArray("record", "onsite", "notices", "reports", "summary", "photos"),
        });

        var archived = await ItemAsync(plan);
        AssertClosed(archived, "已归档");
        Assert.Equal(3, Timeline(archived).Count(e => e["kind"]!.GetValue<string>() == "childStarted"));
        Assert.Equal(3, Timeline(archived).Count(e => e["kind"]!.GetValue<string>() == "childCompleted"));
        Assert.Equal("当场补记2月安全检查记录，负责人签字确认。", archived["data"]!["onSiteFixes"]![0]!["fix"]!.GetValue<string>());
        Assert.Equal(4, archived["data"]!["findings"]!.AsArray().Count);
        Assert.Equal(["tracked", "summary", "toLeaders", "archive"], Timeline(archived)
            .Where(e => e["kind"]!.GetValue<string>() == "activityCompleted" && e["activityId"]?.GetValue<string>() is "tracked" or "summary" or "toLeaders" or "archive")
            .Select(e => e["activityId"]!.GetValue<string>()));

        // The ledger: the plan and each child item closed with their results.
        Assert.Equal("已归档", (await LedgerRowAsync(Definition, plan))["result"]!.GetValue<string>());
        Assert.Equal("整改完成", (await LedgerRowAsync(Rectification, notice))["result"]!.GetValue<string>());
        Assert.Equal("已落实", (await LedgerRowAsync(Serious, contracting))["result"]!.GetValue<string>());
        Assert.Equal("不予处理", (await LedgerRowAsync(Serious, statistics))["result"]!.GetValue<string>());
        Assert.Contains("青岛市司法局", (await LedgerRowAsync(Rectification, notice))["units"]!.AsArray().Select(u => u!.GetValue<string>()));

        // Scores: 青岛 lost 0.1 for the phone chase and 0.2 for the written notice; one failed verification is within the
        // tolerated redos. 济南 acted in time: nothing.
        var qingdaoScore = await ScoreAsync("qingdao");
        Assert.Equal(qingdaoBefore - 0.3m, qingdaoScore["score"]!.GetValue<decimal>());
        Assert.Equal(["phone", "writtenNotice"], qingdaoScore["events"]!.AsArray()
            .Where(e => e!["instanceId"]?.GetValue<Guid>() == notice).Select(e => e!["type"]!.GetValue<string>()).Order());
        Assert.Equal(jinanBefore, (await ScoreAsync("jinan"))["score"]!.GetValue<decimal>());
    }
}

[Collection(SqliteTemplateFixture.Collection)]
public sealed class SqliteEnterpriseInspectionTests(SqliteTemplateFixture fixture)
    : EnterpriseInspectionTests<SqliteTemplateFixture>(fixture);

[Collection(PostgresTemplateFixture.Collection)]
public sealed class PostgresEnterpriseInspectionTests(PostgresTemplateFixture fixture)
    : EnterpriseInspectionTests<PostgresTemplateFixture>(fixture);
