using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Supervision;

/// <summary>参阅: a circulation to chosen units needs only 已阅 from each; the item shows who has and has not read it.</summary>
public abstract class ReadConfirmationTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>登记 (the units to read it) → 参阅 (a notice to each unit; waits for all when <paramref name="wait"/>) → 办结.</summary>
    private static JsonObject Definition(bool wait)
    {
        var circulate = new JsonObject
        {
            ["id"] = "circulate", ["type"] = "Duban.Notify", ["name"] = "参阅",
            ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "readUnits" }),
            ["message"] = Literal("领导批示转各单位参阅，请组织学习"),
        };
        if (wait) circulate["wait"] = Literal(true);
        var definition = Flow("read-test", "批示参阅", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("item") },
            circulate,
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "参阅", ["result"] = Literal("参阅") },
        ], [Connection("start", "Done", "circulate"), Connection("circulate", "Done", "end")]);
        definition["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "item", ["name"] = "批示登记",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "批示事项", ["type"] = "text", ["required"] = true },
                new JsonObject { ["key"] = "readUnits", ["label"] = "参阅单位", ["type"] = "unit", ["multiple"] = true, ["required"] = true }),
        });
        return definition;
    }

    private async Task<Guid> CirculateAsync(bool wait, params string[] units)
    {
        await ImportAsync(await fixture.As("admin"), Definition(wait));
        return await StartAsync(await fixture.As("ducha"), "read-test", new JsonObject
        {
            ["title"] = "李厅长关于加强普法工作的批示", ["readUnits"] = new JsonArray(units.Select(u => (JsonNode?)JsonValue.Create(u)).ToArray()),
        });
    }

    private static async Task<JsonObject> ReadsAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{id}/reads"))!;

    private static async Task<Guid> NoticeOfAsync(HttpClient client, Guid id) =>
        (await InboxAsync(client, "notice")).Single(t => t!["instanceId"]!.GetValue<Guid>() == id)!["id"]!.GetValue<Guid>();

    [Fact]
    public async Task Each_unit_confirms_once_and_the_item_shows_who_has_and_has_not_read_it()
    {
        var id = await CirculateAsync(wait: false, "fzc", "jinan", "qingdao");
        var ducha = await fixture.As("ducha");
        Assert.Equal("参阅", (await InstanceAsync(ducha, id))["instance"]!["result"]!.GetValue<string>());

        var reads = await ReadsAsync(ducha, id);
        Assert.Equal((3, 0, 3), (reads["total"]!.GetValue<int>(), reads["read"]!.GetValue<int>(), reads["unread"]!.GetValue<int>()));
        var circulation = reads["circulations"]!.AsArray().Single()!;
        Assert.Equal("参阅", circulation["activityName"]!.GetValue<string>());
        Assert.Equal("领导批示转各单位参阅，请组织学习", circulation["message"]!.GetValue<string>());
        Assert.Equal(["法制处", "济南市司法局", "青岛市司法局"], circulation["recipients"]!.AsArray().Select(r => r!["unitName"]!.GetValue<string>()).Order());

        var fazhi = await fixture.As("fazhi");
        var notice = await NoticeOfAsync(fazhi, id);
        Assert.Equal(notice, await NoticeOfAsync(await fixture.As("fzcz"), id)); // one notice for the unit
        var read = await fazhi.PostAsJsonAsync($"/api/tasks/{notice}/read", new { comment = "已组织处内学习" });
        Assert.Equal(HttpStatusCode.NoContent, read.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await (await fixture.As("fzcz")).PostAsJsonAsync($"/api/tasks/{notice}/read", new { })).StatusCode);

        reads = await ReadsAsync(ducha, id);
        Assert.Equal((3, 1, 2), (reads["total"]!.GetValue<int>(), reads["read"]!.GetValue<int>(), reads["unread"]!.GetValue<int>()));
        var byUnit = reads["circulations"]![0]!["recipients"]!.AsArray().ToDictionary(r => r!["unitId"]!.GetValue<string>(), r => r!);
        Assert.Equal(("read", "张联络", "已组织处内学习"), (byUnit["fzc"]["status"]!.GetValue<string>(), byUnit["fzc"]["readByName"]!.GetValue<string>(), byUnit["fzc"]["comment"]!.GetValue<string>()));
        Assert.NotNull(byUnit["fzc"]["readAt"]);
        Assert.Equal("unread", byUnit["jinan"]["status"]!.GetValue<string>());
        Assert.Null(byUnit["jinan"]["readAt"]);

        var detail = await InstanceAsync(ducha, id);
        Assert.Equal(1, detail["reads"]!["read"]!.GetValue<int>());
        Assert.Contains(detail["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "noticeRead" && e["actorName"]!.GetValue<string>() == "张联络");
        Assert.Equal(2, (await ReadsAsync(await fixture.As("jinan"), id))["unread"]!.GetValue<int>()); // a recipient unit sees the list too
    }

    [Fact]
    public async Task A_circulation_that_waits_goes_on_when_every_unit_has_read_it()
    {
        var id = await CirculateAsync(wait: true, "fzc", "jinan");
        var ducha = await fixture.As("ducha");
        Assert.Equal("suspended", (await InstanceAsync(ducha, id))["instance"]!["status"]!.GetValue<string>());

        foreach (var user in new[] { "fazhi", "jinan" })
        {
            var client = await fixture.As(user);
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/tasks/{await NoticeOfAsync(client, id)}/read", new { })).StatusCode);
        }
        var item = await InstanceAsync(ducha, id);
        Assert.Equal("completed", item["instance"]!["status"]!.GetValue<string>());
        Assert.Equal((2, 2, 0), (item["reads"]!["total"]!.GetValue<int>(), item["reads"]!["read"]!.GetValue<int>(), item["reads"]!["unread"]!.GetValue<int>()));
    }

    [Fact]
    public async Task Only_those_who_see_the_item_see_its_reads()
    {
        var id = await CirculateAsync(wait: false, "fzc");
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("qingdao")).GetAsync($"/api/instances/{id}/reads")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.Anonymous().GetAsync($"/api/instances/{id}/reads")).StatusCode);
        Assert.Equal(1, (await ReadsAsync(await fixture.As("lingdao"), id))["unread"]!.GetValue<int>());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteReadConfirmationTests(SqliteFixture fixture) : ReadConfirmationTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresReadConfirmationTests(PostgresFixture fixture) : ReadConfirmationTests<PostgresFixture>(fixture);
