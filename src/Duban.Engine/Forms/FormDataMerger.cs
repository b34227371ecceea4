using System.Globalization;
using System.Text.Json.Nodes;

namespace Duban.Engine.Forms;

/// <summary>Who gave an opinion, at which step and when.</summary>
public sealed record OpinionStamp(string UserId, string UserName, string? UnitName, string Step, DateTimeOffset At);

/// <summary>Merges validated values into an item's data.</summary>
public static class FormDataMerger
{
    /// <summary>
    /// Returns new data: the current data with the validated values of the form's fields written over it. An opinion
    /// field's value (the new text) is appended to the field's history as
    /// <c>{ text, userId, userName, unitName, step, at }</c>; existing entries are never changed or removed, whatever
    /// the validated values hold for that key. Computed fields and keys the form does not define are ignored.
    /// The inputs are not modified.
    /// </summary>
    public static JsonObject Merge(FormDefinition form, JsonObject currentData, JsonObject validatedValues, OpinionStamp stamp)
    {
        var result = (JsonObject)currentData.DeepClone();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in form.Fields)
        {
            if (!done.Add(field.Key) || !validatedValues.TryGetPropertyValue(field.Key, out var value))
                continue;

            switch (field.Type)
            {
                case FieldTypes.Computed:
                    break;
                case FieldTypes.Opinion:
                    if (FormValidator.AsString(value) is { } text && !string.IsNullOrWhiteSpace(text))
                        History(result, field.Key).Add(Entry(text.Trim(), stamp));
                    break;
                default:
                    result[field.Key] = value?.DeepClone();
                    break;
            }
        }
        return result;
    }

    /// <summary>The opinion history under <paramref name="key"/>; a value that is not a list is kept as its first entry.</summary>
    private static JsonArray History(JsonObject data, string key)
    {
        var existing = data[key];
        if (existing is JsonArray history)
            return history;

        history = existing is null ? [] : new JsonArray(existing.DeepClone());
        data[key] = history;
        return history;
    }

    private static JsonObject Entry(string text, OpinionStamp stamp) => new()
    {
        ["text"] = text,
        ["userId"] = stamp.UserId,
        ["userName"] = stamp.UserName,
        ["unitName"] = stamp.UnitName,
        ["step"] = stamp.Step,
        ["at"] = stamp.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
    };
}
