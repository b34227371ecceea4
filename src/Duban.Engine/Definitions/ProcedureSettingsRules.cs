using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duban.Engine.Activities;
using Duban.Engine.Forms;

namespace Duban.Engine.Definitions;

/// <summary>
/// Checks before publishing for the procedure settings 流程设置 edits as forms (decision 029): who may start, the
/// procedure's administrators, its variables, and the start form's item fields (title, deadline, source).
/// </summary>
public static partial class ProcedureSettingsRules
{
    public static IEnumerable<string> Problems(WorkflowDefinition definition)
    {
        foreach (var problem in StarterOptions.Problems(definition.Options)) yield return problem;

        switch (definition.Options?["administrators"])
        {
            case null: break;
            case JsonArray list when list.All(x => x is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetValue<string>())):
                break;
            default:
                yield return "流程管理员（options.administrators）应为人员列表";
                break;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var variable in definition.Variables ?? [])
        {
            if (variable is null) continue;
            if (string.IsNullOrWhiteSpace(variable.Name) || !Identifier().IsMatch(variable.Name))
                yield return $"流程变量名「{variable.Name}」无效：只能用字母、数字和下划线，且不以数字开头";
            else if (!names.Add(variable.Name))
                yield return $"流程变量「{variable.Name}」重复";
            // Elsa's own type names (Int32, …) are kept as they are; the four the designer offers are checked.
            if (variable.Value is JsonValue value && !Fits(variable.TypeName, value))
                yield return $"流程变量「{variable.Name}」的默认值与类型不符";
        }

        var start = definition.Root?.Activities?.FirstOrDefault(a => a?.Type == ActivityTypes.Start);
        var form = definition.FindForm(start?.LiteralString("form"));
        if (form?.ItemFields is { } item)
        {
            if (item.Title is { } title && form.Fields.FirstOrDefault(f => f.Key == title) is var t)
            {
                if (t is null) yield return $"发起表单「{form.Name}」标为事项标题的字段「{title}」不存在";
                else if (t.Type is not (FieldTypes.Text or FieldTypes.Textarea or FieldTypes.Select or FieldTypes.Radio))
                    yield return $"事项标题应取文本字段，「{t.Label}」不是文本";
            }
            if (item.Deadline is { } deadline && form.Fields.FirstOrDefault(f => f.Key == deadline) is var d)
            {
                if (d is null) yield return $"发起表单「{form.Name}」标为完成时限的字段「{deadline}」不存在";
                else if (d.Type != FieldTypes.Date) yield return $"完成时限应取日期字段，「{d.Label}」不是日期";
            }
            if (item.Source is { } source && form.Fields.FirstOrDefault(f => f.Key == source) is var o)
            {
                if (o is null) yield return $"发起表单「{form.Name}」标为事项来源的字段「{source}」不存在";
                else if (!ItemSource.Types.Contains(o.Type)) yield return $"事项来源应取选择或文本字段，「{o.Label}」不是";
            }
        }
    }

    private static bool Fits(string type, JsonValue value) => type switch
    {
        "String" => value.GetValueKind() == JsonValueKind.String,
        "Number" => value.GetValueKind() == JsonValueKind.Number,
        "Boolean" => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();
}
