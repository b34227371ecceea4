using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Forms;

namespace Duban.Data.ReadModel;

/// <summary>
/// An item's 来源 kept on its row (<see cref="Instances.InstanceRecord.Source"/>, issue 22): the value of its procedure version's
/// source field, set by the write door whenever the engine writes the item's state (<see cref="Runtime.ItemWriter"/>).
/// The ledger's 来源 filter and the dashboard's 来源 figures read the column (an index) instead of every item's JSON state,
/// which at 100,000 items took 4.5 s per value. It matches as the JSON filter did: a single value by its text, a list
/// (a multi-select source) when one of its elements is the value.
/// </summary>
public static class ItemSourceValue
{
    /// <summary>Longer values are not kept (the column is for filtering by a source's options and short texts).</summary>
    public const int MaxLength = 200;

    /// <summary>Around and between the elements of a list, so "one of them" is a LIKE on <c>␟value␟</c>.</summary>
    public const string Separator = "\u001f";

    /// <summary>The item's source value under <paramref name="definition"/>, from its form data; null when there is none.</summary>
    public static string? Of(WorkflowDefinition definition, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(data);
        return ItemSource.Field(definition) is { } field ? Of(data[field.Key]) : null;
    }

    /// <summary>A value as the column keeps it: a scalar's text, a list's elements between separators, null for none.</summary>
    public static string? Of(JsonNode? value)
    {
        var text = value switch
        {
            null => null,
            JsonArray list => list.Count == 0 ? null : Separator + string.Join(Separator, list.Select(Text)) + Separator,
            _ => Text(value),
        };
        return text is { Length: <= MaxLength } ? text : null;
    }

    /// <summary>Whether the column holds a list for items of a version whose source field is <paramref name="field"/>.</summary>
    public static bool HoldsLists(FormField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Type == FieldTypes.MultiSelect;
    }

    /// <summary>The LIKE pattern that finds <paramref name="value"/> among a list's elements (LIKE's own characters escaped by <c>\</c>).</summary>
    public static string InListPattern(string value) => PostgresSearch.Containing(Separator + value + Separator);

    private static string? Text(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValueKind() == JsonValueKind.True ? "true" : "false",
        JsonValue v when v.TryGetValue<decimal>(out var d) => d.ToString(CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };
}
