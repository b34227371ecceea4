
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
/// One kind of event an organization scores (考核事件): a shipped one (<see cref="ScoreEventTypes"/>, which the
/// organization may name its own way) or one of its own (逾期未报告, 提前办结 …). <see cref="Adds"/>: the event adds its
/// points (a 加分 item, e.g. 通报表扬) instead of deducting them. <see cref="BuiltIn"/>: shipped, cannot be removed.
/// </summary>
public sealed record ScoreEventDefinition(string Key, string Name, bool Adds = false, bool BuiltIn = false);

/// <summary>
/// The events an organization scores: the shipped seven, under the names it chose, then its own (docs/decisions/027).
/// Rungs, send-back outcomes, manual score entries and the year's rules name events by <see cref="ScoreEventDefinition.Key"/>.
/// </summary>
public sealed class ScoreEventCatalog
{
    public const int MaxOwn = 40;
    /// <summary>How the keys of an organization's own events begin (<c>own-…</c>, generated when the event is added).</summary>
    public const string OwnPrefix = "own-";
    public const int MaxNameLength = 40;

    public ScoreEventCatalog(IEnumerable<ScoreEventDefinition>? stored = null)
    {
        var stored2 = (stored ?? []).Where(e => e is not null && !string.IsNullOrWhiteSpace(e.Key)).ToList();
        var renamed = stored2.Where(e => ScoreEventTypes.All.Contains(e.Key)).GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First().Name);
        Events =
        [
            .. ScoreEventTypes.All.Select(k => new ScoreEventDefinition(k,
                renamed.GetValueOrDefault(k) is { Length: > 0 } name ? name : ScoreEventTypes.Label(k), Adds: false, BuiltIn: true)),
            .. stored2.Where(e => !ScoreEventTypes.All.Contains(e.Key)).DistinctBy(e => e.Key).Select(e => e with { BuiltIn = false }),
        ];
    }

    /// <summary>The shipped seven under their shipped names.</summary>
    public static ScoreEventCatalog Shipped { get; } = new();

    public IReadOnlyList<ScoreEventDefinition> Events { get; }

    public ScoreEventDefinition? Find(string? key) => key is null ? null : Events.FirstOrDefault(e => e.Key == key);

    public bool Contains(string? key) => Find(key) is not null;

    public string Label(string key) => Find(key)?.Name ?? key;

    public bool Adds(string key) => Find(key)?.Adds == true;

    /// <summary>What is stored for the organization: the shipped events it renamed, and its own.</summary>
    public IReadOnlyList<ScoreEventDefinition> Stored() =>
        Events.Where(e => !e.BuiltIn || e.Name != ScoreEventTypes.Label(e.Key)).Select(e => e with { BuiltIn = false }).ToList();

    /// <summary>Problems in a list of events as an administrator saves it (each shipped one may be renamed, own ones added).</summary>
    public static IReadOnlyList<(string Field, string Message)> Problems(IReadOnlyList<ScoreEventDefinition?> events)
    {
        var problems = new List<(string, string)>();
        var names = new HashSet<string>();
        var keys = new HashSet<string>();
        var own = 0;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            var field = $"events[{i}]";
            if (e is null) { problems.Add((field, $"第 {i + 1} 个考核事件为空")); continue; }
            var name = e.Name?.Trim();
            if (string.IsNullOrEmpty(name)) problems.Add(($"{field}.name", $"第 {i + 1} 个考核事件缺少名称"));
            else if (name.Length > MaxNameLength) problems.Add(($"{field}.name", $"考核事件「{name[..10]}…」的名称不能超过 {MaxNameLength} 字"));
            else if (!names.Add(name)) problems.Add(($"{field}.name", $"考核事件名称「{name}」重复"));
            if (!string.IsNullOrEmpty(e.Key))
            {
                if (!keys.Add(e.Key)) problems.Add(($"{field}.key", $"考核事件标识「{e.Key}」重复"));
                else if (e.Key.Length > 40) problems.Add(($"{field}.key", "考核事件标识过长"));
                if (ScoreEventTypes.All.Contains(e.Key) && e.Adds) problems.Add(($"{field}.adds", $"系统考核事件「{ScoreEventTypes.Label(e.Key)}」只能扣分"));
            }
            if (string.IsNullOrEmpty(e.Key) || !ScoreEventTypes.All.Contains(e.Key)) own++;
        }
        if (own > MaxOwn) problems.Add(("events", $"自定义考核事件最多 {MaxOwn} 个"));
        return problems;
    }
}

/// <summary>
/// An organization's scoring rules for one year: the starting score, the points per event type (deducted, or added
/// for the organization's 加分 events), how many redos of one item are tolerated before the redo deduction, and the floor.
/// </summary>
public sealed record ScoringRules
{
    public decimal StartScore { get; init; } = 3m;
    /// <summary>Points per event key; an event the catalogue marks <see cref="ScoreEventDefinition.Adds"/> adds them.</summary>
    public Dictionary<string, decimal> Deductions { get; init; } = new();
    /// <summary>The events that add their points (from the organization's catalogue; not stored with the rules).</summary>
    public IReadOnlySet<string> Adding { get; init; } = new HashSet<string>();
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

    public IReadOnlyList<(string Field, string Message)> Problems(ScoreEventCatalog? catalog = null)
    {
        catalog ??= ScoreEventCatalog.Shipped;
        var problems = new List<(string, string)>();
        if (StartScore is < 0 or > 1000) problems.Add(("startScore", "基础分应在 0 到 1000 之间"));
        if (Floor < 0 || Floor > StartScore) problems.Add(("floor", "最低分应不小于 0 且不大于基础分"));
        if (RedoThreshold is < 0 or > 100) problems.Add(("redoThreshold", "复办容许次数应在 0 到 100 之间"));
        foreach (var (type, amount) in Deductions ?? [])
        {
            if (!catalog.Contains(type)) problems.Add(($"deductions.{type}", $"考核事件「{type}」无效，可选：{string.Join("、", catalog.Events.Select(e => e.Name))}"));
            else if (amount < 0 || amount > 1000) problems.Add(($"deductions.{type}", $"「{catalog.Label(type)}」的分值应在 0 到 1000 之间"));
            else if (decimal.Round(amount, 2) != amount) problems.Add(($"deductions.{type}", $"「{catalog.Label(type)}」的分值最多两位小数"));
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

/// <summary>
/// An event with what it cost: <see cref="Deduction"/> by the rules, <see cref="Applied"/> after the floor — both
/// negative for an event that adds points.
/// </summary>
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
            // An event that adds points adds them all (no ceiling: a 加分 item may lift a unit above its start); a deduction
            // stops at the floor (「直至扣完3分为止」).
            if (rules.Adding.Contains(e.Type)) deduction = -deduction;
            var applied = deduction < 0 ? deduction : Math.Min(deduction, Math.Max(0, score - rules.Floor));
            score -= applied;
            scored.Add(new ScoredEvent(e, deduction, applied, score));
        }
        return new UnitScore(rules.StartScore, score, rules.StartScore - score, scored);
    }
}
