using System.Text.Json.Nodes;

namespace Duban.Engine.Expressions;

/// <summary>
/// Evaluates workflow scripts (JavaScript) in a sandbox. Scripts see plain data only — never live services.
/// Globals visible to a script: <c>vars</c> (workflow variables, writable), <c>item</c> (the item's form data),
/// <c>form</c> (the form being submitted, if any), <c>user</c> (current user: id, name, unitId, unitName, roles),
/// plus any extra globals passed in <see cref="ScriptScope.Extra"/>.
/// </summary>
public interface IScriptEvaluator
{
    /// <summary>
    /// Runs <paramref name="script"/> and returns its completion value and the (possibly changed) variables.
    /// Throws <see cref="ScriptException"/> for syntax errors, runtime errors and every exceeded limit.
    /// </summary>
    ScriptResult Evaluate(string script, ScriptScope scope, CancellationToken cancellationToken = default);

    /// <summary>Returns null when the script parses, else a Chinese message naming line and column.</summary>
    string? CheckSyntax(string script);
}

/// <summary>The plain data a script can see. Nothing here is a live object.</summary>
public sealed record ScriptScope(
    JsonObject Variables,
    JsonObject Item,
    JsonObject? Form = null,
    JsonObject? User = null,
    IReadOnlyDictionary<string, JsonNode?>? Extra = null);

/// <summary>The script's completion value (null for undefined/null) and the variables after the run.</summary>
public sealed record ScriptResult(JsonNode? Value, JsonObject Variables);

public enum ScriptFailure
{
    Syntax,
    Runtime,
    Timeout,
    StatementLimit,
    MemoryLimit,
    RecursionLimit,
    Cancelled,
}

/// <summary>A script failed; <see cref="Exception.Message"/> is Chinese and fit for an incident or a problem detail.</summary>
public sealed class ScriptException(ScriptFailure failure, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public ScriptFailure Failure { get; } = failure;
}

/// <summary>Sandbox limits. Every one is set; defaults keep a runaway script well under a second.</summary>
public sealed record ScriptLimits
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMilliseconds(500);
    public int MaxStatements { get; init; } = 200_000;
    public long MaxMemoryBytes { get; init; } = 16 * 1024 * 1024;
    public int MaxRecursionDepth { get; init; } = 128;
    public static ScriptLimits Default { get; } = new();
}
