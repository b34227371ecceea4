using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Instances;

/// <summary>限定知悉范围: confidential or not, and the people and units named on it (ids from the organization's directory).</summary>
public sealed record ItemReadersRequest(bool Restricted, List<string>? UserIds, List<string>? UnitIds)
{
    internal ItemRestriction ToRestriction() => new(Restricted, UserIds, UnitIds);
}

/// <param name="Reason">registered (登记时), task (交办/转办等给了待办), changed (督查部门调整), inherited (随上级事项).</param>
/// <param name="Fixed">Cannot be taken off now: the initiator, or a holder of an open task of the item; <paramref name="FixedWhy"/> says which.</param>
public sealed record ItemReaderView(string Id, string Name, string Reason, DateTimeOffset AddedAt, bool Fixed, string? FixedWhy);

/// <param name="CanChange">The viewer is of the supervision office and may change the list.</param>
public sealed record ItemReadersView(bool Restricted, bool CanChange, IReadOnlyList<ItemReaderView> Users, IReadOnlyList<ItemReaderView> Units);

/// <summary>An item's 知悉范围 (docs/decisions/037): read by whoever sees the item, changed by the supervision office.</summary>
internal static class ItemReaderEndpoints
{
    public static RouteGroupBuilder MapItemReadersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances/{id:guid}/readers").WithTags("事项").RequireAuthorization();

        group.MapGet("/", async Task<Ok<ItemReadersView>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
            TypedResults.Ok(await ViewAsync(db, await http.GetCurrentUserAsync(), await orgCache.GetAsync(ct), id, ct)))
            .WithSummary("事项的知悉范围（是否限定、名单中的人员和单位）");

        group.MapPut("/", async Task<Ok<ItemReadersView>> (Guid id, ItemReadersRequest request, HttpContext http, DubanDbContext db,
            OrganizationCache orgCache, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new ChangeItemReaders(id, user, request.ToRestriction()), ct);
            return TypedResults.Ok(await ViewAsync(db, user, await orgCache.GetAsync(ct), id, ct));
        }).WithSummary("调整知悉范围（督查部门）：设为或取消限定知悉范围、增减名单中的人员和单位；移出的人员立即看不到该事项")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        return group;
    }

    private static async Task<ItemReadersView> ViewAsync(DubanDbContext db, CurrentUser user, OrganizationSnapshot org, Guid id, CancellationToken ct)
    {
        // Taken off the list just now (by himself): the item is gone for him, as for anyone not named.
        var instance = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => i.Id == id)
            .Select(i => new { i.InitiatorId, i.IsRestricted }).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("事项不存在");
        var rows = instance.IsRestricted
            ? await db.ItemReaders.AsNoTracking().Where(r => r.InstanceId == id).OrderBy(r => r.Id).ToListAsync(ct)
            : [];
        var holders = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open)
            .Select(t => new { t.AssigneeUserId, t.CandidateUnitId }).ToListAsync(ct);
        string? FixedWhy(ItemReaderRecord r) =>
            r.UserId is not null && r.UserId == instance.InitiatorId ? "发起人"
            : holders.Any(h => (r.UserId is not null && h.AssigneeUserId == r.UserId) || (r.UnitId is not null && h.AssigneeUserId is null && h.CandidateUnitId == r.UnitId))
                ? "有未办结的待办" : null;
        ItemReaderView View(ItemReaderRecord r, string name) => new(r.UserId ?? r.UnitId!, name, r.Reason, r.AddedAt, FixedWhy(r) is not null, FixedWhy(r));
        return new ItemReadersView(instance.IsRestricted, ItemReaderList.MayChange(user),
            rows.Where(r => r.UserId is not null).Select(r => View(r, org.FindUser(r.UserId!)?.DisplayName ?? r.UserId!)).ToList(),
            rows.Where(r => r.UnitId is not null).Select(r => View(r, org.FindUnit(r.UnitId!)?.Name ?? r.UnitId!)).ToList());
    }
}
