using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data.Tasks;
using Duban.Server.Tests.Api;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Tasks;

/// <summary>
/// Issue 16 (docs/decisions/032): 暂存 drafts, 批量已阅, 退回 that keeps the reviewer's opinion and may come straight back
/// (直达), and the administrator's incident view with its ways out.
/// </summary>
public abstract class TaskConvenienceTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>登记 → 整改 (法制处) → 初审 (督查员) → 审定 (督查员: 通过 / 退回 → 整改, 「退回后重新提交」 as given) → 办结.</summary>
    private static JsonObject Review(string afterRedo = "walk")
    {
        var flow = Flow("conv-review", "整改审定", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "fix", ["type"] = "Duban.UserTask", ["name"] = "整改", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") }),
                ["fieldPermissions"] = Literal(new JsonObject { ["title"] = "readOnly", ["opinion"] = "readOnly" }),
            },
            new JsonObject
            {
                ["id"] = "check", ["type"] = "Duban.UserTask", ["name"] = "初审",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审定", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过", "退回")),
                ["fieldPermissions"] = Literal(new JsonObject { ["title"] = "readOnly", ["report"] = "readOnly", ["photos"] = "readOnly", ["opinion"] = "appendOnly" }),
                ["afterRedo"] = Literal(afterRedo),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "fix"), Connection("fix", "提交", "check"), Connection("check", "提交", "review"),
            Connection("review", "通过", "end"), Connection("review", "退回", "fix")]);
        flow["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "f", ["name"] = "整改情况报告",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "事项", ["type"] = "text", ["required"] = true },
                new JsonObject { ["key"] = "report", ["label"] = "整改情况", ["type"] = "textarea" },
                new JsonObject { ["key"] = "photos", ["label"] = "整改照片", ["type"] = "attachments" },
                new JsonObject { ["key"] = "opinion", ["label"] = "审定意见", ["type"] = "opinion" }),
        });
        return flow;
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("JPEG " + name));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        var response = await client.PostAsync("/api/attachments", form);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var uploaded = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    private static async Task<JsonObject> JsonOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static Task<HttpResponseMessage> SaveDraftAsync(HttpClient client, Guid task, JsonObject data, string? comment = null) =>
        client.PutAsJsonAsync($"/api/tasks/{task}/draft", new { data, comment });

    [Fact]
    public async Task A_draft_is_kept_for_the_holder_with_its_files_and_goes_when_the_task_is_submitted()
    {
        await ImportAsync(await fixture.As("admin"), Review());
        var (ducha, fazhi, fzcz, jinan) = (await fixture.As("ducha"), await fixture.As("fazhi"), await fixture.As("fzcz"), await fixture.As("jinan"));
        var id = await StartAsync(ducha, "conv-review", new JsonObject { ["title"] = "执法案卷整改" });
        var fix = await TaskOfAsync(fazhi, id, "整改");

        // A unit's task is the liaison's to hold once claimed (签收): before that nobody's draft.
        Assert.Equal(HttpStatusCode.Conflict, (await SaveDraftAsync(fazhi, fix, new JsonObject { ["report"] = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await fazhi.PostAsync($"/api/tasks/{fix}/claim", null)).StatusCode);

        var photo = await UploadAsync(fazhi, "整改前.jpg");
        var saved = await JsonOf(await SaveDraftAsync(fazhi, fix, new JsonObject { ["report"] = "已完成一半", ["photos"] = new JsonArray(photo.DeepClone()) }, "周五前补齐"));
        Assert.NotNull(saved["savedAt"]);
        var draft = await JsonOf(await fazhi.GetAsync($"/api/tasks/{fix}/draft"));
        Assert.True(draft["exists"]!.GetValue<bool>());
        Assert.Equal("已完成一半", draft["data"]!["report"]!.GetValue<string>());
        Assert.Equal(photo["id"]!.GetValue<string>(), draft["data"]!["photos"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("周五前补齐", draft["comment"]!.GetValue<string>());

        // Only the holder reads or writes it; someone else's file is refused; an outsider finds no task.
        Assert.False((await JsonOf(await fzcz.GetAsync($"/api/tasks/{fix}/draft")))["exists"]!.GetValue<bool>());
        Assert.False((await JsonOf(await ducha.GetAsync($"/api/tasks/{fix}/draft")))["exists"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await SaveDraftAsync(fzcz, fix, new JsonObject { ["report"] = "覆盖" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await SaveDraftAsync(jinan, fix, new JsonObject { ["report"] = "覆盖" })).StatusCode);
        var foreign = await UploadAsync(fzcz, "别人的.jpg");
        var refused = await SaveDraftAsync(fazhi, fix, new JsonObject { ["photos"] = new JsonArray(foreign) });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("photos[0]", (await FieldErrorsAsync(refused)).Keys);
        Assert.Equal("已完成一半", (await JsonOf(await fazhi.GetAsync($"/api/tasks/{fix}/draft")))["data"]!["report"]!.GetValue<string>());

        // A later save replaces it; the submission takes the files and the draft is gone with the task.
        await JsonOf(await SaveDraftAsync(fazhi, fix, new JsonObject { ["report"] = "已全部整改", ["photos"] = new JsonArray(photo.DeepClone()) }));
        await CompleteOkAsync(fazhi, fix, "提交", new JsonObject { ["report"] = "已全部整改", ["photos"] = new JsonArray(photo.DeepClone()) });
        Assert.False((await JsonOf(await fazhi.GetAsync($"/api/tasks/{fix}/draft")))["exists"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await SaveDraftAsync(fazhi, fix, new JsonObject { ["report"] = "迟到的暂存" })).StatusCode);
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.False(await db.Set<TaskDraftRecord>().AnyAsync(d => d.TaskId == fix));
            Assert.False((await db.Tasks.SingleAsync(t => t.Id == fix)).HasDraft);
        });
    }

    [Fact]
    public async Task A_draft_goes_when_its_task_is_cancelled()
    {
        await ImportAsync(await fixture.As("admin"), Review());
        var (ducha, fazhi) = (await fixture.As("ducha"), await fixture.As("fazhi"));
        var id = await StartAsync(ducha, "conv-review", new JsonObject { ["title"] = "撤销前暂存" });
        var fix = await TaskOfAsync(fazhi, id, "整改");
        Assert.Equal(HttpStatusCode.NoContent, (await fazhi.PostAsync($"/api/tasks/{fix}/claim", null)).StatusCode);
        await JsonOf(await SaveDraftAsync(fazhi, fix, new JsonObject { ["report"] = "写了一半" }));

        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "重复立项" })).StatusCode);

        await fixture.Factory.WithDbAsync(async db => Assert.False(await db.Set<TaskDraftRecord>().AnyAsync(d => d.TaskId == fix)));
    }

    [Fact]
    public async Task A_send_back_keeps_the_reviewers_opinion_for_the_redo_and_direct_brings_the_redo_straight_back()
    {
        await ImportAsync(await fixture.As("admin"), Review(afterRedo: "direct"));
        var (ducha, fazhi) = (await fixture.As("ducha"), await fixture.As("fazhi"));
        var id = await StartAsync(ducha, "conv-review", new JsonObject { ["title"] = "统计数据整改" });
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "整改"), "提交", new JsonObject { ["report"] = "已整改" });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "初审"), "提交");
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "审定"), "退回",
            new JsonObject { ["opinion"] = "第三项数据与统计局口径不一致" }, comment: "请核实数据后重报");

        var redo = await TaskOfAsync(fazhi, id, "整改");
        var note = (await JsonOf(await fazhi.GetAsync($"/api/tasks/{redo}/sent-back")))["note"]!;
        Assert.Equal(("审定", "王督查", "请核实数据后重报", true), (note["fromStep"]!.GetValue<string>(), note["byName"]!.GetValue<string>(),
            note["reason"]!.GetValue<string>(), note["direct"]!.GetValue<bool>()));
        var opinion = Assert.Single(note["opinions"]!.AsArray())!;
        Assert.Equal(("审定意见", "第三项数据与统计局口径不一致"), (opinion["label"]!.GetValue<string>(), opinion["text"]!.GetValue<string>()));
        // The first round of a step has no send-back to show.
        Assert.Null((await JsonOf(await ducha.GetAsync($"/api/tasks/{await FirstTaskAsync(id, "check")}/sent-back")))["note"]);

        // 直达: after the redo the item is back at 审定, past 初审.
        await CompleteOkAsync(fazhi, redo, "提交", new JsonObject { ["report"] = "已按统计局口径更正" });
        var item = await InstanceAsync(ducha, id);
        var open = Assert.Single(item["openTasks"]!.AsArray())!;
        Assert.Equal("审定", open["activityName"]!.GetValue<string>());
        Assert.Equal(1, item["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "taskCompleted" && e["activityId"]!.GetValue<string>() == "check"));
        Assert.Null(item["data"]!["opinion"]); // the send-back's opinion is not the item's 审定意见
    }

    [Fact]
    public async Task By_default_the_redo_walks_the_steps_again()
    {
        await ImportAsync(await fixture.As("admin"), Review());
        var (ducha, fazhi) = (await fixture.As("ducha"), await fixture.As("fazhi"));
        var id = await StartAsync(ducha, "conv-review", new JsonObject { ["title"] = "逐级流转" });
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "整改"), "提交", new JsonObject { ["report"] = "已整改" });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "初审"), "提交");
        var reviewTask = await TaskOfAsync(ducha, id, "审定");
        // 退回到 a chosen step keeps the opinion too.
        var returned = await ducha.PostAsJsonAsync($"/api/tasks/{reviewTask}/return",
            new { targetActivityId = "fix", comment = "照片不清晰", data = new JsonObject { ["opinion"] = "请重拍现场照片" } });
        Assert.Equal(HttpStatusCode.NoContent, returned.StatusCode);
        var redo = await TaskOfAsync(fazhi, id, "整改");
        var note = (await JsonOf(await fazhi.GetAsync($"/api/tasks/{redo}/sent-back")))["note"]!;
        Assert.Equal(("照片不清晰", "请重拍现场照片", false),
            (note["reason"]!.GetValue<string>(), note["opinions"]![0]!["text"]!.GetValue<string>(), note["direct"]!.GetValue<bool>()));

        await CompleteOkAsync(fazhi, redo, "提交", new JsonObject { ["report"] = "已重拍" });
        var open = Assert.Single((await InstanceAsync(ducha, id))["openTasks"]!.AsArray())!;
        Assert.Equal("初审", open["activityName"]!.GetValue<string>());
    }

    private async Task<Guid> FirstTaskAsync(Guid instance, string activityId)
    {
        Guid id = default;
        await fixture.Factory.WithDbAsync(async db => id = await db.Tasks.Where(t => t.InstanceId == instance && t.ActivityId == activityId)
            .OrderBy(t => t.CreatedAt).Select(t => t.Id).FirstAsync());
        return id;
    }

    /// <summary>登记 → 告知法制处 (阅知, not waited for) → 督查员 办理 → 办结.</summary>
    private static JsonObject Notices() => Flow("conv-notice", "阅知批量", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
        new JsonObject
        {
            ["id"] = "tell", ["type"] = "Duban.Notify", ["name"] = "告知法制处",
            ["assignee"] = Literal(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") }),
        },
        new JsonObject
        {
            ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "办理",
            ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "tell"), Connection("tell", "Done", "do"), Connection("do", "提交", "end")]).Also(f => f["forms"] = new JsonArray(
        new JsonObject { ["id"] = "f", ["name"] = "登记表", ["fields"] = new JsonArray(new JsonObject { ["key"] = "title", ["label"] = "事项", ["type"] = "text", ["required"] = true }) }));

    private static async Task<List<Guid>> NoticeIdsAsync(HttpClient client) =>
        (await InboxAsync(client, "notice")).Select(n => n!["id"]!.GetValue<Guid>()).ToList();

    [Fact]
    public async Task Batch_read_marks_the_notices_and_reports_each_one_it_could_not()
    {
        await ImportAsync(await fixture.As("admin"), Notices());
        var (ducha, fazhi, fzcz) = (await fixture.As("ducha"), await fixture.As("fazhi"), await fixture.As("fzcz"));
        await StartAsync(ducha, "conv-notice", new JsonObject { ["title"] = "一号通知" });
        var second = await StartAsync(ducha, "conv-notice", new JsonObject { ["title"] = "二号通知" });
        var notices = await NoticeIdsAsync(fazhi);
        Assert.Equal(2, notices.Count);
        // A colleague of the same unit read one first.
        Assert.Equal(HttpStatusCode.NoContent, (await fzcz.PostAsJsonAsync($"/api/tasks/{notices[0]}/read", new { })).StatusCode);
        var notANotice = await TaskOfAsync(ducha, second, "办理");

        var answer = await JsonOf(await fazhi.PostAsJsonAsync("/api/tasks/read-batch",
            new { taskIds = new[] { notices[0], notices[1], notANotice, Guid.NewGuid() } }));

        Assert.Equal(1, answer["read"]!.GetValue<int>());
        var results = answer["results"]!.AsArray().ToDictionary(r => r!["taskId"]!.GetValue<Guid>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("conflict", results[notices[0]]);
        Assert.Equal("read", results[notices[1]]);
        Assert.Equal("forbidden", results[notANotice]);
        Assert.Single(results.Values, v => v == "notFound");
        Assert.Empty(await NoticeIdsAsync(fazhi));
        var readItem = (await JsonOf(await fazhi.GetAsync($"/api/tasks/{notices[1]}")))["task"]!["instanceId"]!.GetValue<Guid>();
        var item = await InstanceAsync(ducha, readItem);
        var read = Assert.Single(item["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "noticeRead")!;
        Assert.Equal("张联络", read["actorName"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.BadRequest, (await fazhi.PostAsJsonAsync("/api/tasks/read-batch", new { taskIds = Array.Empty<Guid>() })).StatusCode);
    }

    [Fact]
    public async Task Two_liaisons_reading_the_same_notice_at_once_one_reads_it_and_the_batch_reports_the_other()
    {
        await ImportAsync(await fixture.As("admin"), Notices());
        var (ducha, fazhi, fzcz) = (await fixture.As("ducha"), await fixture.As("fazhi"), await fixture.As("fzcz"));
        await StartAsync(ducha, "conv-notice", new JsonObject { ["title"] = "同时阅知" });
        var notice = Assert.Single(await NoticeIdsAsync(fazhi));

        fixture.Gate.HoldUntil(2, "read");
        var batch = fazhi.PostAsJsonAsync("/api/tasks/read-batch", new { taskIds = new[] { notice } });
        var single = fzcz.PostAsJsonAsync($"/api/tasks/{notice}/read", new { });
        await Task.WhenAll(batch, single);
        fixture.Gate.Open();

        var status = (await JsonOf(await batch))["results"]![0]!["status"]!.GetValue<string>();
        var singleStatus = (await single).StatusCode;
        Assert.True((status, singleStatus) is ("read", HttpStatusCode.Conflict) or ("conflict", HttpStatusCode.NoContent),
            $"batch {status}, single {(int)singleStatus}");
    }

    /// <summary>登记 (optional 经办人) → 承办 (the person named, else nobody: the step stops on an incident) → 办结.</summary>
    private static JsonObject Stuck(JsonObject? assignee = null) => Flow("conv-stuck", "找不到办理人", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
        new JsonObject
        {
            ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办",
            ["assignee"] = Literal(assignee ?? new JsonObject { ["type"] = "field", ["field"] = "person" }),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "end")]).Also(f => f["forms"] = new JsonArray(new JsonObject
    {
        ["id"] = "f", ["name"] = "登记表",
        ["fields"] = new JsonArray(
            new JsonObject { ["key"] = "title", ["label"] = "事项", ["type"] = "text", ["required"] = true },
            new JsonObject { ["key"] = "person", ["label"] = "经办人", ["type"] = "person" }),
    }));

    private async Task<List<JsonNode>> IncidentsAsync() =>
        (await (await fixture.As("admin")).GetFromJsonAsync<JsonArray>("/api/incidents"))!.Select(n => n!).ToList();

    [Fact]
    public async Task The_incident_view_lists_stuck_items_with_their_cause_and_only_administrators_use_it()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Stuck());
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "conv-stuck", new JsonObject { ["title"] = "无人承办" });

        var incident = Assert.Single(await IncidentsAsync());
        Assert.Equal(id, incident["instanceId"]!.GetValue<Guid>());
        Assert.Equal("承办", incident["activityName"]!.GetValue<string>());
        Assert.Contains("办理人", incident["cause"]!.GetValue<string>());
        Assert.Contains("转办", incident["advice"]!.GetValue<string>());
        Assert.True(incident["canAssign"]!.GetValue<bool>());
        Assert.Null(incident["latestVersion"]);

        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.GetAsync("/api/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync($"/api/incidents/{id}/assign", new { toUserId = "fazhi" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsync($"/api/incidents/{id}/migrate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsync($"/api/instances/{id}/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync($"/api/incidents/{id}/assign", new { toUserId = "" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/incidents/{id}/migrate", null)).StatusCode); // no newer version
        Assert.Single(await IncidentsAsync());

        // 取消: the item ends and leaves the list.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "误立项" })).StatusCode);
        Assert.Empty(await IncidentsAsync());
    }

    [Fact]
    public async Task Handing_the_stuck_step_to_someone_carries_the_item_on_and_a_second_hand_over_at_the_same_time_is_refused()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Stuck());
        var id = await StartAsync(await fixture.As("ducha"), "conv-stuck", new JsonObject { ["title"] = "转办处理" });
        var users = (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!;
        string IdOf(string userName) => users.Single(u => u!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<string>();

        fixture.Gate.HoldUntil(2, "retry");
        var first = admin.PostAsJsonAsync($"/api/incidents/{id}/assign", new { toUserId = IdOf("fazhi") });
        var second = admin.PostAsJsonAsync($"/api/incidents/{id}/assign", new { toUserId = IdOf("jinan") });
        await Task.WhenAll(first, second);
        fixture.Gate.Open();

        var codes = new[] { (await first).StatusCode, (await second).StatusCode }.Order().ToList();
        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], codes);
        var item = await InstanceAsync(admin, id);
        Assert.Equal("suspended", item["instance"]!["status"]!.GetValue<string>());
        var task = Assert.Single(item["openTasks"]!.AsArray())!;
        Assert.Contains(task["assigneeName"]!.GetValue<string>(), new[] { "张联络", "刘联络" });
        var retried = Assert.Single(item["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "incidentRetried")!;
        Assert.Equal("系统管理员", retried["actorName"]!.GetValue<string>());
        Assert.Empty(await IncidentsAsync());
    }

    [Fact]
    public async Task An_item_stuck_on_a_design_fault_moves_to_the_fixed_version_and_carries_on()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Stuck());
        var id = await StartAsync(await fixture.As("ducha"), "conv-stuck", new JsonObject { ["title"] = "迁移处理" });
        await ImportAsync(admin, Stuck(new JsonObject { ["type"] = "role", ["role"] = "督查员" }));
        Assert.Equal(2, Assert.Single(await IncidentsAsync())["latestVersion"]!.GetValue<int>());

        var migrated = await JsonOf(await admin.PostAsync($"/api/incidents/{id}/migrate", null));

        Assert.Equal(2, migrated["version"]!.GetValue<int>());
        var item = await InstanceAsync(admin, id);
        Assert.Equal(2, item["instance"]!["definitionVersion"]!.GetValue<int>());
        Assert.Equal("承办", Assert.Single(item["openTasks"]!.AsArray())!["activityName"]!.GetValue<string>());
        var line = Assert.Single(item["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "instanceMigrated")!;
        Assert.Equal(("系统管理员", 1, 2), (line["actorName"]!.GetValue<string>(), line["data"]!["from"]!.GetValue<int>(), line["data"]!["to"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/incidents/{id}/migrate", null)).StatusCode);
        Assert.Empty(await IncidentsAsync());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteTaskConvenienceTests(SqliteFixture fixture) : TaskConvenienceTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresTaskConvenienceTests(PostgresFixture fixture) : TaskConvenienceTests<PostgresFixture>(fixture);
