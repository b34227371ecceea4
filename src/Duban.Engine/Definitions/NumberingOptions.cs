using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duban.Engine.Definitions;

/// <summary>
/// A procedure's running number (统一编号), from <c>options.numbering</c> of its definition:
/// <code>{ "pattern": "督〔{year}〕{seq}号", "sequence": "督办", "reset": "year" }</code>
/// <list type="bullet">
/// <item><c>pattern</c>: text with <c>{year}</c> (2026), <c>{month}</c> (03), <c>{seq}</c> (the running number) or
/// <c>{seq:N}</c> (zero-padded to N digits). <c>{seq}</c> is required.</item>
/// <item><c>sequence</c>: the name of the counter. Procedures that name the same counter share it; by default the
/// counter is the pattern itself, so two procedures that print the same pattern never print the same number.</item>
/// <item><c>reset</c>: when the count starts again at 1 — <c>year</c> (the default when the pattern has
/// <c>{year}</c>), <c>month</c> (needs <c>{year}</c> and <c>{month}</c>) or <c>never</c>.</item>
/// <item><c>assignAt</c>: when the item gets its number — <c>registration</c> (the default), <c>approval</c> (when the
/// step named by <c>step</c> completes with its first outcome, e.g. 领导审定 → 同意, or with <c>outcome</c>) or
/// <c>firstAssign</c> (when the item's first 交办 starts). An item that never gets there consumes no number (decision 023).</item>
/// </list>
/// The date is the date the number is given, in China (UTC+8).
/// </summary>
public sealed partial record NumberingOptions
{
    public const string ResetYear = "year";
    public const string ResetMonth = "month";
    public const string ResetNever = "never";
    public const string AtRegistration = "registration";
    public const string AtApproval = "approval";
    public const string AtFirstAssign = "firstAssign";
    public const int MaxSequenceLength = 100;
    public const int MaxPatternLength = 80;
    public const int MaxPadding = 10;

    /// <summary>China keeps one time zone and no daylight saving time.</summary>
    public static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);

    public required string Pattern { get; init; }
    public string? Sequence { get; init; }
    public string? Reset { get; init; }
    public string? AssignAt { get; init; }
    /// <summary>With <c>assignAt: approval</c>: the step (activity id) whose approval gives the number.</summary>
    public string? Step { get; init; }
    /// <summary>With <c>assignAt: approval</c>: the outcome that approves; by default the step's first outcome.</summary>
    public string? Outcome { get; init; }

    /// <summary>When the number is given: <see cref="AssignAt"/>, by default at registration.</summary>
    public string EffectiveAssignAt => AssignAt ?? AtRegistration;

    /// <summary>The counter's name: <see cref="Sequence"/>, or the pattern.</summary>
    public string SequenceKey => string.IsNullOrWhiteSpace(Sequence) ? Pattern : Sequence.Trim();

    public string EffectiveReset => Reset ?? (HasToken("year") ? ResetYear : ResetNever);

    /// <summary>The counter's period for an item registered at <paramref name="at"/>: "2026", "2026-03" or "*".</summary>
    public string PeriodOf(DateTimeOffset at)
    {
        var local = at.ToOffset(ChinaOffset);
        return EffectiveReset switch
        {
            ResetYear => local.Year.ToString("D4", CultureInfo.InvariantCulture),
            ResetMonth => local.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => "*",
        };
    }

    /// <summary>The number as printed: <paramref name="sequence"/> put into the pattern for the date <paramref name="at"/>.</summary>
    public string Format(long sequence, DateTimeOffset at)
    {
        var local = at.ToOffset(ChinaOffset);
        return TokenPattern().Replace(Pattern, m => m.Groups["name"].Value switch
        {
            "year" => local.Year.ToString("D4", CultureInfo.InvariantCulture),
            "month" => local.Month.ToString("D2", CultureInfo.InvariantCulture),
            _ => m.Groups["pad"].Success
                ? sequence.ToString("D" + m.Groups["pad"].Value, CultureInfo.InvariantCulture)
                : sequence.ToString(CultureInfo.InvariantCulture),
        });
    }

    private bool HasToken(string name) => TokenPattern().Matches(Pattern).Any(m => m.Groups["name"].Value == name);

    /// <summary>
    /// Reads <c>options.numbering</c>; null when the procedure has none. Throws <see cref="FormatException"/> (with
    /// the problems, in Chinese) when it is there but unusable.
    /// </summary>
    public static NumberingOptions? From(JsonObject? options)
    {
        if (options?["numbering"] is not { } node) return null;
        var (numbering, problems) = Read(node);
        if (problems.Count > 0) throw new FormatException(string.Join("；", problems));
        return numbering;
    }

    /// <summary>What is wrong with <c>options.numbering</c>, for the checks before publishing. Empty when fine or absent.</summary>
    public static IReadOnlyList<string> Problems(JsonObject? options) =>
        options?["numbering"] is { } node ? Read(node).Problems : [];

    public static (NumberingOptions? Options, IReadOnlyList<string> Problems) Read(JsonNode? node)
    {
        var problems = new List<string>();
        if (node is null) return (null, problems);
        if (node is not JsonObject obj)
        {
            problems.Add("编号规则（options.numbering）应为对象，例如 {\"pattern\": \"督〔{year}〕{seq}号\"}");
            return (null, problems);
        }
        string? Text(string key)
        {
            var value = obj[key];
            if (value is null) return null;
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String) return v.GetValue<string>();
            problems.Add($"编号规则的「{key}」应为文本");
            return null;
        }
        var pattern = Text("pattern");
        var sequence = Text("sequence");
        var reset = Text("reset");
        var assignAt = Text("assignAt");
        var step = Text("step");
        var outcome = Text("outcome");
        foreach (var key in obj.Select(p => p.Key).Where(k => k is not ("pattern" or "sequence" or "reset" or "assignAt" or "step" or "outcome")))
            problems.Add($"编号规则不认识「{key}」（可用 pattern、sequence、reset、assignAt、step、outcome）");
        if (assignAt is not (null or AtRegistration or AtApproval or AtFirstAssign))
            problems.Add($"编号时机「{assignAt}」无效，可选：registration（登记时）、approval（审定同意时）、firstAssign（首次交办时）");
        if (assignAt == AtApproval && string.IsNullOrWhiteSpace(step))
            problems.Add("审定后编号时，请选择审定环节（step）");

        if (string.IsNullOrWhiteSpace(pattern))
        {
            if (!problems.Any(p => p.Contains("「pattern」", StringComparison.Ordinal))) problems.Add("编号规则未设置格式（pattern），例如 督〔{year}〕{seq}号");
            return (null, problems);
        }
        if (pattern.Length > MaxPatternLength) problems.Add($"编号格式不能超过 {MaxPatternLength} 个字符");
        var tokens = TokenPattern().Matches(pattern).ToList();
        var rest = TokenPattern().Replace(pattern, "");
        if (rest.Contains('{') || rest.Contains('}'))
            problems.Add("编号格式中的花括号只能用于 {year}、{month}、{seq} 或 {seq:位数}");
        foreach (var token in tokens)
        {
            var name = token.Groups["name"].Value;
            if (name is not ("year" or "month" or "seq"))
                problems.Add($"编号格式中的「{{{name}}}」无效，可用 {{year}}、{{month}}、{{seq}}、{{seq:3}}");
            else if (token.Groups["pad"].Success && (name != "seq"
                     || !int.TryParse(token.Groups["pad"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var pad) || pad < 1 || pad > MaxPadding))
                problems.Add(name == "seq" ? $"序号位数应为 1 到 {MaxPadding}" : $"「{{{name}}}」不能指定位数");
        }
        var seqCount = tokens.Count(t => t.Groups["name"].Value == "seq");
        if (seqCount != 1) problems.Add(seqCount == 0 ? "编号格式必须包含序号 {seq}" : "编号格式只能包含一个序号 {seq}");
        var options = new NumberingOptions { Pattern = pattern, Sequence = sequence, Reset = reset, AssignAt = assignAt, Step = step, Outcome = outcome };
        if (sequence is not null && (string.IsNullOrWhiteSpace(sequence) || sequence.Trim().Length > MaxSequenceLength))
            problems.Add($"编号序列名称（sequence）不能为空，且不超过 {MaxSequenceLength} 个字符");
        switch (reset)
        {
            case null or ResetNever:
                break;
            case ResetYear when !options.HasToken("year"):
                problems.Add("按年重新编号时，编号格式必须包含 {year}，否则不同年份会出现相同编号");
                break;
            case ResetMonth when !options.HasToken("year") || !options.HasToken("month"):
                problems.Add("按月重新编号时，编号格式必须包含 {year} 和 {month}，否则会出现相同编号");
                break;
            case ResetYear or ResetMonth:
                break;
            default:
                problems.Add($"重新编号方式「{reset}」无效，可选：year（每年）、month（每月）、never（不重新编号）");
                break;
        }
        return (problems.Count == 0 ? options : null, problems);
    }

    [GeneratedRegex(@"\{(?<name>[A-Za-z]+)(?::(?<pad>[^}]*))?\}")]
    private static partial Regex TokenPattern();
}
