using System.Text.Json.Serialization;
using Duban.Engine.Expressions;

namespace Duban.Engine.Forms;

/// <summary>A form, versioned with the workflow definition that carries it.</summary>
public sealed record FormDefinition
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Always written (an empty list for a form without fields); declared required so clients may rely on it.</summary>
    [System.ComponentModel.DataAnnotations.Required]
    public List<FormField> Fields { get; init; } = [];
    /// <summary>
    /// On a start form: which fields say what the item is — its title, its deadline (decision 029) and its source, the
    /// ledger's 来源 (decision 033). Absent parts fall back: the title to a field keyed <c>title</c>, then the form's
    /// first single-line text field; the source to a field keyed <c>source</c>, then the first choice field named 来源 or
    /// 依据 (<see cref="ItemSource"/>).
    /// </summary>
    public FormItemFields? ItemFields { get; init; }
}

/// <summary>
/// The fields of a start form that name the item (<see cref="Title"/>), give its 完成时限 (<see cref="Deadline"/>) and
/// say where it came from (<see cref="Source"/>, the ledger's 来源), by key.
/// </summary>
public sealed record FormItemFields(string? Title = null, string? Deadline = null, string? Source = null);

/// <summary>Field types a form designer offers.</summary>
public static class FieldTypes
{
    public const string Text = "text";
    public const string Textarea = "textarea";
    public const string Number = "number";
    public const string Date = "date";
    public const string DateRange = "dateRange";
    public const string Select = "select";
    public const string MultiSelect = "multiSelect";
    public const string Radio = "radio";
    public const string Checkbox = "checkbox";
    public const string Unit = "unit";
    public const string Person = "person";
    public const string Attachments = "attachments";
    public const string Table = "table";
    public const string Opinion = "opinion";
    public const string Computed = "computed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>
    {
        Text, Textarea, Number, Date, DateRange, Select, MultiSelect, Radio, Checkbox, Unit, Person,
        Attachments, Table, Opinion, Computed,
    };
}

public sealed record FormField
{
    /// <summary>Key of the value in the item's data (letters, digits, underscore).</summary>
    public required string Key { get; init; }
    public required string Label { get; init; }
    public required string Type { get; init; }
    public bool Required { get; init; }
    /// <summary>For unit and person pickers: several values allowed.</summary>
    public bool Multiple { get; init; }
    public List<FieldOption>? Options { get; init; }
    /// <summary>A regular expression a text value must match.</summary>
    public string? Pattern { get; init; }
    public string? PatternMessage { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    /// <summary>
    /// 显示条件 built by clicking (decision 028's condition: <c>{ match, rules }</c>): the field is shown (and validated)
    /// only when it holds, evaluated on the data the user sees while filling the form — by <see cref="ConditionEvaluator"/>
    /// here and by the same rules in the browser (decision 033). Wins over <see cref="VisibleWhen"/> when both are set.
    /// </summary>
    public Condition? VisibleIf { get; init; }
    /// <summary>显示条件 as JavaScript (「高级」); the field is shown (and validated) only when it is true.</summary>
    public string? VisibleWhen { get; init; }
    /// <summary>JavaScript expression for a read-only computed field.</summary>
    public string? Compute { get; init; }
    /// <summary>Columns of a sub-table (type table).</summary>
    public List<FormField>? Columns { get; init; }
    public string? Placeholder { get; init; }
    public string? Help { get; init; }
    /// <summary>A date field: today (China) when a form with it is submitted and it is still empty.</summary>
    public bool DefaultToday { get; init; }
    /// <summary>A date field: the id of the step that writes the date it reaches (a 交办日期 stamped by the 交办 step).</summary>
    public string? StampedBy { get; init; }
    /// <summary>When <see cref="StampedBy"/> writes: <c>start</c> (the step begins, the default) or <c>done</c> (it is finished).</summary>
    public string? StampWhen { get; init; }
}

/// <summary>When a step stamps a date field (<see cref="FormField.StampWhen"/>).</summary>
public static class StampTimes
{
    public const string Start = "start";
    public const string Done = "done";
}

public sealed record FieldOption(string Value, string Label);

/// <summary>What a step may do with a field.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FieldPermission>))]
public enum FieldPermission
{
    Editable,
    ReadOnly,
    Hidden,
    AppendOnly,
}

/// <summary>A field-level validation error. <see cref="Field"/> is the key path (e.g. <c>rows[1].unit</c>).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>A field's 显示条件: built (<see cref="FormField.VisibleIf"/>) or a script (<see cref="FormField.VisibleWhen"/>).</summary>
public static class FieldVisibility
{
    /// <summary>Whether the field is shown only under a condition.</summary>
    public static bool IsConditional(FormField field) =>
        field.VisibleIf is not null || !string.IsNullOrWhiteSpace(field.VisibleWhen);

    /// <summary>
    /// Whether the field is shown on <paramref name="data"/>: a built condition is evaluated here; a script by
    /// <paramref name="script"/> (null: scripts are not run and the field counts as shown).
    /// </summary>
    public static bool IsVisible(FormField field, System.Text.Json.Nodes.JsonObject data, Func<FormField, System.Text.Json.Nodes.JsonObject, bool>? script)
    {
        if (field.VisibleIf is { } condition) return ConditionEvaluator.Evaluate(condition, data);
        if (!string.IsNullOrWhiteSpace(field.VisibleWhen) && script is not null) return script(field, data);
        return true;
    }
}
