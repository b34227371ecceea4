using Duban.Engine.Expressions;

namespace Duban.Engine.Tests.Execution.Support;

/// <summary>
/// For flows that use literals only: every script is accepted by the syntax check and refused when run,
/// so a test that unexpectedly reaches a script fails loudly.
/// </summary>
public sealed class FakeScriptEvaluator : IScriptEvaluator
{
    public int Calls { get; private set; }

    public ScriptResult Evaluate(string script, ScriptScope scope, CancellationToken cancellationToken = default)
    {
        Calls++;
        throw new NotSupportedException($"FakeScriptEvaluator does not run scripts: {script}");
    }

    public string? CheckSyntax(string script) => null;
}
