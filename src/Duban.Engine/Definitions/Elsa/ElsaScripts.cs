using System.Text;
using System.Text.RegularExpressions;

namespace Duban.Engine.Definitions.Elsa;

/// <summary>
/// Elsa's JavaScript names a workflow variable through accessors (<c>getCounter()</c>, <c>setCounter(v)</c>,
/// <c>getVariable("Counter")</c>, <c>variables.Counter</c>) and lets a script <c>return</c> its value; Duban's scripts see
/// the variables as <c>vars</c> and give the value of their last expression. This rewrites one into the other and names
/// what Duban does not have (an activity's output, the workflow's input, a loop's current value).
/// </summary>
internal static partial class ElsaScripts
{
    public sealed record Rewritten(string Script, IReadOnlyList<string> Unknown);

    public static Rewritten Rewrite(string script, IReadOnlyCollection<string> variables)
    {
        var byAccessor = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in variables) byAccessor[Pascalize(name)] = name;

        var text = GetVariableCall().Replace(script, m => Access(m.Groups["name"].Value));
        text = VariablesMember().Replace(text, m => "vars.");
        text = ReplaceCalls(text, SetVariableCall(), m => Access(m.Groups["name"].Value));
        text = ReplaceCalls(text, Setter(), m => byAccessor.TryGetValue(m.Groups["name"].Value, out var v) ? Access(v) : null);
        text = Getter().Replace(text, m => byAccessor.TryGetValue(m.Groups["name"].Value, out var v) ? Access(v) : m.Value);

        var unknown = AnyAccessor().Matches(text).Select(m => m.Groups["fn"].Value).Distinct().ToList();
        if (ReturnStatement().IsMatch(text)) text = $"(function () {{ {text.Trim()} }})()";
        return new Rewritten(text, unknown);
    }

    private static string Access(string name) =>
        IdentifierName().IsMatch(name) ? $"vars.{name}" : $"vars[{System.Text.Json.JsonSerializer.Serialize(name)}]";

    /// <summary>Humanizer's Pascalize, as Elsa names the accessors: <c>my_number</c> and <c>myNumber</c> give <c>MyNumber</c>.</summary>
    public static string Pascalize(string name)
    {
        var sb = new StringBuilder();
        foreach (var part in name.Split(['_', ' ', '-'], StringSplitOptions.RemoveEmptyEntries))
            sb.Append(char.ToUpperInvariant(part[0])).Append(part.AsSpan(1));
        return sb.ToString();
    }

    /// <summary><c>setX(args)</c> → <c>(vars.X = (args))</c>, finding the closing parenthesis past strings and nesting.</summary>
    private static string ReplaceCalls(string text, Regex call, Func<Match, string?> target)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (Match m in call.Matches(text))
        {
            if (m.Index < at || target(m) is not { } access) continue;
            var close = ClosingParen(text, m.Index + m.Length);
            if (close < 0) continue;
            result.Append(text, at, m.Index - at);
            result.Append('(').Append(access).Append(" = (").Append(text, m.Index + m.Length, close - m.Index - m.Length).Append("))");
            at = close + 1;
        }
        return result.Append(text, at, text.Length - at).ToString();
    }

    private static int ClosingParen(string text, int from)
    {
        var depth = 1;
        for (var i = from; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\'' or '`')
            {
                for (i++; i < text.Length && text[i] != c; i++) if (text[i] == '\\') i++;
                continue;
            }
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    [GeneratedRegex("""\bgetVariable\(\s*(["'])(?<name>[^"']+)\1\s*\)""")]
    private static partial Regex GetVariableCall();

    [GeneratedRegex("""\bsetVariable\(\s*(["'])(?<name>[^"']+)\1\s*,""")]
    private static partial Regex SetVariableCall();

    [GeneratedRegex("""(?<![\w.$])variables\.""")]
    private static partial Regex VariablesMember();

    [GeneratedRegex("""(?<![\w.$])set(?<name>[A-Z]\w*)\(""")]
    private static partial Regex Setter();

    [GeneratedRegex("""(?<![\w.$])get(?<name>[A-Z]\w*)\(\s*\)""")]
    private static partial Regex Getter();

    [GeneratedRegex("""(?<![\w.$])(?<fn>(get|set)[A-Z]\w*)\s*\(""")]
    private static partial Regex AnyAccessor();

    [GeneratedRegex("""(^|[;{}\s])return\b""")]
    private static partial Regex ReturnStatement();

    [GeneratedRegex("""^[A-Za-z_$][\w$]*$""")]
    private static partial Regex IdentifierName();
}
