using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Duban.Server.Tests.Supervision;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Tasks;

/// <summary>
/// 撤回 on a 交办 step over HTTP (docs/decisions/031): the 主办's liaison takes the consolidated report back while 审核 has
/// not acted; a 协办's liaison takes his input back while the 主办 has not submitted. Refusals, and the race with the next
/// step's completion forced with the commit gate.
/// </summary>
public abstract class AssignRecallTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> StartAsync()
    {
        await ImportAsync(await fixture.As("admin"), AssignmentApiTests<TFixture>.Definition());
        return await Infrastructure.Api.StartAsync(await fixture.As("ducha"), "assign-test", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan", "qingdao"),
        });
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string url) => (await client.GetFromJsonAsync<JsonObject>(url))!;

    private static async Task<bool> CanRecallAsync(HttpClient client, Guid task) =>
        (await GetAsync(client, $"/api/tasks/{task}/operations"))["canRecall"]!.GetValue<bool>();

    private static async Task<string> ProblemOf(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body;
    }

    private static JsonObject UnitOf(JsonObject detail, string unitId) =>
        detail["assignment"]!["units"]!.AsArray().Select(u => u!.AsObject()).Single(u => u["unitId"]!.GetValue<string>() == unitId);

    [Fact]
    public async Task The_lead_takes_its_report_back_and_the_step_waits_again_with_the_co_task_it_cancelled()
    {
        var id = await StartAsync();
        var (fazhi, jinan, qingdao, ducha) = (await fixture.As("fazhi"), await fixture.As("jinan"), await fixture.As("qingdao"), await fixture.As("ducha"));
        await CompleteOkAsync(jinan, await TaskOfAsync(jinan, id, "交办（协办）"), "提交", new JsonObject { ["coOpinion"] = "建议补充2025年数据" });
        var qingdaoTask = await TaskOfAsync(qingdao, id, "交办（协办）");
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        DateTimeOffset? dueBefore = null;
        await fixture.Factory.WithDbAsync(async db => dueBefore = (await db.Tasks.SingleAsync(t => t.Id == lead)).DueAt);
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "已汇总济南意见，形成办理报告" }, "请审核");
        var review = await TaskOfAsync(ducha, id, "审核");
        Assert.DoesNotContain(await InboxAsync(qingdao), t => t!["instanceId"]!.GetValue<Guid>() == id);

        Assert.True(await CanRecallAsync(fazhi, lead));
        Assert.False(await CanRecallAsync(await fixture.As("fzcz"), lead));
        Assert.Contains("只有办理该环节的人可以撤回",
            await ProblemOf(await (await fixture.As("fzcz")).PostAsync($"/api/tasks/{lead}/recall", null), HttpStatusCode.Forbidden));
        Assert.Equal(HttpStatusCode.NoContent, (await fazhi.PostAsync($"/api/tasks/{lead}/recall", null)).StatusCode);

        // The 主办's task and 青岛's are open again; 审核's is gone.
        Assert.Equal(lead, await TaskOfAsync(fazhi, id, "交办（主办）"));
        Assert.Equal(qingdaoTask, await TaskOfAsync(qingdao, id, "交办（协办）"));
        Assert.DoesNotContain(await InboxAsync(ducha), t => t!["instanceId"]!.GetValue<Guid>() == id && t["activityName"]!.GetValue<string>() == "审核");
        // The report comes back to the 主办's form as its draft, comment included; the units stand as before the report.
        var draft = await GetAsync(fazhi, $"/api/tasks/{lead}/draft");
        Assert.True(draft["exists"]!.GetValue<bool>());
        Assert.Equal(("已汇总济南意见，形成办理报告", "请审核"), (draft["data"]!["report"]!.GetValue<string>(), draft["comment"]!.GetValue<string>()));
        var detail = await GetAsync(fazhi, $"/api/tasks/{lead}");
        Assert.True(detail["canAct"]!.GetValue<bool>());
        Assert.True(detail["assignment"]!["active"]!.GetValue<bool>());
        Assert.Equal(("open", "submitted", "open"), (UnitOf(detail, "fzc")["status"]!.GetValue<string>(),
            UnitOf(detail, "jinan")["status"]!.GetValue<string>(), UnitOf(detail, "qingdao")["status"]!.GetValue<string>()));
        Assert.Equal("建议补充2025年数据", UnitOf(detail, "jinan")["input"]!["coOpinion"]![0]!["text"]!.GetValue<string>());
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(HumanTaskStatus.Cancelled, (await db.Tasks.SingleAsync(t => t.Id == review)).Status);
            var reopened = await db.Tasks.SingleAsync(t => t.Id == lead);
            Assert.Equal((HumanTaskStatus.Open, dueBefore, (string?)null), (reopened.Status, reopened.DueAt, reopened.Outcome));
            Assert.Null((await db.Set<AssignmentRecord>().SingleAsync(a => a.TaskId == lead)).InputJson);
            var line = await db.Journal.SingleAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskRecalled);
            Assert.Equal(lead, line.TaskId);
            Assert.Contains("\"roleName\":\"主办\"", line.DataJson);
        });

        // The step goes on: 青岛 submits, the 主办 reports again and 审核 gets it once.
        await CompleteOkAsync(qingdao, qingdaoTask, "提交", new JsonObject { ["coOpinion"] = "无不同意见" });
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "已汇总济南、青岛意见" });
        await TaskOfAsync(ducha, id, "审核");
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.False(await db.Set<TaskDraftRecord>().AnyAsync(d => d.TaskId == lead));
            Assert.Contains("青岛", (await db.Set<AssignmentRecord>().SingleAsync(a => a.TaskId == lead)).InputJson);
        });
    }

    [Fact]
    public async Task Once_审核_is_claimed_the_lead_is_not_offered_撤回_and_is_refused_with_409()
    {
        var id = await StartAsync();
        var (fazhi, ducha) = (await fixture.As("fazhi"), await fixture.As("ducha"));
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "报告" });
        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsync($"/api/tasks/{await TaskOfAsync(ducha, id, "审核")}/claim", null)).StatusCode);

        Assert.False(await CanRecallAsync(fazhi, lead));
        Assert.Contains("已签收或办理，不能撤回", await ProblemOf(await fazhi.PostAsync($"/api/tasks/{lead}/recall", null), HttpStatusCode.Conflict));
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(HumanTaskStatus.Completed, (await db.Tasks.SingleAsync(t => t.Id == lead)).Status);
            Assert.False(await db.Journal.AnyAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskRecalled));
        });
    }

    [Fact]
    public async Task A_co_unit_takes_its_input_back_and_the_lead_no_longer_sees_it_until_it_is_submitted_again()
    {
        var id = await StartAsync();
        var (fazhi, jinan) = (await fixture.As("fazhi"), await fixture.As("jinan"));
        var co = await TaskOfAsync(jinan, id, "交办（协办）");
        await CompleteOkAsync(jinan, co, "提交", new JsonObject { ["coOpinion"] = "建议补充2025年数据", ["coContact"] = "王五" }, "请主办单位参考");
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        Assert.Equal("submitted", UnitOf(await GetAsync(fazhi, $"/api/tasks/{lead}"), "jinan")["status"]!.GetValue<string>());

        Assert.True(await CanRecallAsync(jinan, co));
        Assert.Equal(HttpStatusCode.Forbidden, (await fazhi.PostAsync($"/api/tasks/{co}/recall", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await jinan.PostAsync($"/api/tasks/{co}/recall", null)).StatusCode);

        var seen = UnitOf(await GetAsync(fazhi, $"/api/tasks/{lead}"), "jinan");
        Assert.Equal("open", seen["status"]!.GetValue<string>());
        Assert.Null(seen["input"]);
        Assert.Null(seen["comment"]);
        Assert.Equal(co, await TaskOfAsync(jinan, id, "交办（协办）"));
        // His task opens with what he submitted: the opinion as he typed it, the contact, the comment.
        var draft = await GetAsync(jinan, $"/api/tasks/{co}/draft");
        Assert.Equal(("建议补充2025年数据", "王五", "请主办单位参考"), (draft["data"]!["coOpinion"]!.GetValue<string>(),
            draft["data"]!["coContact"]!.GetValue<string>(), draft["comment"]!.GetValue<string>()));
        Assert.False((await GetAsync(fazhi, $"/api/tasks/{co}/draft"))["exists"]!.GetValue<bool>());
        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Null((await db.Set<AssignmentRecord>().SingleAsync(a => a.TaskId == co)).InputJson);
            Assert.Equal("济南市司法局", (await db.Journal.SingleAsync(j => j.TaskId == co && j.Kind == JournalKind.TaskRecalled)).DataJson is { } json
                ? JsonNode.Parse(json)!["unitName"]!.GetValue<string>() : null);
        });

        // Submitted again, the 主办 sees the new input; once the 主办 has reported, the 协办 cannot take it back.
        await CompleteOkAsync(jinan, co, "提交", new JsonObject { ["coOpinion"] = "已补充2025年数据" });
        Assert.Equal("已补充2025年数据",
            UnitOf(await GetAsync(fazhi, $"/api/tasks/{lead}"), "jinan")["input"]!["coOpinion"]![0]!["text"]!.GetValue<string>());
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "报告" });
        Assert.False(await CanRecallAsync(jinan, co));
        Assert.Contains("主办单位已汇总上报，协办意见不能撤回", await ProblemOf(await jinan.PostAsync($"/api/tasks/{co}/recall", null), HttpStatusCode.Conflict));
    }

    /// <summary>
    /// The 主办's 撤回 and 审核's completion commit at once (the gate holds both until each has read the item): one wins,
    /// the other gets 409, and the item is in the winner's state only.
    /// </summary>
    [Fact]
    public async Task A_recall_and_the_next_steps_completion_at_once_one_wins_and_the_other_gets_409()
    {
        var id = await StartAsync();
        var (fazhi, ducha) = (await fixture.As("fazhi"), await fixture.As("ducha"));
        var lead = await TaskOfAsync(fazhi, id, "交办（主办）");
        await CompleteOkAsync(fazhi, lead, "提交", new JsonObject { ["report"] = "报告" });
        var review = await TaskOfAsync(ducha, id, "审核");

        fixture.Gate.HoldUntil(2, "recall", "complete");
        var responses = await Task.WhenAll(fazhi.PostAsync($"/api/tasks/{lead}/recall", null), CompleteAsync(ducha, review, "通过"));
        fixture.Gate.Open();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var recallWon = responses[0].StatusCode == HttpStatusCode.NoContent;
        var loser = await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync();
        await fixture.Factory.WithDbAsync(async db =>
        {
            var item = await db.Instances.SingleAsync(i => i.Id == id);
            var (leadRow, reviewRow) = (await db.Tasks.SingleAsync(t => t.Id == lead), await db.Tasks.SingleAsync(t => t.Id == review));
            var recalls = await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskRecalled);
            var reviewed = await db.Journal.CountAsync(j => j.InstanceId == id && j.Kind == JournalKind.TaskCompleted && j.TaskId == review);
            if (recallWon)
            {
                Assert.Equal((WorkflowStatus.Suspended, HumanTaskStatus.Open, HumanTaskStatus.Cancelled, 1, 0),
                    (item.Status, leadRow.Status, reviewRow.Status, recalls, reviewed));
                Assert.True(loser.Contains("该待办已取消", StringComparison.Ordinal), loser);
            }
            else
            {
                Assert.Equal((WorkflowStatus.Completed, HumanTaskStatus.Completed, HumanTaskStatus.Completed, 0, 1),
                    (item.Status, leadRow.Status, reviewRow.Status, recalls, reviewed));
                Assert.True(loser.Contains("不能撤回", StringComparison.Ordinal), loser);
            }
        });
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAssignRecallTests(SqliteFixture fixture) : AssignRecallTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAssignRecallTests(PostgresFixture fixture) : AssignRecallTests<PostgresFixture>(fixture);
