using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Elsa;

/// <summary>
/// Elsa 3 interchange over the API (docs/decisions/030): an Elsa file from elsa-core's tests imports, publishes and runs;
/// one with nodes Duban cannot run is refused node by node; a procedure exports as Elsa JSON and imports back unchanged.
/// </summary>
public abstract class ElsaApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    protected TFixture Fixture { get; } = fixture;
    public Task InitializeAsync() => Fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject ElsaFile(string name, [CallerFilePath] string here = "") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "Duban.Engine.Tests", "Elsa", "Fixtures", name)))!.AsObject();

    [Fact]
    public async Task An_Elsa_loop_imports_publishes_and_writes_its_lines_to_the_items_journal_in_Elsas_order()
    {
        var admin = await Fixture.As("admin");
        var ducha = await Fixture.As("ducha");

        var response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", ElsaFile("import-and-execute--implicit-loop.json"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var meta = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(meta["isPublished"]!.GetValue<bool>());

        var id = await StartAsync(ducha, meta["definitionId"]!.GetValue<string>(), null);

        var item = await InstanceAsync(ducha, id);
        Assert.Equal("completed", item["instance"]!["status"]!.GetValue<string>());
        var lines = item["timeline"]!.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "lineWritten")
            .Select(e => e!["comment"]!.GetValue<string>()).ToList();
        // Elsa's ImportAndExecute test expects: Do something, Retry, Do something, Done.
        Assert.Equal(["Do something", "Retry", "Do something", "Done"], lines);
    }

    [Fact]
    public async Task An_Elsa_file_with_an_HTTP_endpoint_is_refused_naming_the_node_in_Chinese_and_nothing_is_saved()
    {
        var admin = await Fixture.As("admin");
        var file = ElsaFile("import-and-publish--http-workflow.json");

        var response = await admin.PostAsJsonAsync("/api/definitions/import", file);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = await FieldErrorsAsync(response);
        var message = Assert.Single(errors["b036c71bbd31983d"]);
        Assert.StartsWith("「HttpEndpoint1」（Elsa.HttpEndpoint）：HTTP 节点督办不支持", message);
        var list = (await admin.GetFromJsonAsync<JsonArray>("/api/definitions"))!;
        Assert.DoesNotContain(list, d => d!["name"]!.GetValue<string>() == file["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_shipped_procedure_exported_as_Elsa_JSON_imports_back_unchanged()
    {
        var admin = await Fixture.As("admin");
        var before = (await admin.GetFromJsonAsync<JsonObject>("/api/definitions/leader-instruction"))!["definition"]!;

        var export = await admin.GetAsync("/api/definitions/leader-instruction/export?format=elsa");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.EndsWith(".elsa.json", export.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var elsa = JsonNode.Parse(await export.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal("Elsa.Flowchart", elsa["root"]!["type"]!.GetValue<string>());

        var imported = await admin.PostAsJsonAsync("/api/definitions/import", elsa);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var after = (await admin.GetFromJsonAsync<JsonObject>("/api/definitions/leader-instruction"))!["definition"]!.AsObject();

        after["version"] = before["version"]!.DeepClone(); // the import is the next draft
        Assert.Equal(before.ToJsonString(), after.ToJsonString());
    }

    [Fact]
    public async Task An_unknown_export_format_is_refused()
    {
        var admin = await Fixture.As("admin");
        var errors = await FieldErrorsAsync(await admin.GetAsync("/api/definitions/leader-instruction/export?format=bpmn"));
        Assert.Equal(["导出格式只能是 duban 或 elsa"], errors["format"]);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteElsaApiTests(SqliteFixture fixture) : ElsaApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresElsaApiTests(PostgresFixture fixture) : ElsaApiTests<PostgresFixture>(fixture);
