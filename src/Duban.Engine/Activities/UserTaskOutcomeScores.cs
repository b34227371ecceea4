using System.Text.Json.Nodes;
using Duban.Engine.Definitions;

namespace Duban.Engine.Activities;

/// <summary>
/// A human step's outcome that counts in a unit's 考核 (e.g. the office's 审核 step: 退回 costs the unit 报送质量差): the
/// designer names one of the organization's score events per outcome (<c>outcomeScores</c>: outcome → event key). When
/// such an outcome is chosen, the <c>TaskCompleted</c> journal line names the event and the judged unit — the unit whose
/// submission the step was judging — and scoring reads it from there, dated when the outcome was chosen
/// (docs/decisions/027).
/// </summary>
public static class UserTaskOutcomeScores
{
    /// <summary>The node's input: outcome → score event key.</summary>
    public const string Input = "outcomeScores";

    /// <summary>The event key on the journal line's data.</summary>
    public const string EventFlag = "scoreEvent";

    /// <summary>The judged unit's id on the journal line's data (and its name beside it, <c>judgedUnitName</c>).</summary>
    public const string JudgedUnit = "judgedUnit";

    public static IReadOnlyDictionary<string, string> Declared(ActivityNode node) =>
        node.Literal<Dictionary<string, string>>(Input) is { } map
            ? map.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value.Trim())
            : new Dictionary<string, string>();

    /// <summary>The event the outcome counts as, or null.</summary>
    public static string? EventOf(ActivityNode node, string outcome) => Declared(node).GetValueOrDefault(outcome);

    /// <summary>
    /// The unit whose work the step judges: the unit of the latest form submission of another human step (a 交办 step's
    /// 主办, a unit's 办理/反馈). The start form is the office's registration, not a unit's work; a step with nothing
    /// submitted before it judges nobody.
    /// </summary>
    public static string? JudgedUnitOf(ActivityContext context) =>
        context.State.Submissions
            .Where(s => s.ActivityId != context.Node.Id && s.UnitId is not null
                        && context.Definition.Root.Find(s.ActivityId)?.Type is not ActivityTypes.Start)
            .OrderBy(s => s.At)
            .LastOrDefault()?.UnitId;

    /// <summary>Adds the event and the judged unit to a completion's journal data; nothing when no unit was judged.</summary>
    internal static JsonObject? Mark(ActivityContext context, string outcome, JsonObject? data)
    {
        if (EventOf(context.Node, outcome) is not { } scoreEvent || JudgedUnitOf(context) is not { } unit) return data;
        data ??= new JsonObject();
        data[EventFlag] = scoreEvent;
        data[JudgedUnit] = unit;
        data["judgedUnitName"] = context.Organization.FindUnit(unit)?.Name ?? unit;
        return data;
    }

    /// <summary>Where a stored journal line's data names a score event, the event and the judged unit.</summary>
    public static (string Event, string Unit)? Read(string? journalData) =>
        journalData is null || !journalData.Contains(EventFlag, StringComparison.Ordinal) ? null : Read(JsonNode.Parse(journalData) as JsonObject);

    /// <summary>The same, from a line's data already parsed.</summary>
    public static (string Event, string Unit)? Read(JsonObject? data) =>
        data?[EventFlag] is JsonValue e && e.TryGetValue<string>(out var scoreEvent)
        && data[JudgedUnit] is JsonValue u && u.TryGetValue<string>(out var unit)
            ? (scoreEvent, unit)
            : null;

    public static IEnumerable<string> Problems(ActivityNode node, IReadOnlyList<string> outcomes)
    {
        var map = node.Literal<Dictionary<string, string>>(Input);
        if (map is null) yield break;
        foreach (var (outcome, scoreEvent) in map)
        {
            if (!outcomes.Contains(outcome)) yield return $"计入考核的结果「{outcome}」不在本环节的办理结果中";
            else if (scoreEvent is { Length: > 100 }) yield return $"结果「{outcome}」计入的考核事件标识过长";
        }
    }
}
