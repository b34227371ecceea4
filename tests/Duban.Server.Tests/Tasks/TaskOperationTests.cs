using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Tasks;

/// <summary>撤回, 撤回事项, 委派, 加签 / 减签 and 代理 through the API, per role (docs/decisions/031).</summary>
public abstract class TaskOperationTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> IdOf(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["id"]!.GetValue<string>();

    private static async Task<string> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    private static async Task<bool> CanWithdrawAsync(HttpClient client, Guid item) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{item}/withdrawable"))!["canWithdraw"]!.GetValue<bool>();

    private static async Task<JsonObject> OperationsOf(HttpClient client, Guid task) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/tasks/{task}/operations"))!;

    /// <summary>An item of the demo procedure, approved by 李厅长: 承办 waits for 法制处 to claim it.</summary>
    private async Task<(Guid Item, Guid Approve, Guid Handle)> ApprovedAsync()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var approve = await TaskOfAsync(lingdao, id);
        await CompleteOkAsync(lingdao, approve, "同意", new JsonObject { ["leaderOpinion"] = "同意，请法制处办理" });
        return (id, approve, await TaskOfAsync(await fixture.As("fazhi"), id));
    }

    [Fact]
    public async Task The_leader_recalls_his_approval_before_the_unit_claims_and_the_task_reopens_with_his_opinion()
    {
        var (id, approve, handle) = await ApprovedAsync();
        var lingdao = await fixture.As("lingdao");
        Assert.True((await OperationsOf(lingdao, approve))["canRecall"]!.GetValue<bool>());

        await ProblemOf(await (await fixture.As("ducha")).PostAsync($"/api/tasks/{approve}/recall", null), HttpStatusCode.Forbidden);
        await Ok(await lingdao.PostAsync($"/api/tasks/{approve}/recall", null));

        Assert.Equal(approve, await TaskOfAsync(lingdao, id));
        Assert.DoesNotContain(await InboxAsync(await fixture.As("fazhi")), t => t!["instanceId"]!.GetValue<Guid>() == id);
        var detail = (await lingdao.GetFromJsonAsync<JsonObject>($"/api/tasks/{approve}"))!;
        Assert.True(detail["canAct"]!.GetValue<bool>());
        Assert.Equal("同意，请法制处办理", detail["data"]!["leaderOpinion"]![0]!["text"]!.GetValue<string>());
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(HumanTaskStatus.Cancelled, (await db.Tasks.SingleAsync(t => t.Id == handle)).Status);
            var line = await db.Journal.SingleAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskRecalled);
            Assert.Equal(("李厅长", approve), (line.ActorName, line.TaskId));
        });
        // Approved again, the item goes on.
        await CompleteOkAsync(lingdao, approve, "同意");
        await TaskOfAsync(await fixture.As("fazhi"), id);
    }

    [Fact]
    public async Task A_recall_after_the_unit_claimed_is_not_offered_and_is_refused_with_409()
    {
        var (_, approve, handle) = await ApprovedAsync();
        var lingdao = await fixture.As("lingdao");
        Assert.True((await OperationsOf(lingdao, approve))["canRecall"]!.GetValue<bool>());
        await Ok(await (await fixture.As("fazhi")).PostAsync($"/api/tasks/{handle}/claim", null));
        // The menu must not offer a 撤回 that would be refused.
        Assert.False((await OperationsOf(lingdao, approve))["canRecall"]!.GetValue<bool>());

        var body = await ProblemOf(await lingdao.PostAsync($"/api/tasks/{approve}/recall", null), HttpStatusCode.Conflict);
        Assert.Contains("已签收或办理，不能撤回", body);
    }

    [Fact]
    public async Task A_recall_and_the_next_steps_claim_at_once_one_wins_and_the_other_gets_409()
    {
        var (id, approve, handle) = await ApprovedAsync();
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");

        fixture.Factory.Gate.HoldUntil(2, "recall", "claim");
        var responses = await Task.WhenAll(lingdao.PostAsync($"/api/tasks/{approve}/recall", null), fazhi.PostAsync($"/api/tasks/{handle}/claim", null));
        fixture.Factory.Gate.Open();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync();
        await fixture.Factory.WithDbAsync(async db =>
        {
            var next = await db.Tasks.SingleAsync(t => t.Id == handle);
            var recalled = await db.Journal.AnyAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskRecalled);
            if (recalled)
            {
                Assert.Equal(HumanTaskStatus.Cancelled, next.Status);
                Assert.Contains("该待办已取消", loser);
            }
            else
            {
                Assert.NotNull(next.ClaimedAt);
                Assert.Contains("不能撤回", loser);
            }
        });
    }

    [Fact]
    public async Task The_initiator_withdraws_an_item_nobody_accepted_and_it_ends_as_withdrawn()
    {
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        Assert.True(await CanWithdrawAsync(ducha, id));
        Assert.False(await CanWithdrawAsync(await fixture.As("lingdao"), id));

        await ProblemOf(await (await fixture.As("lingdao")).PostAsJsonAsync($"/api/instances/{id}/withdraw", new { reason = "x" }), HttpStatusCode.Forbidden);
        await Ok(await ducha.PostAsJsonAsync($"/api/instances/{id}/withdraw", new { reason = "登记重复" }));
        Assert.False(await CanWithdrawAsync(ducha, id));

        var item = await InstanceAsync(ducha, id);
        Assert.Equal(("cancelled", "已撤回"), (item["instance"]!["status"]!.GetValue<string>(), item["instance"]!["result"]!.GetValue<string>()));
        Assert.DoesNotContain(await InboxAsync(await fixture.As("lingdao")), t => t!["instanceId"]!.GetValue<Guid>() == id);
        await fixture.Factory.WithDbAsync(async db =>
            Assert.Equal("登记重复", (await db.Journal.SingleAsync(j => j.InstanceId == id && j.Kind == JournalKind.InstanceWithdrawn)).Comment));
    }

    [Fact]
    public async Task An_item_someone_has_acted_on_cannot_be_withdrawn()
    {
        var (id, _, _) = await ApprovedAsync();
        Assert.False(await CanWithdrawAsync(await fixture.As("ducha"), id));
        var body = await ProblemOf(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/instances/{id}/withdraw", new { reason = "x" }), HttpStatusCode.Conflict);
        Assert.Contains("不能撤回事项", body);
    }

    [Fact]
    public async Task A_delegate_gives_his_opinion_and_the_task_comes_back_to_the_delegator_who_completes_it()
    {
        var (id, _, handle) = await ApprovedAsync();
        var fazhi = await fixture.As("fazhi");
        var fzcz = await fixture.As("fzcz");
        await Ok(await fazhi.PostAsync($"/api/tasks/{handle}/claim", null));
        await ProblemOf(await fazhi.PostAsJsonAsync($"/api/tasks/{handle}/delegate", new { toUserId = "nobody" }), HttpStatusCode.BadRequest);
        await ProblemOf(await (await fixture.As("jinan")).PostAsJsonAsync($"/api/tasks/{handle}/delegate", new { toUserId = await IdOf(fzcz) }),
            HttpStatusCode.NotFound);

        await Ok(await fazhi.PostAsJsonAsync($"/api/tasks/{handle}/delegate", new { toUserId = await IdOf(fzcz), comment = "请赵处长把关" }));

        Assert.Equal(handle, await TaskOfAsync(fzcz, id));
        Assert.Contains("交还委派人", await ProblemOf(await CompleteAsync(fzcz, handle, "提交", new JsonObject { ["report"] = "x" }), HttpStatusCode.Conflict));
        Assert.Contains("已委派给赵处长", await ProblemOf(await CompleteAsync(fazhi, handle, "提交", new JsonObject { ["report"] = "x" }), HttpStatusCode.Conflict));
        await ProblemOf(await fzcz.PostAsJsonAsync($"/api/tasks/{handle}/delegate-return", new { comment = " " }), HttpStatusCode.BadRequest);
        await Ok(await fzcz.PostAsJsonAsync($"/api/tasks/{handle}/delegate-return",
            new { comment = "已核实，可以上报", data = new JsonObject { ["report"] = "赵处长拟写的办理情况", ["title"] = "改标题" } }));

        var ops = await OperationsOf(fazhi, handle);
        var returned = ops["delegation"]!["returned"]!;
        Assert.Equal(("赵处长", "已核实，可以上报"), (returned["byName"]!.GetValue<string>(), returned["comment"]!.GetValue<string>()));
        Assert.Equal("赵处长拟写的办理情况", returned["values"]!["report"]!.GetValue<string>());
        await CompleteOkAsync(fazhi, handle, "提交", new JsonObject { ["report"] = "赵处长拟写的办理情况" });
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Journal.CountAsync(j => j.TaskId == handle && j.Kind == JournalKind.TaskDelegated));
            var back = await db.Journal.SingleAsync(j => j.TaskId == handle && j.Kind == JournalKind.DelegationReturned);
            Assert.DoesNotContain("改标题", back.DataJson); // 标题 is read-only at 承办: not taken
            Assert.Equal("张联络", (await db.Tasks.SingleAsync(t => t.Id == handle)).CompletedByName);
        });
    }

    /// <summary>Start → 会签 (李厅长 and 王督查, all) → End.</summary>
    private static JsonObject CountersignFlow() => Flow("countersign-ops", "会签测试", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
        new JsonObject
        {
            ["id"] = "hq", ["type"] = "Duban.UserTask", ["name"] = "会签",
            ["assignee"] = Literal(new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray("{lingdao}", "{ducha}") }),
            ["countersign"] = Literal("all"),
            ["outcomes"] = Literal(new JsonArray("同意", "不同意")),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
    ], [Connection("start", "Done", "hq"), Connection("hq", "同意", "end"), Connection("hq", "不同意", "end")]);

    [Fact]
    public async Task A_signer_added_to_a_countersign_gets_a_task_with_its_deadline_and_a_removed_one_loses_his()
    {
        var admin = await fixture.As("admin");
        var lingdao = await fixture.As("lingdao");
        var ducha = await fixture.As("ducha");
        var fzcz = await fixture.As("fzcz");
        var flow = CountersignFlow().ToJsonString().Replace("{lingdao}", await IdOf(lingdao)).Replace("{ducha}", await IdOf(ducha));
        await ImportAsync(admin, JsonNode.Parse(flow)!.AsObject());
        var id = await StartAsync(ducha, "countersign-ops", null);
        var mine = await TaskOfAsync(lingdao, id);

        await ProblemOf(await lingdao.PostAsJsonAsync($"/api/tasks/{mine}/signers", new { userId = await IdOf(fzcz) }), HttpStatusCode.BadRequest); // no reason
        await ProblemOf(await (await fixture.As("fazhi")).PostAsJsonAsync($"/api/tasks/{mine}/signers", new { userId = await IdOf(fzcz), reason = "x" }),
            HttpStatusCode.NotFound);
        await ProblemOf(await lingdao.PostAsJsonAsync($"/api/tasks/{mine}/signers", new { userId = await IdOf(ducha), reason = "x" }), HttpStatusCode.BadRequest);
        await Ok(await lingdao.PostAsJsonAsync($"/api/tasks/{mine}/signers", new { userId = await IdOf(fzcz), reason = "涉及法制处职责" }));

        var added = await TaskOfAsync(fzcz, id);
        var members = (await OperationsOf(lingdao, mine))["signers"]!["members"]!.AsArray();
        Assert.Equal(3, members.Count);
        var duchaTask = await TaskOfAsync(ducha, id);
        await Ok(await lingdao.PostAsJsonAsync($"/api/tasks/{mine}/signers/remove", new { signerTaskId = duchaTask, reason = "王督查回避" }));
        Assert.DoesNotContain(await InboxAsync(ducha), t => t!["instanceId"]!.GetValue<Guid>() == id);

        await CompleteOkAsync(fzcz, added, "同意");
        Assert.Contains("已办理，不能减签",
            await ProblemOf(await lingdao.PostAsJsonAsync($"/api/tasks/{mine}/signers/remove", new { signerTaskId = added, reason = "x" }), HttpStatusCode.Conflict));
        Assert.Contains("至少要保留一位",
            await ProblemOf(await ducha.PostAsJsonAsync($"/api/tasks/{mine}/signers/remove", new { signerTaskId = mine, reason = "x" }), HttpStatusCode.Conflict));
        await CompleteOkAsync(lingdao, mine, "同意");
        Assert.Equal("completed", (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>());
        await fixture.Factory.WithDbAsync(async db =>
        {
            var tasks = await db.Tasks.Where(t => t.InstanceId == id).ToListAsync();
            Assert.Equal(tasks.Single(t => t.Id == mine).DueAt, tasks.Single(t => t.Id == added).DueAt);
            Assert.Equal(HumanTaskStatus.Cancelled, tasks.Single(t => t.Id == duchaTask).Status);
            Assert.Equal(1, await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.SignerAdded));
            Assert.Equal(1, await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.SignerRemoved && j.Comment == "王督查回避"));
        });
    }

    [Fact]
    public async Task A_deputy_sees_and_acts_on_the_leaders_tasks_during_the_period_and_is_journaled_as_acting_for_him()
    {
        var lingdao = await fixture.As("lingdao");
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var zhao = await IdOf(await fixture.As("fzcz"));

        // Only the user himself or an administrator names a deputy; the deputy must exist.
        await ProblemOf(await fazhi.PostAsJsonAsync("/api/deputies", new { userId = await IdOf(lingdao), deputyUserId = zhao, startsOn = today, endsOn = today }),
            HttpStatusCode.Forbidden);
        await ProblemOf(await lingdao.PostAsJsonAsync("/api/deputies", new { deputyUserId = "nobody", startsOn = today, endsOn = today }), HttpStatusCode.BadRequest);
        await ProblemOf(await lingdao.PostAsJsonAsync("/api/deputies", new { deputyUserId = zhao, startsOn = today, endsOn = today.AddDays(-1) }), HttpStatusCode.BadRequest);
        // A period that has not begun gives nothing yet.
        await Ok(await lingdao.PostAsJsonAsync("/api/deputies", new { deputyUserId = await IdOf(ducha), startsOn = today.AddDays(10), endsOn = today.AddDays(12), reason = "出差" }));
        // 济南 handles it: 赵处长 (法制处) has no part in the item of his own.
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData("jinan"));
        var approve = await TaskOfAsync(lingdao, id);
        Assert.DoesNotContain(await InboxAsync(ducha), t => t!["instanceId"]!.GetValue<Guid>() == id);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("fzcz")).GetAsync($"/api/instances/{id}")).StatusCode);
        await ProblemOf(await CompleteAsync(ducha, approve, "同意"), HttpStatusCode.Forbidden);

        var admin = await fixture.As("admin");
        await Ok(await admin.PostAsJsonAsync("/api/deputies", new { userId = await IdOf(lingdao), deputyUserId = zhao, startsOn = today, endsOn = today.AddDays(3), reason = "休假" }));
        var fzcz = await fixture.As("fzcz");
        Assert.Equal(approve, await TaskOfAsync(fzcz, id));
        // He reads the item he acts on, through the leader's waiting step, and its send-back notes (none here).
        var seen = (await fzcz.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!;
        Assert.Equal("推进行政复议体制改革", seen["data"]!["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await fzcz.GetAsync($"/api/tasks/{approve}/sent-back")).StatusCode);
        // Another of 济南's items, not waiting for the leader, stays out of his sight.
        var other = await StartAsync(ducha, "demo-supervision", DemoStartData("jinan"));
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, other), "同意", new JsonObject { ["leaderOpinion"] = "同意" });
        Assert.Equal(HttpStatusCode.NotFound, (await fzcz.GetAsync($"/api/instances/{other}")).StatusCode);
        var detail = (await fzcz.GetFromJsonAsync<JsonObject>($"/api/tasks/{approve}"))!;
        Assert.True(detail["canAct"]!.GetValue<bool>());
        Assert.Equal("李厅长", detail["onBehalfOf"]!["name"]!.GetValue<string>());

        await CompleteOkAsync(fzcz, approve, "同意", new JsonObject { ["leaderOpinion"] = "同意（代签）" });

        await fixture.Factory.WithDbAsync(async db =>
        {
            var done = await db.Journal.SingleAsync(j => j.TaskId == approve && j.Kind == JournalKind.TaskCompleted);
            Assert.Equal("赵处长（代李厅长）", done.ActorName);
            Assert.Equal(zhao, done.ActorId);
            Assert.Contains("onBehalfOfName", done.DataJson);
            Assert.Equal("赵处长（代李厅长）", (await db.Tasks.SingleAsync(t => t.Id == approve)).CompletedByName);
        });
        Assert.Contains((await InstanceAsync(ducha, id))["data"]!["leaderOpinion"]!.AsArray(), o => o!.ToJsonString(new System.Text.Json.JsonSerializerOptions
        { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Contains("赵处长（代李厅长）"));
        var list = (await lingdao.GetFromJsonAsync<JsonArray>("/api/deputies"))!;
        Assert.Equal(2, list.Count);
        await Ok(await lingdao.DeleteAsync($"/api/deputies/{list[0]!["id"]}"));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteTaskOperationTests(SqliteFixture fixture) : TaskOperationTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresTaskOperationTests(PostgresFixture fixture) : TaskOperationTests<PostgresFixture>(fixture);
