using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// Definitions arrive from files and the designer in any shape: every problem is a validation error naming the
/// node (never a 500), a failed publish leaves nothing behind, and sub-processes are checked at publish.
/// </summary>
public abstract class DefinitionCheckTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject Node(string id, string type, string name, params (string Key, JsonNode? Value)[] inputs)
    {
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = name };
        foreach (var (key, value) in inputs) node[key] = value;
        return node;
    }

    /// <summary>Start → the node under test (ports as given) → End.</summary>
    private static JsonObject Around(string id, JsonObject node, params string[] ports)
    {
        var connections = new JsonArray(Connection("start", "Done", node["id"]!.GetValue<string>()));
        foreach (var port in ports) connections.Add(Connection(node["id"]!.GetValue<string>(), port, "end"));
        return Flow(id, "配置检查", [Node("start", "Duban.Start", "开始"), node, Node("end", "Duban.End", "结束")], connections);
    }

    private static JsonObject Assignee(string role = "督查员") => Literal(new JsonObject { ["type"] = "role", ["role"] = role });

    private async Task<JsonArray> ValidateAsync(JsonNode definition)
    {
        var admin = await fixture.As("admin");
        var response = await admin.PostAsync("/api/definitions/validate", new StringContent(definition.ToJsonString(), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}");
        var report = JsonNode.Parse(body)!.AsObject();
        Assert.False(report["valid"]!.GetValue<bool>());
        return report["errors"]!.AsArray();
    }

    private static void AssertNodeError(JsonArray errors, string activityId, params string[] fragments) =>
        Assert.Contains(errors, e => e!["activityId"]?.GetValue<string>() == activityId
            && fragments.All(f => e["message"]!.GetValue<string>().Contains(f)));

    public static TheoryData<string, string, string, string> MalformedNodes() => new()
    {
        // node type, input, its JSON, expected fragment
        { "Duban.UserTask", "outcomes", """{"typeName":"Object","expression":{"type":"Literal","value":"同意"}}""", "配置格式有误（outcomes）" },
        { "Duban.UserTask", "assignee", """{"typeName":"Object","expression":{"type":"Literal","value":"王督查"}}""", "配置格式有误（assignee）" },
        { "Duban.UserTask", "assignee", """{"typeName":"Object","expression":{"type":"Literal","value":{"role":"督查员"}}}""", "配置格式有误（assignee）" },
        { "Duban.UserTask", "fieldPermissions", """{"typeName":"Object","expression":{"type":"Literal","value":[1,2]}}""", "配置格式有误（fieldPermissions）" },
        { "Duban.UserTask", "fieldPermissions", """{"typeName":"Object","expression":{"type":"Literal","value":{"title":"maybe"}}}""", "配置格式有误（fieldPermissions）" },
        { "Duban.UserTask", "outcomes", """{"typeName":"Object","expression":"同意"}""", "配置格式有误（outcomes）" },
        { "Duban.Switch", "cases", """{"typeName":"Object","expression":{"type":"Literal","value":{"label":"a"}}}""", "配置格式有误（cases）" },
        { "Duban.Switch", "cases", """{"typeName":"Object","expression":{"type":"Literal","value":[null]}}""", "配置格式有误（cases）" },
        { "Duban.Notify", "wait", """{"typeName":"Object","expression":{"type":"Literal","value":"yes"}}""", "配置格式有误（wait）" },
        { "Duban.Decision", "condition", """{"typeName":"Object","expression":{"type":"JavaScript","value":42}}""", "配置格式有误（condition）" },
        { "Duban.Decision", "condition", """{"typeName":"Object","expression":{"type":"Liquid","value":"{{ x }}"}}""", "配置格式有误（condition）" },
    };

    [Theory]
    [MemberData(nameof(MalformedNodes))]
    public async Task A_malformed_node_configuration_is_a_validation_error_naming_the_node(string type, string input, string json, string fragment)
    {
        var node = Node("bad", type, "有问题的节点", ("assignee", Assignee()));
        node[input] = JsonNode.Parse(json);
        var ports = type switch { "Duban.Decision" => new[] { "True", "False" }, "Duban.Switch" => ["Default"], "Duban.UserTask" => ["提交"], _ => ["Done"] };
        var definition = Around("malformed", node, ports);

        AssertNodeError(await ValidateAsync(definition), "bad", "「有问题的节点」", fragment);

        // Publishing it says the same, as a 400, and leaves the draft a draft.
        var admin = await fixture.As("admin");
        await ImportAsync(admin, definition, publish: false);
        var errors = await FieldErrorsAsync(await admin.PostAsync("/api/definitions/malformed/publish", null));
        Assert.Contains(errors["bad"], m => m.Contains(fragment));
        var versions = await admin.GetFromJsonAsync<JsonArray>("/api/definitions/malformed/versions");
        Assert.False(versions!.Single()!["isPublished"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_switch_case_without_a_condition_is_named()
    {
        var cases = new JsonArray(new JsonObject { ["label"] = "重要", ["condition"] = null }, new JsonObject { ["label"] = "一般", ["condition"] = "true" });
        var node = Node("sw", "Duban.Switch", "按等级分流", ("cases", Literal(cases)));
        var errors = await ValidateAsync(Around("switch-null", node, "重要", "一般", "Default"));
        AssertNodeError(errors, "sw", "「按等级分流」", "重要", "未设置条件");
    }

    [Fact]
    public async Task A_missing_root_or_activity_list_is_a_validation_error()
    {
        var noRoot = new JsonObject { ["definitionId"] = "no-root", ["name"] = "无流程图", ["root"] = null };
        Assert.Contains(await ValidateAsync(noRoot), e => e!["message"]!.GetValue<string>().Contains("root"));

        var noActivities = new JsonObject
        {
            ["definitionId"] = "no-activities", ["name"] = "无节点",
            ["root"] = new JsonObject { ["type"] = "Duban.Flowchart", ["activities"] = null, ["connections"] = null },
            ["forms"] = null,
        };
        var errors = await ValidateAsync(noActivities);
        Assert.Contains(errors, e => e!["message"]!.GetValue<string>().Contains("activities"));
        Assert.Contains(errors, e => e!["message"]!.GetValue<string>().Contains("开始节点"));

        var holes = Flow("holes", "空节点", [null, Node("start", "Duban.Start", "开始"), Node("end", "Duban.End", "结束")],
            [null, Connection("start", "Done", "end")]);
        var holeErrors = await ValidateAsync(holes);
        Assert.Contains(holeErrors, e => e!["message"]!.GetValue<string>().Contains("第 1 个节点为空"));
    }

    [Fact]
    public async Task A_sub_process_that_calls_itself_is_refused()
    {
        var node = Node("again", "Duban.SubProcess", "再来一次", ("definitionId", Literal("self-caller")));
        AssertNodeError(await ValidateAsync(Around("self-caller", node, "Done")), "again", "「再来一次」", "子流程不能调用自身");
    }

    [Fact]
    public async Task Publishing_a_parent_whose_child_is_not_published_names_the_node()
    {
        var admin = await fixture.As("admin");
        var parent = Around("needs-child", Node("split", "Duban.SubProcess", "分解落实", ("definitionId", Literal("missing-child"))), "Done");
        await ImportAsync(admin, parent, publish: false);

        var errors = await FieldErrorsAsync(await admin.PostAsync("/api/definitions/needs-child/publish", null));
        Assert.Contains(errors["split"], m => m.Contains("「分解落实」") && m.Contains("missing-child"));

        // A draft of the child is not enough; once published, the parent publishes too.
        var child = Script("missing-child", "子流程", "vars.done = true");
        await ImportAsync(admin, child, publish: false);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsync("/api/definitions/needs-child/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/definitions/missing-child/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/definitions/needs-child/publish", null)).StatusCode);
    }

    [Fact]
    public async Task A_failed_import_with_publish_leaves_no_draft_behind()
    {
        var admin = await fixture.As("admin");
        var broken = Flow("broken-import", "发布失败", [Node("start", "Duban.Start", "开始"), Node("orphan", "Duban.UserTask", "孤立环节")], []);
        var errors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/definitions/import?publish=true", broken));
        Assert.Contains("orphan", errors.Keys);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/definitions/broken-import")).StatusCode);
        await fixture.Factory.WithDbAsync(async db => Assert.False(await db.Definitions.AnyAsync(d => d.DefinitionId == "broken-import")));
    }

    [Fact]
    public async Task Two_administrators_publishing_one_draft_at_once_publish_it_once()
    {
        var admin = await fixture.As("admin");
        await ImportAsync(admin, Script("race-publish", "同时发布", "vars.done = true"), publish: false);

        // Both find the draft unpublished; the gate holds them until both are about to commit. The loser runs again on
        // what the winner left, and finds nothing left to publish.
        fixture.Factory.Gate.HoldUntil(2, "definition-publish");
        HttpResponseMessage[] answers;
        try
        {
            answers = await Task.WhenAll(
                admin.PostAsync("/api/definitions/race-publish/publish", null),
                admin.PostAsync("/api/definitions/race-publish/publish", null));
        }
        finally
        {
            fixture.Factory.Gate.Open();
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order().ToList());
        Assert.Contains("第 1 版已发布", await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadAsStringAsync());
        await fixture.Factory.WithDbAsync(async db =>
        {
            var versions = await db.Definitions.AsNoTracking().Where(d => d.DefinitionId == "race-publish").ToListAsync();
            var only = Assert.Single(versions);
            Assert.True(only.IsPublished);
            Assert.NotNull(only.PublishedAt);
        });
    }

    [Fact]
    public async Task An_import_of_the_wrong_JSON_shape_answers_in_Chinese_with_the_path()
    {
        var admin = await fixture.As("admin");
        var wrong = new JsonObject { ["definitionId"] = "wrong-shape", ["name"] = "类型错误", ["root"] = new JsonObject { ["activities"] = "none" } };
        var response = await admin.PostAsJsonAsync("/api/definitions/import", wrong);
        var errors = await FieldErrorsAsync(response);
        var message = Assert.Single(errors.SelectMany(e => e.Value));
        Assert.Contains("root.activities", message);
        Assert.DoesNotContain("could not", message);
        Assert.DoesNotContain("System.", message);

        var missing = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/definitions/import", new JsonObject { ["definitionId"] = "no-name" }));
        var missingMessage = Assert.Single(missing.SelectMany(e => e.Value));
        Assert.Contains("缺少必填属性", missingMessage);
        Assert.DoesNotContain("deserialization", missingMessage);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteDefinitionCheckTests(SqliteFixture fixture) : DefinitionCheckTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresDefinitionCheckTests(PostgresFixture fixture) : DefinitionCheckTests<PostgresFixture>(fixture);
