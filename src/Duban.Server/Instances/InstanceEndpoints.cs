using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Tasks;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Duban.Server.Tasks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Instances;

public sealed record StartInstanceRequest(string? DefinitionId, JsonObject? Data);

public sealed record InstanceSummary(
    Guid Id, string Title, string? Number, string DefinitionId, string DefinitionName, int DefinitionVersion,
    string Status, string? Result, string? InitiatorName, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

public sealed record TimelineEntry(
    long Id, string Kind, DateTimeOffset At, string? ActivityId, string? ActivityName, int Round, string? ActorId, string? ActorName,
    Guid? TaskId, string? Outcome, string? Comment, JsonNode? Data);

public sealed record InstanceDetail(
    InstanceSummary Instance, JsonObject Data, string? Incident, IReadOnlyList<TaskSummary> OpenTasks,
    IReadOnlyList<TimelineEntry> Timeline, Guid? ParentInstanceId, IReadOnlyList<InstanceSummary> Children);

public sealed record CancelInstanceRequest(string? Reason);

/// <summary>Items (事项): start with a start form, list, read with timeline, cancel, retry after an incident.</summary>
internal static class InstanceEndpoints
{
    public static RouteGroupBuilder MapInstancesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("事项").RequireAuthorization();

        group.MapPost("/", async Task<Created<InstanceSummary>> (StartInstanceRequest request, HttpContext http, WorkflowRuntime runtime, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.DefinitionId))
                throw new WorkflowInputException("definitionId", "请选择流程类型");
            var instance = await runtime.StartAsync(request.DefinitionId, await http.GetCurrentUserAsync(), request.Data, ct);
            return TypedResults.Created($"/api/instances/{instance.Id}", Summary(instance));
        }).WithSummary("发起事项（填写发起表单）").ProducesValidationProblem();

        group.MapGet("/", async Task<Ok<PagedList<InstanceSummary>>> (int? page, int? pageSize, string? q, string? definitionId, string? status,
            HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var (p, size) = Paging.Normalize(page, pageSize);
            var query = Visible(db, user);
            if (!string.IsNullOrWhiteSpace(q)) query = query.Where(i => i.Title.Contains(q) || (i.Number != null && i.Number.Contains(q)));
            if (!string.IsNullOrWhiteSpace(definitionId)) query = query.Where(i => i.DefinitionId == definitionId);
            if (!string.IsNullOrWhiteSpace(status))
            {
                if (!Enum.TryParse<WorkflowStatus>(status, ignoreCase: true, out var s))
                    throw new WorkflowInputException("status", "状态无效");
                query = query.Where(i => i.Status == s);
            }
            var total = await query.CountAsync(ct);
            var rows = await query.OrderByDescending(i => i.CreatedAt).Skip((p - 1) * size).Take(size).ToListAsync(ct);
            return TypedResults.Ok(new PagedList<InstanceSummary>(rows.Select(Summary).ToList(), total, p, size));
        }).WithSummary("我可见的事项");

        group.MapGet("/{id:guid}", async Task<Ok<InstanceDetail>> (Guid id, HttpContext http, DubanDbContext db, WorkflowRuntime runtime,
            OrganizationCache orgCache, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
            if (instance is null || !await runtime.CanSeeInstanceAsync(user, id, ct)) throw new NotFoundException("事项不存在");
            var org = await orgCache.GetAsync(ct);
            var now = clock.GetUtcNow();
            var open = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open).OrderBy(t => t.CreatedAt).ToListAsync(ct);
            var journal = await db.Journal.AsNoTracking().Where(j => j.InstanceId == id).OrderBy(j => j.Id).ToListAsync(ct);
            var children = await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId == id).OrderBy(i => i.CreatedAt).ToListAsync(ct);
            return TypedResults.Ok(new InstanceDetail(
                Summary(instance),
                WorkflowRuntime.StateOf(instance).Data,
                instance.IncidentMessage,
                open.Select(t => TaskEndpoints.Summary(t, instance.Title, instance.Number, instance.DefinitionId, instance.DefinitionName, org, now)).ToList(),
                journal.Select(j => new TimelineEntry(j.Id, j.Kind.ToString(), j.At, j.ActivityId, j.ActivityName, j.Round, j.ActorId, j.ActorName,
                    j.TaskId, j.Outcome, j.Comment, j.DataJson is null ? null : JsonNode.Parse(j.DataJson))).ToList(),
                instance.ParentInstanceId,
                children.Select(Summary).ToList()));
        }).WithSummary("事项详情与办理过程");

        group.MapPost("/{id:guid}/cancel", async (Guid id, CancelInstanceRequest? request, HttpContext http, WorkflowRuntime runtime, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.IsInRole(Roles.Supervisor) && !user.IsInRole(Roles.Admin)) throw new ForbiddenException("只有督查员或管理员可以撤销事项");
            await runtime.CancelInstanceAsync(id, user, request?.Reason, ct);
            return TypedResults.NoContent();
        }).WithSummary("撤销事项").ProducesProblem(409);

        group.MapPost("/{id:guid}/retry", async (Guid id, HttpContext http, WorkflowRuntime runtime, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.IsInRole(Roles.Admin)) throw new ForbiddenException("只有管理员可以处理运行异常");
            await runtime.RetryIncidentAsync(id, user, ct);
            return TypedResults.NoContent();
        }).WithSummary("异常处理后重试").ProducesProblem(409);

        return group;
    }

    /// <summary>Items this user may see: all for the office, leaders and admins; otherwise their own and their unit's.</summary>
    internal static IQueryable<Duban.Data.Instances.InstanceRecord> Visible(DubanDbContext db, CurrentUser user)
    {
        if (user.SeesAllItems) return db.Instances;
        var unit = user.UnitId;
        return db.Instances.Where(i => i.InitiatorId == user.Id
            || db.InstanceUnits.Any(u => u.InstanceId == i.Id && u.UnitId == unit)
            || db.Tasks.Any(t => t.InstanceId == i.Id && (t.AssigneeUserId == user.Id || t.CompletedById == user.Id)));
    }

    internal static InstanceSummary Summary(Duban.Data.Instances.InstanceRecord i) =>
        new(i.Id, i.Title, i.Number, i.DefinitionId, i.DefinitionName, i.DefinitionVersion, i.Status.ToString(), i.Result,
            i.InitiatorName, i.CreatedAt, i.UpdatedAt, i.FinishedAt);
}
