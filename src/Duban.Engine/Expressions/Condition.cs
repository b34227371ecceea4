using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Duban.Engine.Expressions;

/// <summary>
/// A condition an administrator builds by clicking (docs/decisions/028): a group of rules joined by AND
/// (<c>match: all</c>) or OR (<c>match: any</c>), each rule a form field, an operator and a value, or a nested group.
/// It is stored in Elsa's expression shape — <c>{ "type": "Condition", "value": { "match": "all", "rules": [...] } }</c> —
/// and evaluated here, without Jint.
/// <code>{ "match": "all", "rules": [ { "field": "needLeader", "op": "eq", "value": "是" },
///   { "match": "any", "rules": [ { "field": "amount", "op": "gt", "value": 10000 }, { "field": "level", "op": "in", "value": ["省级", "市级"] } ] } ] }</code>
/// </summary>
public sealed record Condition
{
    /// <summary>A group's join: <see cref="ConditionOps.All"/> (并且) or <see cref="ConditionOps.Any"/> (或者). Null on a rule.</summary>
    public string? Match { get; init; }

    /// <summary>A group's rules (rules or groups); null on a rule.</summary>
    public List<Condition?>? Rules { get; init; }

    /// <summary>A rule's form field key (the item's data).</summary>
    public string? Field { get; init; }

    /// <summary>A rule's operator (<see cref="ConditionOps"/>).</summary>
    public string? Op { get; init; }

    /// <summary>What the field is compared with: a value, or a list for <see cref="ConditionOps.In"/>; none for 为空/不为空.</summary>
    public JsonNode? Value { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsGroup => Rules is not null;

    /// <summary>Reads a structured condition; null when <paramref name="value"/> is not one.</summary>
    public static Condition? Read(JsonNode? value)
    {
        if (value is not JsonObject) return null;
        try
        {
            return value.Deserialize<Condition>(Definitions.DefinitionJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every rule (not group) in the condition, depth first.</summary>
    public IEnumerable<Condition> Leaves()
    {
        if (!IsGroup)
        {
            yield return this;
            yield break;
        }
        foreach (var rule in Rules!)
            if (rule is not null)
                foreach (var leaf in rule.Leaves()) yield return leaf;
    }
}

/// <summary>The operators of a condition rule, with their Chinese names (the designer shows the same ones).</summary>
public static class ConditionOps
{
    public const string All = "all";
    public const string Any = "any";

    public const string Equal = "eq";
    public const string NotEqual = "ne";
    public const string Contains = "contains";
    public const string In = "in";
    public const string Greater = "gt";
    public const string Less = "lt";
    public const string GreaterOrEqual = "gte";
    public const string LessOrEqual = "lte";
    public const string Before = "before";
    public const string After = "after";
    public const string Empty = "empty";
    public const string NotEmpty = "notEmpty";

    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        [Equal] = "等于",
        [NotEqual] = "不等于",
        [Contains] = "包含",
        [In] = "属于",
        [Greater] = "大于",
        [Less] = "小于",
        [GreaterOrEqual] = "不小于",
        [LessOrEqual] = "不大于",
        [Before] = "早于",
        [After] = "晚于",
        [Empty] = "为空",
        [NotEmpty] = "不为空",
    };

    /// <summary>Operators that take no value.</summary>
    public static bool Unary(string? op) => op is Empty or NotEmpty;
}

/// <summary>Evaluates a <see cref="Condition"/> against the item's data. A missing field is empty; a comparison with it is false.</summary>
public static class ConditionEvaluator
{
    /// <summary>True when the condition holds. An empty group holds (AND of nothing); an OR of nothing does not.</summary>
    public static bool Evaluate(Condition condition, JsonObject item)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(item);
        if (condition.IsGroup)
        {
            var rules = condition.Rules!.OfType<Condition>().ToList();
            return condition.Match == ConditionOps.Any
                ? rules.Any(r => Evaluate(r, item))
                : rules.All(r => Evaluate(r, item));
        }
        var actual = condition.Field is null ? null : item[condition.Field];
        return Compare(actual, condition.Op, condition.Value);
    }

    public static bool Compare(JsonNode? actual, string? op, JsonNode? expected) => op switch
    {
        ConditionOps.Empty => IsEmpty(actual),
        ConditionOps.NotEmpty => !IsEmpty(actual),
        ConditionOps.Equal => Equal(actual, expected),
        ConditionOps.NotEqual => !Equal(actual, expected),
        ConditionOps.Contains => Contains(actual, expected),
        ConditionOps.In => expected is JsonArray options && (actual is JsonArray values
            ? values.Any(v => options.Any(o => Equal(v, o)))
            : options.Any(o => Equal(actual, o))),
        ConditionOps.Greater or ConditionOps.After => Order(actual, expected) > 0,
        ConditionOps.Less or ConditionOps.Before => Order(actual, expected) is < 0 and not int.MinValue,
        ConditionOps.GreaterOrEqual => Order(actual, expected) >= 0,
        ConditionOps.LessOrEqual => Order(actual, expected) is <= 0 and not int.MinValue,
        _ => throw new ArgumentException($"不支持的条件运算「{op}」", nameof(op)),
    };

    public static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject o => o.Count == 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => string.IsNullOrWhiteSpace(v.GetValue<string>()),
        _ => value.GetValueKind() == JsonValueKind.Null,
    };

    private static bool Contains(JsonNode? actual, JsonNode? expected) => actual switch
    {
        JsonArray array => array.Any(x => Equal(x, expected)),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && Text(expected) is { Length: > 0 } part =>
            v.GetValue<string>().Contains(part, StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>Numbers by value (10 equals "10"), booleans with their text, everything else by its text.</summary>
    public static bool Equal(JsonNode? a, JsonNode? b)
    {
        if (IsEmpty(a) || IsEmpty(b)) return IsEmpty(a) && IsEmpty(b);
        if (Number(a) is { } x && Number(b) is { } y) return x == y;
        return Text(a) is { } s && Text(b) is { } t && string.Equals(s, t, StringComparison.Ordinal);
    }

    /// <summary>Compares numbers, else dates; <see cref="int.MinValue"/> when the two cannot be ordered.</summary>
    private static int Order(JsonNode? a, JsonNode? b)
    {
        if (Number(a) is { } x && Number(b) is { } y) return x.CompareTo(y);
        if (Date(a) is { } d && Date(b) is { } e) return d.CompareTo(e);
        return int.MinValue;
    }

    private static string? Text(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        _ => null,
    };

    internal static decimal? Number(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number
            && decimal.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.String
            && decimal.TryParse(v.GetValue<string>(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    /// <summary>A date (yyyy-MM-dd) or a moment; dates compare as the start of their day in China.</summary>
    internal static DateTimeOffset? Date(JsonNode? node)
    {
        if (Text(node) is not { Length: >= 10 } text) return null;
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Calendar.ChinaTime.Offset);
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var moment) ? moment : null;
    }
}
