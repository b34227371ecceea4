using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>A breakdown: one child item per row, each tracked on its own; the parent goes on when all are done.</summary>
public abstract class SubProcessTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Child()
    {
        var child = Flow("child-task", "分解任务落实", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "交办", ["form"] = Literal("row") },
        new JsonObject
        {
            ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "落实",
            ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }),
            ["outcomes"] = Literal(new JsonArray("完成")),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "do"), Connection("do", "完成", "end")]);
        // The child's start form declares the row's fields; the parent's row is its start data.
        child["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "row", ["name"] = "分解任务",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "task", ["label"] = "任务", ["type"] = "text", ["required"] = true },
                new JsonObject { ["key"] = "unit", ["label"] = "牵头单位", ["type"] = "unit", ["required"] = true }),
        });
        return child;
    }

    private static JsonObject Parent()
    {
        var parent = Flow("breakdown-test", "决策分解（测试）", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("decision") },
            new JsonObject
            {
                ["id"] = "split", ["type"] = "Duban.SubProcess", ["name"] = "分解落实",
                ["definitionId"] = Literal("child-task"), ["items"] = Script("item.tasks"),
            },
            new JsonObject
            {
                ["id"] = "tell", ["type"] = "Duban.Notify", ["name"] = "报领导阅知",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "领导" }),
                ["message"] = Literal("分解任务已全部完成"),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "split"), Connection("split", "Done", "tell"), Connection("tell", "Done", "end")]);
        parent["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "decision", ["name"] = "决策登记",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "决策事项", ["type"] = "text", ["required"] = true },
                new JsonObject
                {
                    ["key"] = "tasks", ["label"] = "任务分解表", ["type"] = "table", ["required"] = true,
                    ["columns"] = new JsonArray(
                        new JsonObject { ["key"] = "task", ["label"] = "任务", ["type"] = "text", ["required"] = true },
                        new JsonObject { ["key"] = "unit", ["label"] = "牵头单位", ["type"] = "unit", ["required"] = true }),
                }),
        });
        return parent;
    }

    private static JsonObject Row(string task, string unit) => new() { ["task"] = task, ["unit"] = unit };

    [Fact]
    public async Task Three_rows_make_three_child_items_and_the_parent_goes_on_when_the_last_closes()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Child());
        await ImportAsync(admin, Parent());
        var ducha = await fixture.As("ducha");

        var badRow = await ducha.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "breakdown-test",
            data = new JsonObject { ["title"] = "x", ["tasks"] = new JsonArray(new JsonObject { ["task"] = "缺单位" }) },
        });
        Assert.Contains("tasks[0].unit", (await FieldErrorsAsync(badRow)).Keys);

        var id = await StartAsync(ducha, "breakdown-test", new JsonObject
        {
            ["title"] = "全面推进依法行政",
            ["tasks"] = new JsonArray(Row("修订执法规范", "fzc"), Row("开展执法检查", "jinan"), Row("组织业务培训", "qingdao")),
        });
        var parent = await InstanceAsync(ducha, id);
        var children = parent["children"]!.AsArray();
        Assert.Equal(["修订执法规范", "开展执法检查", "组织业务培训"], children.Select(c => c!["title"]!.GetValue<string>()));

        var handlers = new[] { "fazhi", "jinan", "qingdao" };
        for (var i = 0; i < 3; i++)
        {
            var client = await fixture.As(handlers[i]);
            var childId = children[i]!["id"]!.GetValue<Guid>();
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/instances/{id}")).StatusCode);
            await CompleteOkAsync(client, await TaskOfAsync(client, childId, "落实"), "完成");
            var status = (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>();
            Assert.Equal(i < 2 ? "suspended" : "completed", status);
        }

        var done = await InstanceAsync(ducha, id);
        Assert.All(done["children"]!.AsArray(), c => Assert.Equal("办结", c!["result"]!.GetValue<string>()));
        var kinds = done["timeline"]!.AsArray().Select(e => e!["kind"]!.GetValue<string>()).ToList();
        Assert.Equal(3, kinds.Count(k => k == "childStarted"));
        Assert.Equal(3, kinds.Count(k => k == "childCompleted"));

        // The leader was told (阅知) and confirms once; a second confirmation is a conflict.
        var lingdao = await fixture.As("lingdao");
        var notices = await InboxAsync(lingdao, "notice");
        var notice = Assert.Single(notices, n => n!["instanceId"]!.GetValue<Guid>() == id)!;
        Assert.Equal("报领导阅知", notice["activityName"]!.GetValue<string>());
        var noticeId = notice["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NoContent, (await lingdao.PostAsJsonAsync($"/api/tasks/{noticeId}/read", new { comment = "已阅" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await lingdao.PostAsJsonAsync($"/api/tasks/{noticeId}/read", new { })).StatusCode);
        Assert.Contains((await InstanceAsync(ducha, id))["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "noticeRead");
    }

    [Fact]
    public async Task Children_that_finish_in_the_same_transaction_all_count()
    {
        var admin = await fixture.As("admin");
        var instant = Flow("instant-child", "即办子事项", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "end")]);
        var parent = Flow("instant-parent", "即办分解", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject
            {
                ["id"] = "split", ["type"] = "Duban.SubProcess", ["name"] = "分解",
                ["definitionId"] = Literal("instant-child"), ["items"] = Literal(new JsonArray("甲", "乙", "丙")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "split"), Connection("split", "Done", "end")]);
        await ImportAsync(admin, instant);
        await ImportAsync(admin, parent);

        var ducha = await fixture.As("ducha");
        var item = await InstanceAsync(ducha, await StartAsync(ducha, "instant-parent", null));
        Assert.Equal("completed", item["instance"]!["status"]!.GetValue<string>());
        Assert.Equal(3, item["children"]!.AsArray().Count);
        Assert.Equal(3, item["timeline"]!.AsArray().Count(e => e!["kind"]!.GetValue<string>() == "childCompleted"));
    }

    [Fact]
    public async Task Cancelling_a_breakdown_cancels_its_open_child_items_and_their_tasks()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Child());
        await ImportAsync(admin, Parent());
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "breakdown-test", new JsonObject
        {
            ["title"] = "全面推进依法行政",
            ["tasks"] = new JsonArray(Row("修订执法规范", "fzc"), Row("开展执法检查", "jinan")),
        });
        var fazhi = await fixture.As("fazhi");
        var first = (await InstanceAsync(ducha, id))["children"]![0]!["id"]!.GetValue<Guid>();
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, first), "完成");

        var cancel = await ducha.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "决策调整，停止执行" });
        Assert.Equal(HttpStatusCode.NoContent, cancel.StatusCode);

        var item = await InstanceAsync(ducha, id);
        Assert.Equal("cancelled", item["instance"]!["status"]!.GetValue<string>());
        Assert.Equal(["completed", "cancelled"], item["children"]!.AsArray().Select(c => c!["status"]!.GetValue<string>()));
        Assert.Empty(await InboxAsync(await fixture.As("jinan")));
    }

    [Fact]
    public async Task The_reviewer_can_send_an_item_back_to_a_chosen_earlier_step()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "同意");
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id), "提交", new JsonObject { ["report"] = "办理情况" });

        var review = await TaskOfAsync(ducha, id, "审核");
        var detail = await ducha.GetFromJsonAsync<JsonObject>($"/api/tasks/{review}");
        Assert.Equal(["approve", "handle"], detail!["returnTargets"]!.AsArray().Select(t => t!["activityId"]!.GetValue<string>()).Order());
        Assert.Equal("readOnly", detail["permissions"]!["report"]!.GetValue<string>());

        var noTarget = await ducha.PostAsJsonAsync($"/api/tasks/{review}/return", new { targetActivityId = "register", comment = "重新登记" });
        Assert.Contains("targetActivityId", (await FieldErrorsAsync(noTarget)).Keys);
        var back = await ducha.PostAsJsonAsync($"/api/tasks/{review}/return", new { targetActivityId = "approve", comment = "请领导重新审定" });
        Assert.Equal(HttpStatusCode.NoContent, back.StatusCode);

        var again = await TaskOfAsync(lingdao, id, "领导审定");
        var timeline = (await InstanceAsync(ducha, id))["timeline"]!.AsArray();
        var returned = Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "taskReturned")!;
        Assert.Equal("请领导重新审定", returned["comment"]!.GetValue<string>());
        Assert.Equal(2, timeline.Last(e => e!["kind"]!.GetValue<string>() == "taskCreated" && e["activityId"]!.GetValue<string>() == "approve")!["round"]!.GetValue<int>());
        Assert.NotEqual(Guid.Empty, again);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteSubProcessTests(SqliteFixture fixture) : SubProcessTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresSubProcessTests(PostgresFixture fixture) : SubProcessTests<PostgresFixture>(fixture);
