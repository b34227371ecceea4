using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duban.Engine.Expressions;

/// <summary>
/// A <see cref="Condition"/> written as the JavaScript expression Duban's script dialect would evaluate the same way
/// (<c>item.field</c>), for whoever reads the definition without Duban's evaluator: the Elsa 3 export
/// (docs/decisions/030), whose FlowDecision and FlowSwitch know JavaScript, not built conditions. It writes what the
/// designer's 「高级」 switch writes (designer/src/shared/flow/conditions.ts, conditionToScript).
/// </summary>
public static partial class ConditionScript
{
    public static string ToJavaScript(Condition condition)
    {
        ArgumentNullException.ThrowIfNull(condition);
        if (condition.IsGroup)
        {
            var parts = condition.Rules!.OfType<Condition>().Select(ToJavaScript).Where(p => p.Length > 0).ToList();
            var any = condition.Match == ConditionOps.Any;
            if (parts.Count == 0) return any ? "false" : "true";
            var joined = string.Join(any ? " || " : " && ", parts);
            return parts.Count > 1 ? $"({joined})" : joined;
        }
        if (string.IsNullOrEmpty(condition.Field) || string.IsNullOrEmpty(condition.Op)) return "";
        var field = Identifier().IsMatch(condition.Field) ? $"item.{condition.Field}" : $"item[{Js(JsonValue.Create(condition.Field))}]";
        var value = condition.Value;
        var empty = $"({field} == null || {field} === '' || (Array.isArray({field}) && {field}.length === 0))";
        return condition.Op switch
        {
            ConditionOps.Equal => $"{field} === {Js(value)}",
            ConditionOps.NotEqual => $"{field} !== {Js(value)}",
            ConditionOps.Contains => $"({field} || []).includes({Js(value)})",
            ConditionOps.In => $"{Js(value is JsonArray ? value : new JsonArray(value?.DeepClone()))}.includes({field})",
            ConditionOps.Greater or ConditionOps.After => $"{field} > {Js(value)}",
            ConditionOps.Less or ConditionOps.Before => $"{field} < {Js(value)}",
            ConditionOps.GreaterOrEqual => $"{field} >= {Js(value)}",
            ConditionOps.LessOrEqual => $"{field} <= {Js(value)}",
            ConditionOps.Empty => empty,
            ConditionOps.NotEmpty => $"!{empty}",
            _ => "",
        };
    }

    /// <summary>A JSON value is a JavaScript literal; strings keep their Chinese as written.</summary>
    private static string Js(JsonNode? value) => value is null ? "null" : value.ToJsonString(Json);

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [GeneratedRegex(@"^[A-Za-z_$][\w$]*$")]
    private static partial Regex Identifier();
}
