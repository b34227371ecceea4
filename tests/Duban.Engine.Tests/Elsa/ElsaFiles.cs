using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Definitions.Elsa;
using Duban.Engine.Tests.Execution.Support;

namespace Duban.Engine.Tests.Elsa;

/// <summary>The Elsa test files (Fixtures/README.md) and the shipped templates, read from the source tree.</summary>
public static class ElsaFiles
{
    public static string Fixtures([CallerFilePath] string here = "") => Path.Combine(Path.GetDirectoryName(here)!, "Fixtures");

    public static string Workflows([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "..", "workflows"));

    public static JsonObject Fixture(string name) => JsonNode.Parse(File.ReadAllText(Path.Combine(Fixtures(), name)))!.AsObject();

    public static IEnumerable<string> Templates() => System.IO.Directory.GetFiles(Workflows(), "*.json").Select(Path.GetFileName).Order()!;

    public static ElsaImportResult Import(JsonObject document) => new ElsaImporter(ActivityRegistry.CreateDefault()).Import(document);

    public static IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition) =>
        new DefinitionValidator(ActivityRegistry.CreateDefault(), TestScripts.Create()).Validate(definition);
}
