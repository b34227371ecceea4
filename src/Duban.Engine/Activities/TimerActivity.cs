using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// Timer: waits until a moment (<c>until</c>: an ISO date-time, literal or script) or for a span
/// (<c>duration</c>: ISO 8601 such as <c>P3D</c> or <c>PT2H</c>, or a number of seconds). The host keeps a durable
/// timer row and resumes the bookmark when it falls due.
/// </summary>
public sealed class TimerActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Timer, "定时等待", "时间", [PortNames.Done], "等到指定时间或等待一段时长后继续")
    {
        // One or the other: the designer's timer panel offers them as a choice.
        Inputs =
        [
            Input.Of("duration", "时长", InputHints.Duration) with { Required = true, EditorOptions = new() { AriaLabel = "等待时长" } },
            Input.TextOrScript("until", "到期时刻", description: "ISO 日期时间，如 2026-07-15T09:00:00+08:00；脚本可取表单日期"),
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var due = DueAt(context);
        var bookmark = context.CreateBookmark(BookmarkKinds.Timer, new JsonObject { ["dueAt"] = due.ToString("O") });
        context.Effects.NewTimers.Add(new TimerRequest(bookmark.Id, context.Node.Id, due));
        context.Journal(JournalKind.TimerScheduled, data: new() { ["dueAt"] = due.ToString("O") });
        return ActivityResult.Wait;
    }

    public ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request)
    {
        context.Journal(JournalKind.TimerFired, data: new() { ["dueAt"] = bookmark.Payload["dueAt"]?.DeepClone() });
        context.RemoveBookmark(bookmark);
        return ActivityResult.Outcome(PortNames.Done);
    }

    private static DateTimeOffset DueAt(ActivityContext context)
    {
        var name = context.Node.DisplayName;
        if (context.Node.Input("until") is not null)
        {
            var until = context.Evaluate("until");
            if (until is JsonValue v && v.TryGetValue<string>(out var text) &&
                DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                return at.ToUniversalTime();
            throw new ActivityFaultException($"「{name}」的到期时间「{until?.ToJsonString()}」不是有效的日期时间");
        }
        if (context.Node.Input("duration") is not null)
            return context.Now + ParseDuration(context.Evaluate("duration"), name);
        throw new ActivityFaultException($"「{name}」未设置到期时间或等待时长");
    }

    internal static TimeSpan ParseDuration(JsonNode? value, string name)
    {
        try
        {
            return value switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.Number => TimeSpan.FromSeconds(v.GetValue<double>()),
                JsonValue v when v.TryGetValue<string>(out var s) => XmlConvert.ToTimeSpan(s),
                _ => throw new FormatException(),
            };
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            throw new ActivityFaultException($"「{name}」的等待时长「{value?.ToJsonString()}」无效（例如 P3D、PT2H 或秒数）");
        }
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var until = node.Input("until");
        var duration = node.Input("duration");
        if (until is null && duration is null) yield return "未设置到期时间或等待时长";
        if (duration?.Expression is { Type: ExpressionTypes.Literal } literal)
        {
            string? problem = null;
            try { ParseDuration(literal.Value, node.DisplayName); }
            catch (ActivityFaultException e) { problem = e.Message; }
            if (problem is not null) yield return problem;
        }
    }
}

/// <summary>
/// SubProcess / ForEach: starts one child instance of another procedure per list item (e.g. per row of a
/// breakdown table) and completes when every child has completed. An empty list completes at once.
/// </summary>
public sealed class SubProcessActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.SubProcess, "子流程（逐项）", "流程控制", [PortNames.Done],
        "为列表中的每一项发起一个子事项，全部办结后继续")
    {
        Inputs =
        [
            Input.Of("definitionId", "子流程", InputHints.ProcedurePicker) with { Required = true, Description = "须为已发布的流程" },
            Input.Of("items", "逐项列表（可选）", InputHints.Script, "Object") with
            {
                Description = "返回数组的脚本，每项发起一个子事项，如 item.tasks；不设置时发起一个",
                EditorOptions = new() { ScriptHint = Input.ScriptNames },
            },
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var node = context.Node;
        var definitionId = node.LiteralString("definitionId")
            ?? throw new ActivityFaultException($"「{node.DisplayName}」未选择子流程");
        var items = node.Input("items") is null
            ? [null]
            : context.Evaluate("items") switch
            {
                JsonArray array => array.Select(x => x?.DeepClone()).ToList(),
                null => [],
                var other => throw new ActivityFaultException($"「{node.DisplayName}」的列表表达式应返回数组，实际为 {other.ToJsonString()}"),
            };
        if (items.Count == 0)
        {
            context.Journal(JournalKind.ChildCompleted, comment: "列表为空，没有子事项");
            return ActivityResult.Outcome(PortNames.Done);
        }

        var children = new JsonArray();
        var bookmark = context.CreateBookmark(BookmarkKinds.Children, new JsonObject { ["children"] = children, ["done"] = new JsonArray() });
        for (var i = 0; i < items.Count; i++)
        {
            var id = Guid.CreateVersion7();
            var title = ChildTitle(items[i]) ?? $"{context.State.Title ?? context.Definition.Name}（{i + 1}）";
            context.Effects.NewChildren.Add(new ChildRequest(id, definitionId, bookmark.Id, i, items[i], title));
            children.Add(id.ToString());
            context.Journal(JournalKind.ChildStarted, data: new() { ["childInstanceId"] = id.ToString(), ["title"] = title, ["index"] = i });
        }
        return ActivityResult.Wait;
    }

    private static string? ChildTitle(JsonNode? item)
    {
        if (item is JsonValue v && v.TryGetValue<string>(out var text)) return text;
        if (item is not JsonObject row) return null;
        foreach (var key in new[] { "title", "task", "name" })
            if (row[key] is JsonValue value && value.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s))
                return s;
        return null;
    }

    public ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request)
    {
        var id = request.ChildInstanceId?.ToString() ?? throw new WorkflowInputException("childInstanceId", "缺少子事项编号");
        var children = bookmark.Payload["children"]!.AsArray();
        var done = bookmark.Payload["done"]!.AsArray();
        if (children.All(x => x?.GetValue<string>() != id) || done.Any(x => x?.GetValue<string>() == id))
            throw new WorkflowConflictException("子事项已登记为办结");
        done.Add(id);
        context.Journal(JournalKind.ChildCompleted, outcome: request.ChildResult, data: new() { ["childInstanceId"] = id });
        if (done.Count < children.Count) return ActivityResult.Wait;
        context.RemoveBookmark(bookmark);
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        if (string.IsNullOrWhiteSpace(node.LiteralString("definitionId"))) yield return "未选择子流程";
    }
}
