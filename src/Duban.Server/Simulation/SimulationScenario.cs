using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Server.Simulation;

/// <summary>How the units behave in a simulation (docs/decisions/045).</summary>
public static class Behaviours
{
    /// <summary>按时办结: submits on the day the step is due (the same day when it has no deadline).</summary>
    public const string OnTime = "onTime";
    /// <summary>逾期 N 个工作日: submits N working days after the deadline.</summary>
    public const string Late = "late";
    /// <summary>申请延期 N 个工作日: asks on the day the step opens; the office approves or not; submits on the date asked for.</summary>
    public const string Extension = "extension";
    /// <summary>被退回 N 次: submits on time, and the office sends the work back N times.</summary>
    public const string Returned = "returned";
    /// <summary>不予答复: never submits, never replies to a chase.</summary>
    public const string Never = "never";

    public static readonly string[] All = [OnTime, Late, Extension, Returned, Never];
}

/// <summary>What one unit (or every unit at one step, or one unit at one step) does.</summary>
/// <param name="UnitId">The unit; null: every unit.</param>
/// <param name="StepId">The step (activity id); null: every step.</param>
/// <param name="Kind">One of <see cref="Behaviours"/>.</param>
/// <param name="Days">Working days late, or of the extension asked for.</param>
/// <param name="Approved">The extension is approved (同意) or not.</param>
/// <param name="Times">How many times the work is sent back.</param>
public sealed record UnitBehaviour(string? UnitId, string? StepId, string Kind, int? Days = null, bool? Approved = null, int? Times = null);

/// <summary>
/// A simulation: the day the item is registered, the units its start form names, its completion date (for a date field
/// on the start form) and what each unit does. <paramref name="Version"/>: the version simulated; null: the latest (the
/// draft when there is one).
/// </summary>
public sealed record SimulationScenario(DateOnly? StartDate, IReadOnlyList<string>? Units, DateOnly? DueDate = null,
    IReadOnlyList<UnitBehaviour>? Behaviours = null, int? MaxDays = null, int? Version = null)
{
    public const int DefaultMaxDays = 120;
    public const int MostDays = 366;
    public const int MostBehaviours = 200;
    public const int MostDaysOfOneBehaviour = 120;
    public const int MostTimes = 5;

    [System.Text.Json.Serialization.JsonIgnore]
    public int Days => MaxDays ?? DefaultMaxDays;

    /// <summary>400 naming every wrong field, in Chinese.</summary>
    public void Check(Func<string, bool> unitExists)
    {
        var errors = new List<FieldError>();
        if (StartDate is null) errors.Add(new("startDate", "请选择模拟开始（登记）日期"));
        if (Units is null || Units.Count == 0) errors.Add(new("units", "请至少选择一个承办单位"));
        else
        {
            if (Units.Count > 50) errors.Add(new("units", "承办单位最多 50 个"));
            for (var i = 0; i < Units.Count; i++)
                if (string.IsNullOrWhiteSpace(Units[i]) || !unitExists(Units[i])) errors.Add(new($"units[{i}]", $"单位「{Units[i]}」不存在"));
            if (Units.Distinct().Count() != Units.Count) errors.Add(new("units", "承办单位不能重复"));
        }
        if (DueDate is { } due && StartDate is { } start && due < start) errors.Add(new("dueDate", "完成时限不能早于登记日期"));
        if (MaxDays is < 1 or > MostDays) errors.Add(new("maxDays", $"模拟天数应在 1 到 {MostDays} 之间"));
        var list = Behaviours ?? [];
        if (list.Count > MostBehaviours) errors.Add(new("behaviours", $"办理情形最多 {MostBehaviours} 条"));
        for (var i = 0; i < Math.Min(list.Count, MostBehaviours); i++)
        {
            var b = list[i];
            var at = $"behaviours[{i}]";
            if (b is null) { errors.Add(new(at, "办理情形不能为空")); continue; }
            if (!Simulation.Behaviours.All.Contains(b.Kind)) errors.Add(new($"{at}.kind", "办理情形应为：按时办结、逾期、申请延期、被退回、不予答复之一"));
            if (b.UnitId is { } unit && !unitExists(unit)) errors.Add(new($"{at}.unitId", $"单位「{unit}」不存在"));
            if (b.Kind is Simulation.Behaviours.Late or Simulation.Behaviours.Extension && b.Days is null or < 1 or > MostDaysOfOneBehaviour)
                errors.Add(new($"{at}.days", $"请填写 1 到 {MostDaysOfOneBehaviour} 个工作日"));
            if (b.Kind == Simulation.Behaviours.Returned && b.Times is null or < 1 or > MostTimes)
                errors.Add(new($"{at}.times", $"退回次数应在 1 到 {MostTimes} 之间"));
        }
        if (errors.Count > 0) throw new WorkflowInputException("模拟情形填写有误", errors);
    }

    /// <summary>What <paramref name="unitId"/> does at <paramref name="stepId"/>: the most specific behaviour given, else 按时办结.</summary>
    public UnitBehaviour For(string? unitId, string stepId)
    {
        var list = Behaviours ?? [];
        return list.FirstOrDefault(b => b.UnitId == unitId && b.StepId == stepId)
            ?? list.FirstOrDefault(b => b.UnitId == unitId && b.StepId is null && unitId is not null)
            ?? list.FirstOrDefault(b => b.UnitId is null && b.StepId == stepId)
            ?? list.FirstOrDefault(b => b.UnitId is null && b.StepId is null)
            ?? new UnitBehaviour(unitId, stepId, Simulation.Behaviours.OnTime);
    }
}
