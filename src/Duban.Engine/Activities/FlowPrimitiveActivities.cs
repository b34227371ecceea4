using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// 记录日志: writes one line to the item's journal (Elsa's WriteLine writes to the console; a procedure's journal is where
/// Duban keeps what happened). The text is fixed, or a script that computes it.
/// </summary>
public sealed class WriteLineActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.WriteLine, "记录日志", "数据", [PortNames.Done],
        "在事项的办理记录中写一行文字")
    {
        Inputs = [Input.TextOrScript("text", "内容", description: "写入办理记录的文字", placeholder: "例如：已进入复核")],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var text = ActivityText.Of(context.Evaluate("text")) ?? "";
        context.Journal(JournalKind.LineWritten, comment: text);
        return ActivityResult.Outcome(PortNames.Done);
    }
}

/// <summary>
/// 抛出异常: stops the item on an incident with this message (Elsa's Fault). The administrator sees it among the items in
/// 异常 and may retry it, which runs this node again.
/// </summary>
public sealed class FaultActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Fault, "抛出异常", "流程控制", [],
        "使事项进入异常状态并记录原因，由管理员处理")
    {
        Inputs =
        [
            Input.TextOrScript("message", "异常原因", description: "记入事项的异常说明"),
            Input.Of("code", "异常代码", InputHints.SingleLine) with { Description = "可选，如 110002" },
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var message = ActivityText.Of(context.Evaluate("message"));
        var code = context.Node.LiteralString("code");
        var text = string.IsNullOrWhiteSpace(message) ? $"「{context.Node.DisplayName}」抛出异常" : message;
        if (!string.IsNullOrWhiteSpace(code)) text += $"（代码 {code}）";
        throw new ActivityFaultException(text);
    }
}

/// <summary>
/// 设置变量（单个）: one process variable gets a value — fixed, or computed by a script (Elsa's SetVariable). The script
/// sees <c>vars</c> as it is before the assignment; other variables it changes are kept.
/// </summary>
public sealed class SetVariableActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.SetVariable, "变量赋值", "数据", [PortNames.Done],
        "给一个流程变量赋值（固定值或脚本计算）")
    {
        Inputs =
        [
            Input.Of("variable", "变量名", InputHints.SingleLine) with { Required = true, Description = "流程变量的名称" },
            Input.TextOrScript("value", "值", description: "固定值，或计算值的脚本（如 vars.count + 1）"),
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var name = context.Node.LiteralString("variable");
        if (string.IsNullOrWhiteSpace(name)) throw new ActivityFaultException($"「{context.Node.DisplayName}」未设置变量名");
        // A script may set other variables on the way (Elsa's setX accessors); those changes are kept too.
        var value = context.Node.Input("value")?.Expression is { Type: ExpressionTypes.JavaScript, Value: { } script }
            ? context.RunScript(script.GetValue<string>(), keepVariables: true).Value
            : context.Evaluate("value");
        context.State.Variables[name] = value;
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(node.LiteralString("variable"))) yield return "未设置变量名";
    }
}

internal static class ActivityText
{
    public static string? Of(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => value.ToJsonString(DefinitionJson.Options),
    };
}
