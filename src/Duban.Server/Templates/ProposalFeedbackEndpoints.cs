using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Templates;

public sealed record CreateFeedbackLinkRequest(Guid? TaskId);

/// <param name="Token">Unguessable and tied to one task; put it in the link.</param>
/// <param name="Path">The web page for the link: <c>/feedback/{token}</c> (prefix it with the site's address).</param>
public sealed record FeedbackLinkDto(Guid TaskId, string Token, string Path, DateTimeOffset ExpiresAt);

/// <summary>Whether the office can make a link for a task; <paramref name="Reason"/> says why not.</summary>
public sealed record FeedbackLinkAvailability(Guid TaskId, bool Available, string? Reason);

public sealed record PublicFeedbackChoice(string Value, string Label);

public sealed record PublicFeedbackDetail(string Label, string? Value);

/// <summary>What the person answering through a link sees: the item in a few lines, and the question.</summary>
public sealed record PublicFeedbackView(
    string ItemTitle, string? ItemNumber, string? RespondentName, string Question, IReadOnlyList<PublicFeedbackChoice> Choices,
    string? NoteLabel, IReadOnlyList<PublicFeedbackDetail> Details, DateTimeOffset ExpiresAt);

public sealed record PublicFeedbackAnswer(string? Choice, string? Note);

/// <summary>
/// A step's settings for answers from outside (the <c>publicFeedback</c> input of a UserTask): <c>field</c> — the
/// choice asked for (a radio or select field of the step's form, editable on the step); <c>noteField</c> — free text
/// (an opinion or text field); <c>channelField</c> / <c>channelValue</c> — set to record that the answer came through
/// the link; <c>nameField</c> — the field naming the respondent (shown and journaled); <c>show</c> — fields shown to
/// the respondent (no files, no opinions); <c>days</c> — how long a link stays valid (default 30); <c>outcome</c> —
/// the step's outcome to take when it has several.
/// </summary>
public sealed record PublicFeedbackConfig
{
    public const string Input = "publicFeedback";
    public const int DefaultDays = 30;

    public string? Field { get; init; }
    public string? NoteField { get; init; }
    public string? ChannelField { get; init; }
    public string? ChannelValue { get; init; }
    public string? NameField { get; init; }
    public List<string>? Show { get; init; }
    public int? Days { get; init; }
    public string? Outcome { get; init; }

    public static PublicFeedbackConfig? Of(ActivityNode node)
    {
        if (node.Type != ActivityTypes.UserTask) return null;
        try
        {
            return node.Literal<PublicFeedbackConfig>(Input);
        }
        catch (JsonException)
        {
            throw new WorkflowInputException("taskId", $"「{node.DisplayName}」的在线征询设置（{Input}）格式有误，请管理员检查流程");
        }
    }

    /// <summary>What is wrong with the settings for this step; empty when a link can be used.</summary>
    public IReadOnlyList<string> Problems(ActivityNode node, WorkflowDefinition definition)
    {
        var problems = new List<string>();
        var form = definition.FindForm(node.LiteralString("form"));
        if (form is null) return ["该环节没有表单"];
        var permissions = UserTaskActivity.Permissions(node);
        FormField? Find(string? key) => key is null ? null : form.Fields.FirstOrDefault(f => f.Key == key);
        bool Writable(string key, params FieldPermission[] allowed) =>
            allowed.Contains(permissions.TryGetValue(key, out var p) ? p : FieldPermission.Editable);

        var choice = Find(Field);
        if (choice is null) problems.Add($"征询字段「{Field}」不在表单「{form.Name}」中");
        else if (choice.Type is not (FieldTypes.Radio or FieldTypes.Select) || choice.Options is not { Count: > 0 })
            problems.Add($"征询字段「{choice.Label}」应为单选或下拉选择");
        else if (!Writable(choice.Key, FieldPermission.Editable)) problems.Add($"征询字段「{choice.Label}」在该环节不可填写");

        if (NoteField is not null)
        {
            var note = Find(NoteField);
            if (note is null) problems.Add($"意见字段「{NoteField}」不在表单中");
            else if (note.Type is not (FieldTypes.Opinion or FieldTypes.Text or FieldTypes.Textarea)) problems.Add($"意见字段「{note.Label}」应为意见或文本");
            else if (!Writable(note.Key, FieldPermission.Editable, FieldPermission.AppendOnly)) problems.Add($"意见字段「{note.Label}」在该环节不可填写");
        }
        if (ChannelField is not null)
        {
            var channel = Find(ChannelField);
            if (channel is null) problems.Add($"征询方式字段「{ChannelField}」不在表单中");
            else if (channel.Options is { Count: > 0 } options && options.All(o => o.Value != ChannelValue))
                problems.Add($"征询方式「{ChannelValue}」不是字段「{channel.Label}」的选项");
            else if (!Writable(channel.Key, FieldPermission.Editable)) problems.Add($"征询方式字段「{channel.Label}」在该环节不可填写");
        }
        foreach (var key in Show ?? [])
            if (definition.Forms.SelectMany(f => f.Fields).All(f => f.Key != key)) problems.Add($"展示字段「{key}」不在表单中");
        if (Days is < 1 or > 365) problems.Add("链接有效天数应在 1 到 365 之间");
        var outcomes = UserTaskActivity.Outcomes(node);
        if (Outcome is not null ? !outcomes.Contains(Outcome) : outcomes.Count != 1)
            problems.Add(Outcome is null ? "该环节有多个办理结果，请指定在线征询采用的结果（outcome）" : $"办理结果「{Outcome}」不是该环节的出口");
        return problems;
    }
}

/// <summary>
/// 在线征询: a step that asks someone outside the organization — the deputy or member who made a proposal — for their
/// judgement (满意 / 基本满意 / 不满意) can be answered through a link that needs no account. The supervision office
/// makes the link for the open task; the token is unguessable (encrypted and signed with the server's data-protection
/// keys), names that one task, and expires (<see cref="PublicFeedbackConfig.Days"/>). It can be used once: the answer
/// completes the task, after which the link answers 410. The office may still record the answer itself instead.
/// </summary>
internal static class ProposalFeedbackEndpoints
{
    private const string Purpose = "Duban.PublicFeedback.v1";
    public const string ExternalActorPrefix = "external:";

    public static IEndpointRouteBuilder MapProposalFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/feedback-links", async Task<Created<FeedbackLinkDto>> (CreateFeedbackLinkRequest request, HttpContext http,
            DubanDbContext db, DefinitionCache definitions, IDataProtectionProvider protection, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.Has(Permission.Supervise))
                throw new ForbiddenException("只有有「督查督办」权限的人员（督查员、管理员）可以生成征询链接");
            if (request.TaskId is not { } taskId) throw new WorkflowInputException("taskId", "请指定要征询的待办");
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct) ?? throw new NotFoundException("待办不存在");
            if (task.Status != HumanTaskStatus.Open) throw new WorkflowConflictException("该待办已办理或已取消，不能再生成征询链接");
            var (_, node, config) = await StepAsync(db, definitions, task, ct);
            if (config is null) throw new WorkflowInputException("taskId", $"「{task.Name}」不支持在线征询");
            if (config.Problems(node.Node, node.Definition) is { Count: > 0 } problems)
                throw new WorkflowInputException("taskId", $"「{task.Name}」的在线征询设置有误：{string.Join("；", problems)}");
            var expires = DateTimeOffset.FromUnixTimeSeconds(clock.GetUtcNow().AddDays(config.Days ?? PublicFeedbackConfig.DefaultDays).ToUnixTimeSeconds());
            var token = Protector(protection).Protect($"{task.Id:N}|{expires.ToUnixTimeSeconds()}");
            return TypedResults.Created($"/feedback/{token}", new FeedbackLinkDto(task.Id, token, $"/feedback/{token}", expires));
        }).RequireAuthorization().WithTags("在线征询").WithSummary("为待办生成在线征询链接（督查员、管理员）")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);

        app.MapGet("/api/feedback-links", async Task<Ok<FeedbackLinkAvailability>> (Guid? taskId, HttpContext http,
            DubanDbContext db, DefinitionCache definitions, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (taskId is not { } id) throw new WorkflowInputException("taskId", "请指定待办");
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("待办不存在");
            if (!await ItemVisibility.CanSeeAsync(db, user, task.InstanceId, ct)) throw new NotFoundException("待办不存在");
            string? reason = null;
            if (!user.Has(Permission.Supervise)) reason = "只有督查员或管理员可以生成征询链接";
            else if (task.Status != HumanTaskStatus.Open) reason = "该待办已办理或已取消";
            else
            {
                var (_, step, config) = await StepAsync(db, definitions, task, ct);
                if (config is null) reason = "该环节不支持在线征询";
                else if (config.Problems(step.Node, step.Definition) is { Count: > 0 } problems) reason = $"在线征询设置有误：{string.Join("；", problems)}";
            }
            return TypedResults.Ok(new FeedbackLinkAvailability(id, reason is null, reason));
        }).RequireAuthorization().WithTags("在线征询").WithSummary("能否为该待办生成在线征询链接").ProducesProblem(404);

        var open = app.MapGroup("/api/public/feedback").WithTags("在线征询").AllowAnonymous();

        open.MapGet("/{token}", async Task<Results<Ok<PublicFeedbackView>, ProblemHttpResult>> (string token, HttpContext http, DubanDbContext db,
            DefinitionCache definitions, OrganizationCache orgCache, IDataProtectionProvider protection, TimeProvider clock, CancellationToken ct) =>
        {
            NoStore(http);
            var (taskId, expires) = Read(protection, token, clock);
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct) ?? throw Invalid();
            if (task.Status != HumanTaskStatus.Open) return Gone();
            var (instance, step, config) = await StepAsync(db, definitions, task, ct);
            if (config is null || config.Problems(step.Node, step.Definition).Count > 0) throw Invalid();
            var org = await orgCache.GetAsync(ct);
            var data = Duban.Data.Runtime.ItemWriter.StateOf(instance).Data;
            var fields = step.Definition.Forms.SelectMany(f => f.Fields).GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.First());
            var choice = fields[config.Field!];
            var details = (config.Show ?? [])
                .Select(key => fields.GetValueOrDefault(key))
                .Where(f => f is not null && f.Type is not (FieldTypes.Attachments or FieldTypes.Opinion))
                .Select(f => new PublicFeedbackDetail(f!.Label, Display(data[f.Key], f, org)))
                .ToList();
            return TypedResults.Ok(new PublicFeedbackView(
                instance.Title, instance.Number, Name(config, data), choice.Label,
                choice.Options!.Select(o => new PublicFeedbackChoice(o.Value, o.Label)).ToList(),
                config.NoteField is { } note ? fields.GetValueOrDefault(note)?.Label : null,
                details, expires));
        }).WithSummary("打开征询链接（无需登录）").ProducesProblem(404).ProducesProblem(410);

        open.MapPost("/{token}", async Task<Results<NoContent, ProblemHttpResult>> (string token, PublicFeedbackAnswer answer, HttpContext http,
            DubanDbContext db, DefinitionCache definitions, OrganizationCache orgCache, WriteDoor door, IDataProtectionProvider protection,
            TimeProvider clock, CancellationToken ct) =>
        {
            NoStore(http);
            var (taskId, _) = Read(protection, token, clock);
            var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, ct) ?? throw Invalid();
            if (task.Status != HumanTaskStatus.Open) return Gone();
            var (instance, step, config) = await StepAsync(db, definitions, task, ct);
            if (config is null || config.Problems(step.Node, step.Definition).Count > 0) throw Invalid();
            if (string.IsNullOrWhiteSpace(answer.Choice))
                throw new WorkflowInputException("choice", "请选择您的评价");

            var data = new JsonObject { [config.Field!] = answer.Choice.Trim() };
            if (config.NoteField is { } noteField && !string.IsNullOrWhiteSpace(answer.Note)) data[noteField] = answer.Note.Trim();
            if (config.ChannelField is { } channelField) data[channelField] = config.ChannelValue;
            var respondent = Respondent(task, Name(config, Duban.Data.Runtime.ItemWriter.StateOf(instance).Data), await orgCache.GetAsync(ct));
            try
            {
                await door.RunAsync(new CompleteTask(task.Id, respondent, new TaskSubmission(config.Outcome, data, null), ThroughLink: true), ct);
            }
            catch (WorkflowInputException e)
            {
                // Name the fields the way the link's page knows them.
                throw new WorkflowInputException(e.Message, e.Errors.Select(x => x with
                {
                    Field = x.Field == config.Field ? "choice" : x.Field == config.NoteField ? "note" : x.Field,
                }).ToList());
            }
            catch (WorkflowConflictException)
            {
                return Gone();
            }
            return TypedResults.NoContent();
        }).WithSummary("提交征询意见（无需登录；每个链接只能提交一次）").ProducesValidationProblem().ProducesProblem(404).ProducesProblem(410);

        return app;
    }

    private sealed record Step(WorkflowDefinition Definition, ActivityNode Node);

    private static async Task<(Duban.Data.Instances.InstanceRecord Instance, Step Step, PublicFeedbackConfig? Config)> StepAsync(
        DubanDbContext db, DefinitionCache definitions, TaskRecord task, CancellationToken ct)
    {
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == task.InstanceId, ct);
        if (!definitions.TryGetPublished(instance.DefinitionRecordId, out var definition))
            definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
        var node = definition.Root.Find(task.ActivityId);
        if (node is null || task.Kind != TaskKind.Task || task.BookmarkId is null) return (instance, new Step(definition, node ?? new ActivityNode { Id = task.ActivityId, Type = "" }), null);
        return (instance, new Step(definition, node), PublicFeedbackConfig.Of(node));
    }

    /// <summary>
    /// The respondent as the runtime sees them: nobody of the organization, acting on this one task in the place it
    /// was offered to (the role or unit that would otherwise record the answer). The link answers the task while it is
    /// open, whoever of the office has claimed it (签收): claiming is how the office starts to follow it up, not a lock
    /// on the proposer's answer (issue 16; docs/decisions/032 amends 009).
    /// </summary>
    private static CurrentUser Respondent(TaskRecord task, string? name, IOrganization org)
    {
        var display = $"{name ?? "提出人"}（在线征询）";
        var id = ExternalActorPrefix + task.Id.ToString("N");
        if (task.CandidateRole is { } role) return new CurrentUser(id, id, display, null, null, [role]) { OrganizationId = task.OrganizationId };
        if (task.CandidateUnitId is { } unit) return new CurrentUser(id, id, display, unit, org.FindUnit(unit)?.Name, [Roles.Liaison]) { OrganizationId = task.OrganizationId };
        var holder = task.AssigneeUserId is { } a ? org.FindUser(a) : null;
        return new CurrentUser(id, id, display, holder?.UnitId, holder?.UnitId is { } u ? org.FindUnit(u)?.Name : null, []) { OrganizationId = task.OrganizationId };
    }

    /// <summary>A value as a person reads it: option labels, unit and person names; lists joined.</summary>
    private static string? Display(JsonNode? value, FormField field, IOrganization org)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonArray list:
                var parts = list.Select(v => Display(v, field, org)).Where(p => !string.IsNullOrEmpty(p)).ToList();
                return parts.Count == 0 ? null : string.Join(field.Type == FieldTypes.DateRange ? " 至 " : "、", parts);
            case JsonValue v when v.TryGetValue<string>(out var text):
                if (field.Options?.FirstOrDefault(o => o.Value == text) is { } option) return option.Label;
                return field.Type switch
                {
                    FieldTypes.Unit => org.FindUnit(text)?.Name ?? text,
                    FieldTypes.Person => org.FindUser(text)?.DisplayName ?? text,
                    _ => text,
                };
            case JsonValue v:
                return v.ToJsonString();
            default:
                return null;
        }
    }

    private static string? Name(PublicFeedbackConfig config, JsonObject data) =>
        config.NameField is { } key && data[key] is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    private static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector(Purpose);

    /// <summary>
    /// The task a token names, and until when it holds. The payload (task id and expiry) is encrypted and signed, so a
    /// token cannot be made or altered without the server's keys; the expiry is checked against the host's clock.
    /// </summary>
    private static (Guid TaskId, DateTimeOffset Expires) Read(IDataProtectionProvider protection, string token, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 1000) throw Invalid();
        string text;
        try
        {
            text = Protector(protection).Unprotect(token);
        }
        catch (CryptographicException)
        {
            throw Invalid();
        }
        var parts = text.Split('|');
        if (parts.Length != 2 || !Guid.TryParseExact(parts[0], "N", out var id) || !long.TryParse(parts[1], out var seconds))
            throw Invalid();
        var expires = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (clock.GetUtcNow() > expires) throw Invalid();
        return (id, expires);
    }

    private static NotFoundException Invalid() => new("征询链接无效或已过期，请与督查室联系");

    private static ProblemHttpResult Gone() =>
        TypedResults.Problem(title: "征询已结束", detail: "该征询已完成或已结束，感谢您的关注", statusCode: StatusCodes.Status410Gone);

    private static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
    }
}
