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
public sealed record ScoringRulesView(string OrganizationId, int Year, bool Scored, bool IsDefault, string? Table, IReadOnlyList<NamedValue> Tables,
    decimal StartScore, decimal Floor, int RedoThreshold,
    IReadOnlyDictionary<string, decimal> Deductions, IReadOnlyList<NamedValue> EventTypes, DateTimeOffset? UpdatedAt, string? UpdatedByName);

public sealed record SaveScoringRulesRequest(decimal? StartScore, decimal? Floor, int? RedoThreshold, Dictionary<string, decimal>? Deductions);

/// <summary>The shipped scoring table for years without rules of their own; null or empty: such years are not scored.</summary>
public sealed record ChooseScoringTableRequest(string? Table);

/// <summary>The yearly ranking (league table) of an organization's units; empty when the year is not scored.</summary>
public sealed record ScoreRanking(string OrganizationId, int Year, bool Scored, bool RulesAreDefault, decimal? StartScore, IReadOnlyList<UnitScoreRow> Units);

/// <summary>What one kind of event cost a unit in the year.</summary>
/// <param name="Total">Points actually taken (the floor may cut the last deductions short).</param>
public sealed record DeductionLine(string Type, string Label, int Count, decimal PerEvent, decimal Total);

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
    public static void MapScoringApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/scoring").WithTags("考核").RequireAuthorization();

        group.MapGet("/{year:int}", async Task<Ok<ScoreRanking>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            if (!user.SeesAllItems) throw new ForbiddenException("只有督查部门、领导和管理员可以查看各单位排名；可在本单位页面查看本单位得分");
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
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
            var organizationId = OrganizationScope.Require(org, unitId);
            if (OrganizationScope.OrganizationOf(org, user.UnitId) != organizationId) throw new NotFoundException("单位不存在");
            if (!await scores.IsScoredAsync(unitId, ct)) throw new NotFoundException("该单位不参加考核：只有承办单位计分，督查部门和组织本级不计分");
            var (rules, isDefault, score) = await scores.UnitAsync(organizationId, year, unitId, ct);
            if (rules is null || score is null)
                return TypedResults.Ok(new UnitScoreView(organizationId, year, unitId, org.FindUnit(unitId)!.Name, false, isDefault, null, null, null, [], []));
            var ids = score.Events.Select(e => e.Event.InstanceId).OfType<Guid>().Distinct().ToList();
            var items = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.Title, i.Number }).ToDictionaryAsync(i => i.Id, ct);
            var lines = score.Events.GroupBy(e => e.Event.Type)
                .Select(g => new DeductionLine(g.Key, ScoreEventTypes.Label(g.Key), g.Count(), rules.DeductionFor(g.Key), g.Sum(e => e.Applied)))
                .OrderBy(l => ScoreEventTypes.All.ToList().IndexOf(l.Type)).ToList();
            var events = score.Events.Select(e =>
            {
                var item = e.Event.InstanceId is { } id ? items.GetValueOrDefault(id) : null;
                return new ScoreEventView(e.Event.Type, ScoreEventTypes.Label(e.Event.Type), e.Event.At, e.Deduction, e.Applied, e.ScoreAfter,
                    e.Event.InstanceId, item?.Title, item?.Number, e.Event.Note, e.Event.Source, e.Event.SourceId);
            }).ToList();
            return TypedResults.Ok(new UnitScoreView(organizationId, year, unitId, org.FindUnit(unitId)!.Name, true, isDefault, score.StartScore,
                score.Score, score.Deducted, lines, events));
        }).WithSummary("某单位年度考核得分及每项扣分依据").ProducesProblem(403);

        group.MapGet("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
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
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
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
            var organizationId = OrganizationScope.Require(org, user.UnitId);
            var y = year ?? ChinaTime.DateOf(clock.GetUtcNow()).Year;
            CheckYear(y);
            var (from, to) = (new DateOnly(y, 1, 1), new DateOnly(y, 12, 31));
            var query = db.Set<BulletinRecord>().AsNoTracking().Where(b => b.OrganizationId == organizationId && b.IssuedOn >= from && b.IssuedOn <= to);
            if (!user.SeesAllItems) query = query.Where(b => b.UnitId == user.UnitId);
            var rows = await query.OrderByDescending(b => b.IssuedOn).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(b => View(b, org)).ToList());
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
    }

    private static async Task<ScoringRulesView> RulesViewAsync(string organizationId, int year, ScoreService scores, CancellationToken ct)
    {
        var (applied, isDefault, record) = await scores.RulesAsync(organizationId, year, ct);
        var table = await scores.TableAsync(organizationId, ct);
        var rules = applied ?? ScoringRules.CountyDefault;
        var deductions = ScoreEventTypes.All.ToDictionary(t => t, rules.DeductionFor);
        return new ScoringRulesView(organizationId, year, applied is not null, isDefault, table,
            ScoringTables.All.Select(t => new NamedValue(t, ScoringTables.Label(t))).ToList(), rules.StartScore, rules.Floor, rules.RedoThreshold, deductions,
            ScoreEventTypes.All.Select(t => new NamedValue(t, ScoreEventTypes.Label(t))).ToList(), record?.UpdatedAt, record?.UpdatedByName);
    }

    private static BulletinView View(BulletinRecord b, OrganizationSnapshot org) => new(b.Id, b.UnitId, org.FindUnit(b.UnitId)?.Name ?? b.UnitId,
        b.InstanceId, b.Title, b.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.Note, b.CreatedAt, b.CreatedByName, b.Revoked, b.RevokeReason);

    private static void CheckYear(int year) => ScoreYears.Check(year);
}
