using System.Text.Json.Nodes;
using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Execution.Support;

/// <summary>The script evaluator the engine tests run with, and small JSON helpers.</summary>
public static class TestScripts
{
    public static IScriptEvaluator Create() => new JintScriptEvaluator();
}

public static class Json
{
    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
    public static JsonNode? Node(string json) => JsonNode.Parse(json);
}
