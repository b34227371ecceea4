using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Api;

/// <summary>The REST API over a real host and database; run once on SQLite and once on PostgreSQL.</summary>
public abstract class ApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    protected TFixture Fixture { get; } = fixture;
    public Task InitializeAsync() => Fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private Task<(int Instances, int Tasks, int Journal)> RowCountsAsync() =>
        Fixture.Factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            return (await db.Instances.CountAsync(), await db.Tasks.CountAsync(), await db.Journal.CountAsync());
        });

    [Fact]
    public async Task Demo_procedure_runs_end_to_end_with_a_return_and_a_redo()
    {
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        var fazhi = await Fixture.As("fazhi");

        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id, "领导审定"), "同意", new() { ["leaderOpinion"] = "同意，请法制处办理" });

        var handle = await TaskOfAsync(fazhi, id, "承办");
        var missing = await FieldErrorsAsync(await CompleteAsync(fazhi, handle, "提交", new JsonObject()));
        Assert.Equal(["「办理情况」为必填项"], missing["report"]);
        await CompleteOkAsync(fazhi, handle, "提交", new() { ["report"] = "已形成初稿" });

        var review = await TaskOfAsync(ducha, id, "审核");
        var noReason = await FieldErrorsAsync(await CompleteAsync(ducha, review, "退回"));
        Assert.Contains("comment", noReason.Keys);
        await CompleteOkAsync(ducha, review, "退回", comment: "缺少佐证材料，请补充");

        // Attachments a form names must be real uploads (see AttachmentTests).
        var upload = new MultipartFormDataContent { { new ByteArrayContent(new byte[2048]), "file", "决定书.pdf" } };
        var uploaded = await (await fazhi.PostAsync($"/api/attachments?instanceId={id}", upload)).Content.ReadFromJsonAsync<JsonObject>();
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, id, "承办"), "提交",
            new() { ["report"] = "已补充复议决定书", ["attachments"] = new JsonArray(new JsonObject { ["id"] = uploaded!["id"]!.GetValue<string>(), ["name"] = "决定书.pdf", ["size"] = 2048 }) });
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "审核"), "通过", new() { ["reviewOpinion"] = "材料齐全，同意办结" });

        var item = await InstanceAsync(ducha, id);
        Assert.Equal("completed", item["instance"]!["status"]!.GetValue<string>());
        Assert.Equal("办结", item["instance"]!["result"]!.GetValue<string>());
        Assert.Equal("已补充复议决定书", item["data"]!["report"]!.GetValue<string>());
        Assert.Single(item["data"]!["leaderOpinion"]!.AsArray());
        Assert.Equal("李厅长", item["data"]!["leaderOpinion"]![0]!["userName"]!.GetValue<string>());

        var completed = item["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "taskCompleted")
            .Select(e => (Step: e!["activityName"]!.GetValue<string>(), Round: e["round"]!.GetValue<int>(), Outcome: e["outcome"]!.GetValue<string>(), Actor: e["actorName"]!.GetValue<string>()))
            .ToList();
        Assert.Equal([("领导审定", 1, "同意", "李厅长"), ("承办", 1, "提交", "张联络"), ("审核", 1, "退回", "王督查"), ("承办", 2, "提交", "张联络"), ("审核", 2, "通过", "王督查")], completed);
        var returned = item["timeline"]!.AsArray().Single(e => e!["outcome"]?.GetValue<string>() == "退回" && e["kind"]!.GetValue<string>() == "taskCompleted");
        Assert.Equal("缺少佐证材料，请补充", returned!["comment"]!.GetValue<string>());

        Assert.Empty(await InboxAsync(fazhi));
        Assert.Equal(2, (await InboxAsync(fazhi, "done")).Count);
    }

    [Fact]
    public async Task Leader_declining_ends_the_item_as_not_registered()
    {
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "不同意", new() { ["leaderOpinion"] = "不宜立项" });
        var item = await InstanceAsync(ducha, id);
        Assert.Equal("不予立项", item["instance"]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task Start_with_missing_wrong_and_unknown_fields_gives_400_per_field_and_writes_nothing()
    {
        var ducha = await Fixture.As("ducha");
        var before = await RowCountsAsync();
        var data = DemoStartData();
        data.Remove("title");
        data["content"] = 42;
        data["dueDate"] = "2026-02-30";
        data["secretField"] = "x";
        var errors = await FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/instances", new { definitionId = "demo-supervision", data }));

        Assert.Equal(["「事项名称」为必填项"], errors["title"]);
        Assert.Equal(["「内容摘要」应为文本"], errors["content"]);
        Assert.Contains("日期", errors["dueDate"].Single());
        Assert.Equal(["未知字段「secretField」"], errors["secretField"]);
        Assert.Equal(before, await RowCountsAsync());
    }

    [Fact]
    public async Task Completing_with_a_bad_field_or_outcome_gives_400_and_changes_nothing()
    {
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var task = await TaskOfAsync(lingdao, id);
        var before = await RowCountsAsync();

        var readOnly = await FieldErrorsAsync(await CompleteAsync(lingdao, task, "同意", new() { ["title"] = "改个标题", ["leaderOpinion"] = 5 }));
        Assert.Contains("不可修改", readOnly["title"].Single());
        Assert.Contains("leaderOpinion", readOnly.Keys);

        var outcome = await FieldErrorsAsync(await CompleteAsync(lingdao, task, "随便"));
        Assert.Contains("同意", outcome["outcome"].Single());

        var badJson = await lingdao.PostAsync($"/api/tasks/{task}/complete", new StringContent("{\"outcome\": ", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);

        Assert.Equal(before, await RowCountsAsync());
        Assert.Equal(task, await TaskOfAsync(lingdao, id));
    }

    [Fact]
    public async Task A_user_of_another_unit_cannot_see_or_act_on_the_task()
    {
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        var jinan = await Fixture.As("jinan");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData("fzc"));
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "同意");
        var fazhiTask = await TaskOfAsync(await Fixture.As("fazhi"), id);

        Assert.Empty(await InboxAsync(jinan));
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.GetAsync($"/api/tasks/{fazhiTask}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await jinan.GetAsync($"/api/instances/{id}")).StatusCode);
        var attempt = await CompleteAsync(jinan, fazhiTask, "提交", new() { ["report"] = "越权提交" });
        Assert.Equal(HttpStatusCode.NotFound, attempt.StatusCode);
        var list = await jinan.GetFromJsonAsync<JsonObject>("/api/instances");
        Assert.Equal(0, list!["total"]!.GetValue<int>());

        // The leader of the supervised unit may see the item but is not its handler for a role task held by 领导.
        var fzcz = await Fixture.As("fzcz");
        Assert.Equal(HttpStatusCode.OK, (await fzcz.GetAsync($"/api/tasks/{fazhiTask}")).StatusCode);
    }

    [Fact]
    public async Task Requests_without_a_session_get_401()
    {
        var anonymous = Fixture.Anonymous();
        foreach (var url in new[] { "/api/tasks", "/api/instances", "/api/definitions", "/api/auth/me", "/api/units" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(url)).StatusCode);
        var start = await anonymous.PostAsJsonAsync("/api/instances", new { definitionId = "demo-supervision", data = DemoStartData() });
        Assert.Equal(HttpStatusCode.Unauthorized, start.StatusCode);
        var wrong = await anonymous.PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = "wrong-password" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("用户名或密码错误", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Only_administrators_change_definitions()
    {
        var ducha = await Fixture.As("ducha");
        var definition = TestDefinitions.Script("not-allowed", "越权", "vars.x = 1");
        var response = await ducha.PostAsJsonAsync("/api/definitions/import?publish=true", definition);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task A_running_item_stays_on_its_version_when_a_new_version_is_published()
    {
        var admin = await Fixture.As("admin");
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        var old = await StartAsync(ducha, "demo-supervision", DemoStartData());

        var document = await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision");
        var definition = document!["definition"]!.AsObject();
        var approve = definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "approve")!;
        approve["name"] = "分管领导审定";
        var saved = await admin.PutAsJsonAsync("/api/definitions/demo-supervision", definition);
        Assert.Equal(2, (await saved.Content.ReadFromJsonAsync<JsonObject>())!["version"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/definitions/demo-supervision/publish", null)).StatusCode);

        var versions = await admin.GetFromJsonAsync<JsonArray>("/api/definitions/demo-supervision/versions");
        Assert.Equal([2, 1], versions!.Select(v => v!["version"]!.GetValue<int>()));

        var fresh = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await TaskOfAsync(lingdao, old, "领导审定");
        await TaskOfAsync(lingdao, fresh, "分管领导审定");
        Assert.Equal(1, (await InstanceAsync(ducha, old))["instance"]!["definitionVersion"]!.GetValue<int>());
        Assert.Equal(2, (await InstanceAsync(ducha, fresh))["instance"]!["definitionVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task Publishing_an_invalid_draft_names_the_nodes_and_changes_nothing()
    {
        var admin = await Fixture.As("admin");
        var definition = TestDefinitions.Flow("broken", "有问题的流程", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject { ["id"] = "check", ["type"] = "Duban.Decision", ["name"] = "是否重要", ["condition"] = TestDefinitions.Script("form.level >") },
            new JsonObject { ["id"] = "orphan", ["type"] = "Duban.UserTask", ["name"] = "孤立环节" },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [TestDefinitions.Connection("start", "Done", "check"), TestDefinitions.Connection("check", "True", "end")]);
        await ImportAsync(admin, definition, publish: false);

        var response = await admin.PostAsync("/api/definitions/broken/publish", null);
        var errors = await FieldErrorsAsync(response);
        Assert.Contains(errors["check"], m => m.Contains("「是否重要」") && m.Contains("False"));
        Assert.Contains(errors["check"], m => m.Contains("语法"));
        Assert.Contains(errors["orphan"], m => m.Contains("无法到达"));
        Assert.Contains(errors["orphan"], m => m.Contains("办理人"));

        var versions = await admin.GetFromJsonAsync<JsonArray>("/api/definitions/broken/versions");
        Assert.False(versions!.Single()!["isPublished"]!.GetValue<bool>());
        var start = await (await Fixture.As("ducha")).PostAsJsonAsync("/api/instances", new { definitionId = "broken" });
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
    }

    [Fact]
    public async Task Export_and_import_round_trip_a_definition()
    {
        var admin = await Fixture.As("admin");
        var exported = await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision/export");
        Assert.Equal("demo-supervision", exported!["definitionId"]!.GetValue<string>());
        Assert.Equal("Duban.Flowchart", exported["root"]!["type"]!.GetValue<string>());
        var firstInput = exported["root"]!["activities"]![1]!["assignee"]!;
        Assert.Equal("Literal", firstInput["expression"]!["type"]!.GetValue<string>());

        exported["definitionId"] = "demo-copy";
        exported["name"] = "督查事项办理（副本）";
        await ImportAsync(admin, exported);
        var copy = await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-copy");
        Assert.True(copy!["meta"]!["isPublished"]!.GetValue<bool>());
        var id = await StartAsync(await Fixture.As("ducha"), "demo-copy", DemoStartData());
        await TaskOfAsync(await Fixture.As("lingdao"), id, "领导审定");
    }

    [Fact]
    public async Task A_runaway_script_becomes_an_incident_and_the_server_carries_on()
    {
        var admin = await Fixture.As("admin");
        var ducha = await Fixture.As("ducha");
        await ImportAsync(admin, TestDefinitions.Script("runaway", "死循环脚本", "while (true) { }"));
        await ImportAsync(admin, TestDefinitions.Script("clr", "访问 .NET", "vars.x = System.IO.File.ReadAllText('/etc/passwd')"));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var id = await StartAsync(ducha, "runaway", null);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(5), $"start took {started.Elapsed}");
        var item = await InstanceAsync(ducha, id);
        Assert.Equal("faulted", item["instance"]!["status"]!.GetValue<string>());
        Assert.Contains("「计算」", item["incident"]!.GetValue<string>());
        Assert.Contains(item["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "activityFaulted");

        var clr = await InstanceAsync(ducha, await StartAsync(ducha, "clr", null));
        Assert.Equal("faulted", clr["instance"]!["status"]!.GetValue<string>());
        Assert.Contains("System is not defined", clr["incident"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.OK, (await Fixture.Anonymous().GetAsync("/api/health")).StatusCode);
        await StartAsync(ducha, "demo-supervision", DemoStartData());
    }

    [Fact]
    public async Task A_unit_task_is_claimed_by_one_liaison_and_can_be_transferred()
    {
        var ducha = await Fixture.As("ducha");
        var fazhi = await Fixture.As("fazhi");
        var fzcz = await Fixture.As("fzcz");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(await Fixture.As("lingdao"), await TaskOfAsync(await Fixture.As("lingdao"), id), "同意");

        var task = await TaskOfAsync(fzcz, id);
        Assert.Equal(HttpStatusCode.NoContent, (await fazhi.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode);
        Assert.Empty(await InboxAsync(fzcz));
        Assert.Equal(HttpStatusCode.Conflict, (await fazhi.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode);

        var users = await ducha.GetFromJsonAsync<JsonArray>("/api/users");
        var zhao = users!.Single(u => u!["userName"]!.GetValue<string>() == "fzcz")!["id"]!.GetValue<string>();
        var transfer = await fazhi.PostAsJsonAsync($"/api/tasks/{task}/transfer", new { toUserId = zhao, comment = "请赵处长办理" });
        Assert.Equal(HttpStatusCode.NoContent, transfer.StatusCode);
        Assert.Equal(task, await TaskOfAsync(fzcz, id));
        Assert.Empty(await InboxAsync(fazhi));
        var timeline = (await InstanceAsync(ducha, id))["timeline"]!.AsArray();
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "taskClaimed" && e["actorName"]!.GetValue<string>() == "张联络");
        Assert.Contains(timeline, e => e!["kind"]!.GetValue<string>() == "taskTransferred" && e["comment"]!.GetValue<string>() == "请赵处长办理");
    }

    [Fact]
    public async Task Openapi_document_and_reference_page_are_served()
    {
        var client = Fixture.Anonymous();
        var document = await client.GetFromJsonAsync<JsonObject>("/api/openapi/v1.json");
        var paths = document!["paths"]!.AsObject();
        foreach (var path in new[] { "/api/tasks", "/api/tasks/{id}/complete", "/api/instances", "/api/definitions/{definitionId}/publish", "/api/units", "/api/users" })
            Assert.True(paths.ContainsKey(path), $"OpenAPI lacks {path}");
        var page = await Fixture.Factory.CreateClient().GetAsync("/api/docs");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Inbox_pages_searches_and_filters()
    {
        var ducha = await Fixture.As("ducha");
        var lingdao = await Fixture.As("lingdao");
        for (var i = 1; i <= 3; i++)
        {
            var data = DemoStartData();
            data["title"] = $"第{i}项督办事项";
            await StartAsync(ducha, "demo-supervision", data);
        }
        var page = await lingdao.GetFromJsonAsync<JsonObject>("/api/tasks?box=todo&page=2&pageSize=2");
        Assert.Equal(3, page!["total"]!.GetValue<int>());
        Assert.Single(page["items"]!.AsArray());
        var search = await lingdao.GetFromJsonAsync<JsonObject>("/api/tasks?q=" + Uri.EscapeDataString("第2项"));
        Assert.Equal("第2项督办事项", search!["items"]![0]!["itemTitle"]!.GetValue<string>());
        var green = await lingdao.GetFromJsonAsync<JsonObject>("/api/tasks?light=green");
        Assert.Equal(3, green!["total"]!.GetValue<int>());
        var red = await lingdao.GetFromJsonAsync<JsonObject>("/api/tasks?light=red");
        Assert.Equal(0, red!["total"]!.GetValue<int>());
        var bad = await lingdao.GetAsync("/api/tasks?box=everything");
        Assert.Contains("box", (await FieldErrorsAsync(bad)).Keys);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteApiTests(SqliteFixture fixture) : ApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresApiTests(PostgresFixture fixture) : ApiTests<PostgresFixture>(fixture);
