using System.Globalization;
using Duban.Engine.Calendar;

namespace Duban.Server.Simulation;

/// <summary>One step of one unit as a saved scenario remembers it: its deadline, the day it was done, its light.</summary>
/// <param name="Key">The step and unit, and which time (a step sent back is done again): <c>step|unit|n</c>.</param>
public sealed record StepFigure(string Key, string StepName, string? UnitName, DateOnly? Due, DateOnly? Done, string? Light);

/// <summary>What a unit lost on the scenario.</summary>
public sealed record ScoreFigure(string UnitId, string UnitName, decimal Deducted);

/// <summary>
/// The figures of a simulation an administrator checks a later draft against (docs/decisions/045): how and when the item
/// ended, each step's deadline, completion and light, how often each kind of thing happened (rungs, extensions, 退回), and
/// each unit's deductions. Dates in China time: a step done at another hour of the same day is not a change.
/// </summary>
public sealed record SimulationFigures(string Stop, DateOnly Ended, DateOnly? ItemDue, IReadOnlyList<StepFigure> Steps,
    IReadOnlyList<ScoreFigure> Scores, IReadOnlyDictionary<string, int> Events)
{
    /// <summary>The kinds of the time line counted, and how a person reads them.</summary>
    private static readonly (string Kind, string Name)[] Counted =
    [
        ("chased", "催办"), ("chaseRecorded", "登记催办"), ("returned", "退回"), ("extensionRequested", "延期申请"),
        ("extensionApproved", "同意延期"), ("extensionRejected", "不同意延期"), ("deadlineMoved", "时限调整"), ("note", "无法模拟的情况"),
    ];

    private static readonly Dictionary<string, string> LightNames = new() { ["green"] = "绿灯", ["yellow"] = "黄灯", ["red"] = "红灯" };

    private static readonly Dictionary<string, string> StopNames = new()
    {
        ["finished"] = "办结", ["max-days"] = "到达模拟天数上限", ["max-events"] = "到达操作次数上限", ["max-time"] = "到达运行时间上限",
    };

    public static SimulationFigures Of(SimulationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var times = new Dictionary<string, int>(StringComparer.Ordinal);
        var steps = new List<StepFigure>();
        foreach (var step in result.Steps.OrderBy(s => s.OpenedAt))
        {
            var at = $"{step.StepId}|{step.UnitId}";
            times[at] = times.GetValueOrDefault(at) + 1;
            steps.Add(new StepFigure($"{at}|{times[at]}", step.StepName, step.UnitName, DateOf(step.DueAt), DateOf(step.DoneAt), step.Light));
        }
        var events = Counted.ToDictionary(c => c.Kind, c => result.Events.Count(e => e.Kind == c.Kind), StringComparer.Ordinal);
        var scores = result.Scores.OrderBy(s => s.UnitId, StringComparer.Ordinal).Select(s => new ScoreFigure(s.UnitId, s.UnitName, s.Deducted)).ToList();
        return new SimulationFigures(result.Stop, ChinaTime.DateOf(result.EndedAt), DateOf(result.ItemDueAt), steps, scores, events);
    }

    /// <summary>What changed from <paramref name="saved"/> to <paramref name="now"/>, one sentence each, as the office reads it; empty when nothing did.</summary>
    public static IReadOnlyList<string> Differences(SimulationFigures saved, SimulationFigures now)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(now);
        var changes = new List<string>();
        if (saved.Stop != now.Stop) changes.Add($"结束方式：{StopName(saved.Stop)} → {StopName(now.Stop)}");
        if (saved.Ended != now.Ended) changes.Add($"结束日期：{Day(saved.Ended)} → {Day(now.Ended)}");
        if (saved.ItemDue != now.ItemDue) changes.Add($"事项完成时限：{Day(saved.ItemDue)} → {Day(now.ItemDue)}");

        var before = saved.Steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var after = now.Steps.ToDictionary(s => s.Key, StringComparer.Ordinal);
        foreach (var step in now.Steps)
        {
            if (!before.TryGetValue(step.Key, out var old))
            {
                changes.Add($"{Name(step)}：新增（时限 {Day(step.Due)}）");
                continue;
            }
            if (old.Due != step.Due) changes.Add($"{Name(step)}：时限 {Day(old.Due)} → {Day(step.Due)}");
            if (old.Done != step.Done) changes.Add($"{Name(step)}：完成日期 {Day(old.Done)} → {Day(step.Done)}");
            if (old.Light != step.Light) changes.Add($"{Name(step)}：{LightName(old.Light)} → {LightName(step.Light)}");
        }
        foreach (var step in saved.Steps.Where(s => !after.ContainsKey(s.Key)))
            changes.Add($"{Name(step)}：不再出现");

        foreach (var (kind, name) in Counted)
        {
            var was = saved.Events.GetValueOrDefault(kind);
            var @is = now.Events.GetValueOrDefault(kind);
            if (was != @is) changes.Add($"{name}：{was} 次 → {@is} 次");
        }

        var scoresBefore = saved.Scores.ToDictionary(s => s.UnitId, StringComparer.Ordinal);
        var scoresAfter = now.Scores.ToDictionary(s => s.UnitId, StringComparer.Ordinal);
        foreach (var unit in scoresBefore.Keys.Union(scoresAfter.Keys).Order(StringComparer.Ordinal))
        {
            var was = scoresBefore.GetValueOrDefault(unit);
            var @is = scoresAfter.GetValueOrDefault(unit);
            if ((was?.Deducted ?? 0) != (@is?.Deducted ?? 0))
                changes.Add($"{(@is ?? was)!.UnitName}扣分：{Points(was?.Deducted ?? 0)} → {Points(@is?.Deducted ?? 0)}");
        }
        return changes;
    }

    private static DateOnly? DateOf(DateTimeOffset? at) => at is { } instant ? ChinaTime.DateOf(instant) : null;

    private static string Day(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "无";

    private static string Name(StepFigure step)
    {
        var round = step.Key[(step.Key.LastIndexOf('|') + 1)..];
        var name = step.UnitName is null ? step.StepName : $"{step.StepName}（{step.UnitName}）";
        return round == "1" ? name : $"{name}第 {round} 次";
    }

    private static string LightName(string? light) => light is null ? "无灯" : LightNames.GetValueOrDefault(light, light);

    private static string StopName(string stop) => StopNames.GetValueOrDefault(stop, stop);

    private static string Points(decimal points) => points.ToString("0.##", CultureInfo.InvariantCulture) + " 分";
}
