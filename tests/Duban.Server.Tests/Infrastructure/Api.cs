using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>Small helpers for talking to the API the way the web app does.</summary>
public static class Api
{
    public static JsonObject DemoStartData(string unit = "fzc") => new()
    {
        ["title"] = "推进行政复议体制改革",
        ["source"] = "meeting",
        ["content"] = "落实厅党组会议定事项，按期报送办理情况",
        ["handlingUnit"] = unit,
        ["dueDate"] = "2026-12-31",
    };

    public static async Task<Guid> StartAsync(HttpClient client, string definitionId, JsonObject? data)
    {
        var response = await client.PostAsJsonAsync("/api/instances", new { definitionId, data });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    public static async Task<JsonArray> InboxAsync(HttpClient client, string box = "todo")
    {
        var page = await client.GetFromJsonAsync<JsonObject>($"/api/tasks?box={box}&pageSize=100");
        return page!["items"]!.AsArray();
    }

    /// <summary>The one open task of <paramref name="instanceId"/> in this user's inbox.</summary>
    public static async Task<Guid> TaskOfAsync(HttpClient client, Guid instanceId, string? activityName = null)
    {
        var items = (await InboxAsync(client)).Where(t => t!["instanceId"]!.GetValue<Guid>() == instanceId
            && (activityName is null || t["activityName"]!.GetValue<string>() == activityName)).ToList();
        Assert.True(items.Count == 1, $"expected one open task{(activityName is null ? "" : $" 「{activityName}」")} for the item, found {items.Count}");
        return items[0]!["id"]!.GetValue<Guid>();
    }

    public static Task<HttpResponseMessage> CompleteAsync(HttpClient client, Guid taskId, string outcome, JsonObject? data = null, string? comment = null) =>
        client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome, data, comment });

    public static async Task CompleteOkAsync(HttpClient client, Guid taskId, string outcome, JsonObject? data = null, string? comment = null)
    {
        var response = await CompleteAsync(client, taskId, outcome, data, comment);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"complete failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static async Task<JsonObject> InstanceAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/instances/{id}"))!;

    /// <summary>Reads a 400 problem's per-field errors.</summary>
    public static async Task<Dictionary<string, string[]>> FieldErrorsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        return problem!["errors"].Deserialize<Dictionary<string, string[]>>()!;
    }

    public static async Task ImportAsync(HttpClient admin, JsonObject definition, bool publish = true)
    {
        var response = await admin.PostAsJsonAsync($"/api/definitions/import?publish={publish.ToString().ToLowerInvariant()}", definition);
        Assert.True(response.IsSuccessStatusCode, $"import failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>Definitions for tests, written the way the designer saves them.</summary>
public static class TestDefinitions
{
    public static JsonObject Literal(JsonNode? value) => new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };
    public static JsonObject Script(string code) => new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "JavaScript", ["value"] = code } };

    public static JsonObject Connection(string from, string port, string to) =>
        new() { ["source"] = new JsonObject { ["activity"] = from, ["port"] = port }, ["target"] = new JsonObject { ["activity"] = to } };

    public static JsonObject Flow(string id, string name, JsonArray activities, JsonArray connections) => new()
    {
        ["definitionId"] = id,
        ["name"] = name,
        ["root"] = new JsonObject { ["type"] = "Duban.Flowchart", ["id"] = "flowchart", ["activities"] = activities, ["connections"] = connections },
    };

    /// <summary>Start → Timer (until or duration) → End.</summary>
    public static JsonObject Timer(string id, JsonObject timerInputs)
    {
        var timer = new JsonObject { ["id"] = "wait", ["type"] = "Duban.Timer", ["name"] = "等待" };
        foreach (var (k, v) in timerInputs) timer[k] = v?.DeepClone();
        return Flow(id, "定时测试", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            timer,
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束", ["result"] = Literal("办结") },
        ], [Connection("start", "Done", "wait"), Connection("wait", "Done", "end")]);
    }

    /// <summary>Start → SetVariables (the script) → End.</summary>
    public static JsonObject Script(string id, string name, string code) => Flow(id, name, [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
        new JsonObject { ["id"] = "calc", ["type"] = "Duban.SetVariables", ["name"] = "计算", ["script"] = Script(code) },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
    ], [Connection("start", "Done", "calc"), Connection("calc", "Done", "end")]);
}
