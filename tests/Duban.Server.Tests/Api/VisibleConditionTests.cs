using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// A 显示条件 built by clicking (decision 033) on the real host: the server shows and hides the field by the same rules as
/// the browser — a hidden required field is not asked for (and its value is dropped), a shown one is, with a 400 naming
/// it in Chinese; a built condition on an option that does not exist is refused before publishing.
/// </summary>
public abstract class VisibleConditionTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Procedure(string id, string shownWhen)
    {
        var flow = Flow(id, "显示条件", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始", ["form"] = Literal("reg") },
            new JsonObject { ["id"] = "do", ["type"] = "Duban.UserTask", ["name"] = "办理", ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }) },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "do"), Connection("do", "提交", "end")]);
        flow["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "reg", ["name"] = "登记",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "text1", ["label"] = "事项名称", ["type"] = "text", ["required"] = true },
                new JsonObject
                {
                    ["key"] = "kind", ["label"] = "批示类别", ["type"] = "radio",
                    ["options"] = new JsonArray(new JsonObject { ["value"] = "批办性", ["label"] = "批办性" }, new JsonObject { ["value"] = "参阅性", ["label"] = "参阅性" }),
                },
                new JsonObject
                {
                    ["key"] = "requirement", ["label"] = "办理要求", ["type"] = "textarea", ["required"] = true,
                    ["visibleIf"] = new JsonObject
                    {
                        ["match"] = "all",
                        ["rules"] = new JsonArray(new JsonObject { ["field"] = "kind", ["op"] = "eq", ["value"] = shownWhen }),
                    },
                }),
        });
        return flow;
    }

    [Fact]
    public async Task A_field_shown_by_a_built_condition_is_required_and_a_hidden_one_is_not_asked_for()
    {
        await ImportAsync(await fixture.As("admin"), Procedure("visible-built", "批办性"));
        var ducha = await fixture.As("ducha");

        var missing = await ducha.PostAsJsonAsync("/api/instances", new { definitionId = "visible-built", data = new JsonObject { ["text1"] = "批办事项", ["kind"] = "批办性" } });
        var errors = await FieldErrorsAsync(missing);
        Assert.Equal(["「办理要求」为必填项"], errors["requirement"]);

        var read = await StartAsync(ducha, "visible-built", new JsonObject { ["text1"] = "参阅事项", ["kind"] = "参阅性", ["requirement"] = "不该留下" });
        var item = await InstanceAsync(ducha, read);
        Assert.Null(item["data"]!["requirement"]);
        Assert.Equal("参阅性", item["data"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_built_condition_on_a_value_that_is_not_an_option_is_refused_before_publishing()
    {
        var response = await (await fixture.As("admin")).PostAsJsonAsync("/api/definitions/import?publish=true", Procedure("visible-bad", "批办"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("字段「办理要求」的显示条件", body, StringComparison.Ordinal);
        Assert.Contains("不是字段「批示类别」的选项", body, StringComparison.Ordinal);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteVisibleConditionTests(SqliteFixture fixture) : VisibleConditionTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresVisibleConditionTests(PostgresFixture fixture) : VisibleConditionTests<PostgresFixture>(fixture);
