using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Duban.Engine.Forms;

/// <summary>The outcome of validating a submission.</summary>
/// <param name="Errors">Every problem found, not just the first.</param>
/// <param name="Values">
/// The cleaned submitted values of editable and append-only fields: unchanged read-only values, values of fields hidden
/// by their condition and unknown keys are left out; an empty value (null, blank text, empty list) becomes null; an
/// opinion is the new text, trimmed.
/// </param>
public sealed record FormValidationResult(IReadOnlyList<FieldError> Errors, JsonObject Values)
{
    public bool IsValid => Errors.Count == 0;
}

/// <summary>Validates what a step submits against the form and the step's field permissions.</summary>
public static class FormValidator
{
    public const int OpinionMaxLength = 2000;
    /// <summary>A single-line text field without a limit of its own takes at most this many characters (decision 029).</summary>
    public const int TextMaxLength = 200;
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    public static FormValidationResult Validate(FormDefinition form, JsonObject? submitted, FormContext context)
    {
        submitted ??= new JsonObject();
        var errors = new List<FieldError>();
        var values = new JsonObject();

        var known = form.Fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, _) in submitted)
        {
            if (!known.Contains(key))
                errors.Add(new(key, $"未知字段「{key}」"));
        }

        var visibilityData = form.Fields.Any(FieldVisibility.IsConditional) ? VisibilityData(form, submitted, context) : null;
        var done = new HashSet<string>(StringComparer.Ordinal);

        foreach (var field in form.Fields)
        {
            if (!done.Add(field.Key))
                continue; // a duplicate key is a definition error (FormDefinitionChecker); the first field wins

            var submittedKey = submitted.TryGetPropertyValue(field.Key, out var value);
            var current = context.CurrentData[field.Key];
            var permission = context.PermissionOf(field.Key);

            if (field.Type == FieldTypes.Computed)
            {
                if (submittedKey && !JsonNode.DeepEquals(value, current))
                    errors.Add(new(field.Key, $"「{field.Label}」为计算字段，不可填写"));
                continue;
            }

            if (permission is FieldPermission.ReadOnly or FieldPermission.Hidden)
            {
                if (submittedKey && !JsonNode.DeepEquals(value, current))
                    errors.Add(new(field.Key, $"「{field.Label}」在此步骤不可修改"));
                continue;
            }

            if (visibilityData is not null && FieldVisibility.IsConditional(field)
                && !FieldVisibility.IsVisible(field, visibilityData, context.IsVisible))
                continue;

            if (field.Type == FieldTypes.Opinion)
            {
                ValidateOpinion(field, submittedKey ? value : null, current, errors, values);
                continue;
            }

            if (!submittedKey)
            {
                if (field.Required && IsEmpty(current))
                    errors.Add(Required(field, field.Key));
                continue;
            }

            if (IsEmpty(value))
            {
                if (field.Required)
                    errors.Add(Required(field, field.Key));
                else if (permission == FieldPermission.AppendOnly && !IsEmpty(current))
                    errors.Add(AppendOnlyViolated(field));
                else
                    values[field.Key] = null;
                continue;
            }

            var before = errors.Count;
            ValidateValue(field, value!, field.Key, context.References, errors);
            if (errors.Count > before)
                continue;

            if (permission == FieldPermission.AppendOnly && !KeepsExisting(current, value!))
            {
                errors.Add(AppendOnlyViolated(field));
                continue;
            }

            values[field.Key] = value!.DeepClone();
        }

        return new FormValidationResult(errors, values);
    }

    /// <summary>The current data overlaid with the writable submitted values: what the user sees when filling the form.</summary>
    private static JsonObject VisibilityData(FormDefinition form, JsonObject submitted, FormContext context)
    {
        var data = (JsonObject)context.CurrentData.DeepClone();
        foreach (var field in form.Fields)
        {
            if (field.Type is FieldTypes.Computed or FieldTypes.Opinion
                || context.PermissionOf(field.Key) is FieldPermission.ReadOnly or FieldPermission.Hidden
                || !submitted.TryGetPropertyValue(field.Key, out var value))
                continue;
            data[field.Key] = value?.DeepClone();
        }
        return data;
    }

    private static void ValidateOpinion(
        FormField field, JsonNode? value, JsonNode? current, List<FieldError> errors, JsonObject values)
    {
        string? text = null;
        switch (value)
        {
            case null:
                break;
            case JsonArray when JsonNode.DeepEquals(value, current):
                break; // the history sent back unchanged
            case JsonArray:
                errors.Add(new(field.Key, $"「{field.Label}」的历史意见不可修改"));
                return;
            default:
                if (AsString(value) is not { } s)
                {
                    errors.Add(new(field.Key, $"「{field.Label}」应为文本"));
                    return;
                }
                text = string.IsNullOrWhiteSpace(s) ? null : s.Trim();
                break;
        }

        if (text is null)
        {
            if (field.Required)
                errors.Add(Required(field, field.Key));
            return;
        }

        var before = errors.Count;
        CheckLength(field, text, field.Key, errors, Math.Min(field.MaxLength ?? OpinionMaxLength, OpinionMaxLength));
        if (errors.Count == before)
            values[field.Key] = text;
    }

    /// <summary>Checks a non-empty value against the field's type and constraints.</summary>
    private static void ValidateValue(
        FormField field, JsonNode value, string path, IFormReferences? references, List<FieldError> errors)
    {
        var label = field.Label;
        switch (field.Type)
        {
            case FieldTypes.Text or FieldTypes.Textarea or FieldTypes.Opinion:
                if (AsString(value) is not { } text)
                {
                    errors.Add(new(path, $"「{label}」应为文本"));
                    break;
                }
                CheckLength(field, text, path, errors,
                    field.Type switch
                    {
                        FieldTypes.Opinion => Math.Min(field.MaxLength ?? OpinionMaxLength, OpinionMaxLength),
                        FieldTypes.Text => field.MaxLength ?? TextMaxLength,
                        _ => field.MaxLength,
                    });
                if (!string.IsNullOrEmpty(field.Pattern))
                    CheckPattern(field, text, path, errors);
                break;

            case FieldTypes.Number:
                ValidateNumber(field, value, path, errors);
                break;

            case FieldTypes.Date:
                if (AsString(value) is not { } date || !IsDate(date))
                    errors.Add(new(path, $"「{label}」应为日期（yyyy-MM-dd）"));
                break;

            case FieldTypes.DateRange:
                ValidateDateRange(field, value, path, errors);
                break;

            case FieldTypes.Select or FieldTypes.Radio:
                if (AsString(value) is not { } choice)
                    errors.Add(new(path, $"「{label}」应为单个选项"));
                else
                    CheckOption(field, choice, path, errors);
                break;

            case FieldTypes.MultiSelect:
                ValidateChoices(field, value, path, errors);
                break;

            case FieldTypes.Checkbox when field.Options is { Count: > 0 }:
                ValidateChoices(field, value, path, errors);
                break;

            case FieldTypes.Checkbox:
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    errors.Add(new(path, $"「{label}」应为是或否"));
                break;

            case FieldTypes.Unit:
                ValidateReferences(field, value, path, errors, "单位", references is null ? null : references.UnitExists);
                break;

            case FieldTypes.Person:
                ValidateReferences(field, value, path, errors, "人员", references is null ? null : references.UserExists);
                break;

            case FieldTypes.Attachments:
                ValidateAttachments(field, value, path, errors);
                break;

            case FieldTypes.Table:
                ValidateTable(field, value, path, references, errors);
                break;

            case FieldTypes.Computed:
                errors.Add(new(path, $"「{label}」为计算字段，不可填写"));
                break;

            default:
                errors.Add(new(path, $"「{label}」的字段类型「{field.Type}」不受支持"));
                break;
        }
    }

    private static void ValidateNumber(FormField field, JsonNode value, string path, List<FieldError> errors)
    {
        if (value.GetValueKind() != JsonValueKind.Number)
        {
            errors.Add(new(path, $"「{field.Label}」应为数字"));
            return;
        }
        if (!decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(new(path, $"「{field.Label}」超出数值范围"));
            return;
        }
        if (field.Min is { } min && number < min)
            errors.Add(new(path, $"「{field.Label}」不能小于{Format(min)}"));
        if (field.Max is { } max && number > max)
            errors.Add(new(path, $"「{field.Label}」不能大于{Format(max)}"));
    }

    private static void ValidateDateRange(FormField field, JsonNode value, string path, List<FieldError> errors)
    {
        if (value is not JsonArray { Count: 2 } range)
        {
            errors.Add(new(path, $"「{field.Label}」应为日期范围（开始日期和结束日期）"));
            return;
        }
        if (AsString(range[0]) is not { } start || !IsDate(start)
            || AsString(range[1]) is not { } end || !IsDate(end))
        {
            errors.Add(new(path, $"「{field.Label}」应为日期（yyyy-MM-dd）"));
            return;
        }
        if (string.CompareOrdinal(start, end) > 0) // yyyy-MM-dd sorts as it reads
            errors.Add(new(path, $"「{field.Label}」的开始日期不能晚于结束日期"));
    }

    private static void ValidateChoices(FormField field, JsonNode value, string path, List<FieldError> errors)
    {
        if (value is not JsonArray items || items.Any(i => AsString(i) is null))
        {
            errors.Add(new(path, $"「{field.Label}」应为选项列表"));
            return;
        }
        foreach (var item in items)
            CheckOption(field, AsString(item)!, path, errors);
    }

    private static void CheckOption(FormField field, string choice, string path, List<FieldError> errors)
    {
        if (field.Options?.Any(o => o.Value == choice) != true)
            errors.Add(new(path, $"「{field.Label}」的选项「{choice}」不存在"));
    }

    private static void ValidateReferences(
        FormField field, JsonNode value, string path, List<FieldError> errors, string kind, Func<string, bool>? exists)
    {
        List<string> ids;
        if (field.Multiple)
        {
            if (value is not JsonArray items || items.Any(i => string.IsNullOrEmpty(AsString(i))))
            {
                errors.Add(new(path, $"「{field.Label}」应为{kind}列表"));
                return;
            }
            ids = items.Select(i => AsString(i)!).ToList();
        }
        else
        {
            if (AsString(value) is not { Length: > 0 } id)
            {
                errors.Add(new(path, $"「{field.Label}」应为单个{kind}"));
                return;
            }
            ids = [id];
        }

        if (exists is null)
            return;
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (!exists(id))
                errors.Add(new(path, $"{kind}「{id}」不存在"));
        }
    }

    private static void ValidateAttachments(FormField field, JsonNode value, string path, List<FieldError> errors)
    {
        if (value is not JsonArray items)
        {
            errors.Add(new(path, $"「{field.Label}」应为附件列表"));
            return;
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (!IsAttachment(items[i]))
                errors.Add(new($"{path}[{i}]", $"「{field.Label}」的第{i + 1}个附件格式不正确"));
        }
    }

    /// <summary>{ "id": string, "name": string, "size"?: number, "contentType"?: string } and nothing else.</summary>
    private static bool IsAttachment(JsonNode? node)
    {
        if (node is not JsonObject attachment
            || string.IsNullOrEmpty(AsString(attachment["id"]))
            || string.IsNullOrEmpty(AsString(attachment["name"])))
            return false;

        foreach (var (key, property) in attachment)
        {
            var ok = key switch
            {
                "id" or "name" => true,
                "size" => property is null || property.GetValueKind() == JsonValueKind.Number,
                "contentType" => property is null || AsString(property) is not null,
                _ => false,
            };
            if (!ok)
                return false;
        }
        return true;
    }

    private static void ValidateTable(
        FormField field, JsonNode value, string path, IFormReferences? references, List<FieldError> errors)
    {
        if (value is not JsonArray rows)
        {
            errors.Add(new(path, $"「{field.Label}」应为表格行的列表"));
            return;
        }

        var columns = field.Columns ?? [];
        var columnKeys = columns.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < rows.Count; i++)
        {
            var rowPath = $"{path}[{i}]";
            if (rows[i] is not JsonObject row)
            {
                errors.Add(new(rowPath, $"「{field.Label}」第{i + 1}行格式不正确"));
                continue;
            }

            foreach (var (key, _) in row)
            {
                if (!columnKeys.Contains(key))
                    errors.Add(new($"{rowPath}.{key}", $"未知字段「{key}」"));
            }

            foreach (var column in columns)
            {
                var cellPath = $"{rowPath}.{column.Key}";
                var cell = row[column.Key];
                if (IsEmpty(cell))
                {
                    if (column.Required && column.Type != FieldTypes.Computed)
                        errors.Add(Required(column, cellPath));
                    continue;
                }
                ValidateValue(column, cell!, cellPath, references, errors);
            }
        }
    }

    private static void CheckLength(FormField field, string text, string path, List<FieldError> errors, int? maxLength)
    {
        var length = text.EnumerateRunes().Count();
        if (length < field.MinLength)
            errors.Add(new(path, $"「{field.Label}」不能少于{field.MinLength}个字"));
        if (length > maxLength)
            errors.Add(new(path, $"「{field.Label}」不能超过{maxLength}个字"));
    }

    private static void CheckPattern(FormField field, string text, string path, List<FieldError> errors)
    {
        bool matches;
        try
        {
            matches = Regex.IsMatch(text, field.Pattern!, RegexOptions.CultureInvariant, PatternTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            matches = false;
        }
        catch (ArgumentException)
        {
            errors.Add(new(path, $"「{field.Label}」的校验规则无效，请联系管理员"));
            return;
        }

        if (!matches)
            errors.Add(new(path, string.IsNullOrWhiteSpace(field.PatternMessage)
                ? $"「{field.Label}」格式不正确"
                : field.PatternMessage));
    }

    /// <summary>Append-only: every existing entry of a list must still be there, unchanged; any other value must not change.</summary>
    private static bool KeepsExisting(JsonNode? current, JsonNode value)
    {
        if (IsEmpty(current))
            return true;
        if (current is not JsonArray existing || value is not JsonArray submitted)
            return JsonNode.DeepEquals(current, value);

        var remaining = submitted.ToList();
        foreach (var entry in existing)
        {
            var index = remaining.FindIndex(s => JsonNode.DeepEquals(s, entry));
            if (index < 0)
                return false;
            remaining.RemoveAt(index);
        }
        return true;
    }

    private static FieldError Required(FormField field, string path) => new(path, $"「{field.Label}」为必填项");

    private static FieldError AppendOnlyViolated(FormField field) =>
        new(field.Key, $"「{field.Label}」只能追加，不能修改或删除已有内容");

    /// <summary>Missing, null, blank text or an empty list.</summary>
    internal static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonValue when node.GetValueKind() == JsonValueKind.String => string.IsNullOrWhiteSpace(node.GetValue<string>()),
        _ => false,
    };

    internal static string? AsString(JsonNode? node) =>
        node is JsonValue && node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    private static bool IsDate(string text) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Format(decimal number) => number.ToString("G29", CultureInfo.InvariantCulture);
}
