using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Designs;

/// <summary>
/// "A design that validates runs" (issue 15, docs/decisions/028): procedures generated from the palette — random but
/// seeded — out of sequences of human steps, decisions and switches on start-form fields (conditions built as data),
/// 交办 to a 主办 and a 协办, countersigns, notices, send-backs, and steps staffed by the step before. Each is published
/// through the API, and items are walked through every branch as the users who hold the tasks; no item may stop on an
/// incident, every item ends, and every node of the design is reached by some item.
/// </summary>
public abstract class GeneratedDesignTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>How many designs; <c>DUBAN_GENERATED_DESIGNS</c> asks for more (the seed stays the same).</summary>
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("DUBAN_GENERATED_DESIGNS"), out var n) && n > 0 ? n : 8;

    /// <summary>Start data chosen so that every condition the generator writes is true for one and false for another.</summary>
    private static readonly JsonObject[] Samples =
    [
        Sample("是", "province", 20000),
        Sample("否", "city", 500),
        Sample("否", "county", 0),
        Sample("是", "county", 15000),
    ];

    private static JsonObject Sample(string needLeader, string level, int amount) => new()
    {
        ["subject"] = $"生成流程事项（{needLeader}/{level}/{amount}）",
        ["needLeader"] = needLeader,
        ["level"] = level,
        ["amount"] = amount,
    };

    private static readonly string[] Actors = ["ducha", "lingdao", "fazhi", "fzcz", "jinan", "qingdao", "admin"];

    [Fact]
    public async Task Every_generated_design_that_validates_publishes_and_runs_down_every_branch()
    {
        var admin = await fixture.As("admin");
        var users = (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!
            .ToDictionary(u => u!["userName"]!.GetValue<string>(), u => u!["id"]!.GetValue<string>());
        var clients = new Dictionary<string, HttpClient>();
        foreach (var name in Actors) clients[name] = await fixture.As(name);

        for (var seed = 1; seed <= Count; seed++)
        {
            var design = new DesignGenerator(seed, users).Build();
            var id = design["definitionId"]!.GetValue<string>();
            var check = await admin.PostAsJsonAsync("/api/definitions/validate", design);
            var report = (await check.Content.ReadFromJsonAsync<JsonObject>())!;
            Assert.True(report["valid"]!.GetValue<bool>(), $"design {seed} does not validate: {report["errors"]!.ToJsonString()}\n{design.ToJsonString()}");
            await ImportAsync(admin, design);

            var reached = new HashSet<string>();
            foreach (var sample in Samples)
            {
                var item = await StartAsync(clients["ducha"], id, (JsonObject)sample.DeepClone());
                await WalkAsync(item, clients, users, seed, design);
                var detail = await InstanceAsync(admin, item);
                reached.UnionWith(detail["doneActivityIds"]!.AsArray().Select(x => x!.GetValue<string>()));
            }
            var nodes = design["root"]!["activities"]!.AsArray().Select(a => a!["id"]!.GetValue<string>()).ToList();
            var missed = nodes.Where(n => !reached.Contains(n)).ToList();
            Assert.True(missed.Count == 0, $"design {seed}: no item reached {string.Join(", ", missed)}\n{design.ToJsonString()}");
        }
    }

    /// <summary>Acts on the item's open tasks as whoever holds them until it ends; a send-back is taken once per step.</summary>
    private static async Task WalkAsync(Guid item, Dictionary<string, HttpClient> clients, Dictionary<string, string> users, int seed, JsonObject design)
    {
        var sentBack = new HashSet<string>();
        for (var turn = 0; turn < 60; turn++)
        {
            var detail = await InstanceAsync(clients["admin"], item);
            var status = detail["instance"]!["status"]!.GetValue<string>();
            Assert.True(detail["incident"] is null, $"design {seed}: item stopped on an incident: {detail["incident"]}\n{design.ToJsonString()}");
            if (status == "completed") return;
            Assert.True(status is "running" or "suspended", $"design {seed}: item is {status}\n{design.ToJsonString()}");

            var acted = false;
            foreach (var (name, client) in clients)
            {
                var mine = (await InboxAsync(client)).FirstOrDefault(t => t!["instanceId"]!.GetValue<Guid>() == item)
                    ?? (await InboxAsync(client, "notice")).FirstOrDefault(t => t!["instanceId"]!.GetValue<Guid>() == item);
                if (mine is null) continue;
                await ActAsync(client, mine["id"]!.GetValue<Guid>(), mine["kind"]!.GetValue<string>(), sentBack, users);
                acted = true;
                break;
            }
            Assert.True(acted, $"design {seed}: item waits at {detail["activeActivityIds"]!.ToJsonString()} but nobody has a task\n{design.ToJsonString()}");
        }
        Assert.Fail($"design {seed}: item {item} did not end in 60 turns\n{design.ToJsonString()}");
    }

    private static async Task ActAsync(HttpClient client, Guid taskId, string kind, HashSet<string> sentBack, Dictionary<string, string> users)
    {
        if (kind == "notice")
        {
            var read = await client.PostAsJsonAsync($"/api/tasks/{taskId}/read", new { });
            Assert.True(read.IsSuccessStatusCode, $"read failed: {await read.Content.ReadAsStringAsync()}");
            return;
        }
        var task = (await client.GetFromJsonAsync<JsonObject>($"/api/tasks/{taskId}"))!;
        if (task["needsClaim"]!.GetValue<bool>())
            Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/tasks/{taskId}/claim", null)).StatusCode);
        var activity = task["task"]!["activityId"]!.GetValue<string>();
        var outcomes = task["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()).ToList();
        // Send back the first time a step offers it, go on the second time: both branches run.
        var outcome = outcomes.Contains("退回") && sentBack.Add(activity) ? "退回" : outcomes.First(o => o != "退回");
        var next = new JsonObject();
        foreach (var choice in task["nextSteps"]?.AsArray() ?? [])
        {
            if (choice!["outcome"]!.GetValue<string>() != outcome || !choice["required"]!.GetValue<bool>()) continue;
            next[choice["activityId"]!.GetValue<string>()] = choice["unitsOnly"]!.GetValue<bool>()
                ? new JsonArray("unit:fzc")
                : new JsonArray($"user:{users["ducha"]}");
        }
        var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete",
            new { outcome, comment = outcome == "退回" ? "请补充材料后重报" : "同意", nextAssignees = next });
        Assert.True(response.StatusCode == HttpStatusCode.NoContent,
            $"completing {activity} with {outcome} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>
/// Builds one procedure from the palette, top to bottom: a start form (事项名称, 是否需领导审批, 层级, 涉及金额), then three to
/// six blocks, each with one way in and one way out, then 办结. Every condition is built as data on the start form.
/// </summary>
internal sealed class DesignGenerator(int seed, IReadOnlyDictionary<string, string> users)
{
    private readonly Random _random = new(seed);
    private readonly JsonArray _activities = [];
    private readonly JsonArray _connections = [];
    private int _next;

    private string Id(string prefix) => $"{prefix}{++_next}";

    private static JsonObject Rule(string field, string op, JsonNode? value) => new() { ["field"] = field, ["op"] = op, ["value"] = value };

    private static JsonObject Condition(string match, params JsonObject[] rules) =>
        new() { ["typeName"] = "Boolean", ["expression"] = new JsonObject { ["type"] = "Condition", ["value"] = new JsonObject { ["match"] = match, ["rules"] = new JsonArray(rules) } } };

    /// <summary>Conditions each true for some of the samples and false for others.</summary>
    private JsonObject AnyCondition() => _random.Next(5) switch
    {
        0 => Condition("all", Rule("needLeader", "eq", "是")),
        1 => Condition("all", Rule("level", "in", new JsonArray("province", "city"))),
        2 => Condition("all", Rule("amount", "gt", 10000)),
        3 => Condition("all", Rule("needLeader", "eq", "是"), Rule("amount", "gte", 15000)),
        _ => Condition("any", Rule("level", "eq", "county"), Rule("amount", "gte", 20000)),
    };

    private JsonObject Assignee() => _random.Next(4) switch
    {
        0 => new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(users["ducha"]) },
        1 => new JsonObject { ["type"] = "role", ["role"] = "领导" },
        2 => new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") },
        _ => new JsonObject { ["type"] = "initiator" },
    };

    private string Add(string prefix, string type, string name, params (string Key, JsonNode Value)[] inputs)
    {
        var id = Id(prefix);
        var node = new JsonObject { ["id"] = id, ["type"] = type, ["name"] = name };
        foreach (var (key, value) in inputs) node[key] = value;
        _activities.Add(node);
        return id;
    }

    private string Task(string name, JsonObject? assignee = null, string[]? outcomes = null, string? countersign = null)
    {
        var inputs = new List<(string, JsonNode)> { ("assignee", Literal(assignee ?? Assignee())) };
        if (outcomes is not null) inputs.Add(("outcomes", Literal(new JsonArray([.. outcomes.Select(o => (JsonNode)o)]))));
        if (countersign is not null) inputs.Add(("countersign", Literal(countersign)));
        return Add("task", "Duban.UserTask", name, [.. inputs]);
    }

    private void Connect(string from, string port, string to) => _connections.Add(Connection(from, port, to));

    /// <summary>Appends a block after the open ends; returns the block's open ends (node, port).</summary>
    private List<(string Node, string Port)> Block(List<(string Node, string Port)> ends)
    {
        void Into(string entry)
        {
            foreach (var (node, port) in ends) Connect(node, port, entry);
        }
        switch (_random.Next(8))
        {
            case 0: // a human step
            {
                var step = Task("办理");
                Into(step);
                return [(step, "提交")];
            }
            case 1: // a decision on the start form: 是 → a step, 否 → straight on or a notice
            {
                var decision = Add("check", "Duban.Decision", "条件判断", ("condition", AnyCondition()));
                Into(decision);
                var yes = Task("是分支办理");
                Connect(decision, "True", yes);
                if (_random.Next(2) == 0) return [(yes, "提交"), (decision, "False")];
                var notice = Add("notice", "Duban.Notify", "否分支阅知", ("assignee", Literal(new JsonObject { ["type"] = "role", ["role"] = "领导" })));
                Connect(decision, "False", notice);
                return [(yes, "提交"), (notice, "Done")];
            }
            case 2: // a switch on 层级: 省级, 市级, default
            {
                var cases = new JsonArray(
                    new JsonObject { ["label"] = "省级", ["condition"] = new JsonObject { ["type"] = "Condition", ["value"] = new JsonObject { ["match"] = "all", ["rules"] = new JsonArray(Rule("level", "eq", "province")) } } },
                    new JsonObject { ["label"] = "市级", ["condition"] = new JsonObject { ["type"] = "Condition", ["value"] = new JsonObject { ["match"] = "all", ["rules"] = new JsonArray(Rule("level", "eq", "city")) } } });
                var choose = Add("switch", "Duban.Switch", "按层级", ("cases", Literal(cases)));
                Into(choose);
                var province = Task("省级办理");
                var city = Task("市级办理");
                Connect(choose, "省级", province);
                Connect(choose, "市级", city);
                return [(province, "提交"), (city, "提交"), (choose, "Default")];
            }
            case 3: // 交办 to 法制处 (主办) and 济南市司法局 (协办)
            {
                var assign = Add("assign", "Duban.Assign", "交办",
                    ("lead", Literal("fzc")), ("co", Literal(new JsonArray("jinan"))));
                Into(assign);
                return [(assign, "提交")];
            }
            case 4: // a countersign of two people
            {
                var mode = _random.Next(3) switch { 0 => "all", 1 => "any", _ => "sequence" };
                var step = Task("会签", new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(users["ducha"], users["lingdao"]) }, countersign: mode);
                Into(step);
                return [(step, "提交")];
            }
            case 5: // a notice, waited for or not
            {
                var wait = _random.Next(2) == 0;
                var notice = Add("notice", "Duban.Notify", "阅知",
                    ("assignee", Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" })), ("wait", Literal(wait)));
                Into(notice);
                return [(notice, "Done")];
            }
            case 6: // a step and its review, which sends back to it once
            {
                var handle = Task("承办", new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") });
                var review = Task("审核", new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(users["ducha"]) }, ["通过", "退回"]);
                Into(handle);
                Connect(handle, "提交", review);
                Connect(review, "退回", handle);
                return [(review, "通过")];
            }
            default: // a step whose handler, or 交办 units, the step before picks
            {
                var pick = Task("指派", new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(users["ducha"]) });
                Into(pick);
                var chosen = _random.Next(2) == 0
                    ? Task("指定人办理", new JsonObject { ["type"] = "previous" })
                    : Add("assign", "Duban.Assign", "交办（上一环节选择单位）", ("unitsFrom", Literal("previous")));
                Connect(pick, "提交", chosen);
                return [(chosen, "提交")];
            }
        }
    }

    public JsonObject Build()
    {
        var start = Add("start", "Duban.Start", "登记", ("form", Literal("reg")));
        var ends = new List<(string Node, string Port)> { (start, "Done") };
        var blocks = 3 + _random.Next(4);
        for (var i = 0; i < blocks; i++) ends = Block(ends);
        var end = Add("end", "Duban.End", "办结", ("result", Literal("办结")));
        foreach (var (node, port) in ends) Connect(node, port, end);

        var definition = Flow($"generated-{seed}", $"生成的流程 {seed}", _activities, _connections);
        definition["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "reg", ["name"] = "登记",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "subject", ["label"] = "事项名称", ["type"] = "text", ["required"] = true },
                new JsonObject
                {
                    ["key"] = "needLeader", ["label"] = "是否需领导审批", ["type"] = "select", ["required"] = true,
                    ["options"] = new JsonArray(new JsonObject { ["value"] = "是", ["label"] = "是" }, new JsonObject { ["value"] = "否", ["label"] = "否" }),
                },
                new JsonObject
                {
                    ["key"] = "level", ["label"] = "层级", ["type"] = "radio", ["required"] = true,
                    ["options"] = new JsonArray(
                        new JsonObject { ["value"] = "province", ["label"] = "省级" },
                        new JsonObject { ["value"] = "city", ["label"] = "市级" },
                        new JsonObject { ["value"] = "county", ["label"] = "县级" }),
                },
                new JsonObject { ["key"] = "amount", ["label"] = "涉及金额", ["type"] = "number" }),
        });
        return definition;
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteGeneratedDesignTests(SqliteFixture fixture) : GeneratedDesignTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresGeneratedDesignTests(PostgresFixture fixture) : GeneratedDesignTests<PostgresFixture>(fixture);
