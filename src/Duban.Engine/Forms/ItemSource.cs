using Duban.Engine.Activities;
using Duban.Engine.Definitions;

namespace Duban.Engine.Forms;

/// <summary>
/// Where an item came from (立项依据 / 来源: a meeting, a leader's instruction, a document …), as the ledger's 来源 column
/// shows and filters it (docs/decisions/033). It is the start form's field marked in the form designer's 事项信息 bar;
/// unmarked, the field keyed <c>source</c> (the shipped templates and the demo), else the start form's first choice field
/// whose name says 来源 or 依据; else the procedure has no source.
/// </summary>
public static class ItemSource
{
    /// <summary>Field types a source may be: a choice (filterable by its options) or short text.</summary>
    public static readonly IReadOnlySet<string> Types = new HashSet<string>
    {
        FieldTypes.Select, FieldTypes.Radio, FieldTypes.MultiSelect, FieldTypes.Text, FieldTypes.Textarea,
    };

    /// <summary>The start form's source field, marked or by default; null when it has none.</summary>
    public static FormField? Field(WorkflowDefinition definition)
    {
        var start = definition.Root?.Activities?.FirstOrDefault(a => a?.Type == ActivityTypes.Start);
        return Field(definition.FindForm(start?.LiteralString("form")));
    }

    /// <summary>The source field of a start form, marked or by default.</summary>
    public static FormField? Field(FormDefinition? form)
    {
        if (form is null) return null;
        if (form.ItemFields?.Source is { } marked && form.Fields.FirstOrDefault(f => f.Key == marked && Types.Contains(f.Type)) is { } field)
            return field;
        return form.Fields.FirstOrDefault(f => f.Key == "source" && Types.Contains(f.Type))
            ?? form.Fields.FirstOrDefault(f => f.Type is FieldTypes.Select or FieldTypes.Radio
                && (f.Label.Contains("来源", StringComparison.Ordinal) || f.Label.Contains("依据", StringComparison.Ordinal)));
    }
}
