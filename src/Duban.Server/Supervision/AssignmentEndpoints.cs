using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

public sealed record AddAssignmentUnitRequest(string? UnitId, string? Reason);
public sealed record ReplaceAssignmentUnitRequest(string? NewUnitId, string? Reason);
public sealed record RemoveAssignmentUnitRequest(string? Reason);

/// <summary>
/// 交办 steps of an item: who is 主办 and 协办, what each submitted; and the supervision office's changes while a step
/// waits — add a 协办, replace a unit, remove a 协办. Each change is one event on the item (journaled; 409 to the
/// loser of a race).
/// </summary>
internal static class AssignmentEndpoints
{
    public static RouteGroupBuilder MapAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances/{id:guid}/assignments").WithTags("交办").RequireAuthorization();

        group.MapGet("/", async Task<Ok<IReadOnlyList<AssignmentStepView>>> (Guid id, HttpContext http, DubanDbContext db,
            OrganizationCache orgCache, DefinitionCache definitions, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var (instance, definition) = await LoadAsync(db, definitions, user, id, ct);
            return TypedResults.Ok(await AssignmentViews.ForInstanceAsync(db, instance, definition, await orgCache.GetAsync(ct), user, ct));
        }).WithSummary("事项的交办情况：主办、协办单位及其提交的意见");

        group.MapPost("/{activityId}/units", async Task<Ok<AssignmentStepView>> (Guid id, string activityId, AddAssignmentUnitRequest request,
            HttpContext http, WriteDoor door, DubanDbContext db, OrganizationCache orgCache, DefinitionCache definitions, CancellationToken ct) =>
        {
            var (user, instance, definition) = await OfficeAsync(http, db, definitions, id, activityId, ct);
            var errors = new Dictionary<string, string>();
            if (string.IsNullOrWhiteSpace(request.UnitId)) errors["unitId"] = "请选择要增加的协办单位";
            Reason(request.Reason, errors);
            Refuse(errors);
            return await ChangeAsync(door, db, orgCache, user, instance.Id, definition, activityId,
                new JsonObject { ["action"] = AssignActivity.ActionAdd, ["unitId"] = request.UnitId!.Trim(), ["role"] = AssignActivity.Co },
                request.Reason!, ct);
        }).WithSummary("增加协办单位（督查员、管理员）").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/{activityId}/units/{unitId}/replace", async Task<Ok<AssignmentStepView>> (Guid id, string activityId, string unitId,
            ReplaceAssignmentUnitRequest request, HttpContext http, WriteDoor door, DubanDbContext db, OrganizationCache orgCache,
            DefinitionCache definitions, CancellationToken ct) =>
        {
            var (user, instance, definition) = await OfficeAsync(http, db, definitions, id, activityId, ct);
            var errors = new Dictionary<string, string>();
            if (string.IsNullOrWhiteSpace(request.NewUnitId)) errors["newUnitId"] = "请选择替换后的单位";
            Reason(request.Reason, errors);
            Refuse(errors);
            return await ChangeAsync(door, db, orgCache, user, instance.Id, definition, activityId,
                new JsonObject { ["action"] = AssignActivity.ActionReplace, ["unitId"] = unitId, ["newUnitId"] = request.NewUnitId!.Trim() },
                request.Reason!, ct);
        }).WithSummary("替换主办或协办单位（原单位未办结的待办取消，新单位收到待办）").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/{activityId}/units/{unitId}/remove", async Task<Ok<AssignmentStepView>> (Guid id, string activityId, string unitId,
            RemoveAssignmentUnitRequest request, HttpContext http, WriteDoor door, DubanDbContext db, OrganizationCache orgCache,
            DefinitionCache definitions, CancellationToken ct) =>
        {
            var (user, instance, definition) = await OfficeAsync(http, db, definitions, id, activityId, ct);
            var errors = new Dictionary<string, string>();
            Reason(request.Reason, errors);
            Refuse(errors);
            return await ChangeAsync(door, db, orgCache, user, instance.Id, definition, activityId,
                new JsonObject { ["action"] = AssignActivity.ActionRemove, ["unitId"] = unitId }, request.Reason!, ct);
        }).WithSummary("移除协办单位（其未办结的待办取消）").ProducesValidationProblem().ProducesProblem(409);

        return group;
    }

    /// <summary>The most a reason may say; the journal keeps it whole.</summary>
    private const int MaxReasonLength = 2000;

    private static void Reason(string? reason, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(reason)) errors["reason"] = "请填写调整理由";
        else if (reason.Length > MaxReasonLength) errors["reason"] = $"调整理由不能超过 {MaxReasonLength} 字";
    }

    private static void Refuse(Dictionary<string, string> errors)
    {
        if (errors.Count > 0)
            throw new WorkflowInputException("请检查标出的内容", errors.Select(e => new Duban.Engine.Forms.FieldError(e.Key, e.Value)).ToList());
    }

    /// <summary>Not visible → 404; not the supervision office → 403; no such 交办 step in the procedure → 404.</summary>
    private static async Task<(CurrentUser, Duban.Data.Instances.InstanceRecord, WorkflowDefinition)> OfficeAsync(
        HttpContext http, DubanDbContext db, DefinitionCache definitions, Guid id, string activityId, CancellationToken ct)
    {
        var user = await http.GetCurrentUserAsync();
        var (instance, definition) = await LoadAsync(db, definitions, user, id, ct);
        if (!user.Has(Permission.Supervise))
            throw new ForbiddenException("只有督查员或管理员可以调整交办单位");
        if (definition.Root.Find(activityId)?.Type != ActivityTypes.Assign)
            throw new NotFoundException($"该事项的流程中没有交办环节「{activityId}」");
        return (user, instance, definition);
    }

    private static async Task<Ok<AssignmentStepView>> ChangeAsync(WriteDoor door, DubanDbContext db, OrganizationCache orgCache,
        CurrentUser user, Guid id, WorkflowDefinition definition, string activityId, JsonObject data, string reason, CancellationToken ct)
    {
        await door.RunAsync(new ChangeAssignment(id, activityId, user, data, reason), ct);
        var instance = await db.Instances.AsNoTracking().FirstAsync(i => i.Id == id, ct);
        var views = await AssignmentViews.ForInstanceAsync(db, instance, definition, await orgCache.GetAsync(ct), user, ct);
        return TypedResults.Ok(views.Last(v => v.ActivityId == activityId && v.Active));
    }

    private static async Task<(Duban.Data.Instances.InstanceRecord, WorkflowDefinition)> LoadAsync(
        DubanDbContext db, DefinitionCache definitions, CurrentUser user, Guid id, CancellationToken ct)
    {
        var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct)
            ?? throw new NotFoundException("事项不存在");
        var record = await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct);
        return (instance, definitions.Get(record));
    }
}
