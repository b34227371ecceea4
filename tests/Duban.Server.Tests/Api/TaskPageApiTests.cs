using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>What the task page needs from GET /api/tasks/{id}: the next steps its handler must staff.</summary>
public abstract class TaskPageApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>登记 → 派单 (督查员; 交办 or 自办) → 落实 (chosen by 派单) → 办结; 自办 → 办结.</summary>
    private static JsonObject Dispatch() => Flow("page-dispatch", "派单", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
        new JsonObject
        {
            ["id"] = "pick", ["type"] = "Duban.UserTask", ["name"] = "派单",
            ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
            ["outcomes"] = Literal(new JsonArray("交办", "自办")),
        },
        new JsonObject
        {
            ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "落实",
            ["assignee"] = Literal(new JsonObject { ["type"] = "previous" }),
            ["outcomes"] = Literal(new JsonArray("完成")),
        },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
    ], [Connection("start", "Done", "pick"), Connection("pick", "交办", "do"), Connection("pick", "自办", "end"), Connection("do", "完成", "end")]);

    [Fact]
    public async Task A_task_names_the_next_steps_its_handler_must_staff_and_completing_without_them_is_a_400()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Dispatch());
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");
        var id = await StartAsync(ducha, "page-dispatch", null);
        var pick = await TaskOfAsync(ducha, id);

        var detail = await ducha.GetFromJsonAsync<JsonObject>($"/api/tasks/{pick}");
        var next = detail!["nextSteps"]!.AsArray().Single()!;
        Assert.Equal("交办", next["outcome"]!.GetValue<string>());
        Assert.Equal("do", next["activityId"]!.GetValue<string>());
        Assert.Equal("落实", next["name"]!.GetValue<string>());
        Assert.True(next["required"]!.GetValue<bool>());

        (await ducha.PostAsync($"/api/tasks/{pick}/claim", null)).EnsureSuccessStatusCode();
        var errors = await FieldErrorsAsync(await CompleteAsync(ducha, pick, "交办"));
        Assert.Equal(["请为下一环节「落实」选择办理人"], errors["nextAssignees"]);

        var response = await ducha.PostAsJsonAsync($"/api/tasks/{pick}/complete",
            new { outcome = "交办", nextAssignees = new Dictionary<string, string[]> { ["do"] = ["unit:fzc"] } });
        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        var handed = await TaskOfAsync(fazhi, id);
        // The step that was staffed has nothing left to choose; a finished task offers no choices.
        Assert.Empty((await fazhi.GetFromJsonAsync<JsonObject>($"/api/tasks/{handed}"))!["nextSteps"]!.AsArray());
        Assert.Empty((await ducha.GetFromJsonAsync<JsonObject>($"/api/tasks/{pick}"))!["nextSteps"]!.AsArray());
    }

    [Fact]
    public async Task A_task_whose_next_steps_are_staffed_by_rule_offers_no_choices()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var approve = await lingdao.GetFromJsonAsync<JsonObject>($"/api/tasks/{await TaskOfAsync(lingdao, id)}");
        Assert.Empty(approve!["nextSteps"]!.AsArray());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteTaskPageApiTests(SqliteFixture fixture) : TaskPageApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresTaskPageApiTests(PostgresFixture fixture) : TaskPageApiTests<PostgresFixture>(fixture);
