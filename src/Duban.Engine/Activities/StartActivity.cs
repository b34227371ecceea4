using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>Start: the item is registered with its start form; the title comes from the <c>title</c> input or the form.</summary>
public sealed class StartActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Start, "开始", "基础", [PortNames.Done], "流程开始，填写发起表单")
    {
        Inputs =
        [
            Input.Form("form", "发起表单", "fieldPermissions", "发起"),
            Input.Permissions("fieldPermissions", "发起表单字段权限", "form", "发起"),
            Input.TextOrScript("title", "事项标题", "发起", "一般不用设置：事项标题取发起表单中标为“事项标题”的字段（在表单设计中设置）", "例如 form.title（选“脚本”）"),
        ],
    };

    internal static void AcceptStartForm(ActivityContext context, StartRequest request)
    {
        var formId = context.Node.LiteralString("form");
        var row = request.Input as JsonObject;
        var data = request.Data ?? (JsonObject?)row?.DeepClone();
        if (formId is not null)
            StepForms.Accept(context, formId, UserTaskActivity.Permissions(context.Node), data);
        else if (request.Data is { Count: > 0 })
            throw new WorkflowInputException("data", "该流程没有发起表单，不接受表单数据");
        if (row is not null)
            foreach (var (key, value) in row)
                if (!context.State.Data.ContainsKey(key)) context.State.Data[key] = value?.DeepClone();

        context.State.Title = request.Title
            ?? (context.Node.Input("title") is not null ? AsText(context.Evaluate("title", context.State.Data)) : null)
            ?? (TitleField(context.Definition.FindForm(formId)) is { } titleKey ? AsText(context.State.Data[titleKey]) : null)
            ?? AsText(context.State.Data["title"])
            ?? context.Definition.Name;
    }

    /// <summary>
    /// The start form's field that names the item: the one marked in the form designer, else a field keyed
    /// <c>title</c>, else the first single-line text field (decision 029: a new procedure's items were all named after
    /// the procedure, since a new text field's key is <c>text1</c>).
    /// </summary>
    public static string? TitleField(FormDefinition? form)
    {
        if (form is null) return null;
        if (form.ItemFields?.Title is { } marked && form.Fields.Any(f => f.Key == marked)) return marked;
        return form.Fields.FirstOrDefault(f => f.Key == "title")?.Key
            ?? form.Fields.FirstOrDefault(f => f.Type == FieldTypes.Text)?.Key;
    }

    private static string? AsText(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    public ActivityResult Execute(ActivityContext context) => ActivityResult.Outcome(PortNames.Done);

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        if (node.LiteralString("form") is { } formId && definition.FindForm(formId) is null)
            yield return $"引用的表单「{formId}」不存在";
    }
}

/// <summary>
/// Notify (抄送 / 阅知): read-only notices that need only 已阅. By default the flow goes straight on; with
/// <c>wait</c> it waits until everyone has read.
/// </summary>
public sealed class NotifyActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Notify, "抄送阅知", "人工", [PortNames.Done], "发送只读阅知，接收人点“已阅”即可")
    {
        Inputs =
        [
            Input.Of("assignee", "接收人", InputHints.AssigneeRule, "Object", "接收人") with { Required = true, EditorOptions = new() { Noun = "接收人" } },
            Input.TextOrScript("message", "阅知内容", "接收人"),
            Input.Of("wait", "等所有人已阅后再继续", InputHints.Checkbox, "Boolean", "接收人") with { DefaultValue = false },
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var node = context.Node;
        var rule = node.Literal<AssigneeRule>("assignee")
            ?? throw new ActivityFaultException($"「{node.DisplayName}」未设置接收人规则");
        var assignees = Assignees.Resolve(context, rule, individually: false);
        if (assignees.Count == 0)
            throw new ActivityFaultException($"「{node.DisplayName}」找不到接收人，请检查接收人规则");
        var wait = node.Literal<bool>("wait");
        var message = context.Evaluate("message") is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var bookmark = wait ? context.CreateBookmark(BookmarkKinds.Notice, new JsonObject { ["pending"] = new JsonArray() }) : null;
        foreach (var assignee in assignees)
        {
            var task = new TaskRequest
            {
                Id = Guid.CreateVersion7(),
                BookmarkId = bookmark?.Id,
                ActivityId = node.Id,
                ExecutionId = context.ExecutionId,
                Name = node.DisplayName,
                Kind = TaskKind.Notice,
                Assignee = assignee,
                Outcomes = ["已阅"],
                Message = message,
            };
            context.Effects.NewTasks.Add(task);
            bookmark?.Payload["pending"]!.AsArray().Add(task.Id.ToString());
            context.Journal(JournalKind.TaskCreated, task.Id, data: Assignees.ToJson(context.Organization, assignee));
        }
        return wait ? ActivityResult.Wait : ActivityResult.Outcome(PortNames.Done);
    }

    public ActivityResult Resume(ActivityContext context, Bookmark bookmark, ResumeRequest request)
    {
        var pending = bookmark.Payload["pending"]!.AsArray();
        var entry = pending.FirstOrDefault(x => x?.GetValue<string>() == request.TaskId?.ToString())
            ?? throw new WorkflowConflictException("该阅知已确认");
        pending.Remove(entry);
        context.Journal(JournalKind.NoticeRead, request.TaskId, "已阅", request.Comment);
        if (pending.Count > 0) return ActivityResult.Wait;
        context.RemoveBookmark(bookmark);
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var rule = node.Literal<AssigneeRule>("assignee");
        if (rule is null) yield return "未设置接收人规则";
        else if (rule.Problem(definition, UserTaskActivity.AllFieldKeys(definition)) is { } problem) yield return problem;
    }
}
