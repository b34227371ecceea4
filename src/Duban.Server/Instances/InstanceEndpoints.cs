using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Duban.Server.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Instances;

/// <param name="Restriction">限定知悉范围 chosen on the start form (the supervision office only); absent: the procedure's default (decision 037).</param>
public sealed record StartInstanceRequest(string? DefinitionId, JsonObject? Data, ItemReadersRequest? Restriction = null);

public sealed record InstanceSummary(
    Guid Id, string Title, string? Number, string DefinitionId, string DefinitionName, int DefinitionVersion,
    WorkflowStatus Status, string? Result, string? InitiatorName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt,
    DateTimeOffset? DueAt = null, string? Light = null)
{
    /// <summary>The item's deadline falls in a year whose holiday notice is not loaded yet: it may still move (暂定).</summary>
    public bool Provisional { get; init; }

    /// <summary>限定知悉范围: only the people and units named on it see the item (decision 037).</summary>
    public bool Restricted { get; init; }

    /// <summary>立卷归档: when the item was archived (and by whom); it is read-only since (decision 047).</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    public string? ArchivedByName { get; init; }
}

public sealed record TimelineEntry(
    long Id, JournalKind Kind, DateTimeOffset At, string? ActivityId, string? ActivityName, int Round, string? ActorId, string? ActorName,
    Guid? TaskId, string? Outcome, string? Comment, JsonNode? Data);

/// <param name="Data">Only the fields this user may see (see <see cref="ItemAccess"/>).</param>
/// <param name="Form">The item's form (the start form, else the procedure's first form), for showing the data.</param>
/// <param name="Permissions">Per field of <paramref name="Form"/>: <c>readOnly</c>, or <c>hidden</c> for this user.</param>
/// <param name="ActiveActivityIds">Where the item waits now (tasks, timers, children).</param>
/// <param name="DoneActivityIds">Activities the item has passed through.</param>
public sealed record InstanceDetail(
    InstanceSummary Instance, JsonObject Data, string? Incident, IReadOnlyList<TaskSummary> OpenTasks,
    IReadOnlyList<TimelineEntry> Timeline, Guid? ParentInstanceId, IReadOnlyList<InstanceSummary> Children,
    FormDefinition? Form, Dictionary<string, FieldPermission> Permissions,
    IReadOnlyList<string> ActiveActivityIds, IReadOnlyList<string> DoneActivityIds,
    IReadOnlyList<Supervision.AssignmentStepView>? Assignments = null, Supervision.ReadsView? Reads = null,
    IReadOnlyList<SubmissionView>? Rounds = null);

/// <summary>One round of a step's form as it was submitted (only the fields this user may see): the item page shows
/// steps done more than once as 第1轮、第2轮 ….</summary>
public sealed record SubmissionView(string ActivityId, string? ActivityName, int Round, DateTimeOffset At, string? ActorName, JsonObject Values);

public sealed record CancelInstanceRequest(string? Reason);

/// <summary>撤销归档: why the item is taken out of the archive (required).</summary>
public sealed record UnarchiveInstanceRequest(string? Reason);

/// <summary>Items (事项): start with a start form, list, read with timeline, cancel, retry after an incident.</summary>
internal static class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("事项").RequireAuthorization();

        group.MapPost("/", async Task<Created<InstanceSummary>> (StartInstanceRequest request, [FromHeader(Name = Idempotency.Header)] string? idempotencyKey,
            HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.DefinitionId))
                throw new WorkflowInputException("definitionId", "请选择流程类型");
            var user = await http.GetCurrentUserAsync();
            var instance = await door.RunAsync(new StartItem(request.DefinitionId, user, request.Data, request.Restriction?.ToRestriction()),
                Idempotency.KeyOf(idempotencyKey, user, "start", request), ct);
            return TypedResults.Created($"/api/instances/{instance.Id}", Summary(instance));
        }).WithSummary("发起事项（填写发起表单；可带 Idempotency-Key 头：重复提交得到第一次的结果）").ProducesValidationProblem();

        group.MapGet("/", async Task<Ok<PagedList<InstanceSummary>>> (int? page, int? pageSize, string? q, string? definitionId, string? status,
            HttpContext http, DubanDbContext db, Duban.Data.Supervision.DeadlineLights deadlineLights, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var (p, size) = Paging.Normalize(page, pageSize);
            var query = ItemVisibility.Visible(db, user);
            if (!string.IsNullOrWhiteSpace(q)) query = query.Where(i => i.Title.Contains(q) || (i.Number != null && i.Number.Contains(q)));
            if (!string.IsNullOrWhiteSpace(definitionId)) query = query.Where(i => i.DefinitionId == definitionId);
            if (!string.IsNullOrWhiteSpace(status))
            {
                var s = ParseStatus(status);
                query = query.Where(i => i.Status == s);
            }
            var total = await query.CountAsync(ct);
            var rows = await query.OrderByDescending(i => i.CreatedAt).Skip((p - 1) * size).Take(size).ToListAsync(ct);
            var lights = await deadlineLights.JudgeAsync(rows.Select(r => r.DefinitionRecordId), ct);
            return TypedResults.Ok(new PagedList<InstanceSummary>(rows.Select(r => Summary(r, lights)).ToList(), total, p, size));
        }).WithSummary("我可见的事项");

        group.MapGet("/{id:guid}", async Task<Ok<InstanceDetail>> (Guid id, HttpContext http, DubanDbContext db,
            OrganizationCache orgCache, DefinitionCache definitions, Duban.Data.Supervision.DeadlineLights deadlineLights,
            Duban.Data.Supervision.Settings.SupervisionSettings supervisionSettings, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct)
                ?? throw new NotFoundException("事项不存在");
            var org = await orgCache.GetAsync(ct);
            var now = clock.GetUtcNow();
            var open = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open).OrderBy(t => t.CreatedAt).ToListAsync(ct);
            // Only the children this user may see: a child dispatched to another unit is that unit's business.
            var children = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => i.ParentInstanceId == id).OrderBy(i => i.CreatedAt).ThenBy(i => i.ChildIndex).ToListAsync(ct);
            if (!definitions.TryGetPublished(instance.DefinitionRecordId, out var definition))
                definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
            var state = Duban.Data.Runtime.ItemWriter.StateOf(instance);
            // What this user may read of the item — its fields and timeline lines — is decided in one place (decision 034).
            var fields = await ItemAccess.FieldsAsync(db, user, instance, definition, ct);
            var journal = await ItemAccess.TimelineAsync(db, user, id, fields, ct);
            var assignments = await Supervision.AssignmentViews.ForInstanceAsync(db, instance, definition, org, user, ct);
            var reads = await Supervision.ReadConfirmations.ForInstanceAsync(db, id, org, ct);
            var lights = await deadlineLights.JudgeAsync(children.Select(c => c.DefinitionRecordId).Append(instance.DefinitionRecordId), ct);
            var timeline = journal.Select(j => new TimelineEntry(j.Id, j.Kind, j.At, j.ActivityId, j.ActivityName, j.Round, j.ActorId, j.ActorName,
                j.TaskId, j.Outcome, j.Comment, j.DataJson is null ? null : JsonNode.Parse(j.DataJson))).ToList();
            await Supervision.OutcomeScoreNames.AddAsync(timeline.Select(t => t.Data), org, supervisionSettings, ct);
            return TypedResults.Ok(new InstanceDetail(
                Summary(instance, lights),
                fields.Filter(state.Data),
                instance.IncidentMessage,
                open.Select(t => TaskEndpoints.Summary(t, instance.Title, instance.Number, instance.DefinitionId, instance.DefinitionName, org, lights, instance.DefinitionRecordId)).ToList(),
                timeline,
                instance.ParentInstanceId,
                children.Select(c => Summary(c, lights)).ToList(),
                fields.Form,
                fields.Permissions(),
                state.Bookmarks.Select(b => b.ActivityId).Distinct().ToList(),
                journal.Where(j => j.Kind == JournalKind.ActivityCompleted && j.ActivityId is not null).Select(j => j.ActivityId!).Distinct().ToList(),
                assignments,
                reads,
                state.Submissions.Select(r => new SubmissionView(r.ActivityId, r.ActivityName, r.Round, r.At, r.ActorName, fields.Filter(r.Values))).ToList()));
        }).WithSummary("事项详情与办理过程（只含本人可见的字段）");

        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelInstanceRequest? request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new CancelItem(id, await http.GetCurrentUserAsync(), request?.Reason), ct);
            return TypedResults.NoContent();
        }).WithSummary("撤销事项").ProducesProblem(409);

        group.MapPost("/{id:guid}/unarchive", async (Guid id, UnarchiveInstanceRequest? request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new UnarchiveItem(id, await http.GetCurrentUserAsync(), request?.Reason), ct);
            return TypedResults.NoContent();
        }).WithSummary("撤销归档（管理员，须填写理由）").ProducesProblem(400).ProducesProblem(409);

        group.MapPost("/{id:guid}/retry", async (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new RetryIncident(id, await http.GetCurrentUserAsync()), ct);
            return TypedResults.NoContent();
        }).WithSummary("异常处理后重试").ProducesProblem(409);

        return group;
    }

    /// <summary>The status names a client may filter by: the camelCase names the API writes (running, completed …).</summary>
    private static readonly Dictionary<string, WorkflowStatus> StatusNames = Enum.GetValues<WorkflowStatus>()
        .ToDictionary(v => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v => v, StringComparer.OrdinalIgnoreCase);

    /// <summary>A status by name only: Enum.TryParse would also take "99" or "1".</summary>
    internal static WorkflowStatus ParseStatus(string status) =>
        StatusNames.TryGetValue(status.Trim(), out var value)
            ? value
            : throw new WorkflowInputException("status", $"状态「{status}」无效，可选：{string.Join("、", StatusNames.Keys)}");

    internal static InstanceSummary Summary(Duban.Data.Instances.InstanceRecord i) =>
        new(i.Id, i.Title, i.Number, i.DefinitionId, i.DefinitionName, i.DefinitionVersion, i.Status, i.Result,
            i.InitiatorName, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.DueAt)
        { Restricted = i.IsRestricted, ArchivedAt = i.ArchivedAt, ArchivedByName = i.ArchivedByName };

    /// <summary>With the item's own deadline and its light (none once the item is closed).</summary>
    internal static InstanceSummary Summary(Duban.Data.Instances.InstanceRecord i, Duban.Data.Supervision.LightJudge lights) =>
        Summary(i) with
        {
            Light = i.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled ? null : lights.Of(i.DefinitionRecordId, i.CreatedAt, i.DueAt, i.InitiatorUnitId),
            Provisional = i.Status is not (WorkflowStatus.Completed or WorkflowStatus.Cancelled) && lights.IsProvisional(i.DueAt, i.InitiatorUnitId),
        };
}
