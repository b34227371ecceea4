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
    string? Actor, string? RecordKind, FormDefinition? RecordForm, JsonNode? Record, DateTimeOffset? RecordedAt, string? RecordedByName, Guid? ActionTaskId,
    string? NoticeTitle, string? NoticeText, bool ReplyRequired, DateTimeOffset? ReplyDueAt, Guid? NoticeTaskId, JsonNode? Reply,
    DateTimeOffset? RepliedAt, string? RepliedByName, string? Note, string? CancelReason);

/// <summary>The item page's 催办 panel: the rungs that may be raised here, and every chase so far.</summary>
public sealed record ItemChases(IReadOnlyList<LadderRung> Ladder, IReadOnlyList<ChaseView> Chases, bool CanRaise);

/// <summary>Raise a rung by hand against a unit; a rung that records something needs <c>record</c> (its form's fields).</summary>
public sealed record RaiseChaseRequest(string? UnitId, string? RungKey, JsonObject? Record, string? Note);

public sealed record RecordChaseRequest(JsonObject? Record);

public sealed record CancelChaseRequest(string? Reason);

public sealed record NamedValue(string Value, string Label);

/// <summary>
/// The organization's chasing ladder as administrators edit it, with what a rung can use: record forms, score events,
/// roles. <paramref name="IsDefault"/>: the shipped county ladder is in force.
/// </summary>
public sealed record LadderSettings(string OrganizationId, bool IsDefault, IReadOnlyList<LadderRung> Rungs,
    IReadOnlyDictionary<string, FormDefinition> RecordForms, IReadOnlyList<NamedValue> ScoreEvents, IReadOnlyList<string> Actors);

/// <summary>The new ladder; null (or an empty body) goes back to the shipped default.</summary>
public sealed record SaveLadderRequest(JsonNode? Rungs);

/// <summary>催办: the ladder's rungs on an item, by hand and as logged; the organization's ladder.</summary>
internal static class ChaseEndpoints
{
    public static void MapChasingApi(this IEndpointRouteBuilder app)
    {
        var item = app.MapGroup("/api/instances/{id:guid}/chases").WithTags("催办").RequireAuthorization();

        item.MapGet("/", async Task<Ok<ItemChases>> (Guid id, HttpContext http, ChaseQueries chases, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var rows = (await chases.ListAsync(id, user, ct)).Where(c => ChaseQueries.MaySee(user, c)).ToList();
            var ladder = await chases.LadderForAsync(id, user, ct);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(new ItemChases(ladder, rows.Select(c => View(c, org)).ToList(),
                user.IsInRole(Roles.Supervisor) || ladder.Any(r => user.IsInRole(r.Actor) && r.Actor != Roles.Liaison)));
        }).WithSummary("事项的催办记录与可用的催办方式");

        item.MapPost("/", async Task<Created<ChaseView>> (Guid id, RaiseChaseRequest request, HttpContext http, WriteDoor door,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var raised = await door.RunAsync(new RaiseChase(id, user, request.UnitId, request.RungKey, request.Record, request.Note), ct);
            return TypedResults.Created($"/api/chases/{raised.Id}", View(raised, await orgCache.GetAsync(ct)));
        }).WithSummary("手动催办（电话催办须同时登记通话情况）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        var group = app.MapGroup("/api/chases").WithTags("催办").RequireAuthorization();

        group.MapGet("/{chaseId:guid}", async Task<Ok<ChaseView>> (Guid chaseId, HttpContext http, ChaseQueries chases, OrganizationCache orgCache, CancellationToken ct) =>
            TypedResults.Ok(View(await chases.FindAsync(chaseId, await http.GetCurrentUserAsync(), ct), await orgCache.GetAsync(ct))))
            .WithSummary("催办记录详情");

        group.MapPost("/{chaseId:guid}/record", async Task<Ok<ChaseView>> (Guid chaseId, RecordChaseRequest request, HttpContext http,
            WriteDoor door, ChaseQueries chases, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new RecordChase(chaseId, user, request.Record), ct);
            return TypedResults.Ok(View(await chases.FindAsync(chaseId, user, ct), await orgCache.GetAsync(ct)));
        }).WithSummary("登记自动催办的情况（电话记录、现场督办记录等）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        group.MapPost("/{chaseId:guid}/cancel", async Task<Ok<ChaseView>> (Guid chaseId, CancelChaseRequest request, HttpContext http,
            WriteDoor door, ChaseQueries chases, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new WithdrawChase(chaseId, user, request.Reason), ct);
            return TypedResults.Ok(View(await chases.FindAsync(chaseId, user, ct), await orgCache.GetAsync(ct)));
        }).WithSummary("撤销误发的催办（不再计入考核）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        var ladder = app.MapGroup("/api/chasing").WithTags("催办").RequireAuthorization();

        ladder.MapGet("/ladder", async Task<Ok<LadderSettings>> (HttpContext http, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
            return TypedResults.Ok(await LadderViewAsync(organizationId, settings, ct));
        }).WithSummary("本单位的催办阶梯（未设置时为系统默认：县级督查督办工作方案）");

        ladder.MapPut("/ladder", async Task<Ok<LadderSettings>> (SaveLadderRequest request, HttpContext http, OrganizationCache orgCache,
            SupervisionSettings settings, WriteDoor door, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var saved = await door.RunAsync(new SaveLadder(user, request.Rungs), ct);
            return TypedResults.Ok(await LadderViewAsync(saved.OrganizationId, settings, ct));
        }).WithSummary("保存本单位的催办阶梯（rungs 为 null 时恢复默认）").ProducesValidationProblem().ProducesProblem(403);
    }

    private static async Task<LadderSettings> LadderViewAsync(string organizationId, SupervisionSettings settings, CancellationToken ct)
    {
        var row = await settings.FindAsync(organizationId, ct);
        return new LadderSettings(organizationId, row?.LadderJson is null, await settings.LadderAsync(organizationId, ct),
            ChaseRecords.All.Append(ChaseRecords.Reply).ToDictionary(k => k, k => ChaseRecords.Form(k)!),
            ScoreEventTypes.All.Select(t => new NamedValue(t, ScoreEventTypes.Label(t))).ToList(), Roles.All);
    }

    internal static ChaseView View(ChaseRecord c, OrganizationSnapshot org) => new(
        c.Id, c.InstanceId, c.UnitId, org.FindUnit(c.UnitId)?.Name ?? c.UnitId, c.RungKey, c.RungName, c.RungIndex, c.Cycle, c.Trigger,
        c.ScoreEvent, c.ScoreEvent is null ? null : ScoreEventTypes.Label(c.ScoreEvent), c.RaisedAt, c.RaisedByName, c.DueAt, c.Status,
        c.Actor, c.RecordKind, ChaseRecords.Form(c.RecordKind), c.RecordJson is null ? null : JsonNode.Parse(c.RecordJson), c.RecordedAt, c.RecordedByName,
        c.ActionTaskId, c.NoticeTitle, c.NoticeText, c.ReplyRequired, c.ReplyDueAt, c.NoticeTaskId,
        c.ReplyJson is null ? null : JsonNode.Parse(c.ReplyJson), c.RepliedAt, c.RepliedByName, c.Note, c.CancelReason);
}
