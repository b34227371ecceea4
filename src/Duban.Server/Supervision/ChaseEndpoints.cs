using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Directory;
using Duban.Engine.Forms;
using Duban.Engine.Scoring;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Supervision;

/// <summary>One chase (催办) of one unit on one item.</summary>
/// <param name="Trigger"><c>auto</c> (raised by the ladder) or <c>manual</c> (by hand).</param>
/// <param name="Status"><c>open</c> (to be recorded, or waiting for the unit's reply), <c>done</c>, <c>cancelled</c>.</param>
/// <param name="Record">What the chaser recorded (fields of <paramref name="RecordForm"/>).</param>
/// <param name="Reply">The unit's written reply (fields of the <c>chase.reply</c> form: reasons, progress, measures).</param>
public sealed record ChaseView(
    Guid Id, Guid InstanceId, string UnitId, string UnitName, string RungKey, string RungName, int RungIndex, int Cycle, string Trigger,
    string? ScoreEvent, string? ScoreEventLabel, DateTimeOffset RaisedAt, string? RaisedByName, DateTimeOffset? DueAt, string Status,
    string? Actor, string? ActorUserId, string? ActorName, DateTimeOffset? FellDueAt, string? RecordKind, FormDefinition? RecordForm, JsonNode? Record, DateTimeOffset? RecordedAt, string? RecordedByName, Guid? ActionTaskId,
    string? NoticeTitle, string? NoticeText, bool ReplyRequired, DateTimeOffset? ReplyDueAt, Guid? NoticeTaskId, JsonNode? Reply,
    DateTimeOffset? RepliedAt, string? RepliedByName, string? Note, string? CancelReason);

/// <summary>The item's 专人 (<c>userId</c>, name, who named them and when).</summary>
public sealed record ItemOwnerView(string UserId, string UserName, DateTimeOffset NamedAt, string? NamedByName);

/// <summary>A person who may be named a rung's actor or an item's 专人: 督查员, leaders and administrators of the organization.</summary>
public sealed record ChasePersonView(string Id, string DisplayName, string? UnitName);

/// <summary>
/// The item page's 催办 panel: the rungs that may be raised here, every chase so far, the item's 专人 (null: none named),
/// and whether the user may name one (<paramref name="CanNameOwner"/>, with the people to choose from).
/// </summary>
public sealed record ItemChases(IReadOnlyList<LadderRung> Ladder, IReadOnlyList<ChaseView> Chases, bool CanRaise, ItemOwnerView? Owner = null,
    bool CanNameOwner = false, IReadOnlyList<ChasePersonView>? People = null);

/// <summary>The 专人 to name; null or empty takes the naming back.</summary>
public sealed record NameItemOwnerRequest(string? UserId);

/// <summary>Raise a rung by hand against a unit; a rung that records something needs <c>record</c> (its form's fields).</summary>
public sealed record RaiseChaseRequest(string? UnitId, string? RungKey, JsonObject? Record, string? Note);

public sealed record RecordChaseRequest(JsonObject? Record);

public sealed record CancelChaseRequest(string? Reason);

public sealed record NamedValue(string Value, string Label);

/// <summary>
/// The organization's chasing ladder as administrators edit it, with what a rung can use: record forms, score events,
/// roles. <paramref name="IsDefault"/>: the shipped county ladder is in force.
/// </summary>
/// <param name="People">Who may be a rung's named person.</param>
public sealed record LadderSettings(string OrganizationId, bool IsDefault, IReadOnlyList<LadderRung> Rungs,
    IReadOnlyDictionary<string, FormDefinition> RecordForms, IReadOnlyList<NamedValue> ScoreEvents, IReadOnlyList<string> Actors,
    IReadOnlyList<ChasePersonView>? People = null);

/// <summary>The new ladder; null (or an empty body) goes back to the shipped default.</summary>
public sealed record SaveLadderRequest(JsonNode? Rungs);

/// <summary>催办: the ladder's rungs on an item, by hand and as logged; the organization's ladder.</summary>
internal static class ChaseEndpoints
{
    public static void MapChasingApi(this IEndpointRouteBuilder app)
    {
        var item = app.MapGroup("/api/instances/{id:guid}/chases").WithTags("催办").RequireAuthorization();

        item.MapGet("/", async Task<Ok<ItemChases>> (Guid id, HttpContext http, ChaseQueries chases, OrganizationCache orgCache, SupervisionSettings settings,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var rows = (await chases.ListAsync(id, user, ct)).Where(c => ChaseQueries.MaySee(user, c)).ToList();
            var ladder = await chases.LadderForAsync(id, user, ct);
            var org = await orgCache.GetAsync(ct);
            var organizationId = OrganizationScope.Require(user);
            var catalog = await settings.ScoreEventsAsync(organizationId, ct);
            var owner = await chases.OwnerAsync(id, ct);
            var canName = user.Has(Permission.Supervise);
            return TypedResults.Ok(new ItemChases(ladder, rows.Select(c => View(c, org, catalog)).ToList(),
                user.Has(Permission.Supervise) || ladder.Any(r => user.IsInRole(r.Actor) && r.Actor != Roles.Liaison) || owner?.UserId == user.Id
                    || ladder.Any(r => r.Person == user.Id),
                owner is null ? null : new ItemOwnerView(owner.UserId, owner.UserName, owner.NamedAt, owner.NamedByName),
                canName, canName ? People(org, organizationId) : null));
        }).WithSummary("事项的催办记录、可用的催办方式与专人");

        app.MapPut("/api/instances/{id:guid}/owner", async Task<Ok<ItemChases>> (Guid id, NameItemOwnerRequest request, HttpContext http, WriteDoor door,
            ChaseQueries chases, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new NameItemOwner(id, user, request.UserId), ct);
            var org = await orgCache.GetAsync(ct);
            var organizationId = OrganizationScope.Require(user);
            var owner = await chases.OwnerAsync(id, ct);
            var catalog = await settings.ScoreEventsAsync(organizationId, ct);
            return TypedResults.Ok(new ItemChases(await chases.LadderForAsync(id, user, ct),
                (await chases.ListAsync(id, user, ct)).Select(c => View(c, org, catalog)).ToList(), true,
                owner is null ? null : new ItemOwnerView(owner.UserId, owner.UserName, owner.NamedAt, owner.NamedByName), true, People(org, organizationId)));
        }).WithTags("催办").RequireAuthorization()
            .WithSummary("指定或撤销事项的专人（督查员；userId 为空时撤销）：阶梯中“由事项专人办理”的催办交给专人")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        item.MapPost("/", async Task<Created<ChaseView>> (Guid id, RaiseChaseRequest request, HttpContext http, WriteDoor door,
            OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var raised = await door.RunAsync(new RaiseChase(id, user, request.UnitId, request.RungKey, request.Record, request.Note), ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Created($"/api/chases/{raised.Id}", View(raised, org, await CatalogAsync(org, raised.UnitId, settings, ct)));
        }).WithSummary("手动催办（电话催办须同时登记通话情况）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        var group = app.MapGroup("/api/chases").WithTags("催办").RequireAuthorization();

        group.MapGet("/{chaseId:guid}", async Task<Ok<ChaseView>> (Guid chaseId, HttpContext http, ChaseQueries chases, OrganizationCache orgCache,
            SupervisionSettings settings, CancellationToken ct) =>
        {
            var chase = await chases.FindAsync(chaseId, await http.GetCurrentUserAsync(), ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(View(chase, org, await CatalogAsync(org, chase.UnitId, settings, ct)));
        }).WithSummary("催办记录详情");

        group.MapPost("/{chaseId:guid}/record", async Task<Ok<ChaseView>> (Guid chaseId, RecordChaseRequest request, HttpContext http,
            WriteDoor door, ChaseQueries chases, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new RecordChase(chaseId, user, request.Record), ct);
            var chase = await chases.FindAsync(chaseId, user, ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(View(chase, org, await CatalogAsync(org, chase.UnitId, settings, ct)));
        }).WithSummary("登记自动催办的情况（电话记录、现场督办记录等）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        group.MapPost("/{chaseId:guid}/cancel", async Task<Ok<ChaseView>> (Guid chaseId, CancelChaseRequest request, HttpContext http,
            WriteDoor door, ChaseQueries chases, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new WithdrawChase(chaseId, user, request.Reason), ct);
            var chase = await chases.FindAsync(chaseId, user, ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(View(chase, org, await CatalogAsync(org, chase.UnitId, settings, ct)));
        }).WithSummary("撤销误发的催办（不再计入考核）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        var ladder = app.MapGroup("/api/chasing").WithTags("催办").RequireAuthorization();

        ladder.MapGet("/ladder", async Task<Ok<LadderSettings>> (HttpContext http, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var organizationId = OrganizationScope.Require(user);
            return TypedResults.Ok(await LadderViewAsync(org, organizationId, settings, ct));
        }).WithSummary("本单位的催办阶梯（未设置时为系统默认：县级督查督办工作方案）");

        ladder.MapPut("/ladder", async Task<Ok<LadderSettings>> (SaveLadderRequest request, HttpContext http, OrganizationCache orgCache,
            SupervisionSettings settings, WriteDoor door, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var saved = await door.RunAsync(new SaveLadder(user, request.Rungs), ct);
            return TypedResults.Ok(await LadderViewAsync(await orgCache.GetAsync(ct), saved.OrganizationId, settings, ct));
        }).WithSummary("保存本单位的催办阶梯（rungs 为 null 时恢复默认）").ProducesValidationProblem().ProducesProblem(403);
    }

    private static async Task<LadderSettings> LadderViewAsync(OrganizationSnapshot org, string organizationId, SupervisionSettings settings, CancellationToken ct)
    {
        var row = await settings.FindAsync(organizationId, ct);
        var catalog = SupervisionSettings.Catalog(row?.ScoreEventsJson);
        return new LadderSettings(organizationId, row?.LadderJson is null, await settings.LadderAsync(organizationId, ct),
            ChaseRecords.All.Append(ChaseRecords.Reply).ToDictionary(k => k, k => ChaseRecords.Form(k)!),
            catalog.Events.Select(e => new NamedValue(e.Key, e.Name)).ToList(), org.BusinessRolesOf(organizationId), People(org, organizationId));
    }

    /// <summary>Who may be named to act on chases: the organization's 督查员, leaders and administrators (docs/decisions/027).</summary>
    private static List<ChasePersonView> People(OrganizationSnapshot org, string organizationId) =>
        org.Units.Where(u => OrganizationScope.OrganizationOf(org, u.Id) == organizationId)
            .SelectMany(u => new[] { Roles.Supervisor, Roles.Leader, Roles.Admin }.SelectMany(r => org.UsersInRole(r, u.Id)))
            .DistinctBy(p => p.Id).OrderBy(p => p.DisplayName, StringComparer.Ordinal)
            .Select(p => new ChasePersonView(p.Id, p.DisplayName, org.FindUnit(p.UnitId ?? "")?.Name)).ToList();

    private static async Task<ScoreEventCatalog> CatalogAsync(OrganizationSnapshot org, string unitId, SupervisionSettings settings, CancellationToken ct) =>
        await settings.ScoreEventsAsync(OrganizationScope.OrganizationOf(org, unitId) ?? unitId, ct);

    internal static ChaseView View(ChaseRecord c, OrganizationSnapshot org, ScoreEventCatalog catalog) => new(
        c.Id, c.InstanceId, c.UnitId, org.FindUnit(c.UnitId)?.Name ?? c.UnitId, c.RungKey, c.RungName, c.RungIndex, c.Cycle, c.Trigger,
        c.ScoreEvent, c.ScoreEvent is null ? null : catalog.Label(c.ScoreEvent), c.RaisedAt, c.RaisedByName, c.DueAt, c.Status,
        c.Actor, c.ActorUserId, c.ActorUserId is null ? null : org.FindUser(c.ActorUserId)?.DisplayName, c.FellDueAt, c.RecordKind, ChaseRecords.Form(c.RecordKind), c.RecordJson is null ? null : JsonNode.Parse(c.RecordJson), c.RecordedAt, c.RecordedByName,
        c.ActionTaskId, c.NoticeTitle, c.NoticeText, c.ReplyRequired, c.ReplyDueAt, c.NoticeTaskId,
        c.ReplyJson is null ? null : JsonNode.Parse(c.ReplyJson), c.RepliedAt, c.RepliedByName, c.Note, c.CancelReason);
}
