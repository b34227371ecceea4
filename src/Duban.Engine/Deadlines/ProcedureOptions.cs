using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;

namespace Duban.Engine.Deadlines;

/// <summary>
/// The supervision settings a procedure type carries in its definition's <c>options</c>:
/// <code>
/// "options": {
///   "deadlines": { "item": { … }, "feedback": { "kind": "workingDays", "amount": 5 }, "done": { … } },
///   "lights": { "yellowWorkingDays": 2, "yellowPercent": 20 },
///   "extensions": { "approval": ["office", "leader"], "allowLate": false },
///   "ladder": [ { rung }, … ]
/// }
/// </code>
/// <c>deadlines.item</c> is the item's own deadline (完成时限); the other names are defaults steps refer to.
/// </summary>
public static class ProcedureOptions
{
    public const string ItemDeadline = "item";

    public static JsonObject? Deadlines(JsonObject? options) => options?["deadlines"] as JsonObject;

    /// <summary>The item's own deadline spec, if the procedure has one.</summary>
    public static DeadlineSpec? ItemDeadlineSpec(JsonObject? options) =>
        Deadlines(options)?[ItemDeadline] is { } node ? DeadlineCalculator.Parse(node, "事项完成时限（options.deadlines.item）", Deadlines(options)) : null;

    public static LightRule Lights(JsonObject? options)
    {
        if (options?["lights"] is not JsonObject lights) return LightRule.Default;
        try
        {
            return lights.Deserialize<LightRule>(DefinitionJson.Options) ?? LightRule.Default;
        }
        catch (JsonException)
        {
            return LightRule.Default;
        }
    }

    public static ExtensionPolicy Extensions(JsonObject? options)
    {
        if (options?["extensions"] is not JsonObject extensions) return ExtensionPolicy.Default;
        try
        {
            return extensions.Deserialize<ExtensionPolicy>(DefinitionJson.Options) ?? ExtensionPolicy.Default;
        }
        catch (JsonException)
        {
            return ExtensionPolicy.Default;
        }
    }

    /// <summary>Problems in the options, each naming its key, for the checks before publishing.</summary>
    public static IReadOnlyList<string> Problems(JsonObject? options)
    {
        var problems = new List<string>();
        if (options is null) return problems;
        switch (options["deadlines"])
        {
            case null: break;
            case JsonObject deadlines:
                foreach (var (name, node) in deadlines)
                {
                    try
                    {
                        var spec = DeadlineCalculator.Parse(node, $"默认时限「{name}」", deadlines);
                        problems.AddRange(DeadlineCalculator.Problems(spec, deadlines).Select(p => $"默认时限「{name}」：{p}"));
                    }
                    catch (DeadlineException e)
                    {
                        problems.Add(e.Message);
                    }
                }
                break;
            default:
                problems.Add("options.deadlines 应为对象");
                break;
        }
        switch (options["lights"])
        {
            case null: break;
            case JsonObject lights:
                try
                {
                    problems.AddRange((lights.Deserialize<LightRule>(DefinitionJson.Options) ?? LightRule.Default).Problems());
                }
                catch (JsonException)
                {
                    problems.Add("options.lights 的格式无效（yellowWorkingDays、yellowPercent 应为整数）");
                }
                break;
            default:
                problems.Add("options.lights 应为对象");
                break;
        }
        switch (options["extensions"])
        {
            case null: break;
            case JsonObject extensions:
                try
                {
                    problems.AddRange((extensions.Deserialize<ExtensionPolicy>(DefinitionJson.Options) ?? ExtensionPolicy.Default).Problems());
                }
                catch (JsonException)
                {
                    problems.Add("options.extensions 的格式无效");
                }
                break;
            default:
                problems.Add("options.extensions 应为对象");
                break;
        }
        if (options["ladder"] is { } ladder)
            problems.AddRange(Chasing.Ladder.Problems(ladder, isRole: Chasing.Ladder.AnyRoleName).Select(p => $"催办阶梯：{p}"));
        return problems;
    }
}

/// <summary>
/// Who approves an extension request (延期申请), in order: any of <c>office</c> (督查员), <c>supervisor</c> (the asking
/// unit's 分管领导, 001 第十八条(二); any 领导 when no unit up its tree names one) and <c>leader</c> (领导);
/// <c>allowLate</c> lets a unit ask after the deadline for this procedure type (an organization-wide setting exists too);
/// <c>units</c> is whose open steps an approved extension moves: <c>lead</c> (the asking unit's only), <c>leadAndCo</c>
/// (the default: the asking unit's, and where it is the 主办 of a 交办, that step's 协办 too) or <c>all</c> (every handling
/// unit's open steps on the item); <c>restDay</c> is what a new date on a rest day (weekend or holiday in the
/// organization's calendar) gets: <c>warn</c> (the default: kept as typed, the approver is warned), <c>move</c> (to the
/// next working day) or <c>refuse</c> (the unit is told the next working day). Decision 023.
/// </summary>
public sealed record ExtensionPolicy(List<string>? Approval = null, bool AllowLate = false, string? Units = null, string? RestDay = null)
{
    public const string RestDayWarn = "warn";
    public const string RestDayMove = "move";
    public const string RestDayRefuse = "refuse";

    public const string Office = "office";
    public const string Leader = "leader";
    public const string Supervisor = "supervisor";
    public const string UnitsLead = "lead";
    public const string UnitsLeadAndCo = "leadAndCo";
    public const string UnitsAll = "all";

    public static readonly ExtensionPolicy Default = new([Office]);

    public IReadOnlyList<string> Stages => Approval is { Count: > 0 } stages ? stages : [Office];

    /// <summary>Whose steps move: <see cref="Units"/>, by default <see cref="UnitsLeadAndCo"/>.</summary>
    public string UnitScope => Units ?? UnitsLeadAndCo;

    /// <summary>What a new date on a rest day gets: <see cref="RestDay"/>, by default <see cref="RestDayWarn"/>.</summary>
    public string RestDayRule => RestDay ?? RestDayWarn;

    public IEnumerable<string> Problems()
    {
        foreach (var stage in Approval ?? [])
            if (stage is not (Office or Supervisor or Leader)) yield return $"延期审批环节「{stage}」无效，可选：office（督查部门）、supervisor（分管领导）、leader（领导）";
        if (Approval is { } list && list.Distinct().Count() != list.Count) yield return "延期审批环节有重复";
        if (Units is not (null or UnitsLead or UnitsLeadAndCo or UnitsAll))
            yield return $"延期适用范围「{Units}」无效，可选：lead（仅申请单位）、leadAndCo（主办单位及其协办单位）、all（事项的全部承办单位）";
        if (RestDay is not (null or RestDayWarn or RestDayMove or RestDayRefuse))
            yield return $"延期至休息日的处理「{RestDay}」无效，可选：warn（照填并提醒审批人）、move（顺延至下一工作日）、refuse（不予受理）";
    }
}
