using System.Text.RegularExpressions;

namespace Duban.Engine.Forms;

/// <summary>Design-time checks of a form, run before a definition is published.</summary>
public static partial class FormDefinitionChecker
{
    /// <summary>Returns every problem found (Chinese, for the designer), or an empty list.</summary>
    /// <param name="checkScript">
    /// Syntax check for <see cref="FormField.VisibleWhen"/> and <see cref="FormField.Compute"/>: null when the script
    /// parses, else a message. Null skips the script checks.
    /// </param>
    public static IReadOnlyList<string> Check(FormDefinition form, Func<string, string?>? checkScript = null)
    {
        var problems = new List<string>();
        CheckFields(form.Fields, table: null, checkScript, problems);
        return problems;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex KeyPattern();

    private static void CheckFields(
        List<FormField> fields, FormField? table, Func<string, string?>? checkScript, List<string> problems)
    {
        var scope = table is null ? "" : $"表格「{Label(table)}」中";
        var keys = new HashSet<string>(StringComparer.Ordinal);

        foreach (var field in fields)
        {
            var name = table is null ? $"字段「{Label(field)}」" : $"表格「{Label(table)}」的列「{Label(field)}」";

            if (string.IsNullOrEmpty(field.Key) || !KeyPattern().IsMatch(field.Key))
                problems.Add($"{name}的标识「{field.Key}」无效：只能由字母、数字和下划线组成，且不能以数字开头");
            else if (!keys.Add(field.Key))
                problems.Add($"{scope}字段标识「{field.Key}」重复");

            if (string.IsNullOrWhiteSpace(field.Label))
                problems.Add($"{name}缺少名称");

            if ((field.DefaultToday || field.StampedBy is not null) && (field.Type != FieldTypes.Date || table is not null))
                problems.Add($"{name}：只有表单中的日期字段才能默认今天或由环节记录日期");
            if (field.StampWhen is not (null or StampTimes.Start or StampTimes.Done))
                problems.Add($"{name}的记录时机「{field.StampWhen}」无效，可选：start（环节开始时）、done（环节完成时）");

            if (!FieldTypes.All.Contains(field.Type))
                problems.Add($"{name}的类型「{field.Type}」不存在");
            else if (table is not null && field.Type is FieldTypes.Opinion or FieldTypes.Computed)
                problems.Add($"{name}的类型「{field.Type}」不能用于表格列");

            CheckOptions(field, name, problems);

            if (field.Type == FieldTypes.Table)
            {
                if (field.Columns is not { Count: > 0 })
                    problems.Add($"{name}没有定义列");
                else
                    CheckFields(field.Columns, field, checkScript, problems);
            }

            if (field.Type == FieldTypes.Computed)
            {
                if (string.IsNullOrWhiteSpace(field.Compute))
                    problems.Add($"{name}缺少计算表达式");
                else if (checkScript?.Invoke(field.Compute) is { } message)
                    problems.Add($"{name}的计算表达式有误：{message}");
            }

            if (field.VisibleIf is not null && table is not null)
                problems.Add($"{name}：表格列不支持显示条件");
            if (!string.IsNullOrWhiteSpace(field.VisibleWhen))
            {
                if (table is not null)
                    problems.Add($"{name}：表格列不支持显示条件");
                else if (checkScript?.Invoke(field.VisibleWhen) is { } message)
                    problems.Add($"{name}的显示条件有误：{message}");
            }

            if (!string.IsNullOrEmpty(field.Pattern) && !IsValidPattern(field.Pattern))
                problems.Add($"{name}的校验规则「{field.Pattern}」不是有效的正则表达式");

            if (field.Min > field.Max)
                problems.Add($"{name}的最小值不能大于最大值");
            if (field.MinLength < 0 || field.MaxLength < 0)
                problems.Add($"{name}的长度限制不能为负数");
            else if (field.MinLength > field.MaxLength)
                problems.Add($"{name}的最小长度不能大于最大长度");
        }
    }

    private static void CheckOptions(FormField field, string name, List<string> problems)
    {
        if (field.Type is FieldTypes.Select or FieldTypes.Radio or FieldTypes.MultiSelect && field.Options is not { Count: > 0 })
        {
            problems.Add($"{name}缺少选项");
            return;
        }

        var values = new HashSet<string>(StringComparer.Ordinal);
        foreach (var option in field.Options ?? [])
        {
            if (string.IsNullOrEmpty(option.Value))
                problems.Add($"{name}有选项的值为空");
            else if (!values.Add(option.Value))
                problems.Add($"{name}的选项值「{option.Value}」重复");
        }
    }

    private static bool IsValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, FormValidator.PatternTimeout);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Label(FormField field) => string.IsNullOrWhiteSpace(field.Label) ? field.Key : field.Label;
}
