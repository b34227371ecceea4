using System.Globalization;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Supervision.Scoring;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Scoring;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>
/// An organization's scoring rules for a year. <paramref name="Scored"/>: whether the year is scored at all (it has rules
/// of its own, or the organization chose a shipped table). <paramref name="IsDefault"/>: no rules of its own for the year —
/// the values shown are then the chosen table's, or, when none is chosen, the county table's as a starting point only.
/// <paramref name="Table"/>: the shipped table the organization chose (<paramref name="Tables"/>), null for none.
/// </summary>
/// <param name="Deductions">Points per event key (deducted, or added for an event that <c>adds</c>).</param>
/// <param name="Events">The organization's score events: the shipped seven under its names, then its own (docs/decisions/027).</param>
public sealed record ScoringRulesView(string OrganizationId, int Year, bool Scored, bool IsDefault, string? Table, IReadOnlyList<NamedValue> Tables,
    decimal StartScore, decimal Floor, int RedoThreshold,
    IReadOnlyDictionary<string, decimal> Deductions, IReadOnlyList<NamedValue> EventTypes, IReadOnlyList<ScoreEventDefinition> Events,
    DateTimeOffset? UpdatedAt, string? UpdatedByName);

/// <summary>The organization's score events: each shipped one (by key) under the name it uses, and its own (no key: new).</summary>
public sealed record SaveScoreEventsRequest(List<ScoreEventDefinition?>? Events);

/// <summary>A score entry for a handling unit of the item: one of the organization's events, with a note saying why.</summary>
public sealed record RecordScoreEntryRequest(string? UnitId, string? EventKey, string? Note);

public sealed record RevokeScoreEntryRequest(string? Reason);

/// <summary>A score entry recorded by hand; <paramref name="Adds"/>: the event adds points. Revoked entries are kept and listed.</summary>
public sealed record ScoreEntryView(Guid Id, Guid InstanceId, string UnitId, string UnitName, string EventKey, string EventName, bool Adds, string? Note,
    DateTimeOffset At, string? CreatedByName, bool Revoked, string? RevokeReason, DateTimeOffset? RevokedAt, string? RevokedByName);

/// <summary>The item's score entries, and the events that may be recorded.</summary>
public sealed record ItemScoreEntries(IReadOnlyList<ScoreEntryView> Entries, IReadOnlyList<ScoreEventDefinition> Events, bool CanRecord);

public sealed record SaveScoringRulesRequest(decimal? StartScore, decimal? Floor, int? RedoThreshold, Dictionary<string, decimal>? Deductions);

/// <summary>The shipped scoring table for years without rules of their own; null or empty: such years are not scored.</summary>
public sealed record ChooseScoringTableRequest(string? Table);

/// <summary>The yearly ranking (league table) of an organization's units; empty when the year is not scored.</summary>
public sealed record ScoreRanking(string OrganizationId, int Year, bool Scored, bool RulesAreDefault, decimal? StartScore, IReadOnlyList<UnitScoreRow> Units);

/// <summary>What one kind of event cost a unit in the year.</summary>
/// <param name="Total">Points actually taken (the floor may cut the last deductions short).</param>
/// <param name="Adds">The event adds points (<paramref name="Total"/> is then negative: points given back).</param>
public sealed record DeductionLine(string Type, string Label, int Count, decimal PerEvent, decimal Total, bool Adds = false);

/// <summary>One event behind a deduction, with where it was logged (<c>source</c>: chase, redo, bulletin).</summary>
public sealed record ScoreEventView(string Type, string Label, DateTimeOffset At, decimal Deduction, decimal Applied, decimal ScoreAfter,
    Guid? InstanceId, string? ItemTitle, string? ItemNumber, string? Note, string Source, string? SourceId);

/// <summary>A unit's score for the year; <paramref name="Scored"/> false (and no score) when the organization does not score the year.</summary>
public sealed record UnitScoreView(string OrganizationId, int Year, string UnitId, string UnitName, bool Scored, bool RulesAreDefault, decimal? StartScore,
    decimal? Score, decimal? Deducted, IReadOnlyList<DeductionLine> Deductions, IReadOnlyList<ScoreEventView> Events);

/// <summary>A bulletin that criticised a unit (通报批评); <c>issuedOn</c> yyyy-MM-dd.</summary>
public sealed record IssueBulletinRequest(string? UnitId, string? Title, string? IssuedOn, Guid? InstanceId, string? Note);

public sealed record RevokeBulletinRequest(string? Reason);

public sealed record BulletinView(Guid Id, string UnitId, string UnitName, Guid? InstanceId, string Title, string IssuedOn, string? Note,
    DateTimeOffset CreatedAt, string? CreatedByName, bool Revoked, string? RevokeReason);

/// <summary>考核: rules per organization and year, each unit's score with the events behind it, the yearly ranking, bulletins.</summary>
internal static class ScoringEndpoints
{
    /// <summary>What a unit's score detail says of an item the viewer may not see: the deduction stands, the item is not named.</summary>
    internal const string HiddenItem = "（限定知悉范围的事项）";

    public static void MapScoringApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/scoring").WithTags("考核").RequireAuthorization();

        group.MapGet("/{year:int}", async Task<Ok<ScoreRanking>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            if (!user.SeesAllItems) throw new ForbiddenException("只有督查部门、领导和管理员可以查看各单位排名；可在本单位页面查看本单位得分");
            var organizationId = OrganizationScope.Require(user);
            var (rules, isDefault, _) = await scores.RulesAsync(organizationId, year, ct);
            return TypedResults.Ok(new ScoreRanking(organizationId, year, rules is not null, isDefault, rules?.StartScore, await scores.RankingAsync(organizationId, year, ct)));
        }).WithSummary("年度各单位考核得分排名").ProducesProblem(403);

        group.MapGet("/{year:int}/units/{unitId}", async Task<Ok<UnitScoreView>> (int year, string unitId, HttpContext http, OrganizationCache orgCache,
            ScoreService scores, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            var org = await orgCache.GetAsync(ct);
            if (org.FindUnit(unitId) is null) throw new NotFoundException("单位不存在");
            if (!user.SeesAllItems && user.UnitId != unitId) throw new ForbiddenException("只能查看本单位的考核得分");
            // Another organization's unit does not exist for him (decision 035): his organization is known, not guessed from his unit.
            var organizationId = OrganizationScope.Require(org, unitId);
            if (user.OrganizationId != organizationId) throw new NotFoundException("单位不存在");
            if (!await scores.IsScoredAsync(unitId, ct)) throw new NotFoundException("该单位不参加考核：只有承办单位计分，督查部门和组织本级不计分");
            var (rules, isDefault, score) = await scores.UnitAsync(organizationId, year, unitId, ct);
            var catalog = await scores.CatalogAsync(organizationId, ct);
            if (rules is null || score is null)
                return TypedResults.Ok(new UnitScoreView(organizationId, year, unitId, org.FindUnit(unitId)!.Name, false, isDefault, null, null, null, [], []));
            var ids = score.Events.Select(e => e.Event.InstanceId).OfType<Guid>().Distinct().ToList();
            // The unit's score counts every item; a detail row names only an item the viewer may see (限定知悉范围, decision 037).
            var items = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.Title, i.Number }).ToDictionaryAsync(i => i.Id, ct);
            var lines = score.Events.GroupBy(e => e.Event.Type)
                .Select(g => new DeductionLine(g.Key, catalog.Label(g.Key), g.Count(), rules.DeductionFor(g.Key), g.Sum(e => e.Applied), catalog.Adds(g.Key)))
                .OrderBy(l => catalog.Events.ToList().FindIndex(e => e.Key == l.Type)).ToList();
            var events = score.Events.Select(e =>
            {
                var item = e.Event.InstanceId is { } id ? items.GetValueOrDefault(id) : null;
                if (e.Event.InstanceId is not null && item is null)
                    return new ScoreEventView(e.Event.Type, catalog.Label(e.Event.Type), e.Event.At, e.Deduction, e.Applied, e.ScoreAfter,
                        null, HiddenItem, null, null, e.Event.Source, null);
                return new ScoreEventView(e.Event.Type, catalog.Label(e.Event.Type), e.Event.At, e.Deduction, e.Applied, e.ScoreAfter,
                    e.Event.InstanceId, item?.Title, item?.Number, e.Event.Note, e.Event.Source, e.Event.SourceId);
            }).ToList();
            return TypedResults.Ok(new UnitScoreView(organizationId, year, unitId, org.FindUnit(unitId)!.Name, true, isDefault, score.StartScore,
                score.Score, score.Deducted, lines, events));
        }).WithSummary("某单位年度考核得分及每项扣分依据").ProducesProblem(403);

        group.MapGet("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            var organizationId = OrganizationScope.Require(user);
            return TypedResults.Ok(await RulesViewAsync(organizationId, year, scores, ct));
        }).WithSummary("年度考核规则（未单独设置时采用所选的系统考核标准；都没有时本年度不计分）");

        group.MapPut("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, SaveScoringRulesRequest request, HttpContext http,
            ScoreService scores, WriteDoor door, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var saved = await door.RunAsync(new SaveScoreRules(user, year, request.StartScore, request.Floor, request.RedoThreshold, request.Deductions), ct);
            return TypedResults.Ok(await RulesViewAsync(saved.OrganizationId, year, scores, ct));
        }).WithSummary("设置年度考核规则（管理员）").ProducesValidationProblem().ProducesProblem(403);

        group.MapDelete("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores,
            WriteDoor door, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            CheckYear(year);
            var organizationId = OrganizationScope.Require(user);
            await door.RunAsync(new ResetScoreRules(user, year), ct);
            return TypedResults.Ok(await RulesViewAsync(organizationId, year, scores, ct));
        }).WithSummary("删除本年度单独设置的考核规则（管理员；之后采用所选的系统考核标准，未选则不计分）").ProducesProblem(403);

        group.MapPut("/table", async Task<Ok<ScoringRulesView>> (ChooseScoringTableRequest request, int? year, HttpContext http, ScoreService scores,
            WriteDoor door, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var y = year ?? ChinaTime.DateOf(clock.GetUtcNow()).Year;
            CheckYear(y);
            var saved = await door.RunAsync(new ChooseScoringTable(user, request.Table), ct);
            return TypedResults.Ok(await RulesViewAsync(saved.OrganizationId, y, scores, ct));
        }).WithSummary("选择未单独设置规则的年度采用的系统考核标准（管理员；不选则这些年度不计分）").ProducesValidationProblem().ProducesProblem(403);

        group.MapGet("/bulletins", async Task<Ok<List<BulletinView>>> (int? year, HttpContext http, OrganizationCache orgCache, DubanDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var org = await orgCache.GetAsync(ct);
            var organizationId = OrganizationScope.Require(user);
            var y = year ?? ChinaTime.DateOf(clock.GetUtcNow()).Year;
            CheckYear(y);
            var (from, to) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
            var query = db.Set<BulletinRecord>().AsNoTracking().Where(b => b.OrganizationId == organizationId && b.IssuedOn >= from && b.IssuedOn <= to);
            if (!user.SeesAllItems) query = query.Where(b => b.UnitId == user.UnitId);
            var rows = await query.OrderByDescending(b => b.IssuedOn).ToListAsync(ct);
            // A bulletin about an item the viewer may not see (限定知悉范围, decision 037) does not point to it.
            var about = rows.Select(b => b.InstanceId).OfType<Guid>().Distinct().ToList();
            var seen = about.Count == 0 ? [] : await ItemVisibility.Visible(db, user).Where(i => about.Contains(i.Id)).Select(i => i.Id).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(b => View(b, org)).Select(v => v.InstanceId is { } i && !seen.Contains(i) ? v with { InstanceId = null } : v).ToList());
        }).WithSummary("年度通报批评记录（单位用户只看本单位）");

        group.MapPost("/bulletins", async Task<Created<BulletinView>> (IssueBulletinRequest request, HttpContext http, OrganizationCache orgCache,
            WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var bulletin = await door.RunAsync(new IssueBulletin(user, request.UnitId, request.Title, request.IssuedOn, request.InstanceId, request.Note), ct);
            return TypedResults.Created($"/api/scoring/bulletins/{bulletin.Id}", View(bulletin, await orgCache.GetAsync(ct)));
        }).WithSummary("登记通报批评（计入被通报单位的考核）").ProducesValidationProblem().ProducesProblem(403);

        group.MapPost("/bulletins/{id:guid}/revoke", async Task<Ok<BulletinView>> (Guid id, RevokeBulletinRequest request, HttpContext http,
            OrganizationCache orgCache, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var row = await door.RunAsync(new RevokeBulletin(id, user, request.Reason), ct);
            return TypedResults.Ok(View(row, await orgCache.GetAsync(ct)));
        }).WithSummary("撤销通报批评记录（不再计入考核）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);

        group.MapGet("/events", async Task<Ok<List<ScoreEventDefinition>>> (HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(user);
            return TypedResults.Ok((await scores.CatalogAsync(organizationId, ct)).Events.ToList());
        }).WithSummary("本组织的考核事件（系统事件按本组织的名称，以及自定义事件）");

        group.MapPut("/events", async Task<Ok<List<ScoreEventDefinition>>> (SaveScoreEventsRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            return TypedResults.Ok((await door.RunAsync(new SaveScoreEvents(user, request.Events), ct)).Events.ToList());
        }).WithSummary("保存本组织的考核事件：系统事件可改名，可新增自定义事件（扣分或加分）（管理员）").ProducesValidationProblem().ProducesProblem(403);

        var item = app.MapGroup("/api/instances/{id:guid}/score-entries").WithTags("考核").RequireAuthorization();

        item.MapGet("/", async Task<Ok<ItemScoreEntries>> (Guid id, HttpContext http, OrganizationCache orgCache, ScoreService scores, DubanDbContext db,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            var org = await orgCache.GetAsync(ct);
            var catalog = await scores.CatalogAsync(OrganizationScope.Require(user), ct);
            var query = db.Set<ScoreEntryRecord>().AsNoTracking().Where(e => e.InstanceId == id);
            // A unit's people see only their own unit's entries, as with chases.
            if (!user.SeesAllItems) query = query.Where(e => e.UnitId == user.UnitId);
            var rows = await query.OrderBy(e => e.At).ToListAsync(ct);
            return TypedResults.Ok(new ItemScoreEntries(rows.Select(e => View(e, org, catalog)).ToList(), catalog.Events,
                user.Has(Permission.Score)));
        }).WithSummary("事项的手动考核记录（含已撤销的）");

        item.MapPost("/", async Task<Created<ScoreEntryView>> (Guid id, RecordScoreEntryRequest request, HttpContext http, OrganizationCache orgCache,
            ScoreService scores, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var entry = await door.RunAsync(new RecordScoreEntry(id, user, request.UnitId, request.EventKey, request.Note), ct);
            return TypedResults.Created($"/api/scoring/entries/{entry.Id}",
                View(entry, await orgCache.GetAsync(ct), await scores.CatalogAsync(entry.OrganizationId, ct)));
        }).WithSummary("为承办单位登记一条考核记录（计入该单位考核，可撤销）").ProducesValidationProblem().ProducesProblem(403);

        group.MapPost("/entries/{entryId:guid}/revoke", async Task<Ok<ScoreEntryView>> (Guid entryId, RevokeScoreEntryRequest request, HttpContext http,
            OrganizationCache orgCache, ScoreService scores, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var entry = await door.RunAsync(new RevokeScoreEntry(entryId, user, request.Reason), ct);
            return TypedResults.Ok(View(entry, await orgCache.GetAsync(ct), await scores.CatalogAsync(entry.OrganizationId, ct)));
        }).WithSummary("撤销考核记录（保留记录，不再计入考核）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
    }

    private static async Task<ScoringRulesView> RulesViewAsync(string organizationId, int year, ScoreService scores, CancellationToken ct)
    {
        var (applied, isDefault, record) = await scores.RulesAsync(organizationId, year, ct);
        var table = await scores.TableAsync(organizationId, ct);
        var rules = applied ?? ScoringRules.CountyDefault;
        var catalog = await scores.CatalogAsync(organizationId, ct);
        var deductions = catalog.Events.ToDictionary(e => e.Key, e => rules.DeductionFor(e.Key));
        return new ScoringRulesView(organizationId, year, applied is not null, isDefault, table,
            ScoringTables.All.Select(t => new NamedValue(t, ScoringTables.Label(t))).ToList(), rules.StartScore, rules.Floor, rules.RedoThreshold, deductions,
            catalog.Events.Select(e => new NamedValue(e.Key, e.Name)).ToList(), catalog.Events, record?.UpdatedAt, record?.UpdatedByName);
    }

    internal static ScoreEntryView View(ScoreEntryRecord e, OrganizationSnapshot org, ScoreEventCatalog catalog) => new(e.Id, e.InstanceId, e.UnitId,
        org.FindUnit(e.UnitId)?.Name ?? e.UnitId, e.EventKey, catalog.Find(e.EventKey)?.Name ?? e.EventName, catalog.Adds(e.EventKey), e.Note, e.At,
        e.CreatedByName, e.Revoked, e.RevokeReason, e.RevokedAt, e.RevokedByName);

    private static BulletinView View(BulletinRecord b, OrganizationSnapshot org) => new(b.Id, b.UnitId, org.FindUnit(b.UnitId)?.Name ?? b.UnitId,
        b.InstanceId, b.Title, b.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.Note, b.CreatedAt, b.CreatedByName, b.Revoked, b.RevokeReason);

    private static void CheckYear(int year) => ScoreYears.Check(year);
}
