using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Tenancy;

/// <summary>
/// 上级交办 between two organizations on one installation (decision 050), end to end: the platform administrator makes the
/// provincial government office the justice department's superior; the office assigns its item's 承办 step; the
/// department starts it with its own procedure and units, works it, closes it and reports; the report completes the
/// superior's step. Each side sees only its part.
/// </summary>
public abstract class ReferralTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TwoOrganizationsFixture
{
    private const string Superior = TwoOrganizationsFixture.Other; // jsgov
    private const string Subordinate = "sft";

    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_superior_assigns_the_subordinate_runs_it_with_its_own_procedure_and_the_report_completes_the_superiors_step()
    {
        var platform = await fixture.As("platform");
        var govDucha = await fixture.As("gov-ducha");
        var govLingdao = await fixture.As("gov-lingdao");
        var govNj = await fixture.As("gov-nj");
        var ducha = await fixture.As("ducha");

        // Not linked yet: nobody to assign to, and an assignment naming the department is refused by its field.
        Assert.Empty((await govDucha.GetFromJsonAsync<JsonArray>("/api/referral-targets"))!);
        await CompleteOkAsync(govLingdao, await TaskOfAsync(govLingdao, fixture.GovItem), "同意", new JsonObject { ["leaderOpinion"] = "同意，请司法厅落实" });
        var step = await TaskOfAsync(govNj, fixture.GovItem, "承办");
        // 办理要求 at its longest (2,000 characters): the notice's message is cut to fit, not refused.
        var requirements = "请于月底前报送落实情况".PadRight(2000, '。');
        var assign = new { subordinateOrganizationId = Subordinate, requirements, taskId = step, reportField = "report" };
        Assert.Contains("subordinateOrganizationId", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", assign))).Keys);

        // Only the platform administrator links organizations, and not in a circle.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("gov-admin")).PutAsJsonAsync($"/api/platform/organizations/{Subordinate}/superior",
            new { superiorOrganizationId = Superior })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.PutAsJsonAsync($"/api/platform/organizations/{Subordinate}/superior",
            new { superiorOrganizationId = Superior })).StatusCode);
        Assert.Contains("superiorOrganizationId", (await FieldErrorsAsync(await platform.PutAsJsonAsync($"/api/platform/organizations/{Superior}/superior",
            new { superiorOrganizationId = Subordinate }))).Keys);
        var organizations = (await platform.GetFromJsonAsync<JsonArray>("/api/platform/organizations"))!;
        Assert.Equal(Superior, organizations.Single(o => o!["id"]!.GetValue<string>() == Subordinate)!["superiorOrganizationId"]!.GetValue<string>());

        // The superior's office assigns; its unit's liaison may not, nor may the subordinate assign upwards.
        Assert.Equal(HttpStatusCode.Forbidden, (await govNj.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", assign)).StatusCode);
        Assert.Contains("subordinateOrganizationId", (await FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/instances/{fixture.SftItem}/referrals",
            new { subordinateOrganizationId = Superior }))).Keys);
        Assert.Contains("reportField", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals",
            new { subordinateOrganizationId = Subordinate, taskId = step, reportField = "leaderOpinion" }))).Keys);
        var targets = (await govDucha.GetFromJsonAsync<JsonArray>("/api/referral-targets"))!;
        Assert.Equal(Subordinate, Assert.Single(targets)!["id"]!.GetValue<string>());
        var assigned = await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", assign);
        Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
        var referralId = (await assigned.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        // A second click: the step is already assigned, and so is the item to this organization.
        Assert.Contains("taskId", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", assign))).Keys);
        Assert.Contains("subordinateOrganizationId", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals",
            new { subordinateOrganizationId = Subordinate }))).Keys);

        // It arrives in the department's office with the superior's notice; its other people do not get it.
        var incoming = Assert.Single((await ducha.GetFromJsonAsync<JsonArray>("/api/referrals/incoming"))!)!;
        Assert.Equal(TwoOrganizationsFixture.GovMarker, incoming["title"]!.GetValue<string>());
        Assert.Equal(requirements, incoming["requirements"]!.GetValue<string>());
        Assert.Equal("assigned", incoming["status"]!.GetValue<string>());
        Assert.Empty((await (await fixture.As("fazhi")).GetFromJsonAsync<JsonArray>("/api/referrals/incoming"))!);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("fazhi")).GetAsync($"/api/referrals/{referralId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await govDucha.GetAsync($"/api/referrals/{referralId}")).StatusCode);
        // The department's office hears of it in its bell (the 上级交办 page), its units do not.
        static async Task<List<JsonNode>> ReferralNoticesAsync(HttpClient client) =>
            [.. (await client.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=100"))!["items"]!.AsArray()
                .Where(n => n!["kind"]!.GetValue<string>() == "referral").Select(n => n!)];
        var arrived = Assert.Single(await ReferralNoticesAsync(ducha));
        Assert.Contains(TwoOrganizationsFixture.GovMarker, arrived["title"]!.GetValue<string>());
        Assert.Equal("/referrals", arrived["link"]!.GetValue<string>());
        Assert.Equal(2000, arrived["body"]!.GetValue<string>().Length);
        Assert.EndsWith("…", arrived["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await ReferralNoticesAsync(await fixture.As("fazhi")));
        // Reporting before starting is refused.
        Assert.Equal(HttpStatusCode.Conflict, (await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/report", new { text = "过早" })).StatusCode);

        // The department starts it with its own procedure and its own unit (法制处); a second start is told.
        var started = await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/start",
            new { definitionId = "demo-supervision", data = TwoOrganizationsFixture.Data("承接省府交办事项", "fzc") });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var own = (await started.Content.ReadFromJsonAsync<JsonObject>())!["itemId"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Conflict, (await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/start",
            new { definitionId = "demo-supervision", data = TwoOrganizationsFixture.Data("再次启动", "fzc") })).StatusCode);

        // The superior sees progress (status, current step, light, deadline) — and cannot open the department's item.
        var summary = Assert.Single((await govDucha.GetFromJsonAsync<JsonArray>($"/api/instances/{fixture.GovItem}/referrals"))!)!;
        Assert.Equal("started", summary["status"]!.GetValue<string>());
        Assert.Equal("承办", summary["stepName"]!.GetValue<string>());
        Assert.Equal(["领导审定"], summary["progress"]!["currentSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("open", summary["progress"]!["status"]!.GetValue<string>());
        Assert.NotNull(summary["progress"]!["light"]);
        Assert.DoesNotContain(own.ToString(), summary.ToJsonString(), StringComparison.Ordinal);
        foreach (var outsider in new[] { govDucha, govLingdao, govNj })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/instances/{own}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/api/instances/{own}/journal")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"/api/instances/{fixture.GovItem}/referrals")).StatusCode);

        // The department works it and closes it; before it closes it cannot report.
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, own, "领导审定"), "同意", new JsonObject { ["leaderOpinion"] = "同意，请法制处办理" });
        Assert.Equal(HttpStatusCode.Conflict, (await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/report", new { text = "尚未办结" })).StatusCode);
        // The unit's evidence, and an internal draft of the office's: only what the office marks goes up.
        async Task<string> UploadAsync(HttpClient client, string name, Guid? item = null)
        {
            using var upload = new MultipartFormDataContent { { new ByteArrayContent("落实情况佐证"u8.ToArray()), "file", name } };
            var uploaded = await client.PostAsync($"/api/attachments?instanceId={item ?? own}", upload);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
            return (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        }
        var evidence = await UploadAsync(fazhi, "佐证材料.txt");
        var draft = await UploadAsync(ducha, "内部底稿.txt");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, own, "承办"), "提交", new JsonObject
        {
            ["report"] = "法制处已完成清理",
            ["attachments"] = new JsonArray(new JsonObject { ["id"] = evidence, ["name"] = "佐证材料.txt", ["size"] = 18 }),
        });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, own, "审核"), "通过", new JsonObject { ["reviewOpinion"] = "同意办结" });
        Assert.Contains("text", (await FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/report", new { text = " " }))).Keys);

        var reportable = (await ducha.GetFromJsonAsync<JsonArray>($"/api/referrals/{referralId}/files"))!.Select(f => f!["id"]!.GetValue<string>()).ToList();
        Assert.Equal([evidence, draft], reportable);
        var elsewhere = await UploadAsync(ducha, "别的事项.txt", fixture.SftItem);
        Assert.Contains("fileIds", (await FieldErrorsAsync(await ducha.PostAsJsonAsync($"/api/referrals/{referralId}/report",
            new { text = "带上别的事项的文件", fileIds = new[] { elsewhere } }))).Keys);

        // Two reports at once: one wins, the other is told; a retry with the winner's key gets the first answer, once.
        const string Report = "已按要求完成全省复议案件清理，形成报告";
        async Task<HttpResponseMessage> ReportAsync(string key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/referrals/{referralId}/report") { Content = JsonContent.Create(new { text = Report, fileIds = new[] { evidence } }) };
            request.Headers.Add("Idempotency-Key", key);
            return await ducha.SendAsync(request);
        }
        var both = await Task.WhenAll(ReportAsync("report-a"), ReportAsync("report-b"));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        var winner = both[0].StatusCode == HttpStatusCode.OK ? "report-a" : "report-b";
        Assert.Equal(HttpStatusCode.OK, (await ReportAsync(winner)).StatusCode);

        // The superior's office hears of the report once, and the message opens its own item.
        var reported = Assert.Single(await ReferralNoticesAsync(govDucha));
        Assert.Contains("已报送办结报告", reported["title"]!.GetValue<string>());
        Assert.Equal($"/items/{fixture.GovItem}", reported["link"]!.GetValue<string>());
        // The superior's 承办 step completed with the report (once), and its 审核 waits for the superior's office.
        var after = Assert.Single((await govDucha.GetFromJsonAsync<JsonArray>($"/api/instances/{fixture.GovItem}/referrals"))!)!;
        Assert.Equal("reported", after["status"]!.GetValue<string>());
        Assert.Equal(Report, after["reportText"]!.GetValue<string>());
        Assert.True(after["completedStep"]!.GetValue<bool>());
        Assert.Equal("completed", after["progress"]!["status"]!.GetValue<string>());
        await TaskOfAsync(govDucha, fixture.GovItem, "审核");
        // The evidence sent up is downloaded through the 交办; the draft is not, nor is either through the department's item.
        var file = Assert.Single(after["reportFiles"]!.AsArray())!;
        Assert.Equal("佐证材料.txt", file["name"]!.GetValue<string>());
        var files = $"/api/instances/{fixture.GovItem}/referrals/{referralId}/files";
        Assert.Equal("落实情况佐证", await govDucha.GetStringAsync($"{files}/{evidence}"));
        Assert.Equal(HttpStatusCode.NotFound, (await govDucha.GetAsync($"{files}/{draft}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await govDucha.GetAsync($"/api/attachments/{evidence}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"{files}/{evidence}")).StatusCode);
        var item = await InstanceAsync(govDucha, fixture.GovItem);
        Assert.Equal(Report, item["data"]!["report"]!.GetValue<string>());
        Assert.Single(item["timeline"]!.AsArray(), e => e!["comment"]?.GetValue<string>()?.Contains(Report, StringComparison.Ordinal) == true);
        // Nothing of the department's item, people or units reached the superior's item.
        Assert.DoesNotContain("法制处", item.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(own.ToString(), item.ToJsonString(), StringComparison.Ordinal);
        // A report already made cannot be withdrawn.
        Assert.Equal(HttpStatusCode.Conflict, (await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals/{referralId}/withdraw",
            new { reason = "撤回" })).StatusCode);
    }

    [Fact]
    public async Task The_superior_passes_its_files_down_and_withdraws_before_and_after_the_start_its_step_is_its_own_again()
    {
        var govDucha = await fixture.As("gov-ducha");
        var govLingdao = await fixture.As("gov-lingdao");
        var govNj = await fixture.As("gov-nj");
        var ducha = await fixture.As("ducha");
        Assert.Equal(HttpStatusCode.OK, (await (await fixture.As("platform")).PutAsJsonAsync($"/api/platform/organizations/{Subordinate}/superior",
            new { superiorOrganizationId = Superior })).StatusCode);
        await CompleteOkAsync(govLingdao, await TaskOfAsync(govLingdao, fixture.GovItem), "同意", new JsonObject { ["leaderOpinion"] = "同意" });
        var step = await TaskOfAsync(govNj, fixture.GovItem, "承办");
        async Task<Guid> UploadAsync(HttpClient client, Guid item, string name)
        {
            using var upload = new MultipartFormDataContent { { new ByteArrayContent("省府交办材料"u8.ToArray()), "file", name } };
            var uploaded = await client.PostAsync($"/api/attachments?instanceId={item}", upload);
            Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
            return (await uploaded.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }
        async Task<Guid> AssignAsync(object body)
        {
            var assigned = await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals", body);
            Assert.Equal(HttpStatusCode.Created, assigned.StatusCode);
            return (await assigned.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        }
        string Withdraw(Guid referral) => $"/api/instances/{fixture.GovItem}/referrals/{referral}/withdraw";
        static async Task<string> DetailAsync(HttpResponseMessage response) =>
            (await response.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>();
        static async Task<int> NoticesAsync(HttpClient client, string containing) =>
            (await client.GetFromJsonAsync<JsonObject>("/api/notifications?pageSize=100"))!["items"]!.AsArray()
                .Count(n => n!["kind"]!.GetValue<string>() == "referral" && n["title"]!.GetValue<string>().Contains(containing, StringComparison.Ordinal));

        // Withdrawn before the start: a reason is required; only the superior's office withdraws; a start after it is told.
        var first = await AssignAsync(new { subordinateOrganizationId = Subordinate, taskId = step, reportField = "report" });
        Assert.Contains("reason", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync(Withdraw(first), new { reason = " " }))).Keys);
        Assert.Equal(HttpStatusCode.Forbidden, (await govNj.PostAsJsonAsync(Withdraw(first), new { reason = "不需要了" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.PostAsJsonAsync(Withdraw(first), new { reason = "不需要了" })).StatusCode);
        var withdrawn = await govDucha.PostAsJsonAsync(Withdraw(first), new { reason = "省府已另行部署" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await govDucha.PostAsJsonAsync(Withdraw(first), new { reason = "再撤" })).StatusCode);
        var late = await ducha.PostAsJsonAsync($"/api/referrals/{first}/start", new { definitionId = "demo-supervision", data = TwoOrganizationsFixture.Data("迟到的启动", "fzc") });
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("撤回", await DetailAsync(late), StringComparison.Ordinal);
        Assert.Equal(1, await NoticesAsync(ducha, "撤回交办"));
        Assert.Equal(0, await NoticesAsync(await fixture.As("fazhi"), "撤回交办"));
        var seen = Assert.Single((await ducha.GetFromJsonAsync<JsonArray>("/api/referrals/incoming"))!)!;
        Assert.Equal("省府已另行部署", seen["withdrawnReason"]!.GetValue<string>());

        // The step is the superior's again: its unit still holds it, and the office may assign it anew — with its own files,
        // ones it can see; a file of an item it cannot see is refused by its field.
        Assert.Equal(step, await TaskOfAsync(govNj, fixture.GovItem, "承办"));
        var notice = await UploadAsync(govDucha, fixture.GovItem, "交办函.txt");
        var foreign = await UploadAsync(ducha, fixture.SftItem, "司法厅的文件.txt");
        Assert.Contains("fileIds", (await FieldErrorsAsync(await govDucha.PostAsJsonAsync($"/api/instances/{fixture.GovItem}/referrals",
            new { subordinateOrganizationId = Subordinate, taskId = step, fileIds = new[] { foreign } }))).Keys);
        var second = await AssignAsync(new { subordinateOrganizationId = Subordinate, taskId = step, reportField = "report", fileIds = new[] { notice } });
        // The department's office sees the files on 上级交办 and downloads them through the 交办 — never through the superior's item.
        var incoming = (await ducha.GetFromJsonAsync<JsonArray>("/api/referrals/incoming"))!.Single(r => r!["id"]!.GetValue<Guid>() == second)!;
        Assert.Equal("交办函.txt", Assert.Single(incoming["passedFiles"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal("省府交办材料", await ducha.GetStringAsync($"/api/referrals/{second}/passed-files/{notice}"));
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"/api/attachments/{notice}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"/api/referrals/{second}/passed-files/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("fazhi")).GetAsync($"/api/referrals/{second}/passed-files/{notice}")).StatusCode);

        // Started: the files are attachments of the department's own item.
        var started = await ducha.PostAsJsonAsync($"/api/referrals/{second}/start",
            new { definitionId = "demo-supervision", data = TwoOrganizationsFixture.Data("承接省府交办事项", "fzc") });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var own = (await started.Content.ReadFromJsonAsync<JsonObject>())!["itemId"]!.GetValue<Guid>();
        var origin = Assert.Single((await ducha.GetFromJsonAsync<JsonArray>($"/api/instances/{own}/referred-by"))!)!;
        var copy = Assert.Single(origin["files"]!.AsArray())!["id"]!.GetValue<Guid>();
        Assert.NotEqual(notice, copy);
        Assert.Equal("省府交办材料", await ducha.GetStringAsync($"/api/attachments/{copy}"));
        Assert.Equal(HttpStatusCode.NotFound, (await govDucha.GetAsync($"/api/instances/{own}/referred-by")).StatusCode);

        // Withdrawn after the start, twice at once: one wins. The department's item is its own to end; it shows the withdrawal,
        // and a report is refused.
        var both = await Task.WhenAll(govDucha.PostAsJsonAsync(Withdraw(second), new { reason = "任务调整" }),
            govDucha.PostAsJsonAsync(Withdraw(second), new { reason = "任务调整" }));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        Assert.Equal(2, await NoticesAsync(ducha, "撤回交办"));
        origin = Assert.Single((await ducha.GetFromJsonAsync<JsonArray>($"/api/instances/{own}/referred-by"))!)!;
        Assert.Equal("withdrawn", origin["status"]!.GetValue<string>());
        Assert.Equal("任务调整", origin["withdrawnReason"]!.GetValue<string>());
        Assert.NotEqual("cancelled", (await InstanceAsync(ducha, own))["instance"]!["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await ducha.PostAsJsonAsync($"/api/referrals/{second}/report", new { text = "报告" })).StatusCode);
        var summary = (await govDucha.GetFromJsonAsync<JsonArray>($"/api/instances/{fixture.GovItem}/referrals"))!.Single(r => r!["id"]!.GetValue<Guid>() == second)!;
        Assert.Equal("任务调整", summary["withdrawnReason"]!.GetValue<string>());
        Assert.Equal(step, await TaskOfAsync(govNj, fixture.GovItem, "承办"));
    }
}

[Collection(SqliteTwoOrganizationsFixture.Collection)]
public sealed class SqliteReferralTests(SqliteTwoOrganizationsFixture fixture) : ReferralTests<SqliteTwoOrganizationsFixture>(fixture);

[Collection(PostgresTwoOrganizationsFixture.Collection)]
public sealed class PostgresReferralTests(PostgresTwoOrganizationsFixture fixture) : ReferralTests<PostgresTwoOrganizationsFixture>(fixture);
