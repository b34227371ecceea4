using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Supervision;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Scoring;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>An organization's scoring rules for a year. <paramref name="IsDefault"/>: none saved, the county table applies.</summary>
public sealed record ScoringRulesView(string OrganizationId, int Year, bool IsDefault, decimal StartScore, decimal Floor, int RedoThreshold,
    IReadOnlyDictionary<string, decimal> Deductions, IReadOnlyList<NamedValue> EventTypes, DateTimeOffset? UpdatedAt, string? UpdatedByName);

public sealed record SaveScoringRulesRequest(decimal? StartScore, decimal? Floor, int? RedoThreshold, Dictionary<string, decimal>? Deductions);

/// <summary>The yearly ranking (league table) of an organization's units.</summary>
public sealed record ScoreRanking(string OrganizationId, int Year, bool RulesAreDefault, decimal StartScore, IReadOnlyList<UnitScoreRow> Units);

/// <summary>What one kind of event cost a unit in the year.</summary>
/// <param name="Total">Points actually taken (the floor may cut the last deductions short).</param>
public sealed record DeductionLine(string Type, string Label, int Count, decimal PerEvent, decimal Total);

/// <summary>One event behind a deduction, with where it was logged (<c>source</c>: chase, redo, bulletin).</summary>
public sealed record ScoreEventView(string Type, string Label, DateTimeOffset At, decimal Deduction, decimal Applied, decimal ScoreAfter,
    Guid? InstanceId, string? ItemTitle, string? ItemNumber, string? Note, string Source, string? SourceId);

public sealed record UnitScoreView(string OrganizationId, int Year, string UnitId, string UnitName, bool RulesAreDefault, decimal StartScore,
    decimal Score, decimal Deducted, IReadOnlyList<DeductionLine> Deductions, IReadOnlyList<ScoreEventView> Events);

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
            return TypedResults.Ok(new ScoreRanking(organizationId, year, isDefault, rules.StartScore, await scores.RankingAsync(organizationId, year, ct)));
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
            var (rules, isDefault, score) = await scores.UnitAsync(organizationId, year, unitId, ct);
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
            return TypedResults.Ok(new UnitScoreView(organizationId, year, unitId, org.FindUnit(unitId)!.Name, isDefault, score.StartScore,
                score.Score, score.Deducted, lines, events));
        }).WithSummary("某单位年度考核得分及每项扣分依据").ProducesProblem(403);

        group.MapGet("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
            return TypedResults.Ok(await RulesViewAsync(organizationId, year, scores, ct));
        }).WithSummary("年度考核规则（未设置时为县级督查督办考核标准：基础分 3 分）");

        group.MapPut("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, SaveScoringRulesRequest request, HttpContext http,
            OrganizationCache orgCache, ScoreService scores, DubanDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            CheckYear(year);
            var rules = new ScoringRules
            {
                StartScore = request.StartScore ?? ScoringRules.CountyDefault.StartScore,
                Floor = request.Floor ?? 0m,
                RedoThreshold = request.RedoThreshold ?? ScoringRules.CountyDefault.RedoThreshold,
                Deductions = request.Deductions ?? new(ScoringRules.CountyDefault.Deductions),
            };
            var problems = rules.Problems();
            if (problems.Count > 0) throw new WorkflowInputException("考核规则设置有误", problems.Select(p => new FieldError(p.Field, p.Message)).ToList());
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
            for (var attempt = 1; ; attempt++)
            {
                db.ChangeTracker.Clear();
                var row = await db.Set<ScoreRuleRecord>().FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Year == year, ct);
                if (row is null)
                {
                    row = new ScoreRuleRecord { OrganizationId = organizationId, Year = year, DeductionsJson = "{}" };
                    db.Set<ScoreRuleRecord>().Add(row);
                }
                row.StartScore = rules.StartScore;
                row.Floor = rules.Floor;
                row.RedoThreshold = rules.RedoThreshold;
                row.DeductionsJson = JsonSerializer.Serialize(rules.Deductions, DefinitionJson.Options);
                row.UpdatedAt = clock.GetUtcNow();
                row.UpdatedByName = user.DisplayName;
                try
                {
                    await db.SaveChangesAsync(ct);
                    break;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                }
            }
            return TypedResults.Ok(await RulesViewAsync(organizationId, year, scores, ct));
        }).WithSummary("设置年度考核规则（管理员）").ProducesValidationProblem().ProducesProblem(403);

        group.MapDelete("/{year:int}/rules", async Task<Ok<ScoringRulesView>> (int year, HttpContext http, OrganizationCache orgCache, ScoreService scores,
            DubanDbContext db, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            CheckYear(year);
            var organizationId = OrganizationScope.Require(await orgCache.GetAsync(ct), user.UnitId);
            await db.Set<ScoreRuleRecord>().Where(r => r.OrganizationId == organizationId && r.Year == year).ExecuteDeleteAsync(ct);
            return TypedResults.Ok(await RulesViewAsync(organizationId, year, scores, ct));
        }).WithSummary("恢复默认考核规则（管理员）").ProducesProblem(403);

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
            DubanDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.IsInRole(Roles.Supervisor)) throw new ForbiddenException("只有督查员可以登记通报批评");
            var org = await orgCache.GetAsync(ct);
            var errors = new List<FieldError>();
            var title = request.Title?.Trim();
            if (string.IsNullOrWhiteSpace(request.UnitId) || org.FindUnit(request.UnitId) is null) errors.Add(new("unitId", "请选择被通报的单位"));
            if (string.IsNullOrEmpty(title)) errors.Add(new("title", "请填写通报名称"));
            else if (title.Length > 200) errors.Add(new("title", "通报名称不能超过 200 字"));
            if (!CalendarYear.TryDate(request.IssuedOn, out var issuedOn)) errors.Add(new("issuedOn", "请填写通报日期（yyyy-MM-dd）"));
            if (request.Note?.Length > 2000) errors.Add(new("note", "备注不能超过 2000 字"));
            if (errors.Count > 0) throw new WorkflowInputException("通报信息填写有误", errors);
            var organizationId = OrganizationScope.Require(org, user.UnitId);
            if (OrganizationScope.OrganizationOf(org, request.UnitId) != organizationId) throw new WorkflowInputException("unitId", "请选择本单位组织内的单位");
            if (request.InstanceId is { } instanceId && !await ItemVisibility.CanSeeAsync(db, user, instanceId, ct))
                throw new WorkflowInputException("instanceId", "事项不存在");
            var now = clock.GetUtcNow();
            var bulletin = new BulletinRecord
            {
                Id = Guid.CreateVersion7(), OrganizationId = organizationId, UnitId = request.UnitId!, InstanceId = request.InstanceId,
                Title = title!, IssuedOn = issuedOn, Note = request.Note?.Trim(), CreatedAt = now, CreatedById = user.Id, CreatedByName = user.DisplayName,
            };
            db.Set<BulletinRecord>().Add(bulletin);
            if (request.InstanceId is { } item)
                db.Journal.Add(new Duban.Data.Instances.JournalEntryRecord
                {
                    InstanceId = item, Kind = JournalKind.BulletinIssued, At = now, ActivityId = "bulletin", ActivityName = "通报批评",
                    ActorId = user.Id, ActorName = user.DisplayName, Comment = title,
                    DataJson = new JsonObject { ["bulletinId"] = bulletin.Id.ToString(), ["unitId"] = bulletin.UnitId, ["unitName"] = org.FindUnit(bulletin.UnitId)?.Name, ["issuedOn"] = request.IssuedOn }
                        .ToJsonString(DefinitionJson.Options),
                });
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"/api/scoring/bulletins/{bulletin.Id}", View(bulletin, org));
        }).WithSummary("登记通报批评（计入被通报单位的考核）").ProducesValidationProblem().ProducesProblem(403);

        group.MapPost("/bulletins/{id:guid}/revoke", async Task<Ok<BulletinView>> (Guid id, RevokeBulletinRequest request, HttpContext http,
            OrganizationCache orgCache, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!user.IsInRole(Roles.Supervisor)) throw new ForbiddenException("只有督查员可以撤销通报批评");
            var reason = request.Reason?.Trim();
            if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销理由");
            if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销理由不能超过 500 字");
            var org = await orgCache.GetAsync(ct);
            var organizationId = OrganizationScope.Require(org, user.UnitId);
            var row = await db.Set<BulletinRecord>().FirstOrDefaultAsync(b => b.Id == id && b.OrganizationId == organizationId, ct)
                ?? throw new NotFoundException("通报记录不存在");
            if (row.Revoked) throw new WorkflowConflictException("该通报已撤销");
            row.Revoked = true;
            row.RevokeReason = reason;
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok(View(row, org));
        }).WithSummary("撤销通报批评记录（不再计入考核）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(409);
    }

    private static async Task<ScoringRulesView> RulesViewAsync(string organizationId, int year, ScoreService scores, CancellationToken ct)
    {
        var (rules, isDefault, record) = await scores.RulesAsync(organizationId, year, ct);
        var deductions = ScoreEventTypes.All.ToDictionary(t => t, rules.DeductionFor);
        return new ScoringRulesView(organizationId, year, isDefault, rules.StartScore, rules.Floor, rules.RedoThreshold, deductions,
            ScoreEventTypes.All.Select(t => new NamedValue(t, ScoreEventTypes.Label(t))).ToList(), record?.UpdatedAt, record?.UpdatedByName);
    }

    private static BulletinView View(BulletinRecord b, OrganizationSnapshot org) => new(b.Id, b.UnitId, org.FindUnit(b.UnitId)?.Name ?? b.UnitId,
        b.InstanceId, b.Title, b.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), b.Note, b.CreatedAt, b.CreatedByName, b.Revoked, b.RevokeReason);

    private static void CheckYear(int year)
    {
        if (year is < 2000 or > 2100) throw new WorkflowInputException("year", "年份应在 2000 到 2100 之间");
    }
}

/// <summary>Maps every supervision endpoint of this area (calendar, extensions, chasing, scoring).</summary>
internal static class DeadlineApi
{
    public static IEndpointRouteBuilder MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        app.MapCalendarApi();
        app.MapExtensionsApi();
        app.MapChasingApi();
        app.MapScoringApi();
        return app;
    }
}
