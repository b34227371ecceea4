using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Instances;

/// <summary>An open task of a stuck item, which an administrator may hand to someone else (转办).</summary>
public sealed record IncidentTask(Guid Id, string Name, string? AssigneeName);

/// <summary>
/// One item stopped on an incident (运行异常), with its cause in Chinese and the ways out this item has.
/// </summary>
/// <param name="Cause">What stopped it, as the engine said it.</param>
/// <param name="Advice">What to do about it, in a sentence.</param>
/// <param name="CanAssign">The stuck step is a human step: it can be handed to a named person (转办) and run again.</param>
/// <param name="LatestVersion">The procedure's latest published version, when newer than the item's (迁移到最新版本).</param>
public sealed record IncidentView(
    Guid InstanceId, string Title, string? Number, string DefinitionId, string DefinitionName, int Version, int? LatestVersion,
    string? ActivityId, string? ActivityName, string Cause, string Advice, DateTimeOffset? At, bool CanAssign, IReadOnlyList<IncidentTask> OpenTasks);

public sealed record AssignIncidentRequest(string? ToUserId);

public sealed record MigrateResult(int Version);

/// <summary>
/// 运行异常: the administrator's view of stuck items and the ways out — 重试 (POST /api/instances/{id}/retry), 取消
/// (POST /api/instances/{id}/cancel), 迁移到最新版本, 转办 (the stuck step, or an open task, to another person).
/// docs/decisions/032.
/// </summary>
internal static class IncidentEndpoints
{
    public static RouteGroupBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/incidents").WithTags("运行异常").RequireAuthorization();

        group.MapGet("/", async Task<Ok<List<IncidentView>>> (HttpContext http, DubanDbContext db, DefinitionCache definitions, OrganizationCache orgCache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有管理员可以查看运行异常");
            var org = await orgCache.GetAsync(ct);
            var items = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => i.Status == WorkflowStatus.Faulted)
                .OrderBy(i => i.UpdatedAt).Take(500).ToListAsync(ct);
            var ids = items.Select(i => i.Id).ToList();
            var open = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open).ToListAsync(ct))
                .ToLookup(t => t.InstanceId);
            var procedureIds = items.Select(i => i.DefinitionId).Distinct().ToList();
            var organizationId = user.OrganizationId;
            var latest = (await db.Definitions.AsNoTracking().Where(d => d.OrganizationId == organizationId && procedureIds.Contains(d.DefinitionId) && d.IsPublished)
                    .Select(d => new { d.DefinitionId, d.Version }).ToListAsync(ct))
                .GroupBy(d => d.DefinitionId).ToDictionary(g => g.Key, g => g.Max(d => d.Version));
            var views = new List<IncidentView>();
            foreach (var item in items)
            {
                var state = Duban.Data.Runtime.ItemWriter.StateOf(item);
                if (!definitions.TryGetPublished(item.DefinitionRecordId, out var definition))
                    definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == item.DefinitionRecordId, ct));
                var node = state.Incident is { } incident ? definition.Root.Find(incident.ActivityId) : null;
                var newer = latest.TryGetValue(item.DefinitionId, out var v) && v > item.DefinitionVersion ? v : (int?)null;
                var canAssign = node?.Type is ActivityTypes.UserTask or ActivityTypes.Notify;
                var cause = state.Incident?.Message ?? item.IncidentMessage ?? "原因未记录";
                views.Add(new IncidentView(item.Id, item.Title, item.Number, item.DefinitionId, item.DefinitionName, item.DefinitionVersion, newer,
                    state.Incident?.ActivityId, node?.DisplayName ?? state.Incident?.ActivityId, cause, Advice(cause, canAssign, newer),
                    state.Incident?.At, canAssign,
                    open[item.Id].Select(t => new IncidentTask(t.Id, t.Name,
                        t.AssigneeUserId is { } a ? org.FindUser(a)?.DisplayName ?? a : t.CandidateRole ?? (t.CandidateUnitId is { } u ? org.FindUnit(u)?.Name : null))).ToList()));
            }
            return TypedResults.Ok(views);
        }).WithSummary("运行异常的事项（管理员）：原因与处理办法").ProducesProblem(403);

        group.MapPost("/{id:guid}/assign", async (Guid id, AssignIncidentRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.ToUserId)) throw new WorkflowInputException("toUserId", "请选择转办对象");
            await door.RunAsync(new RetryIncident(id, await http.GetCurrentUserAsync(), request.ToUserId), ct);
            return TypedResults.NoContent();
        }).WithSummary("转办：指定异常环节的办理人后继续（管理员）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        group.MapPost("/{id:guid}/migrate", async Task<Ok<MigrateResult>> (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var version = await door.RunAsync(new MigrateItem(id, await http.GetCurrentUserAsync()), ct);
            return TypedResults.Ok(new MigrateResult(version));
        }).WithSummary("迁移到最新版本并从异常处继续（管理员）").ProducesProblem(403).ProducesProblem(409);

        return group;
    }

    /// <summary>The way out that fits the cause best, in a sentence an administrator acts on.</summary>
    internal static string Advice(string cause, bool canAssign, int? newer)
    {
        if (canAssign && cause.Contains("办理人", StringComparison.Ordinal))
            return "该环节找不到办理人：请「转办」给指定人员后继续，或在人员设置中补齐后「重试」。";
        if (newer is not null)
            return $"流程已发布第 {newer} 版：若新版本已修正该问题，请「迁移到最新版本」；否则修正设置后「重试」。";
        if (cause.Contains("脚本", StringComparison.Ordinal) || cause.Contains("条件", StringComparison.Ordinal) || cause.Contains("找不到节点", StringComparison.Ordinal))
            return "流程设计有误：请在设计器中修正并发布新版本，再「迁移到最新版本」。";
        return "排除原因后「重试」；该事项不再需要办理时可「取消」。";
    }
}
