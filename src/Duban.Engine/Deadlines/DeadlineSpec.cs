using System.Text.Json.Serialization;

namespace Duban.Engine.Deadlines;

/// <summary>
/// A time limit as an administrator writes it — on a step (<c>deadline</c> input), as a procedure default
/// (<c>options.deadlines.&lt;name&gt;</c>), or for the item itself (<c>options.deadlines.item</c>):
/// <code>
/// { "kind": "workingDays", "amount": 5 }                         5 working days
/// { "kind": "calendarDays", "amount": 30 }                       30 days
/// { "kind": "months", "amount": 3, "from": "item" }              3 months from registration
/// { "kind": "fixedDates", "dates": ["07-15","10-15","01-15"] }   the next of these dates
/// { "kind": "date", "date": "2026-12-31" }                       that date
/// { "kind": "field", "field": "dueDate", "fallback": { … } }     the date in an item field
/// { "kind": "itemDue" }                                          the item's own deadline (after extensions)
/// { "preset": "feedback" }                                       a default from options.deadlines
/// </code>
/// Counted from <c>from</c>: <c>step</c> (when the step's task is created; the default on steps), <c>assign</c> (when
/// the item was first assigned — the 交办 step began), <c>item</c>
/// (registration; the default for the item), or <c>field:&lt;key&gt;</c> (a date in the item's data).
/// <c>nextWorkingDay</c> moves a deadline that lands on a day off to the next working day (default: yes for
/// calendar days, months and fixed dates; no for a date someone typed).
/// </summary>
public sealed record DeadlineSpec
{
    public string? Kind { get; init; }
    public int? Amount { get; init; }
    public List<string>? Dates { get; init; }
    public string? Date { get; init; }
    public string? Field { get; init; }
    public string? From { get; init; }
    public bool? NextWorkingDay { get; init; }
    public string? Preset { get; init; }
    public DeadlineSpec? Fallback { get; init; }

    /// <summary>This spec over a preset: what this one sets wins.</summary>
    public DeadlineSpec Over(DeadlineSpec preset) => preset with
    {
        Kind = Kind ?? preset.Kind,
        Amount = Amount ?? preset.Amount,
        Dates = Dates ?? preset.Dates,
        Date = Date ?? preset.Date,
        Field = Field ?? preset.Field,
        From = From ?? preset.From,
        NextWorkingDay = NextWorkingDay ?? preset.NextWorkingDay,
        Fallback = Fallback ?? preset.Fallback,
        Preset = preset.Preset,
    };

    [JsonIgnore]
    public string Describe => Kind switch
    {
        DeadlineKinds.WorkingDays => $"{Amount} 个工作日",
        DeadlineKinds.CalendarDays => $"{Amount} 天",
        DeadlineKinds.Months => $"{Amount} 个月",
        DeadlineKinds.FixedDates => $"每年 {string.Join("、", Dates ?? [])} 前",
        DeadlineKinds.Date => Date ?? "",
        DeadlineKinds.Field => $"表单字段「{Field}」",
        DeadlineKinds.ItemDue => "事项完成时限",
        _ => Preset is not null ? $"默认时限「{Preset}」" : "",
    };
}

public static class DeadlineKinds
{
    public const string WorkingDays = "workingDays";
    public const string CalendarDays = "calendarDays";
    public const string Months = "months";
    public const string FixedDates = "fixedDates";
    public const string Date = "date";
    public const string Field = "field";
    /// <summary>The item's own deadline as it stands (extensions included); none when the item has none.</summary>
    public const string ItemDue = "itemDue";

    public static readonly IReadOnlyList<string> All = [WorkingDays, CalendarDays, Months, FixedDates, Date, Field, ItemDue];
}

public static class DeadlineStarts
{
    /// <summary>When the step's task is created (交办).</summary>
    public const string Step = "step";
    /// <summary>When the item was registered (立项).</summary>
    public const string Item = "item";
    /// <summary>When the item was first assigned (the 交办 step began); no deadline before that.</summary>
    public const string Assign = "assign";
    /// <summary>Prefix: a date in the item's data, e.g. <c>field:assignedOn</c>.</summary>
    public const string FieldPrefix = "field:";
}
