
namespace Duban.Engine.Scoring;

/// <summary>What a unit is scored for (考核事件). Each chase rung names one; redos and bulletins come from their own records.</summary>
public static class ScoreEventTypes
{
    public const string Phone = "phone";
    public const string WrittenNotice = "writtenNotice";
    public const string OnSite = "onSite";
    public const string Redo = "redo";
    public const string SpecialMeeting = "specialMeeting";
    public const string Bulletin = "bulletin";
    public const string Accountability = "accountability";

    public static readonly IReadOnlyList<string> All = [Phone, WrittenNotice, OnSite, Redo, SpecialMeeting, Bulletin, Accountability];

    public static string Label(string type) => type switch
    {
        Phone => "电话、口头催办",
        WrittenNotice => "下发《督查督办通知单》",
        OnSite => "现场督办",
        Redo => "复办超过规定次数",
        SpecialMeeting => "召开专项会议督办",
        Bulletin => "通报批评",
        Accountability => "责任追究",
        _ => type,
    };
}

/// <summary>
/// An organization's scoring rules for one year: the starting score, the deduction per event type, how many redos
/// of one item are tolerated before the redo deduction, and the floor.
/// </summary>
public sealed record ScoringRules
{
    public decimal StartScore { get; init; } = 3m;
    public Dictionary<string, decimal> Deductions { get; init; } = new();
    /// <summary>An item redone more than this many times by a unit costs one <see cref="ScoreEventTypes.Redo"/> deduction.</summary>
    public int RedoThreshold { get; init; } = 2;
    public decimal Floor { get; init; }

    /// <summary>The county table (seed 003 §六): 3 points; phone 0.1, notice 0.2, on site 0.3, redo more than twice 0.1, special meeting 0.5, bulletin 0.5; never below 0.</summary>
    public static ScoringRules CountyDefault { get; } = new()
    {
        StartScore = 3m,
        Deductions = new()
        {
            [ScoreEventTypes.Phone] = 0.1m,
            [ScoreEventTypes.WrittenNotice] = 0.2m,
            [ScoreEventTypes.OnSite] = 0.3m,
            [ScoreEventTypes.Redo] = 0.1m,
            [ScoreEventTypes.SpecialMeeting] = 0.5m,
            [ScoreEventTypes.Bulletin] = 0.5m,
            [ScoreEventTypes.Accountability] = 0m,
        },
        RedoThreshold = 2,
        Floor = 0m,
    };

    public decimal DeductionFor(string type) => Deductions.GetValueOrDefault(type);

    public IReadOnlyList<(string Field, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        if (StartScore is < 0 or > 1000) problems.Add(("startScore", "基础分应在 0 到 1000 之间"));
        if (Floor < 0 || Floor > StartScore) problems.Add(("floor", "最低分应不小于 0 且不大于基础分"));
        if (RedoThreshold is < 0 or > 100) problems.Add(("redoThreshold", "复办容许次数应在 0 到 100 之间"));
        foreach (var (type, amount) in Deductions ?? [])
        {
            if (!ScoreEventTypes.All.Contains(type)) problems.Add(($"deductions.{type}", $"考核事件「{type}」无效，可选：{string.Join("、", ScoreEventTypes.All)}"));
            else if (amount < 0 || amount > 1000) problems.Add(($"deductions.{type}", $"「{ScoreEventTypes.Label(type)}」的扣分应在 0 到 1000 之间"));
            else if (decimal.Round(amount, 2) != amount) problems.Add(($"deductions.{type}", $"「{ScoreEventTypes.Label(type)}」的扣分最多两位小数"));
        }
        return problems;
    }
}

/// <summary>
/// Scoring tables shipped with the product that an organization may choose explicitly for the years it has no rules
/// of its own. Without rules and without such a choice an organization is not scored (docs/decisions/022).
/// </summary>
public static class ScoringTables
{
    public const string County = "county";

    public static readonly IReadOnlyList<string> All = [County];

    public static string Label(string table) => table switch
    {
        County => "县级督查督办考核标准（基础分 3 分：电话催办扣 0.1、通知单扣 0.2、现场督办扣 0.3、复办超过两次扣 0.1、专项会议扣 0.5、通报批评扣 0.5）",
        _ => table,
    };

    public static ScoringRules? Rules(string? table) => table switch
    {
        County => ScoringRules.CountyDefault,
        _ => null,
    };
}

/// <summary>One thing that happened to a unit and counts in its score, with where it was logged.</summary>
public sealed record ScoreEvent(string Type, DateTimeOffset At, string UnitId, Guid? InstanceId, string? Note, string Source, string? SourceId);

/// <summary>An event with what it cost: <see cref="Deduction"/> by the rules, <see cref="Applied"/> after the floor.</summary>
public sealed record ScoredEvent(ScoreEvent Event, decimal Deduction, decimal Applied, decimal ScoreAfter);

public sealed record UnitScore(decimal StartScore, decimal Score, decimal Deducted, IReadOnlyList<ScoredEvent> Events);

/// <summary>Scores are computed from what was logged, never typed in. Pure.</summary>
public static class ScoreCalculator
{
    public static UnitScore Compute(ScoringRules rules, IEnumerable<ScoreEvent> events)
    {
        var score = rules.StartScore;
        var scored = new List<ScoredEvent>();
        foreach (var e in events.OrderBy(e => e.At).ThenBy(e => e.Source, StringComparer.Ordinal).ThenBy(e => e.SourceId, StringComparer.Ordinal))
        {
            var deduction = rules.DeductionFor(e.Type);
            var applied = Math.Min(deduction, Math.Max(0, score - rules.Floor));
            score -= applied;
            scored.Add(new ScoredEvent(e, deduction, applied, score));
        }
        return new UnitScore(rules.StartScore, score, rules.StartScore - score, scored);
    }
}
