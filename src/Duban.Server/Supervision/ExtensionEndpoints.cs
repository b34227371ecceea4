using System.Text.Json;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

public sealed record ExtensionStageView(int Index, string Stage, string Name);

/// <summary>One extension request (延期申请) with its whole history.</summary>
/// <param name="Status"><c>pending</c>, <c>approved</c> or <c>rejected</c>.</param>
/// <param name="Stage">Index into <paramref name="Stages"/> of the stage waiting for a decision (pending only).</param>
/// <param name="CanDecide">Whether the signed-in user may decide the waiting stage.</param>
public sealed record ExtensionView(
    Guid Id, Guid InstanceId, string? ItemTitle, string? ItemNumber, string UnitId, string UnitName, string RequestedById, string? RequestedByName,
    DateTimeOffset RequestedAt, string Reason, DateTimeOffset CurrentDueAt, DateTimeOffset RequestedDueAt, string Status,
    IReadOnlyList<ExtensionStageView> Stages, int Stage, string? StageName, IReadOnlyList<ExtensionDecision> Decisions,
    DateTimeOffset? DecidedAt, bool Late, Guid? ApprovalTaskId, bool CanDecide, string? Warning = null);

/// <summary>The item page's 延期 panel: may this user ask now (and why not), and every request so far.</summary>
public sealed record ItemExtensions(ExtensionEligibility Eligibility, IReadOnlyList<ExtensionView> Requests);

/// <summary>A unit asks: why, and the new date (yyyy-MM-dd).</summary>
public sealed record RequestExtensionRequest(string? Reason, string? NewDueDate);

/// <summary>A decision on the waiting stage; an opinion is required to reject.</summary>
public sealed record DecideExtensionRequest(bool? Approve, string? Opinion);

/// <summary>Extension requests: a unit asks before its deadline; the office (and a leader if configured) decide.</summary>
internal static class ExtensionEndpoints
{
    public static void MapExtensionsApi(this IEndpointRouteBuilder app)
    {
        var item = app.MapGroup("/api/instances/{id:guid}/extensions").WithTags("延期申请").RequireAuthorization();

        item.MapGet("/", async Task<Ok<ItemExtensions>> (Guid id, HttpContext http, ExtensionQueries extensions, DubanDbContext db,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var requests = await extensions.ListAsync(id, user, ct);
            var eligibility = await extensions.EligibilityAsync(id, user, ct);
            return TypedResults.Ok(new ItemExtensions(eligibility, await ViewsAsync(requests, user, db, await orgCache.GetAsync(ct), ct)));
        }).WithSummary("事项的延期申请及本人能否申请");

        item.MapPost("/", async Task<Created<ExtensionView>> (Guid id, RequestExtensionRequest request, HttpContext http, WriteDoor door,
            DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var created = await door.RunAsync(new RequestExtension(id, user, request.Reason, request.NewDueDate), ct);
            var view = (await ViewsAsync([created], user, db, await orgCache.GetAsync(ct), ct))[0];
            return TypedResults.Created($"/api/extensions/{created.Id}", view);
        }).WithSummary("申请延期（须在办理时限前，除非管理员允许逾期申请）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        var group = app.MapGroup("/api/extensions").WithTags("延期申请").RequireAuthorization();

        group.MapGet("/", async Task<Ok<List<ExtensionView>>> (string? status, HttpContext http, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (status is not (null or "" or ExtensionStatus.Pending or ExtensionStatus.Approved or ExtensionStatus.Rejected))
                throw new WorkflowInputException("status", "状态只能是 pending（待审批）、approved（已同意）或 rejected（不同意）");
            var visible = ItemVisibility.Visible(db, user).Select(i => i.Id);
            var query = db.Set<ExtensionRecord>().AsNoTracking().Where(e => visible.Contains(e.InstanceId));
            if (!string.IsNullOrEmpty(status)) query = query.Where(e => e.Status == status);
            var rows = await query.OrderByDescending(e => e.RequestedAt).Take(200).ToListAsync(ct);
            return TypedResults.Ok((await ViewsAsync(rows, user, db, await orgCache.GetAsync(ct), ct)).ToList());
        }).WithSummary("我可见的延期申请（最近 200 条），可按状态筛选");

        group.MapGet("/{extensionId:guid}", async Task<Ok<ExtensionView>> (Guid extensionId, HttpContext http, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var row = await db.Set<ExtensionRecord>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == extensionId, ct);
            if (row is null || !await ItemVisibility.CanSeeAsync(db, user, row.InstanceId, ct)) throw new NotFoundException("延期申请不存在");
            return TypedResults.Ok((await ViewsAsync([row], user, db, await orgCache.GetAsync(ct), ct))[0]);
        }).WithSummary("延期申请详情");

        group.MapPost("/{extensionId:guid}/decide", async Task<Ok<ExtensionView>> (Guid extensionId, DecideExtensionRequest request, HttpContext http,
            WriteDoor door, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new DecideExtension(extensionId, user, request.Approve, request.Opinion), ct);
            var row = await db.Set<ExtensionRecord>().AsNoTracking().FirstAsync(e => e.Id == extensionId, ct);
            return TypedResults.Ok((await ViewsAsync([row], user, db, await orgCache.GetAsync(ct), ct))[0]);
        }).WithSummary("审批延期申请（督查部门；配置了领导审批时再由领导审批）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
    }

    private static async Task<IReadOnlyList<ExtensionView>> ViewsAsync(IReadOnlyList<ExtensionRecord> rows, CurrentUser user, DubanDbContext db,
        OrganizationSnapshot org, CancellationToken ct)
    {
        var ids = rows.Select(r => r.InstanceId).Distinct().ToList();
        var items = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.Title, i.Number }).ToDictionaryAsync(i => i.Id, ct);
        return rows.Select(e =>
        {
            var stages = JsonSerializer.Deserialize<List<string>>(e.StagesJson, DefinitionJson.Options) ?? [];
            var pending = e.Status == ExtensionStatus.Pending;
            var item = items.GetValueOrDefault(e.InstanceId);
            return new ExtensionView(e.Id, e.InstanceId, item?.Title, item?.Number, e.UnitId, org.FindUnit(e.UnitId)?.Name ?? e.UnitId,
                e.RequestedById, e.RequestedByName, e.RequestedAt, e.Reason, e.CurrentDueAt, e.RequestedDueAt, e.Status,
                stages.Select((s, i) => new ExtensionStageView(i, s, ExtensionApproval.StageName(s))).ToList(),
                e.Stage, pending ? ExtensionApproval.StageName(stages[e.Stage]) : null,
                JsonSerializer.Deserialize<List<ExtensionDecision>>(e.DecisionsJson, DefinitionJson.Options) ?? [],
                e.DecidedAt, e.Late, e.ApprovalTaskId, pending && ExtensionApproval.MayDecide(user, stages[e.Stage], org, e.UnitId),
                ExtensionApproval.RestDayWarning(org, e));
        }).ToList();
    }
}
