using System.Globalization;
using System.Text.Json.Nodes;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;

namespace Duban.Engine.Forms;

/// <summary>
/// Dates the item's data gets without anyone typing them: a date field that defaults to today
/// (<see cref="FormField.DefaultToday"/>) and one a step stamps when it starts or is finished
/// (<see cref="FormField.StampedBy"/>, e.g. 交办日期 by the 交办 step). A deadline may count from such a field.
/// </summary>
public static class DateStamps
{
    public static string Today(DateTimeOffset now) => ChinaTime.DateOf(now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>
    /// The submission with today in each default-today date field the step may write that is empty in both the
    /// submission and the item (so a required one left empty passes), or the submission itself when there is none.
    /// </summary>
    public static JsonObject? WithDefaults(FormDefinition form, JsonObject? submission, JsonObject current,
        IReadOnlyDictionary<string, FieldPermission> permissions, DateTimeOffset now)
    {
        JsonObject? result = submission;
        foreach (var field in form.Fields)
        {
            if (!field.DefaultToday || field.Type != FieldTypes.Date) continue;
            if (permissions.TryGetValue(field.Key, out var permission) && permission != FieldPermission.Editable) continue;
            if (!IsEmpty(submission?[field.Key]) || !IsEmpty(current[field.Key])) continue;
            result ??= [];
            if (ReferenceEquals(result, submission)) result = (JsonObject)submission!.DeepClone();
            result[field.Key] = Today(now);
        }
        return result;
    }

    /// <summary>Fills the form's empty default-today date fields in <paramref name="data"/>.</summary>
    public static void FillDefaults(FormDefinition form, JsonObject data, DateTimeOffset now)
    {
        foreach (var field in form.Fields)
            if (field.DefaultToday && field.Type == FieldTypes.Date && IsEmpty(data[field.Key]))
                data[field.Key] = Today(now);
    }

    /// <summary>
    /// Writes today into every date field stamped by <paramref name="activityId"/> at <paramref name="when"/>. A stamp
    /// is written once: a later round of the step (a loop, a redo) keeps the first date, the way a 交办日期 stays the
    /// day the item was first assigned.
    /// </summary>
    public static void Stamp(WorkflowDefinition definition, JsonObject data, string activityId, string when, DateTimeOffset now)
    {
        foreach (var form in definition.Forms ?? [])
            foreach (var field in form.Fields)
                if (field.StampedBy == activityId && (field.StampWhen ?? StampTimes.Start) == when
                    && field.Type == FieldTypes.Date && IsEmpty(data[field.Key]))
                    data[field.Key] = Today(now);
    }

    private static bool IsEmpty(JsonNode? node) =>
        node is null || (node is JsonValue value && value.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text));
}
