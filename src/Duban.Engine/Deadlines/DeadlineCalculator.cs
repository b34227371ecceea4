using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;

namespace Duban.Engine.Deadlines;

/// <summary>A deadline that cannot be worked out: the message says why, in Chinese.</summary>
public sealed class DeadlineException(string message) : Exception(message);

/// <summary>What a deadline is counted against.</summary>
/// <param name="StepStart">When the step's task is created (or, for the item, when it was registered).</param>
/// <param name="ItemStart">When the item was registered.</param>
/// <param name="Data">The item's form data, for <c>field</c> deadlines and <c>field:</c> starts.</param>
/// <param name="Input">What a parent handed a child item (a breakdown row); read like the data.</param>
/// <param name="Presets"><c>options.deadlines</c> of the procedure.</param>
public sealed record DeadlineContext(
    DateTimeOffset StepStart,
    DateTimeOffset ItemStart,
    WorkCalendar Calendar,
    JsonObject? Data = null,
    JsonNode? Input = null,
    JsonObject? Presets = null,
    DateTimeOffset? ItemDueAt = null)
{
    /// <summary>When the item was first assigned (交办), for <c>from: assign</c>; null before.</summary>
    public DateTimeOffset? AssignStart { get; init; }

    /// <summary>
    /// The date a fixed-date series last gave at this place (a step in a loop): the next one comes after it, so a
    /// quarterly report sent before 01-15 is next asked for 04-15, not again for 01-15.
    /// </summary>
    public DateOnly? SeriesAfter { get; init; }
}

/// <summary>A worked-out deadline: the date (China) and the instant it falls due (the end of that day).</summary>
public sealed record Deadline(DateOnly Date, DateTimeOffset DueAt)
{
    /// <summary>For a fixed-date series: the date of the series itself, before a move to the next working day.</summary>
    public DateOnly? SeriesDate { get; init; }

    public static Deadline On(DateOnly date) => new(date, ChinaTime.EndOf(date));
}

/// <summary>Works out deadlines from <see cref="DeadlineSpec"/>s. Pure: the calendar and the clock come in.</summary>
public static class DeadlineCalculator
{
    private const int MaxPresetDepth = 5;
    public const int MaxAmount = 3650;

    /// <summary>
    /// The deadline <paramref name="spec"/> gives, or null when it reads a date field that is empty (and has no
    /// fallback). <paramref name="defaultFrom"/> is the start when the spec does not say (<c>step</c> for steps,
    /// <c>item</c> for the item). Throws <see cref="DeadlineException"/> when the spec is unusable.
    /// </summary>
    public static Deadline? Compute(DeadlineSpec spec, DeadlineContext context, string defaultFrom = DeadlineStarts.Step)
    {
        spec = Resolve(spec, context.Presets);
        var kind = spec.Kind ?? throw new DeadlineException("时限未设置类型（kind）");
        var calendar = context.Calendar;
        DateOnly date;
        bool moveDefault;
        switch (kind)
        {
            case DeadlineKinds.WorkingDays:
                return Deadline.On(calendar.AddWorkingDays(StartDate(spec, context, defaultFrom), Amount(spec)));
            case DeadlineKinds.CalendarDays:
                date = StartDate(spec, context, defaultFrom).AddDays(Amount(spec));
                moveDefault = true;
                break;
            case DeadlineKinds.Months:
                date = StartDate(spec, context, defaultFrom).AddMonths(Amount(spec));
                moveDefault = true;
                break;
            case DeadlineKinds.FixedDates:
                var seriesFrom = StartDate(spec, context, defaultFrom);
                if (context.SeriesAfter is { } previous && previous >= seriesFrom) seriesFrom = previous.AddDays(1);
                var seriesDate = NextFixedDate(seriesFrom, spec.Dates);
                var moved = spec.NextWorkingDay ?? true ? calendar.NextWorkingDay(seriesDate) : seriesDate;
                return Deadline.On(moved) with { SeriesDate = seriesDate };
            case DeadlineKinds.Date:
                date = CalendarYear.TryDate(spec.Date, out var fixedDate) ? fixedDate : throw new DeadlineException($"时限日期「{spec.Date}」应为 yyyy-MM-dd 格式");
                moveDefault = false;
                break;
            case DeadlineKinds.ItemDue:
                return context.ItemDueAt is { } itemDue ? new Deadline(ChinaTime.DateOf(itemDue), itemDue) : null;
            case DeadlineKinds.Field:
                if (string.IsNullOrWhiteSpace(spec.Field)) throw new DeadlineException("按表单字段计算的时限未指定字段（field）");
                if (ReadDate(context, spec.Field) is not { } fieldDate)
                    return spec.Fallback is { } fallback ? Compute(fallback, context, defaultFrom) : null;
                date = fieldDate;
                moveDefault = false;
                break;
            default:
                throw new DeadlineException($"时限类型「{kind}」无效，可选：{string.Join("、", DeadlineKinds.All)}");
        }
        if (spec.NextWorkingDay ?? moveDefault) date = calendar.NextWorkingDay(date);
        return Deadline.On(date);
    }

    /// <summary>Follows <c>preset</c> references into <c>options.deadlines</c>.</summary>
    public static DeadlineSpec Resolve(DeadlineSpec spec, JsonObject? presets)
    {
        for (var depth = 0; spec.Preset is { } name; depth++)
        {
            if (depth >= MaxPresetDepth) throw new DeadlineException($"默认时限「{name}」引用层级过深或循环引用");
            var preset = presets?[name] ?? throw new DeadlineException($"流程选项中没有名为「{name}」的默认时限（options.deadlines）");
            spec = spec.Over(Parse(preset, $"默认时限「{name}」"));
        }
        return spec;
    }

    /// <summary>
    /// Reads a deadline from JSON: an object is a spec; a string is a preset name when one exists by that name,
    /// otherwise a date (yyyy-MM-dd); a number is that many working days.
    /// </summary>
    public static DeadlineSpec Parse(JsonNode? node, string what = "时限", JsonObject? presets = null)
    {
        switch (node)
        {
            case JsonObject obj:
                try
                {
                    return obj.Deserialize<DeadlineSpec>(DefinitionJson.Options) ?? throw new DeadlineException($"{what}为空");
                }
                catch (JsonException)
                {
                    throw new DeadlineException($"{what}的格式无效");
                }
            case JsonValue value when value.TryGetValue<string>(out var text):
                if (presets?.ContainsKey(text) == true) return new DeadlineSpec { Preset = text };
                if (text == DeadlineKinds.ItemDue) return new DeadlineSpec { Kind = DeadlineKinds.ItemDue };
                if (TryReadDate(text, out _)) return new DeadlineSpec { Kind = DeadlineKinds.Date, Date = DateText(text) };
                throw new DeadlineException($"{what}「{text}」既不是默认时限名称也不是日期（yyyy-MM-dd）");
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                var days = double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture);
                if (days != Math.Floor(days)) throw new DeadlineException($"{what}的工作日数应为整数");
                return new DeadlineSpec { Kind = DeadlineKinds.WorkingDays, Amount = (int)Math.Clamp(days, -1, MaxAmount + 1) };
            default:
                throw new DeadlineException($"{what}的格式无效");
        }
    }

    /// <summary>What is wrong with a spec an administrator wrote, for checks before publishing. Empty when fine.</summary>
    public static IReadOnlyList<string> Problems(DeadlineSpec spec, JsonObject? presets)
    {
        var problems = new List<string>();
        try
        {
            var resolved = Resolve(spec, presets);
            Check(resolved, problems);
        }
        catch (DeadlineException e)
        {
            problems.Add(e.Message);
        }
        return problems;
    }

    private static void Check(DeadlineSpec spec, List<string> problems, int depth = 0)
    {
        switch (spec.Kind)
        {
            case null:
                problems.Add("时限未设置类型（kind）");
                break;
            case DeadlineKinds.WorkingDays or DeadlineKinds.CalendarDays or DeadlineKinds.Months:
                if (spec.Amount is not { } amount || amount < 0 || amount > MaxAmount)
                    problems.Add($"时限「{spec.Kind}」需要 0 到 {MaxAmount} 之间的数量（amount）");
                break;
            case DeadlineKinds.FixedDates:
                if (spec.Dates is not { Count: > 0 }) problems.Add("固定日期时限需要至少一个日期（dates，如 07-15）");
                foreach (var text in spec.Dates ?? [])
                    if (!TryMonthDay(text, out _, out _)) problems.Add($"固定日期「{text}」应为 MM-dd 格式");
                break;
            case DeadlineKinds.Date:
                if (!CalendarYear.TryDate(spec.Date, out _)) problems.Add($"时限日期「{spec.Date}」应为 yyyy-MM-dd 格式");
                break;
            case DeadlineKinds.ItemDue:
                break;
            case DeadlineKinds.Field:
                if (string.IsNullOrWhiteSpace(spec.Field)) problems.Add("按表单字段计算的时限未指定字段（field）");
                if (spec.Fallback is { } fallback && depth < MaxPresetDepth) Check(fallback, problems, depth + 1);
                break;
            default:
                problems.Add($"时限类型「{spec.Kind}」无效，可选：{string.Join("、", DeadlineKinds.All)}");
                break;
        }
        if (spec.From is { } from && from is not (DeadlineStarts.Step or DeadlineStarts.Item or DeadlineStarts.Assign)
            && !(from.StartsWith(DeadlineStarts.FieldPrefix, StringComparison.Ordinal) && from.Length > DeadlineStarts.FieldPrefix.Length))
            problems.Add($"时限起算点「{from}」无效，可选：step（本环节开始时）、assign（交办时）、item（立项时）或 field:字段名");
    }

    private static int Amount(DeadlineSpec spec) =>
        spec.Amount is { } amount && amount >= 0 && amount <= MaxAmount
            ? amount
            : throw new DeadlineException($"时限「{spec.Kind}」需要 0 到 {MaxAmount} 之间的数量（amount）");

    private static DateOnly StartDate(DeadlineSpec spec, DeadlineContext context, string defaultFrom)
    {
        var from = spec.From ?? defaultFrom;
        if (from == DeadlineStarts.Step) return ChinaTime.DateOf(context.StepStart);
        if (from == DeadlineStarts.Item) return ChinaTime.DateOf(context.ItemStart);
        if (from == DeadlineStarts.Assign)
            return context.AssignStart is { } assigned ? ChinaTime.DateOf(assigned) : throw new DeadlineException("时限自交办起算，但事项尚未交办");
        if (from.StartsWith(DeadlineStarts.FieldPrefix, StringComparison.Ordinal))
        {
            var field = from[DeadlineStarts.FieldPrefix.Length..];
            return ReadDate(context, field) ?? throw new DeadlineException($"时限从字段「{field}」起算，但该字段没有日期");
        }
        throw new DeadlineException($"时限起算点「{from}」无效，可选：step（本环节开始时）、assign（交办时）、item（立项时）或 field:字段名");
    }

    /// <summary>The first of the month-days on or after <paramref name="start"/>: quarterly reports due 07-15, 10-15, 01-15.</summary>
    public static DateOnly NextFixedDate(DateOnly start, IReadOnlyList<string>? dates)
    {
        if (dates is not { Count: > 0 }) throw new DeadlineException("固定日期时限需要至少一个日期（dates，如 07-15）");
        DateOnly? best = null;
        foreach (var text in dates)
        {
            if (!TryMonthDay(text, out var month, out var day)) throw new DeadlineException($"固定日期「{text}」应为 MM-dd 格式");
            for (var year = start.Year; year <= start.Year + 4; year++)
            {
                if (day > DateTime.DaysInMonth(year, month)) continue; // 02-29 outside leap years
                var candidate = new DateOnly(year, month, day);
                if (candidate < start) continue;
                if (best is null || candidate < best) best = candidate;
                break;
            }
        }
        return best ?? throw new DeadlineException("固定日期时限找不到下一个日期");
    }

    private static bool TryMonthDay(string? text, out int month, out int day)
    {
        month = day = 0;
        if (text is not { Length: 5 } || text[2] != '-') return false;
        if (!int.TryParse(text[..2], NumberStyles.None, CultureInfo.InvariantCulture, out month)) return false;
        if (!int.TryParse(text[3..], NumberStyles.None, CultureInfo.InvariantCulture, out day)) return false;
        return month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, month);
    }

    /// <summary>A date from the item's data (or the child's input): yyyy-MM-dd, or an ISO instant read in China time.</summary>
    public static DateOnly? ReadDate(DeadlineContext context, string field)
    {
        var node = context.Data?[field] ?? (context.Input as JsonObject)?[field];
        return node is JsonValue value && value.TryGetValue<string>(out var text) && TryReadDate(text, out var date) ? date : null;
    }

    public static bool TryReadDate(string? text, out DateOnly date)
    {
        if (CalendarYear.TryDate(text, out date)) return true;
        if (text is not { Length: > 10 } || text[10] != 'T') return false;
        var hasOffset = text.EndsWith('Z') || text.IndexOf('+', 10) > 0 || text.IndexOf('-', 10) > 0;
        // A time without an offset is a China time: its date is the date written.
        if (!hasOffset) return CalendarYear.TryDate(text[..10], out date);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)) return false;
        date = ChinaTime.DateOf(instant);
        return true;
    }

    private static string DateText(string text) => TryReadDate(text, out var date) ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : text;
}
