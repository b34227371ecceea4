using System.Globalization;
using System.Text.Json;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

public sealed record UnitScoreRow(string UnitId, string UnitName, decimal Score, decimal Deducted, int Events, int Rank);

/// <summary>
/// 考核: scores computed from what was logged — chases (not withdrawn), items redone more often than the rules
/// tolerate, bulletins, entries recorded by hand, outcomes a step's designer counts — under the organization's rules for the year (or the shipped table it chose; none: not scored). Never stored.
/// </summary>
public sealed class ScoreService(DubanDbContext db, OrganizationCache organizationCache, SupervisionSettings settings)
{
    public const string SourceChase = "chase";
    public const string SourceRedo = "redo";
    public const string SourceBulletin = "bulletin";
    public const string SourceEntry = "entry";
    public const string SourceOutcome = "outcome";

    /// <summary>The organization's score events (names, and which add points).</summary>
    public Task<ScoreEventCatalog> CatalogAsync(string organizationId, CancellationToken ct) => settings.ScoreEventsAsync(organizationId, ct);

    /// <summary>The organization's shipped-table choice for years without rules of their own (null: not scored).</summary>
    public async Task<string?> TableAsync(string organizationId, CancellationToken ct) =>
        await db.Set<SupervisionSettingsRecord>().AsNoTracking().Where(s => s.OrganizationId == organizationId).Select(s => s.ScoringTable).FirstOrDefaultAsync(ct);

    /// <summary>
    /// The rules for the year: the organization's own for it, else the shipped table it chose (<c>IsDefault</c>), else
    /// none — the year is not scored (<c>Rules</c> null). No rules, no scores.
    /// </summary>
    public async Task<(ScoringRules? Rules, bool IsDefault, ScoreRuleRecord? Record)> RulesAsync(string organizationId, int year, CancellationToken ct)
    {
        var record = await db.Set<ScoreRuleRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Year == year, ct);
        var adding = (await CatalogAsync(organizationId, ct)).Events.Where(e => e.Adds).Select(e => e.Key).ToHashSet();
        if (record is null) return (ScoringTables.Rules(await TableAsync(organizationId, ct)) is { } table ? table with { Adding = adding } : null, true, null);
        return (new ScoringRules
        {
            Adding = adding,
            StartScore = record.StartScore,
            Floor = record.Floor,
            RedoThreshold = record.RedoThreshold,
            Deductions = JsonSerializer.Deserialize<Dictionary<string, decimal>>(record.DeductionsJson, DefinitionJson.Options) ?? new(),
        }, false, record);
    }

    /// <summary>Every scored event of the organization's units in the year (China time), by unit.</summary>
    public async Task<ILookup<string, ScoreEvent>> EventsAsync(string organizationId, int year, string? unitId, int redoThreshold, CancellationToken ct)
    {
        var org = await organizationCache.GetAsync(ct);
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var from = ChinaTime.StartOf(new DateOnly(year, 1, 1));
        var to = ChinaTime.StartOf(new DateOnly(year + 1, 1, 1));
        // Only handling units are scored: not the supervision office (its own review step runs again on every send-back),
        // not the organization's root.
        bool Ours(string unit) => (unitId is null || unit == unitId) && OrganizationScope.OrganizationOf(org, unit) == organizationId
            && HandlingUnits.IsHandlingUnit(org, unit, kinds);
        var events = new List<ScoreEvent>();

        // A rung that needs an action (a call, a visit, a meeting) counts when the action is recorded, dated then; a rung
        // that only sends a notice counts when the notice is issued. An action raised by the ladder but never recorded
        // (nobody phoned) costs nothing (docs/decisions/022).
        var chases = await db.Set<ChaseRecord>().AsNoTracking()
            .Where(c => ((c.RaisedAt >= from && c.RaisedAt < to) || (c.RecordedAt >= from && c.RecordedAt < to) || (c.FellDueAt >= from && c.FellDueAt < to))
                        && c.Status != ChaseStatus.Cancelled && c.ScoreEvent != null && (unitId == null || c.UnitId == unitId))
            .Select(c => new { c.Id, c.UnitId, c.InstanceId, c.ScoreEvent, c.RaisedAt, c.FellDueAt, c.RecordKind, c.RecordedAt, c.RungName, c.Trigger }).ToListAsync(ct);
        // A notice the ladder raised late (the job was not running) counts from when it fell due (docs/decisions/027).
        events.AddRange(chases
            .Select(c => (Chase: c, At: c.RecordKind is null ? c.FellDueAt ?? c.RaisedAt : c.RecordedAt))
            .Where(c => c.At is { } at && at >= from && at < to && Ours(c.Chase.UnitId))
            .Select(c => new ScoreEvent(c.Chase.ScoreEvent!, c.At!.Value, c.Chase.UnitId, c.Chase.InstanceId,
                c.Chase.Trigger == Chases.Auto ? $"{c.Chase.RungName}（自动）" : c.Chase.RungName, SourceChase, c.Chase.Id.ToString())));

        var bulletins = await db.Set<BulletinRecord>().AsNoTracking()
            .Where(b => b.OrganizationId == organizationId && !b.Revoked && (unitId == null || b.UnitId == unitId))
            .ToListAsync(ct);
        events.AddRange(bulletins.Where(b => ChinaTime.StartOf(b.IssuedOn) >= from && ChinaTime.StartOf(b.IssuedOn) < to && Ours(b.UnitId))
            .Select(b => new ScoreEvent(ScoreEventTypes.Bulletin, ChinaTime.StartOf(b.IssuedOn).AddHours(12), b.UnitId, b.InstanceId, b.Title, SourceBulletin, b.Id.ToString())));

        // Score entries the office recorded by hand, until revoked.
        var entries = await db.Set<ScoreEntryRecord>().AsNoTracking()
            .Where(e => e.OrganizationId == organizationId && !e.Revoked && e.At >= from && e.At < to && (unitId == null || e.UnitId == unitId))
            .ToListAsync(ct);
        events.AddRange(entries.Where(e => Ours(e.UnitId))
            .Select(e => new ScoreEvent(e.EventKey, e.At, e.UnitId, e.InstanceId, e.Note, SourceEntry, e.Id.ToString())));

        // Outcomes the designer counts in 考核 (an 审核 step's 退回 costs the judged unit 报送质量差), dated when chosen.
        var judged = await db.Journal.AsNoTracking()
            .Where(j => j.Kind == JournalKind.TaskCompleted && j.At >= from && j.At < to && j.DataJson != null
                        && j.DataJson.Contains(UserTaskOutcomeScores.EventFlag))
            .Select(j => new { j.Id, j.InstanceId, j.TaskId, j.At, j.ActivityName, j.Outcome, j.DataJson }).ToListAsync(ct);
        // A judgement taken back by 撤回 does not count; the one made again does (docs/decisions/031).
        var recalled = await RecalledCompletions.AmongAsync(db, judged.Select(j => (j.Id, j.TaskId)), ct);
        events.AddRange(judged
            .Where(j => !recalled.Contains(j.Id))
            .Select(j => (Line: j, Score: UserTaskOutcomeScores.Read(j.DataJson)))
            .Where(x => x.Score is { } score && Ours(score.Unit))
            .Select(x => new ScoreEvent(x.Score!.Value.Event, x.Line.At, x.Score.Value.Unit, x.Line.InstanceId,
                $"{x.Line.ActivityName}：{x.Line.Outcome}", SourceOutcome, x.Line.Id.ToString(CultureInfo.InvariantCulture))));

        events.AddRange(await RedoEventsAsync(org, from, to, unitId, redoThreshold, Ours, ct));
        return events.ToLookup(e => e.UnitId);
    }

    /// <summary>
    /// 复办: a unit's step run again after a 退回. When one unit redoes one item more than <paramref name="threshold"/>
    /// times, that is one event, dated by the redo that crossed the line.
    /// </summary>
    private async Task<IEnumerable<ScoreEvent>> RedoEventsAsync(OrganizationSnapshot org, DateTimeOffset from, DateTimeOffset to, string? unitId,
        int threshold, Func<string, bool> ours, CancellationToken ct)
    {
        // Later rounds of a human step (activity#2, #3 …) created in the year.
        var rounds = await db.Tasks.AsNoTracking()
            .Where(t => t.Kind == TaskKind.Task && t.BookmarkId != null && t.CreatedAt >= from && t.CreatedAt < to && !t.ExecutionId.EndsWith("#1"))
            .Select(t => new { t.InstanceId, t.ActivityId, t.ExecutionId, t.CandidateUnitId, t.AssigneeUserId, t.CreatedAt }).ToListAsync(ct);
        var candidates = rounds
            .Select(t => (t.InstanceId, t.ActivityId, t.ExecutionId, Unit: HandlingUnits.UnitOf(t.CandidateUnitId, t.AssigneeUserId, org), t.CreatedAt))
            .Where(t => t.Unit is not null && ours(t.Unit))
            .ToList();
        if (candidates.Count == 0) return [];
        var instanceIds = candidates.Select(c => c.InstanceId).Distinct().ToList();
        var returns = new List<(Guid InstanceId, DateTimeOffset At, long Id, Guid? TaskId)>();
        foreach (var chunk in instanceIds.Chunk(500))
            returns.AddRange((await db.Journal.AsNoTracking()
                .Where(j => chunk.Contains(j.InstanceId) && (j.Kind == JournalKind.TaskReturned || j.Kind == JournalKind.TaskCompleted))
                .Select(j => new { j.Id, j.TaskId, j.InstanceId, j.At, j.Kind, j.Outcome, j.DataJson }).ToListAsync(ct))
                .Where(j => j.Kind == JournalKind.TaskReturned || UserTaskSendBack.SentBack(j.Outcome, j.DataJson))
                .Select(j => (j.InstanceId, j.At, j.Id, j.TaskId)));
        // A send-back taken back by 撤回 is no redo: the round it opened was cancelled with it (docs/decisions/031).
        var recalled = await RecalledCompletions.AmongAsync(db, returns.Select(r => (r.Id, r.TaskId)), ct);
        var returnsByInstance = returns.Where(r => !recalled.Contains(r.Id)).ToLookup(r => r.InstanceId, r => r.At);

        // When each execution of those steps began, to tell a redo (a 退回 since the previous round) from a loop.
        var activityIds = candidates.Select(c => c.ActivityId).Distinct().ToList();
        var starts = new List<(Guid InstanceId, string ActivityId, string ExecutionId, DateTimeOffset At)>();
        foreach (var chunk in instanceIds.Chunk(500))
            starts.AddRange((await db.Tasks.AsNoTracking()
                .Where(t => chunk.Contains(t.InstanceId) && activityIds.Contains(t.ActivityId) && t.BookmarkId != null)
                .Select(t => new { t.InstanceId, t.ActivityId, t.ExecutionId, t.CreatedAt }).ToListAsync(ct))
                .Select(t => (t.InstanceId, t.ActivityId, t.ExecutionId, t.CreatedAt)));
        // Ordered by time, then by round (activity#N): two rounds begun at one instant must not be taken in whatever
        // order the database returned the rows.
        var executions = starts.GroupBy(s => (s.InstanceId, s.ActivityId))
            .ToDictionary(g => g.Key, g => g.GroupBy(s => s.ExecutionId).Select(e => (Execution: e.Key, At: e.Min(x => x.At)))
                .OrderBy(e => e.At).ThenBy(e => RoundOf(e.Execution)).ToList());

        var events = new List<ScoreEvent>();
        foreach (var group in candidates.GroupBy(c => (c.InstanceId, Unit: c.Unit!)))
        {
            var redos = new List<DateTimeOffset>();
            foreach (var execution in group.GroupBy(c => (c.ActivityId, c.ExecutionId)))
            {
                var runs = executions[(group.Key.InstanceId, execution.Key.ActivityId)];
                var index = runs.FindIndex(r => r.Execution == execution.Key.ExecutionId);
                if (index <= 0) continue;
                var (previous, at) = (runs[index - 1].At, runs[index].At);
                if (returnsByInstance[group.Key.InstanceId].Any(r => r >= previous && r <= at)) redos.Add(at);
            }
            redos.Sort();
            if (redos.Count > threshold)
                events.Add(new ScoreEvent(ScoreEventTypes.Redo, redos[threshold], group.Key.Unit, group.Key.InstanceId,
                    $"第 {threshold + 1} 次复办", SourceRedo, $"{group.Key.InstanceId:N}:{group.Key.Unit}"));
        }
        return events;
    }

    private static int RoundOf(string executionId) =>
        int.TryParse(executionId.AsSpan(executionId.LastIndexOf('#') + 1), out var round) ? round : 1;

    /// <summary>The units ranked: a unit's page and the league table are computed the same way.</summary>
    public async Task<IReadOnlyList<UnitScoreRow>> RankingAsync(string organizationId, int year, CancellationToken ct)
    {
        var org = await organizationCache.GetAsync(ct);
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var (rules, _, _) = await RulesAsync(organizationId, year, ct);
        if (rules is null) return [];
        var events = await EventsAsync(organizationId, year, null, rules.RedoThreshold, ct);
        var units = org.Units
            .Where(u => OrganizationScope.OrganizationOf(org, u.Id) == organizationId && HandlingUnits.IsHandlingUnit(org, u.Id, kinds))
            .Select(u => u.Id);
        var scored = units.Select(u => (Unit: u, Score: ScoreCalculator.Compute(rules, events[u])))
            .OrderByDescending(x => x.Score.Score).ThenBy(x => x.Score.Events.Count).ThenBy(x => HandlingUnits.NameOf(org, x.Unit), StringComparer.Ordinal)
            .ToList();
        var rows = new List<UnitScoreRow>();
        for (var i = 0; i < scored.Count; i++)
        {
            // Equal scores share a rank (1, 1, 3 …).
            var rank = i > 0 && scored[i].Score.Score == scored[i - 1].Score.Score ? rows[i - 1].Rank : i + 1;
            rows.Add(new UnitScoreRow(scored[i].Unit, HandlingUnits.NameOf(org, scored[i].Unit), scored[i].Score.Score, scored[i].Score.Deducted,
                scored[i].Score.Events.Count, rank));
        }
        return rows;
    }

    /// <summary>Whether the unit is scored at all (a handling unit).</summary>
    public async Task<bool> IsScoredAsync(string unitId, CancellationToken ct) =>
        HandlingUnits.IsHandlingUnit(await organizationCache.GetAsync(ct), unitId, await HandlingUnits.KindsAsync(db, ct));

    /// <summary>The unit's score; <c>Score</c> null when the year is not scored.</summary>
    public async Task<(ScoringRules? Rules, bool IsDefault, UnitScore? Score)> UnitAsync(string organizationId, int year, string unitId, CancellationToken ct)
    {
        var (rules, isDefault, _) = await RulesAsync(organizationId, year, ct);
        if (rules is null) return (null, isDefault, null);
        var events = await EventsAsync(organizationId, year, unitId, rules.RedoThreshold, ct);
        return (rules, isDefault, ScoreCalculator.Compute(rules, events[unitId]));
    }
}
