using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>Lists and details: what each person may see, and filters that say no to values they do not know.</summary>
public abstract class ItemQueryTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Child() => Flow("vis-child", "分解任务", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "交办", ["form"] = Literal("row") },
        new JsonObject
        {
            ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "落实",
            ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }),
            ["outcomes"] = Literal(new JsonArray("完成")),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "do"), Connection("do", "完成", "end")]).Also(c => c["forms"] = new JsonArray(new JsonObject
    {
        ["id"] = "row", ["name"] = "分解任务",
        ["fields"] = new JsonArray(
            new JsonObject { ["key"] = "task", ["label"] = "任务", ["type"] = "text", ["required"] = true },
            new JsonObject { ["key"] = "unit", ["label"] = "牵头单位", ["type"] = "unit", ["required"] = true }),
    }));

    /// <summary>The parent tells 济南 (阅知, its unit takes part) and splits into one child per row.</summary>
    private static JsonObject Parent() => Flow("vis-parent", "分解（可见性）", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("decision") },
        new JsonObject
        {
            ["id"] = "tell", ["type"] = "Duban.Notify", ["name"] = "告知济南",
            ["assignee"] = Literal(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("jinan") }),
        },
        new JsonObject { ["id"] = "split", ["type"] = "Duban.SubProcess", ["name"] = "分解落实", ["definitionId"] = Literal("vis-child"), ["items"] = Script("item.tasks") },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "tell"), Connection("tell", "Done", "split"), Connection("split", "Done", "end")]).Also(p => p["forms"] = new JsonArray(new JsonObject
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
    }));

    [Fact]
    public async Task An_items_children_list_only_the_ones_the_caller_may_see()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Child());
        await ImportAsync(admin, Parent());
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "vis-parent", new JsonObject
        {
            ["title"] = "分解可见性",
            ["tasks"] = new JsonArray(
                new JsonObject { ["task"] = "法制处的任务", ["unit"] = "fzc" },
                new JsonObject { ["task"] = "济南的任务", ["unit"] = "jinan" }),
        });

        Assert.Equal(2, (await InstanceAsync(ducha, id))["children"]!.AsArray().Count);
        var jinan = await fixture.As("jinan");
        var seen = (await InstanceAsync(jinan, id))["children"]!.AsArray();
        Assert.Equal(["济南的任务"], seen.Select(c => c!["title"]!.GetValue<string>()));
        var hidden = (await InstanceAsync(ducha, id))["children"]!.AsArray().Single(c => c!["title"]!.GetValue<string>() == "法制处的任务")!["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.GetAsync($"/api/instances/{hidden}")).StatusCode);
    }

    [Theory]
    [InlineData("99")]
    [InlineData("1")]
    [InlineData("-1")]
    [InlineData("open")]
    public async Task The_status_filter_refuses_numbers_and_unknown_names(string status)
    {
        var ducha = await fixture.As("ducha");
        var errors = await FieldErrorsAsync(await ducha.GetAsync($"/api/instances?status={status}"));
        Assert.Contains("running", errors["status"].Single());
    }

    [Fact]
    public async Task The_status_filter_takes_the_names_the_API_writes()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var running = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var declined = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, declined), "不同意");

        var completed = await ducha.GetFromJsonAsync<JsonObject>("/api/instances?status=completed");
        Assert.Equal([declined], completed!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        Assert.Equal("completed", completed["items"]![0]!["status"]!.GetValue<string>());
        var suspended = await ducha.GetFromJsonAsync<JsonObject>("/api/instances?status=suspended");
        Assert.Equal([running], suspended!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>()));
        foreach (var name in new[] { "running", "cancelled", "faulted" })
            Assert.Equal(0, (await ducha.GetFromJsonAsync<JsonObject>($"/api/instances?status={name}"))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_cancelled_unit_task_does_not_ask_to_be_claimed()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "同意");
        var task = await TaskOfAsync(fazhi, id);
        var open = await fazhi.GetFromJsonAsync<JsonObject>($"/api/tasks/{task}");
        Assert.True(open!["needsClaim"]!.GetValue<bool>());

        Assert.Equal(HttpStatusCode.NoContent, (await ducha.PostAsJsonAsync($"/api/instances/{id}/cancel", new { reason = "不再督办" })).StatusCode);
        var cancelled = await fazhi.GetFromJsonAsync<JsonObject>($"/api/tasks/{task}");
        Assert.Equal("cancelled", cancelled!["task"]!["status"]!.GetValue<string>());
        Assert.False(cancelled["canAct"]!.GetValue<bool>());
        Assert.False(cancelled["needsClaim"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Lights_do_not_filter_done_tasks()
    {
        var fazhi = await fixture.As("fazhi");
        var errors = await FieldErrorsAsync(await fazhi.GetAsync("/api/tasks?box=done&light=red"));
        Assert.Contains("light", errors.Keys);
        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync("/api/tasks?box=done")).StatusCode);
    }

    [Fact]
    public async Task Green_and_yellow_follow_the_one_day_or_one_fifth_rule()
    {
        // Due in 12 hours: yellow (less than the one-day minimum). Due in 30 days: green (a fifth is 6 days).
        // Due in 4 days of 4: green by the day rule, and a fifth (19.2 h) is less than a day — still green.
        var admin = await fixture.As("admin");
        foreach (var (id, due) in new[] { ("due-12h", "PT12H"), ("due-30d", "P30D"), ("due-4d", "P4D") })
            await ImportAsync(admin, Flow(id, $"时限 {due}", [
                new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
                new JsonObject
                {
                    ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = $"办理 {due}",
                    ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }), ["dueIn"] = Literal(due),
                },
                new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
            ], [Connection("start", "Done", "do"), Connection("do", "提交", "end")]));
        var ducha = await fixture.As("ducha");
        foreach (var id in new[] { "due-12h", "due-30d", "due-4d" }) await StartAsync(ducha, id, null);

        static IEnumerable<string> Names(JsonObject page) => page["items"]!.AsArray().Select(t => t!["activityName"]!.GetValue<string>()).Order();
        var yellow = await ducha.GetFromJsonAsync<JsonObject>("/api/tasks?light=yellow");
        Assert.Equal(["办理 PT12H"], Names(yellow!));
        Assert.Equal(1, yellow!["total"]!.GetValue<int>());
        var green = await ducha.GetFromJsonAsync<JsonObject>("/api/tasks?light=green&pageSize=1");
        Assert.Equal(2, green!["total"]!.GetValue<int>());
        Assert.Single(green["items"]!.AsArray());
        var all = await ducha.GetFromJsonAsync<JsonObject>("/api/tasks?light=green");
        Assert.Equal(["办理 P30D", "办理 P4D"], Names(all!));
        Assert.All(all!["items"]!.AsArray(), t => Assert.Equal("green", t!["light"]!.GetValue<string>()));
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteItemQueryTests(SqliteFixture fixture) : ItemQueryTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresItemQueryTests(PostgresFixture fixture) : ItemQueryTests<PostgresFixture>(fixture);
