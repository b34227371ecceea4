using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Supervision.Settings;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>延期申请: asked before and after the deadline, approved and rejected, in one or two stages.</summary>
public abstract class ExtensionTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOf(int y, int m, int d) => Beijing(y, m, d, 23, 59).AddSeconds(59);

    private Task<HttpResponseMessage> AskAsync(HttpClient client, Guid item, string? reason, string? newDueDate) =>
        client.PostAsJsonAsync($"/api/instances/{item}/extensions", new { reason, newDueDate });

    private async Task<JsonObject> HandleTaskAsync(Guid item) =>
        (await ApiHelpers.InboxAsync(await fixture.As("fazhi"))).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!.AsObject();

    [Fact]
    public async Task Asked_before_the_deadline_and_approved_the_deadline_and_the_light_move()
    {
        var id = await fixture.StartItemAsync();                 // due Monday 3/9
        fixture.Clock.Set(Beijing(2026, 3, 6, 10));              // Friday: yellow
        Assert.Equal("yellow", (await HandleTaskAsync(id))["light"]!.GetValue<string>());

        var fazhi = await fixture.As("fazhi");
        var panel = await Json.GetAsync(fazhi, $"/api/instances/{id}/extensions");
        Assert.True(panel["eligibility"]!["canRequest"]!.GetValue<bool>());
        Assert.Equal(EndOf(2026, 3, 9), panel["eligibility"]!["deadline"]!.GetValue<DateTimeOffset>());

        var asked = await Json.OkAsync(await AskAsync(fazhi, id, "需要会同财政部门核实数据", "2026-03-20"), HttpStatusCode.Created);
        Assert.Equal("pending", asked["status"]!.GetValue<string>());
        Assert.Equal("督查部门审核", asked["stageName"]!.GetValue<string>());
        Assert.False(asked["canDecide"]!.GetValue<bool>());

        // The office sees it in its inbox and on the item; a second request from the unit is refused meanwhile.
        var ducha = await fixture.As("ducha");
        var approval = (await ApiHelpers.InboxAsync(ducha)).Single(t => t!["instanceId"]!.GetValue<Guid>() == id && t["activityName"]!.GetValue<string>() == "延期审批")!;
        Assert.Equal(asked["approvalTaskId"]!.GetValue<Guid>(), approval["id"]!.GetValue<Guid>());
        Assert.Equal("你单位已有待审批的延期申请", await Json.ProblemAsync(await AskAsync(fazhi, id, "再申请", "2026-03-30"), HttpStatusCode.Conflict));

        var decided = await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意延期" }));
        Assert.Equal("approved", decided["status"]!.GetValue<string>());

        var task = await HandleTaskAsync(id);
        Assert.Equal(EndOf(2026, 3, 20), task["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("green", task["light"]!.GetValue<string>());
        var item = await ApiHelpers.InstanceAsync(ducha, id);
        Assert.Equal(EndOf(2026, 3, 20), item["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        var kinds = item["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Contains("extensionRequested", kinds);
        Assert.Contains("extensionApproved", kinds);
        Assert.DoesNotContain((await ApiHelpers.InboxAsync(ducha)), t => t!["id"]!.GetValue<Guid>() == approval["id"]!.GetValue<Guid>());

        await fixture.WithDbAsync(async db =>
        {
            var row = await db.Set<ExtensionRecord>().SingleAsync();
            Assert.Contains("同意延期", row.DecisionsJson);
        });
    }

    [Fact]
    public async Task An_item_that_ends_closes_the_waiting_request_and_its_approval_task()
    {
        var id = await fixture.StartItemAsync();
        var fazhi = await fixture.As("fazhi");
        var asked = await Json.OkAsync(await AskAsync(fazhi, id, "需要会同财政部门核实数据", "2026-03-20"), HttpStatusCode.Created);
        var ducha = await fixture.As("ducha");
        var approvalId = asked["approvalTaskId"]!.GetValue<Guid>();
        Assert.Contains(await ApiHelpers.InboxAsync(ducha), t => t!["id"]!.GetValue<Guid>() == approvalId);

        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "领导另有安排" })).StatusCode);

        // Nobody is asked to approve a deadline of an item that has ended, and a late decision is refused.
        Assert.DoesNotContain(await ApiHelpers.InboxAsync(ducha), t => t!["id"]!.GetValue<Guid>() == approvalId);
        Assert.Equal("事项已结束，延期申请不再审批",
            await Json.ProblemAsync(await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意" }), HttpStatusCode.Conflict));
        var panel = await Json.GetAsync(ducha, $"/api/instances/{id}/extensions");
        var request = panel["requests"]!.AsArray().Single()!;
        Assert.Equal("closed", request["status"]!.GetValue<string>());
        Assert.False(request["canDecide"]!.GetValue<bool>());
        await fixture.WithDbAsync(async db =>
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == approvalId);
            Assert.Equal(HumanTaskStatus.Cancelled, task.Status);
        });
    }

    [Fact]
    public async Task Rejected_needs_an_opinion_and_leaves_the_deadline_alone()
    {
        var id = await fixture.StartItemAsync();
        var fazhi = await fixture.As("fazhi");
        var asked = await Json.OkAsync(await AskAsync(fazhi, id, "人手不足", "2026-03-31"), HttpStatusCode.Created);
        var ducha = await fixture.As("ducha");

        var noOpinion = await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = false });
        var errors = await ApiHelpers.FieldErrorsAsync(noOpinion);
        Assert.Equal("不同意延期时请填写意见", errors["opinion"].Single());

        // Rejecting through the inbox task: 不同意 with the comment as opinion.
        var approval = asked["approvalTaskId"]!.GetValue<Guid>();
        await ApiHelpers.CompleteOkAsync(ducha, approval, "不同意", comment: "理由不充分，请按期办结");
        var after = await Json.GetAsync(fazhi, $"/api/extensions/{asked["id"]}");
        Assert.Equal("rejected", after["status"]!.GetValue<string>());
        Assert.Equal("理由不充分，请按期办结", after["decisions"]![0]!["opinion"]!.GetValue<string>());
        Assert.Equal(EndOf(2026, 3, 9), (await HandleTaskAsync(id))["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Contains("extensionRejected", (await ApiHelpers.InstanceAsync(ducha, id))["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()));

        // Deciding again is a conflict; a unit may not decide at all.
        Assert.Contains("已处理", await Json.ProblemAsync(await ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true }), HttpStatusCode.Conflict));
        var second = await Json.OkAsync(await AskAsync(fazhi, id, "补充理由", "2026-03-31"), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.PostAsJsonAsync($"/api/extensions/{second["id"]}/decide", new { approve = true })).StatusCode);
    }

    [Fact]
    public async Task Asked_after_the_deadline_is_refused_unless_the_administrator_allows_it()
    {
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 10, 9));          // the day after the deadline
        var fazhi = await fixture.As("fazhi");
        var refused = await AskAsync(fazhi, id, "来不及了", "2026-03-20");
        var errors = await ApiHelpers.FieldErrorsAsync(refused);
        Assert.StartsWith("已超过办理时限（2026年3月9日（周一）），不能再申请延期", errors["newDueDate"].Single());
        Assert.False((await Json.GetAsync(fazhi, $"/api/instances/{id}/extensions"))["eligibility"]!["canRequest"]!.GetValue<bool>());
        await fixture.WithDbAsync(async db => Assert.False(await db.Set<ExtensionRecord>().AnyAsync()));

        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.PutAsJsonAsync("/api/supervision/settings", new { allowLateExtensionRequests = true })).StatusCode);
        await Json.OkAsync(await admin.PutAsJsonAsync("/api/supervision/settings", new { allowLateExtensionRequests = true }));
        var late = await Json.OkAsync(await AskAsync(fazhi, id, "来不及了，申请补办", "2026-03-20"), HttpStatusCode.Created);
        Assert.True(late["late"]!.GetValue<bool>());
        Assert.Contains("逾期后申请", await MessageOfApprovalAsync(late));
    }

    private async Task<string> MessageOfApprovalAsync(JsonObject extension)
    {
        var detail = await Json.GetAsync(await fixture.As("ducha"), $"/api/tasks/{extension["approvalTaskId"]}");
        return detail["message"]!.GetValue<string>();
    }

    [Fact]
    public async Task Bad_requests_name_each_field_and_only_the_unit_may_ask()
    {
        var id = await fixture.StartItemAsync();
        var fazhi = await fixture.As("fazhi");
        var errors = await ApiHelpers.FieldErrorsAsync(await AskAsync(fazhi, id, " ", "下周"));
        Assert.Equal("请填写延期理由", errors["reason"].Single());
        Assert.Equal("新的完成时限应为 yyyy-MM-dd 格式的日期", errors["newDueDate"].Single());
        var earlier = await ApiHelpers.FieldErrorsAsync(await AskAsync(fazhi, id, "理由", "2026-03-09"));
        Assert.Equal("新的完成时限应晚于当前时限（2026年3月9日（周一））", earlier["newDueDate"].Single());

        // Another unit cannot see the item; the office is not a handling unit.
        Assert.Equal(HttpStatusCode.NotFound, (await AskAsync(await fixture.As("jinan"), id, "理由", "2026-03-20")).StatusCode);
        var office = await ApiHelpers.FieldErrorsAsync(await AskAsync(await fixture.As("ducha"), id, "理由", "2026-03-20"));
        Assert.Equal("只有承办单位可以申请延期", office["instanceId"].Single());
        await fixture.WithDbAsync(async db => Assert.False(await db.Set<ExtensionRecord>().AnyAsync()));
    }

    [Fact]
    public async Task A_procedure_can_require_the_leader_after_the_office()
    {
        await fixture.ImportFlowAsync(new JsonObject { ["extensions"] = new JsonObject { ["approval"] = new JsonArray("office", "leader") } });
        var id = await fixture.StartItemAsync();
        var asked = await Json.OkAsync(await AskAsync(await fixture.As("fazhi"), id, "涉及多部门", "2026-03-27"), HttpStatusCode.Created);
        Assert.Equal(2, asked["stages"]!.AsArray().Count);
        var lingdao = await fixture.As("lingdao");
        Assert.Equal(HttpStatusCode.Forbidden, (await lingdao.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true })).StatusCode);

        var office = await Json.OkAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "拟同意" }));
        Assert.Equal("pending", office["status"]!.GetValue<string>());
        Assert.Equal("领导审批", office["stageName"]!.GetValue<string>());
        Assert.Equal(EndOf(2026, 3, 9), (await HandleTaskAsync(id))["dueAt"]!.GetValue<DateTimeOffset>());

        var leaderTask = (await ApiHelpers.InboxAsync(lingdao)).Single(t => t!["activityName"]!.GetValue<string>() == "延期审批（领导）")!;
        await ApiHelpers.CompleteOkAsync(lingdao, leaderTask["id"]!.GetValue<Guid>(), "同意", comment: "同意");
        Assert.Equal(EndOf(2026, 3, 27), (await HandleTaskAsync(id))["dueAt"]!.GetValue<DateTimeOffset>());
        var kinds = (await ApiHelpers.InstanceAsync(lingdao, id))["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(1, kinds.Count(k => k == "extensionStageApproved"));
        Assert.Equal(1, kinds.Count(k => k == "extensionApproved"));
    }

    [Fact]
    public async Task A_procedure_can_send_the_request_to_the_asking_units_supervising_leader()
    {
        // 001 第十八条(二): the unit asks its 分管领导. 法制处 names none: the one its department (the root) names is in charge.
        var admin = await fixture.As("admin");
        var lingdao = await LeaderIdAsync(admin);
        var root = (await admin.GetFromJsonAsync<JsonArray>("/api/units"))!.Single(u => u!["parentId"] is null)!.AsObject();
        var save = new JsonObject
        {
            ["name"] = root["name"]!.GetValue<string>(), ["parentId"] = null, ["sortOrder"] = root["sortOrder"]!.GetValue<int>(),
            ["leaderUserId"] = root["leaderUserId"]?.GetValue<string>(), ["kind"] = root["kind"]?.GetValue<string>(), ["supervisorUserId"] = "nobody",
        };
        var bad = await ApiHelpers.FieldErrorsAsync(await admin.PutAsJsonAsync($"/api/units/{root["id"]}", save));
        Assert.Equal("分管领导不存在", bad["supervisorUserId"].Single());
        save["supervisorUserId"] = lingdao;
        var saved = await Json.OkAsync(await admin.PutAsJsonAsync($"/api/units/{root["id"]}", save));
        Assert.Equal(lingdao, saved["supervisorUserId"]!.GetValue<string>());

        await fixture.ImportFlowAsync(new JsonObject { ["extensions"] = new JsonObject { ["approval"] = new JsonArray("supervisor") } });
        var id = await fixture.StartItemAsync();
        var asked = await Json.OkAsync(await AskAsync(await fixture.As("fazhi"), id, "涉及多部门", "2026-03-27"), HttpStatusCode.Created);
        Assert.Equal("分管领导审批", asked["stageName"]!.GetValue<string>());
        // The office is not asked this time: its 督查员 may not decide; the task waits for that leader by name.
        Assert.Equal("该延期申请需由申请单位的分管领导审批",
            await Json.ProblemAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true }), HttpStatusCode.Forbidden));
        await fixture.WithDbAsync(async db =>
        {
            var task = await db.Tasks.SingleAsync(t => t.Id == asked["approvalTaskId"]!.GetValue<Guid>());
            Assert.Equal(lingdao, task.AssigneeUserId);
            Assert.Equal("延期审批（分管领导）", task.Name);
        });
        var leader = await fixture.As("lingdao");
        Assert.True((await Json.GetAsync(leader, $"/api/instances/{id}/extensions"))["requests"]!.AsArray().Single()!["canDecide"]!.GetValue<bool>());
        await ApiHelpers.CompleteOkAsync(leader, asked["approvalTaskId"]!.GetValue<Guid>(), "同意", comment: "同意");
        Assert.Equal(EndOf(2026, 3, 27), (await HandleTaskAsync(id))["dueAt"]!.GetValue<DateTimeOffset>());
    }

    private static async Task<string> LeaderIdAsync(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!.Single(u => u!["userName"]!.GetValue<string>() == "lingdao")!["id"]!.GetValue<string>();

    [Fact]
    public async Task An_approved_extension_moves_the_item_and_the_step_through_the_engine_and_later_events_count_from_it()
    {
        var id = await fixture.StartItemAsync();                 // the item and its 承办 step due Monday 3/9
        var fazhi = await fixture.As("fazhi");
        var asked = await Json.OkAsync(await AskAsync(fazhi, id, "需要会同财政部门核实数据", "2026-03-20"), HttpStatusCode.Created);
        var ducha = await fixture.As("ducha");
        await ApiHelpers.CompleteOkAsync(ducha, asked["approvalTaskId"]!.GetValue<Guid>(), "同意", comment: "同意延期");

        // The engine's state, the item row, the unit's step and the journal agree on the new date.
        await fixture.WithDbAsync(async db =>
        {
            var instance = await db.Instances.SingleAsync(i => i.Id == id);
            var state = ItemWriter.StateOf(instance);
            Assert.Equal(EndOf(2026, 3, 20), state.DueAt);
            Assert.True(state.DueExtended);
            Assert.Equal(state.DueAt, instance.DueAt);
            var step = await db.Tasks.SingleAsync(t => t.InstanceId == id && t.ActivityId == "handle" && t.Status == HumanTaskStatus.Open);
            Assert.Equal(EndOf(2026, 3, 20), step.DueAt);
            var approved = await db.Journal.SingleAsync(j => j.InstanceId == id && j.Kind == JournalKind.ExtensionApproved);
            Assert.Equal(EndOf(2026, 3, 20), JsonNode.Parse(approved.DataJson!)!["to"]!.GetValue<DateTimeOffset>());
        });

        // Later events see it: the report changes the item's data, which would recount a deadline the procedure sets
        // unless it was extended; the 承办 step run again after 退回 is due on the item's (new) deadline.
        await ApiHelpers.CompleteOkAsync(fazhi, await ApiHelpers.TaskOfAsync(fazhi, id), "提交", new JsonObject { ["report"] = "已会同财政部门核实" });
        await ApiHelpers.CompleteOkAsync(ducha, await ApiHelpers.TaskOfAsync(ducha, id, "审核"), "退回", comment: "请补充数据来源");
        Assert.Equal(EndOf(2026, 3, 20), (await HandleTaskAsync(id))["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(EndOf(2026, 3, 20), (await ApiHelpers.InstanceAsync(ducha, id))["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Two_administrators_saving_the_first_settings_at_once_both_succeed_on_one_row()
    {
        // Both read "no settings yet" and add the row; the second insert loses on the key and is run again on top.
        fixture.Gate.HoldUntil(2, "supervision-settings");
        var responses = await Task.WhenAll(
            (await fixture.As("admin")).PutAsJsonAsync("/api/supervision/settings", new { allowLateExtensionRequests = true }),
            (await NewSessionAsync("admin")).PutAsJsonAsync("/api/supervision/settings", new { allowLateExtensionRequests = true }));
        fixture.Gate.Open();
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        await fixture.WithDbAsync(async db => Assert.True((await db.Set<SupervisionSettingsRecord>().SingleAsync()).AllowLateExtensionRequests));
    }

    [Fact]
    public async Task Two_supervisors_deciding_at_once_one_wins_and_the_other_gets_409()
    {
        var id = await fixture.StartItemAsync();
        var asked = await Json.OkAsync(await AskAsync(await fixture.As("fazhi"), id, "理由", "2026-03-20"), HttpStatusCode.Created);
        var ducha = await fixture.As("ducha");
        fixture.Gate.HoldUntil(2, "extension-decide");
        var first = ducha.PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意" });
        var second = (await NewSessionAsync("ducha")).PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = false, opinion = "不同意" });
        var responses = await Task.WhenAll(first, second);
        fixture.Gate.Open();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await fixture.WithDbAsync(async db =>
        {
            var row = await db.Set<ExtensionRecord>().SingleAsync();
            Assert.Single(System.Text.Json.JsonSerializer.Deserialize<List<JsonObject>>(row.DecisionsJson)!);
            Assert.Equal(1, await db.Journal.CountAsync(j => j.Kind == JournalKind.ExtensionApproved || j.Kind == JournalKind.ExtensionRejected));
        });
    }

    /// <summary>A second signed-in session of the same user, so two requests run side by side.</summary>
    private async Task<HttpClient> NewSessionAsync(string userName)
    {
        var client = fixture.Factory.CreateDefaultClient(new CookieJar());
        (await client.PostAsJsonAsync("/api/auth/login", new { userName, password = "Duban@2026" })).EnsureSuccessStatusCode();
        return client;
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteExtensionTests(SqliteDeadlineFixture fixture) : ExtensionTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresExtensionTests(PostgresDeadlineFixture fixture) : ExtensionTests<PostgresDeadlineFixture>(fixture);
