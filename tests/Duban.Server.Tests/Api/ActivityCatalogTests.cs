using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;

namespace Duban.Server.Tests.Api;

/// <summary>GET /api/activities gives each type's declared inputs; the OpenAPI document carries the same list for the web app's build.</summary>
public sealed class ActivityCatalogTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task Activities_come_with_their_inputs_as_the_document_carries_them()
    {
        var admin = await fixture.As("admin");
        var listed = (await admin.GetFromJsonAsync<JsonArray>("/api/activities"))!;
        var userTask = listed.Single(a => a!["type"]!.GetValue<string>() == "Duban.UserTask")!;
        var assignee = userTask["inputs"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == "assignee")!;
        Assert.Equal("assigneeRule", assignee["uiHint"]!.GetValue<string>());
        Assert.Equal("办理人", assignee["category"]!.GetValue<string>());

        var document = (await fixture.Anonymous().GetFromJsonAsync<JsonObject>("/api/openapi/v1.json"))!;
        var carried = document["x-duban-activities"]!.AsArray();
        Assert.Equal(
            listed.Select(a => a!["type"]!.GetValue<string>()).Order(),
            carried.Select(a => a!["type"]!.GetValue<string>()).Order());
        Assert.True(JsonNode.DeepEquals(userTask, carried.Single(a => a!["type"]!.GetValue<string>() == "Duban.UserTask")));
    }
}
