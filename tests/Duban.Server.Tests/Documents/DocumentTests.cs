using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Duban.Server.Tests.Templates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Templates.Http;

namespace Duban.Server.Tests.Documents;

/// <summary>
/// 文书 (docs/decisions/039) on the shipped procedures, driven over HTTP by the demo users: templates started from the
/// shipped ones or uploaded, versions, generation with a 文号, the file attached and journalled, and every generated
/// document opened with the Open XML SDK to read what it says. With LibreOffice installed, each shipped kind is rendered
/// to PDF and to PNG into artifacts/documents for a person to look at.
/// </summary>
public abstract class DocumentTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TemplateFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync()
    {
        foreach (var client in _slow.Values) client.Dispose();
        return Task.CompletedTask;
    }

    private async Task ActAsync(string user, Guid item, string activity, string outcome, JsonObject? data = null, string? comment = null)
    {
        var client = await fixture.As(user);
        await CompleteOkAsync(client, await TaskOfAsync(client, item, activity), outcome, data, comment);
    }

    /// <summary>A 批办性 leader's instruction, proposed, approved with an opinion and assigned to 法制处 with 济南市司法局.</summary>
    private async Task<Guid> AssignedInstructionAsync(string title, object? restriction = null)
    {
        var ducha = await fixture.As("ducha");
        var data = new JsonObject
        {
            ["title"] = title,
            ["origin"] = "own",
            ["leader"] = "李厅长",
            ["instructionDate"] = "2026-03-02",
            ["instructionText"] = "请法制处牵头研究，提出加强行政复议案件办理的具体措施。",
            ["reportLeader"] = await fixture.UserIdAsync("lingdao"),
            ["original"] = new JsonArray(await OriginalAsync(ducha)),
        };
        Guid item;
        if (restriction is null)
        {
            item = await StartAsync(ducha, "leader-instruction", data);
        }
        else
        {
            var started = await ducha.PostAsJsonAsync("/api/instances", new { definitionId = "leader-instruction", data, restriction });
            item = (await OkJsonAsync(started))["id"]!.GetValue<Guid>();
        }
        await ActAsync("ducha", item, "拟办", "提交审定", new JsonObject
        {
            ["category"] = "handle",
            ["proposal"] = "建议由法制处牵头办理，济南市司法局协办。",
            ["leadUnit"] = "fzc",
            ["coUnits"] = new JsonArray("jinan"),
            ["goal"] = "提出具体措施，形成书面报告。",
            ["dueDate"] = "2026-03-20",
        });
        await ActAsync("lingdao", item, "领导审定", "同意", new JsonObject { ["approvalOpinion"] = "同意，请法制处抓紧落实。" });
        return item;
    }

    private static async Task<JsonObject> OriginalAsync(HttpClient client)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent("%PDF-1.4 批示件扫描件"u8.ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", "批示件.pdf");
        var uploaded = await OkJsonAsync(await client.PostAsync("/api/attachments", form));
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    private async Task<JsonObject> ShippedAsync(string kind) =>
        await OkJsonAsync(await (await fixture.As("admin")).PostAsync($"/api/document-templates/shipped/{kind}", null));

    private async Task<JsonObject> GenerateAsync(string user, Guid item, string templateKey) =>
        await OkJsonAsync(await (await fixture.As(user)).PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey }));

    private async Task<byte[]> DownloadAsync(string user, string url)
    {
        // LibreOffice starts afresh for each conversion: on a busy machine that can take longer than HttpClient's 100 s.
        var client = url.Contains("pdf", StringComparison.Ordinal) ? await SlowClientAsync(user) : await fixture.As(user);
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    /// <summary>What a Word document says: each paragraph (in tables too) one line.</summary>
    internal static string TextOf(byte[] docx)
    {
        using var stream = new MemoryStream(docx);
        using var document = WordprocessingDocument.Open(stream, false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Body!.Descendants<Paragraph>()
            .Select(p => string.Concat(p.Descendants().Select(e => e switch { Text t => t.Text, Break => "\n", _ => "" }))));
    }

    [Fact]
    public async Task A_notice_is_generated_with_its_number_attached_to_the_item_journalled_and_says_what_the_item_says()
    {
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        var notice = await ShippedAsync("notice");
        Assert.Equal("督查通知单", notice["name"]!.GetValue<string>());
        Assert.Equal(1, notice["version"]!.GetValue<int>());
        Assert.Contains("主办单位", notice["placeholders"]!.AsArray().Select(p => p!.GetValue<string>()));

        var first = await GenerateAsync("ducha", item, "notice");
        var second = await GenerateAsync("ducha", item, "notice");
        Assert.Equal("督通〔2026〕1号", first["number"]!.GetValue<string>());
        Assert.Equal("督通〔2026〕2号", second["number"]!.GetValue<string>());

        var text = TextOf(await DownloadAsync("ducha", $"/api/documents/{first["id"]}"));
        var detail = await InstanceAsync(await fixture.As("ducha"), item);
        var itemNumber = detail["instance"]!["number"]!.GetValue<string>();
        Assert.Contains("山东省司法厅", text, StringComparison.Ordinal);
        Assert.Contains("督通〔2026〕1号", text, StringComparison.Ordinal);
        Assert.Contains(itemNumber, text, StringComparison.Ordinal);
        Assert.Contains("李厅长关于加强行政复议案件办理工作的批示", text, StringComparison.Ordinal);
        Assert.Contains("法制处", text, StringComparison.Ordinal);
        Assert.Contains("济南市司法局", text, StringComparison.Ordinal);
        Assert.Contains("2026年3月20日", text, StringComparison.Ordinal);
        // The leader's opinion, signed and timed.
        Assert.Matches(@"同意，请法制处抓紧落实。（李厅长，.*2026-03-0\d \d\d:\d\d）", text);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);

        // Attached to the item (downloadable as an attachment too) and on its timeline.
        var documents = await GetJsonArrayAsync("ducha", $"/api/instances/{item}/documents");
        Assert.Equal(2, documents.Count);
        var attachment = await DownloadAsync("ducha", $"/api/attachments/{first["attachmentId"]}");
        Assert.Contains("督通〔2026〕1号", TextOf(attachment), StringComparison.Ordinal);
        var line = detail["timeline"]!.AsArray().Last(e => e!["kind"]!.GetValue<string>() == "documentGenerated")!;
        Assert.Equal("王督查", line["actorName"]!.GetValue<string>());
        Assert.Contains("督通〔2026〕2号", line["comment"]!.GetValue<string>(), StringComparison.Ordinal);

        // Only the office and administrators generate; a unit's liaison who sees the item is refused, one who does not gets 404.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "notice" })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("qingdao")).PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "notice" })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("qingdao")).GetAsync($"/api/documents/{first["id"]}")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("ducha")).PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "no-such" })));
    }

    /// <summary>
    /// The 批示 procedure as the administrator changes it in the designer: <paramref name="change"/> edits its steps by id
    /// (the inputs as the designer saves them); then it is imported and published. Returns the response.
    /// </summary>
    private async Task<HttpResponseMessage> RedesignAsync(Action<Dictionary<string, JsonObject>, JsonObject> change)
    {
        var admin = await fixture.As("admin");
        var definition = (await admin.GetFromJsonAsync<JsonObject>("/api/definitions/leader-instruction/export"))!;
        var root = definition["root"]!.AsObject();
        change(root["activities"]!.AsArray().OfType<JsonObject>().ToDictionary(a => a["id"]!.GetValue<string>()), definition);
        return await admin.PostAsJsonAsync("/api/definitions/import?publish=true", definition);
    }

    private static JsonObject Literal(JsonNode value) =>
        new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

    [Fact]
    public async Task An_outcome_that_names_a_template_generates_it_in_the_same_write_and_sends_it_to_the_units_inboxes()
    {
        // A design naming a template the organization does not have is refused, naming the step and the outcome.
        var refused = await RedesignAsync((steps, _) => steps["approve"]["outcomeDocuments"] = Literal(new JsonObject { ["同意"] = "notice" }));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("「领导审定」：结果「同意」生成的文书模板「notice」不存在", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await ShippedAsync("notice");
        var published = await RedesignAsync((steps, _) => steps["approve"]["outcomeDocuments"] = Literal(new JsonObject { ["同意"] = "notice" }));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        // 同意 both assigns the units (交办, in the same run) and generates the notice: it names them.
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        var document = Assert.Single(await GetJsonArrayAsync("ducha", $"/api/instances/{item}/documents"))!.AsObject();
        Assert.Equal("督通〔2026〕1号", document["number"]!.GetValue<string>());
        Assert.Equal("李厅长", document["createdByName"]!.GetValue<string>());
        var text = TextOf(await DownloadAsync("ducha", $"/api/documents/{document["id"]}"));
        Assert.Contains("法制处", text, StringComparison.Ordinal);
        Assert.Contains("济南市司法局", text, StringComparison.Ordinal);
        var timeline = (await InstanceAsync(await fixture.As("ducha"), item))["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "documentGenerated" && e["comment"]!.GetValue<string>().Contains("督通〔2026〕1号", StringComparison.Ordinal));

        // Each unit's liaison finds a 阅知 that links to it, and may download it …
        var fazhi = await fixture.As("fazhi");
        var notice = (await InboxAsync(fazhi, "notice")).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal("文书：督查通知单", notice["activityName"]!.GetValue<string>());
        var detail = await GetJsonAsync(fazhi, $"/api/tasks/{notice["id"]}");
        Assert.Equal(document["id"]!.GetValue<Guid>(), detail["documents"]!.AsArray().Single()!["id"]!.GetValue<Guid>());
        Assert.Contains("督通〔2026〕1号", TextOf(await DownloadAsync("fazhi", $"/api/documents/{document["id"]}")), StringComparison.Ordinal);
        Assert.Single(await InboxAsync(await fixture.As("jinan"), "notice"), t => t!["instanceId"]!.GetValue<Guid>() == item);
        // … but not a document of the same item that was not sent to his unit.
        var unsent = await GenerateAsync("ducha", item, "notice");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(fazhi.GetAsync($"/api/documents/{unsent["id"]}")));
    }

    [Fact]
    public async Task A_rung_that_names_a_template_sends_the_chased_unit_its_numbered_document()
    {
        await ShippedAsync("urge");
        // The organization's ladder and the procedure's own both check the template they name.
        var admin = await fixture.As("admin");
        var own = (await admin.GetFromJsonAsync<JsonObject>("/api/chasing/ladder"))!["rungs"]!.AsArray();
        own.OfType<JsonObject>().Single(r => r["key"]!.GetValue<string>() == "written")["document"] = "no-such";
        Assert.Contains("rungs[2].document", (await FieldErrorsAsync(await admin.PutAsJsonAsync("/api/chasing/ladder", new { rungs = own }))).Keys);
        static void Written(JsonObject definition, string key) =>
            definition["options"]!["ladder"]!.AsArray().OfType<JsonObject>().Single(r => r["key"]!.GetValue<string>() == "written")["document"] = key;
        var refused = await RedesignAsync((_, definition) => Written(definition, "no-such"));
        Assert.Contains("催办阶梯「书面督办」生成的文书模板「no-such」不存在", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var published = await RedesignAsync((_, definition) => Written(definition, "urge"));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());

        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        fixture.SetTime(2026, 3, 26, 9);   // 3 working days after the deadline of 3-20: 书面督办 falls due
        await fixture.RunChasesAsync();
        var documents = await GetJsonArrayAsync("ducha", $"/api/instances/{item}/documents");
        Assert.Equal(2, documents.Count);   // one for each chased unit: 法制处 and 济南市司法局
        Assert.All(documents, d => Assert.StartsWith("督催〔2026〕", d!["number"]!.GetValue<string>(), StringComparison.Ordinal));
        var fazhi = await fixture.As("fazhi");
        var sent = (await InboxAsync(fazhi, "notice")).Where(t => t!["instanceId"]!.GetValue<Guid>() == item && t["activityName"]!.GetValue<string>() == "文书：催办通知").ToList();
        var mine = (await GetJsonAsync(fazhi, $"/api/tasks/{Assert.Single(sent)!["id"]}"))["documents"]!.AsArray().Single()!;
        Assert.Contains("法制处", TextOf(await DownloadAsync("fazhi", $"/api/documents/{mine["id"]}")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archived_item_refuses_every_write_in_one_place_and_still_reads()
    {
        // 领导阅示's 阅示办结 files the item away (the office's 立卷归档).
        var published = await RedesignAsync((steps, _) => steps["leaderRead"]["archiveOutcomes"] = Literal(new JsonArray("阅示办结")));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        await ShippedAsync("notice");
        await GenerateAsync("ducha", item, "notice");
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已提出具体措施。" });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["feedback"] = "法制处已提出具体措施。" });
        await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });
        var ducha = await fixture.As("ducha");

        var before = await InstanceAsync(ducha, item);
        Assert.NotNull(before["instance"]!["archivedAt"]);
        Assert.Equal("李厅长", before["instance"]!["archivedByName"]!.GetValue<string>());
        Assert.Contains(before["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "itemArchived");

        // Writes of different kinds, each allowed on a finished item but not on an archived one: 409, in Chinese.
        var writes = new Func<Task<HttpResponseMessage>>[]
        {
            () => ducha.PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "notice" }),
            () => ducha.PostAsJsonAsync($"/api/instances/{item}/score-entries", new { unitId = "fzc", eventKey = "phone", note = "补记电话催办" }),
            () => ducha.PutAsJsonAsync($"/api/instances/{item}/readers", new { restricted = true, userIds = Array.Empty<string>(), unitIds = Array.Empty<string>() }),
        };
        foreach (var write in writes)
        {
            var response = await write();
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("事项已归档，不能再修改", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        }

        // Nothing changed, and reads go on: the item, its documents, its file.
        var after = await InstanceAsync(ducha, item);
        Assert.Equal(before["timeline"]!.AsArray().Count, after["timeline"]!.AsArray().Count);
        Assert.False(after["instance"]!["restricted"]!.GetValue<bool>());
        Assert.Single(await GetJsonArrayAsync("ducha", $"/api/instances/{item}/documents"));
        Assert.Empty((await GetJsonAsync(ducha, $"/api/instances/{item}/score-entries"))["entries"]!.AsArray());
        Assert.NotEmpty(await DownloadAsync("ducha", $"/api/instances/{item}/archive"));

        // 撤销归档 (decision 048): an administrator of the organization, with a reason; the office cannot, another organization does not see it.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(ducha.PostAsJsonAsync($"/api/instances/{item}/unarchive", new { reason = "归档过早" })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("qingdao")).PostAsJsonAsync($"/api/instances/{item}/unarchive", new { reason = "归档过早" })));
        var admin = await fixture.As("admin");
        var noReason = await admin.PostAsJsonAsync($"/api/instances/{item}/unarchive", new { reason = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("reason", await noReason.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NoContent, await StatusAsync(admin.PostAsJsonAsync($"/api/instances/{item}/unarchive", new { reason = "领导要求补充材料后重新立卷" })));
        Assert.Equal(HttpStatusCode.Conflict, await StatusAsync(admin.PostAsJsonAsync($"/api/instances/{item}/unarchive", new { reason = "再次撤销" })));

        var reopened = await InstanceAsync(ducha, item);
        Assert.Null(reopened["instance"]!["archivedAt"]);
        var line = reopened["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "itemUnarchived")!;
        Assert.Equal("撤销归档：领导要求补充材料后重新立卷", line["comment"]!.GetValue<string>());
        var audited = await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<Duban.Data.DubanDbContext>().Set<Duban.Data.Audit.AuditRecord>()
            .AsNoTracking().Where(r => r.Action == "item-unarchive").ToListAsync());
        Assert.Contains(audited, r => r.Description == "撤销归档" && r.Subject == item.ToString() && r.Result == Duban.Data.Audit.AuditResults.Succeeded);

        // Writes work again.
        Assert.Equal(HttpStatusCode.Created, await StatusAsync(ducha.PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "notice" })));
    }

    [Fact]
    public async Task A_write_that_read_the_item_before_it_was_archived_cannot_commit_after_the_archive()
    {
        var published = await RedesignAsync((steps, _) => steps["leaderRead"]["archiveOutcomes"] = Literal(new JsonArray("阅示办结")));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已提出具体措施。" });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["feedback"] = "法制处已提出具体措施。" });
        var ducha = await fixture.As("ducha");

        // The office's score entry has read the item (not archived) and waits at its commit while 阅示办结 archives and commits.
        var parked = fixture.Factory.Gate.Park("score-entry");
        var entry = ducha.PostAsJsonAsync($"/api/instances/{item}/score-entries", new { unitId = "fzc", eventKey = "phone", note = "补记电话催办" });
        await parked.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });
        }
        finally
        {
            fixture.Factory.Gate.Unpark();
        }

        // The two writes met on the item row: the entry's write was run again, saw the lock and was refused.
        var response = await entry;
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("事项已归档，不能再修改", (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.NotNull((await InstanceAsync(ducha, item))["instance"]!["archivedAt"]);
        Assert.Empty((await GetJsonAsync(ducha, $"/api/instances/{item}/score-entries"))["entries"]!.AsArray());
    }

    /// <summary>
    /// Three items of March: one assigned and overdue by the 25th, one closed on time, one only registered — and the
    /// period report (decision 048) generated for March, opened with the Open XML SDK.
    /// </summary>
    private async Task<(Guid Overdue, Guid Closed, JsonObject Report)> MarchReportAsync()
    {
        var overdue = await AssignedInstructionAsync("关于加强行政复议案件办理工作的批示");
        var closed = await AssignedInstructionAsync("关于规范行政执法案卷评查工作的批示");
        await ActAsync("fazhi", closed, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已完成评查。" });
        await ActAsync("ducha", closed, "审核", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["feedback"] = "已完成。" });
        await ActAsync("lingdao", closed, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });
        var ducha = await fixture.As("ducha");
        await StartAsync(ducha, "leader-instruction", new JsonObject
        {
            ["title"] = "关于做好普法宣传的批示", ["origin"] = "own", ["leader"] = "李厅长", ["instructionDate"] = "2026-03-02",
            ["instructionText"] = "请研究。", ["reportLeader"] = await fixture.UserIdAsync("lingdao"), ["original"] = new JsonArray(await OriginalAsync(ducha)),
        });
        fixture.SetTime(2026, 3, 25);
        await fixture.RunChasesAsync();
        await ShippedAsync("period-report");
        var created = await (await fixture.As("ducha")).PostAsJsonAsync("/api/reports", new { templateKey = "period-report", from = "2026-03-01", to = "2026-03-31" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (overdue, closed, (await created.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    [Fact]
    public async Task A_period_report_says_what_the_dashboard_and_the_ledger_count_for_the_period()
    {
        var (overdue, closed, report) = await MarchReportAsync();
        var ducha = await fixture.As("ducha");
        Assert.Equal("督查专报〔2026〕第1期", report["number"]!.GetValue<string>());
        var text = TextOf(await DownloadAsync("ducha", $"/api/reports/{report["id"]}"));

        // The fixture: three items registered in March, one closed on time, two open and overdue (one still at 拟办, due on the 3rd).
        Assert.Contains("督查专报〔2026〕第1期", text);
        Assert.Contains("台账共有督查事项3件：办理中2件（超期2件、临期0件、正常0件），已办结1件，已取消0件，异常0件。", text);
        Assert.Contains("2026年3月1日至2026年3月31日，新登记事项3件，办结1件（按期1件、逾期0件）", text);
        // … and each figure is the dashboard's for the same period.
        var all = await GetJsonAsync(ducha, "/api/dashboard");
        var march = await GetJsonAsync(ducha, "/api/dashboard?from=2026-03-01&to=2026-03-31");
        int Figure(JsonObject view, string list, string key) => view[list]!.AsArray().Single(f => f!["key"]!.GetValue<string>() == key)!["count"]!.GetValue<int>();
        Assert.Contains($"台账共有督查事项{all["total"]!["count"]}件：办理中{Figure(all, "byStatus", "open")}件（超期{Figure(all, "byLight", "red")}件", text);
        Assert.Contains($"新登记事项{march["total"]!["count"]}件", text);
        var chased = 0;
        foreach (var item in new[] { overdue, closed })
            chased += (await GetJsonAsync(ducha, $"/api/instances/{item}/chases"))["chases"]!.AsArray().Count(c => c!["status"]!.GetValue<string>() != "cancelled");
        Assert.True(chased > 0, "the overdue item was chased by the 25th");
        Assert.Contains($"催办{chased}次", text);

        // Table rows: the overdue item with its units, the closed one, a row per unit with open items.
        var lines = text.Split('\n');
        int Row(string title) => Array.FindIndex(lines, l => l == title);
        Assert.True(Row("关于加强行政复议案件办理工作的批示") > Array.IndexOf(lines, "二、超期未办结事项"));
        Assert.True(Row("关于规范行政执法案卷评查工作的批示") > Array.IndexOf(lines, "三、本期办结事项"));
        Assert.Contains("法制处、济南市司法局、山东省司法厅（演示）", lines);
        Assert.Contains("六、考核得分（2026年度）", lines);
        Assert.DoesNotContain("{{", text);

        // The list, and who may see it: the office of the organization only.
        Assert.Single(await GetJsonArrayAsync("ducha", "/api/reports"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).GetAsync("/api/reports")));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).PostAsJsonAsync("/api/reports", new { templateKey = "period-report", preset = "week" })));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).GetAsync($"/api/reports/{report["id"]}")));
        var bad = await ducha.PostAsJsonAsync("/api/reports", new { templateKey = "period-report", from = "2026-03-31", to = "2026-03-01" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("\"to\"", await bad.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_report_that_counted_a_confidential_item_is_only_for_those_who_see_it()
    {
        await AssignedInstructionAsync("限定知悉范围的批示", restriction: new { restricted = true, userIds = Array.Empty<string>(), unitIds = Array.Empty<string>() });
        await ShippedAsync("period-report");
        var created = await (await fixture.As("ducha")).PostAsJsonAsync("/api/reports", new { templateKey = "period-report", preset = "month" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        Assert.Single(await GetJsonArrayAsync("ducha", "/api/reports"));
        // The administrator is not named on the item: the report counted it, so it is not his to read.
        Assert.Empty(await GetJsonArrayAsync("admin", "/api/reports"));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("admin")).GetAsync($"/api/reports/{id}")));
    }

    [Fact]
    public async Task A_weekly_report_set_by_clicking_is_made_for_the_week_before_its_day_and_the_office_is_told()
    {
        await AssignedInstructionAsync("关于加强行政复议案件办理工作的批示");
        await ShippedAsync("period-report");
        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("ducha")).PostAsJsonAsync("/api/report-schedules", new { templateKey = "period-report", frequency = "weekly", day = 1 })));
        var wrong = await admin.PostAsJsonAsync("/api/report-schedules", new { templateKey = "period-report", frequency = "weekly", day = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Contains("\"day\"", await wrong.Content.ReadAsStringAsync());
        var saved = await OkJsonAsync(await admin.PostAsJsonAsync("/api/report-schedules", new { templateKey = "period-report", frequency = "weekly", day = 1 }));
        // Today is Monday 2 March: the first run is next Monday.
        Assert.Equal(Duban.Server.Tests.Infrastructure.TestClock.Beijing(2026, 3, 9, 0), saved["nextRunAt"]!.GetValue<DateTimeOffset>());

        var worker = fixture.Factory.Services.GetRequiredService<Duban.Server.Reports.ReportScheduleWorker>();
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        fixture.SetTime(2026, 3, 9, 8);
        Assert.Equal(1, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));

        var report = Assert.Single(await GetJsonArrayAsync("ducha", "/api/reports"))!;
        Assert.True(report["scheduled"]!.GetValue<bool>());
        Assert.Equal("2026-03-02", report["periodFrom"]!.GetValue<string>());
        Assert.Equal("2026-03-08", report["periodTo"]!.GetValue<string>());
        Assert.Contains("2026年3月2日至2026年3月8日，新登记事项1件", TextOf(await DownloadAsync("admin", $"/api/reports/{report["id"]}")));
        var schedule = Assert.Single(await GetJsonArrayAsync("admin", "/api/report-schedules"))!;
        Assert.Equal(Duban.Server.Tests.Infrastructure.TestClock.Beijing(2026, 3, 16, 0), schedule["nextRunAt"]!.GetValue<DateTimeOffset>());
        var told = (await GetJsonAsync(await fixture.As("ducha"), "/api/notifications"))["items"]!.AsArray();
        Assert.Contains(told, n => n!["kind"]!.GetValue<string>() == "report" && n["title"]!.GetValue<string>().Contains("督查专报", StringComparison.Ordinal)
            && n["link"]!.GetValue<string>() == "/reports");
    }

    [Fact]
    public async Task A_closed_archived_item_compacted_reads_the_same_pages_timeline_and_archive()
    {
        // A closed item that was also archived (归档 locks it): compaction changes how it is stored, never what anyone reads.
        var published = await RedesignAsync((steps, _) => steps["leaderRead"]["archiveOutcomes"] = Literal(new JsonArray("阅示办结")));
        Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync());
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        await ShippedAsync("notice");
        await GenerateAsync("ducha", item, "notice");
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已提出具体措施。" });
        await ActAsync("ducha", item, "审核", "退回", new JsonObject { ["reviewOpinion"] = "措施不够具体。" }, "请补充");
        await ActAsync("fazhi", item, "交办办理（主办）", "提交", new JsonObject { ["report"] = "已补充具体措施。" });
        await ActAsync("ducha", item, "审核", "通过", new JsonObject { ["reviewOpinion"] = "同意。", ["feedback"] = "法制处已提出具体措施。" });
        await ActAsync("lingdao", item, "领导阅示", "阅示办结", new JsonObject { ["leaderReview"] = "阅。" });

        // What each reader sees: the item page (timeline, data, rounds) as the office, the leader and the 主办 unit; the archive.
        var users = new[] { "ducha", "lingdao", "fazhi", "jinan" };
        async Task<List<string>> PagesAsync()
        {
            var pages = new List<string>();
            foreach (var user in users) pages.Add(await (await fixture.As(user)).GetStringAsync($"/api/instances/{item}"));
            // Each done step's own page (its form as the step's permissions show it), as the office and as the 主办 unit.
            await using var tasksScope = fixture.Factory.Services.CreateAsyncScope();
            var taskIds = await tasksScope.ServiceProvider.GetRequiredService<Duban.Data.DubanDbContext>().Tasks.AsNoTracking()
                .Where(t => t.InstanceId == item).OrderBy(t => t.CreatedAt).ThenBy(t => t.Id).Select(t => t.Id).ToListAsync();
            foreach (var taskId in taskIds)
                foreach (var user in new[] { "ducha", "fazhi" })
                {
                    var response = await (await fixture.As(user)).GetAsync($"/api/tasks/{taskId}");
                    pages.Add($"{taskId} {user} {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            // The year's scores read the journal across items: the same figures before and after.
            var year = DateTimeOffset.UtcNow.Year;
            pages.Add(await (await fixture.As("ducha")).GetStringAsync($"/api/scoring/{year}"));
            pages.Add(await (await fixture.As("ducha")).GetStringAsync($"/api/scoring/{year}/units/fzc"));
            return pages;
        }
        async Task<List<string>> ArchiveAsync()
        {
            using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await DownloadAsync("ducha", $"/api/instances/{item}/archive")));
            return [.. zip.Entries.OrderBy(e => e.FullName, StringComparer.Ordinal).Select(e =>
            {
                using var content = new MemoryStream();
                using (var entry = e.Open()) entry.CopyTo(content);
                return e.FullName + "\n" + (e.FullName.EndsWith(".docx", StringComparison.Ordinal) ? TextOf(content.ToArray()) : Convert.ToBase64String(content.ToArray()));
            })];
        }
        var pagesBefore = await PagesAsync();
        var archiveBefore = await ArchiveAsync();
        Assert.Contains("itemArchived", pagesBefore[0], StringComparison.Ordinal);

        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Duban.Data.DubanDbContext>();
        // The closing write queued the compaction, an hour on; the job leaves it until then.
        var queued = await db.Set<Duban.Data.Instances.ItemCompactionRecord>().AsNoTracking().SingleAsync(c => c.InstanceId == item);
        Assert.NotNull(queued.DueAt);
        await scope.ServiceProvider.GetRequiredService<Duban.Data.Runtime.Items.CompactionWorker>().RunOnceAsync(CancellationToken.None);
        Assert.Null((await db.Set<Duban.Data.Instances.ItemCompactionRecord>().AsNoTracking().SingleAsync(c => c.Id == queued.Id)).CompactedAt);

        var rowsBefore = await db.Journal.CountAsync(j => j.InstanceId == item);
        // Once due, the job claims it (the lease) and compacts it through the door.
        fixture.Clock.Advance(Duban.Data.Writes.ClosedItems.Grace + TimeSpan.FromMinutes(1));
        Assert.True(await scope.ServiceProvider.GetRequiredService<Duban.Data.Runtime.Items.CompactionWorker>().RunOnceAsync(CancellationToken.None) > 0);
        var moved = (await db.Set<Duban.Data.Instances.ItemCompactionRecord>().AsNoTracking().SingleAsync(c => c.Id == queued.Id)).LineCount;
        Assert.True(moved > 10, $"moved {moved} lines");
        // What stays a row is what queries across items look for: here the 审核's 退回 (scores, early warnings).
        var rows = await db.Journal.AsNoTracking().Where(j => j.InstanceId == item).ToListAsync();
        Assert.Equal(rowsBefore - moved, rows.Count);
        Assert.All(rows, line => Assert.True(Duban.Data.Instances.ItemJournal.Kept(line), line.Kind.ToString()));
        var sentBack = Assert.Single(rows, j => j.Kind == Duban.Engine.Execution.JournalKind.TaskCompleted);
        Assert.Equal("退回", sentBack.Outcome);
        var done = await db.Set<Duban.Data.Instances.ItemCompactionRecord>().AsNoTracking().SingleAsync(c => c.Id == queued.Id);
        Assert.Null(done.DueAt);
        Assert.NotNull(done.CompactedAt);
        Assert.NotNull(done.Lines);
        // Its steps' tasks keep a reference to their step's field permissions instead of a copy (addendum "closed items smaller").
        var permissions = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == item).Select(t => t.PermissionsJson).ToListAsync();
        Assert.Contains("@fieldPermissions", permissions);
        Assert.All(permissions, p => Assert.True(p.StartsWith('@') || p.Length <= 2, p));

        Assert.Equal(pagesBefore, await PagesAsync());
        Assert.Equal(archiveBefore, await ArchiveAsync());
        // Done once: a second run moves nothing.
        Assert.Equal(0, await scope.ServiceProvider.GetRequiredService<Duban.Data.Writes.WriteDoor>().RunAsync(new Duban.Data.Runtime.Items.CompactItem(queued.Id)));
    }

    private readonly Dictionary<string, HttpClient> _slow = [];

    /// <summary>A client of its own for PDF downloads, with a timeout long enough for LibreOffice on a loaded machine.</summary>
    private async Task<HttpClient> SlowClientAsync(string user)
    {
        if (_slow.TryGetValue(user, out var existing)) return existing;
        var client = fixture.Factory.CreateDefaultClient(new StickyCookies());
        client.Timeout = TimeSpan.FromMinutes(10);
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
        return _slow[user] = client;
    }

    private async Task<JsonArray> GetJsonArrayAsync(string user, string url) =>
        (await (await fixture.As(user)).GetFromJsonAsync<JsonArray>(url))!;

    [Fact]
    public async Task An_uploaded_template_fills_placeholders_split_across_runs_and_repeats_a_row_per_sub_table_row()
    {
        var ducha = await fixture.As("ducha");
        var item = await StartAsync(ducha, "decision-breakdown", new JsonObject
        {
            ["title"] = "厅党委会议关于加快推进公共法律服务体系建设的决定",
            ["sourceType"] = "partyMeeting",
            ["source"] = "厅党委会议（2026年第3次）",
            ["sourceDate"] = "2026-02-27",
            ["summary"] = "会议决定：加快推进公共法律服务体系建设。",
            ["leader"] = await fixture.UserIdAsync("lingdao"),
        });
        await ActAsync("lingdao", item, "领导审定", "同意", new JsonObject { ["approvalOpinion"] = "同意立项，请督查室分解落实。" });
        await ActAsync("ducha", item, "任务分解", "分解下达", new JsonObject
        {
            ["breakdown"] = new JsonArray(
                new JsonObject { ["task"] = "制定实体平台建设方案", ["leadUnit"] = "fzc", ["goal"] = "报送方案", ["deadline"] = "2026-03-20" },
                new JsonObject { ["task"] = "推进村居法律顾问全覆盖", ["leadUnit"] = "qingdao", ["goal"] = "全覆盖", ["deadline"] = "2026-03-27" }),
        });

        // Word splits what a person types: 「{{决策事项}}」 arrives as three runs, one of them bold.
        var upload = await UploadAsync("admin", TestTemplate(), "决策分解通知.docx", "决策任务分解通知", "督分〔{year}〕{seq:3}号");
        Assert.Contains("任务分解表.任务名称", upload["placeholders"]!.AsArray().Select(p => p!.GetValue<string>()));
        var generated = await GenerateAsync("ducha", item, upload["key"]!.GetValue<string>());
        Assert.Equal("督分〔2026〕001号", generated["number"]!.GetValue<string>());
        var text = TextOf(await DownloadAsync("ducha", $"/api/documents/{generated["id"]}"));
        Assert.Contains("事项：厅党委会议关于加快推进公共法律服务体系建设的决定。", text, StringComparison.Ordinal);
        Assert.Contains("文号：督分〔2026〕001号", text, StringComparison.Ordinal);
        Assert.Contains("1\n制定实体平台建设方案\n法制处\n2026年3月20日", text, StringComparison.Ordinal);
        Assert.Contains("2\n推进村居法律顾问全覆盖\n青岛市司法局\n2026年3月27日", text, StringComparison.Ordinal);
        Assert.Matches("同意立项，请督查室分解落实。（李厅长", text);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("}}", text, StringComparison.Ordinal);

        // A preview fills from the item without taking a number or keeping anything.
        var preview = TextOf(await DownloadAsync("admin", $"/api/document-templates/versions/{upload["id"]}/preview?instanceId={item}"));
        Assert.Contains("文号：（文号待生成）", preview, StringComparison.Ordinal);
        Assert.Single(await GetJsonArrayAsync("ducha", $"/api/instances/{item}/documents"));
    }

    [Fact]
    public async Task The_archive_holds_a_catalogue_the_record_every_attachment_and_the_childrens_files()
    {
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        await ShippedAsync("notice");
        var notice = await GenerateAsync("ducha", item, "notice");
        var zipBytes = await DownloadAsync("ducha", $"/api/instances/{item}/archive?pdf=true");
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(zipBytes));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("卷内目录.docx", names);
        Assert.Contains("办理记录.docx", names);
        Assert.Contains("附件/批示件.pdf", names);
        Assert.Contains($"附件/{notice["fileName"]}", names);
        if (File.Exists("/usr/bin/soffice")) Assert.Contains("卷内目录.pdf", names);

        byte[] Read(string name)
        {
            using var stream = zip.GetEntry(name)!.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
        var catalogue = TextOf(Read("卷内目录.docx"));
        Assert.Contains("附件/批示件.pdf", catalogue, StringComparison.Ordinal);
        Assert.Contains("王督查", catalogue, StringComparison.Ordinal);
        var record = TextOf(Read("办理记录.docx"));
        // Every round of every form, every opinion with its signer, the timeline.
        Assert.Contains("拟办 第1轮（王督查", record, StringComparison.Ordinal);
        Assert.Contains("领导审定 第1轮（李厅长", record, StringComparison.Ordinal);
        Assert.Contains("同意，请法制处抓紧落实。", record, StringComparison.Ordinal);
        Assert.Contains("请法制处牵头研究，提出加强行政复议案件办理的具体措施。", record, StringComparison.Ordinal);
        Assert.Contains("生成文书", record, StringComparison.Ordinal);
        Assert.Contains("督通〔2026〕1号", record, StringComparison.Ordinal);

        // A decision's breakdown: the table's rows in its record, each child item in its own folder.
        var ducha = await fixture.As("ducha");
        var decision = await StartAsync(ducha, "decision-breakdown", new JsonObject
        {
            ["title"] = "厅党委会议关于加快推进公共法律服务体系建设的决定",
            ["sourceType"] = "partyMeeting",
            ["source"] = "厅党委会议（2026年第3次）",
            ["sourceDate"] = "2026-02-27",
            ["summary"] = "会议决定：加快推进公共法律服务体系建设。",
            ["leader"] = await fixture.UserIdAsync("lingdao"),
        });
        await ActAsync("lingdao", decision, "领导审定", "同意", new JsonObject { ["approvalOpinion"] = "同意立项。" });
        await ActAsync("ducha", decision, "任务分解", "分解下达", new JsonObject
        {
            ["breakdown"] = new JsonArray(
                new JsonObject { ["task"] = "制定实体平台建设方案", ["leadUnit"] = "fzc", ["goal"] = "报送方案", ["deadline"] = "2026-03-20" },
                new JsonObject { ["task"] = "推进村居法律顾问全覆盖", ["leadUnit"] = "qingdao", ["goal"] = "全覆盖", ["deadline"] = "2026-03-27" }),
        });
        using var decisionZip = new System.IO.Compression.ZipArchive(new MemoryStream(await DownloadAsync("ducha", $"/api/instances/{decision}/archive")));
        var decisionNames = decisionZip.Entries.Select(e => e.FullName).ToList();
        Assert.Equal(2, decisionNames.Count(n => n.StartsWith("子事项/", StringComparison.Ordinal) && n.EndsWith("/办理记录.docx", StringComparison.Ordinal)));
        using var decisionRecord = decisionZip.GetEntry("办理记录.docx")!.Open();
        using var decisionCopy = new MemoryStream();
        decisionRecord.CopyTo(decisionCopy);
        var decisionText = TextOf(decisionCopy.ToArray());
        Assert.Contains("推进村居法律顾问全覆盖\n青岛市司法局", decisionText, StringComparison.Ordinal);

        // A unit's liaison who sees the item may not take its file.
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).GetAsync($"/api/instances/{item}/archive")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync((await fixture.As("qingdao")).GetAsync($"/api/instances/{item}/archive")));
    }

    [Fact]
    public async Task The_shipped_reply_letter_and_instruction_forwarding_slip_fill_from_their_procedures_fields()
    {
        var forward = await ShippedAsync("forward");
        Assert.Equal("领导批示转办单", forward["name"]!.GetValue<string>());
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        var slip = await GenerateAsync("ducha", item, "forward");
        Assert.Equal("督转〔2026〕1号", slip["number"]!.GetValue<string>());
        var text = TextOf(await DownloadAsync("ducha", $"/api/documents/{slip["id"]}"));
        Assert.Contains("请法制处牵头研究，提出加强行政复议案件办理的具体措施。", text, StringComparison.Ordinal);
        Assert.Contains("建议由法制处牵头办理，济南市司法局协办。", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", text, StringComparison.Ordinal);

        // The 答复函 names the proposal procedure's fields: every one it names is a field of that procedure or built in.
        var reply = await ShippedAsync("reply");
        Assert.Equal("答复〔{year}〕{seq}号", reply["numberPattern"]!.GetValue<string>());
        var known = (await GetJsonAsync(await fixture.As("admin"), "/api/document-templates/placeholders"))["placeholders"]!.AsArray()
            .Select(p => p!["name"]!.GetValue<string>()).ToHashSet();
        var proposal = (await (await fixture.As("admin")).GetFromJsonAsync<JsonObject>("/api/definitions/proposal/export"))!["forms"]!.AsArray()
            .SelectMany(f => f!["fields"]!.AsArray()).Select(f => f!["key"]!.GetValue<string>()).ToHashSet();
        Assert.All(reply["placeholders"]!.AsArray().Select(p => p!.GetValue<string>()), p => Assert.True(known.Contains(p) || proposal.Contains(p), p));
    }

    [Fact]
    public async Task Templates_keep_their_versions_and_refuse_what_is_not_a_template()
    {
        var first = await ShippedAsync("urge");
        var admin = await fixture.As("admin");
        var renamed = await OkJsonAsync(await admin.PostAsJsonAsync("/api/document-templates/urge/versions", new { name = "催办通知书", numberPattern = "" }));
        Assert.Equal(2, renamed["version"]!.GetValue<int>());
        Assert.Null(renamed["numberPattern"]);
        var uploaded = await UploadAsync("admin", TestTemplate(), "催办.docx", null, null, key: "urge");
        Assert.Equal(3, uploaded["version"]!.GetValue<int>());
        var versions = await GetJsonArrayAsync("admin", "/api/document-templates/urge/versions");
        Assert.Equal([3, 2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        // Version 1's file is still the shipped one.
        Assert.Contains("催办通知", TextOf(await DownloadAsync("admin", $"/api/document-templates/versions/{first["id"]}/file")), StringComparison.Ordinal);
        var list = await GetJsonAsync(admin, "/api/document-templates");
        Assert.Equal("催办通知书", list["templates"]!.AsArray().Single()!["name"]!.GetValue<string>());

        var notWord = await UploadRawAsync("admin", "%PDF-1.4 not word"u8.ToArray(), "a.docx", "x", null);
        Assert.Equal(HttpStatusCode.BadRequest, notWord.StatusCode);
        Assert.Contains("file", (await FieldErrorsAsync(notWord)).Keys);
        var badPattern = await UploadRawAsync("admin", TestTemplate(), "a.docx", "x", "督〔{year}〕号");
        Assert.Contains("numberPattern", (await FieldErrorsAsync(badPattern)).Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await UploadRawAsync("ducha", TestTemplate(), "a.docx", "x", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync((await fixture.As("fazhi")).GetAsync("/api/document-templates")));
        var placeholders = await GetJsonAsync(admin, "/api/document-templates/placeholders");
        var names = placeholders["placeholders"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("主办单位", names);
        Assert.Contains("任务分解表.牵头单位", names);
    }

    [Fact]
    public async Task A_confidential_items_documents_are_not_found_by_whoever_is_not_named()
    {
        var item = await AssignedInstructionAsync("不宜公开的批示事项", restriction: new { restricted = true, userIds = new[] { await fixture.UserIdAsync("lingdao") } });
        await ShippedAsync("notice");
        var document = await GenerateAsync("ducha", item, "notice");
        Assert.Contains("法制处", TextOf(await DownloadAsync("ducha", $"/api/documents/{document["id"]}")), StringComparison.Ordinal);
        // The administrator sees every ordinary item, but is not named on this one.
        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(admin.GetAsync($"/api/documents/{document["id"]}")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(admin.GetAsync($"/api/instances/{item}/documents")));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(admin.PostAsJsonAsync($"/api/instances/{item}/documents", new { templateKey = "notice" })));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(admin.GetAsync($"/api/instances/{item}/archive")));
    }

    /// <summary>
    /// Run on one database only (<see cref="SqliteDocumentTests"/>): LibreOffice's conversion does not touch the database,
    /// and each conversion costs a LibreOffice start.
    /// </summary>
    protected async Task EachShippedTemplateRendersToPdfAndPngAsync()
    {
        Assert.True(File.Exists("/usr/bin/soffice"), "LibreOffice (soffice) is not installed: test.sh installs libreoffice-writer-nogui");
        var item = await AssignedInstructionAsync("李厅长关于加强行政复议案件办理工作的批示");
        var folder = Path.Combine(ArtifactsFolder(), "documents");
        Directory.CreateDirectory(folder);
        // The 督查专报 is generated from the ledger for a period, not from one item (decision 048).
        await ShippedAsync("period-report");
        var periodReport = await OkJsonAsync(await (await fixture.As("ducha")).PostAsJsonAsync("/api/reports", new { templateKey = "period-report", preset = "month" }));
        foreach (var kind in new[] { "notice", "urge", "rectification", "report", "reply", "forward", "period-report" })
        {
            string url;
            if (kind == "period-report") url = $"/api/reports/{periodReport["id"]}?format=pdf";
            else
            {
                await ShippedAsync(kind);
                url = $"/api/documents/{(await GenerateAsync("ducha", item, kind))["id"]}?format=pdf";
            }
            var pdf = await DownloadAsync("ducha", url);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4));
            var path = Path.Combine(folder, $"{kind}.pdf");
            await File.WriteAllBytesAsync(path, pdf);
            if (File.Exists("/usr/bin/pdftoppm"))
            {
                using var process = Process.Start("/usr/bin/pdftoppm", ["-png", "-r", "60", "-singlefile", path, Path.Combine(folder, kind)])!;
                await process.WaitForExitAsync();
                Assert.True(File.Exists(Path.Combine(folder, kind + ".png")));
            }
        }
    }

    /// <summary>The repository's artifacts folder (test.sh's), found from the test assembly.</summary>
    private static string ArtifactsFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Duban.slnx"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts");
    }

    private async Task<JsonObject> UploadAsync(string user, byte[] content, string fileName, string? name, string? pattern, string? key = null) =>
        await OkJsonAsync(await UploadRawAsync(user, content, fileName, name, pattern, key));

    private async Task<HttpResponseMessage> UploadRawAsync(string user, byte[] content, string fileName, string? name, string? pattern, string? key = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        form.Add(file, "file", fileName);
        if (name is not null) form.Add(new StringContent(name), "name");
        if (pattern is not null) form.Add(new StringContent(pattern), "numberPattern");
        if (key is not null) form.Add(new StringContent(key), "key");
        return await (await fixture.As(user)).PostAsync("/api/document-templates", form);
    }

    /// <summary>
    /// A template as Word saves what a person typed: 「{{决策事项}}」 in three runs (the name bold), the 文号 across two,
    /// and a table whose second row names the columns of the sub-table 任务分解表.
    /// </summary>
    internal static byte[] TestTemplate()
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            var main = document.AddMainDocumentPart();
            static Run R(string text, bool bold = false) =>
                bold ? new Run(new RunProperties(new Bold()), new Text(text) { Space = SpaceProcessingModeValues.Preserve })
                     : new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
            static TableCell C(params Run[] runs) => new(new Paragraph(runs));
            main.Document = new Document(new Body(
                new Paragraph(R("事项：{"), R("{决策"), R("事项}}", bold: true), R("。")),
                new Paragraph(R("文号：{{文"), new Run(new FieldChar { FieldCharType = FieldCharValues.Begin }), R("号}}")),
                new Paragraph(R("意见：{{领导审定意见}}")),
                new Table(
                    new TableRow(C(R("序号")), C(R("任务")), C(R("牵头单位")), C(R("时限"))),
                    new TableRow(C(R("{{序号}}")), C(R("{{任务分解表."), R("任务名称}}")), C(R("{{任务分解表.牵头单位}}")), C(R("｛｛任务分解表.完成时限｝｝"))))));
            main.Document.Save();
        }
        return stream.ToArray();
    }
}

[Collection(SqliteTemplateFixture.Collection)]
public sealed class SqliteDocumentTests(SqliteTemplateFixture fixture) : DocumentTests<SqliteTemplateFixture>(fixture)
{
    [Fact]
    public Task Each_shipped_template_renders_to_pdf_and_png_for_a_person_to_look_at() => EachShippedTemplateRendersToPdfAndPngAsync();
}

[Collection(PostgresTemplateFixture.Collection)]
public sealed class PostgresDocumentTests(PostgresTemplateFixture fixture) : DocumentTests<PostgresTemplateFixture>(fixture);
