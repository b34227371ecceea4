using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Supervision;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Scoring;
using Duban.Data.Supervision.Units;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Simulation;

/// <summary>
/// One event of a simulation's time line. <paramref name="Kind"/>: <c>started</c>, <c>stepOpened</c>, <c>stepDone</c>,
/// <c>returned</c>, <c>extensionRequested</c>, <c>extensionApproved</c>, <c>extensionRejected</c>, <c>deadlineMoved</c>,
/// <c>chased</c> (a rung of the ladder), <c>chaseRecorded</c>, <c>chaseReplied</c>, <c>deduction</c>, <c>finished</c>,
/// <c>note</c> (what a simulated person could not do).
/// </summary>
/// <param name="Light">For a step: its light when it was done (or at the end): green, yellow or red.</param>
/// <param name="Points">For a deduction: the points taken (negative: added).</param>
public sealed record SimulationEvent(DateTimeOffset At, string Kind, string Title, string? Step, string? UnitId, string? UnitName,
    DateTimeOffset? DueAt, string? Light, decimal? Points, string? Detail);

/// <summary>One step of one unit (or of the office): opened, due, done, and its light.</summary>
public sealed record SimulationStep(string StepId, string StepName, string? UnitId, string? UnitName, DateTimeOffset OpenedAt, DateTimeOffset? DueAt,
    DateTimeOffset? DoneAt, string? Outcome, string? Light);

/// <summary>A unit's score from what the item did to it: each deduction with its reason, and the total.</summary>
public sealed record SimulationDeduction(DateTimeOffset At, string Event, string Reason, decimal Points);

public sealed record SimulationUnitScore(string UnitId, string UnitName, decimal StartScore, decimal Score, decimal Deducted, IReadOnlyList<SimulationDeduction> Deductions);

/// <param name="Stop"><c>finished</c> (the item ended), <c>max-days</c>, <c>max-events</c> or <c>max-time</c> (the walk's bounds).</param>
public sealed record SimulationResult(string DefinitionId, int Version, bool IsDraft, string Name, DateTimeOffset StartedAt, DateTimeOffset EndedAt,
    string Stop, string? Number, DateTimeOffset? ItemDueAt, IReadOnlyList<SimulationEvent> Events, IReadOnlyList<SimulationStep> Steps,
    IReadOnlyList<SimulationUnitScore> Scores);

/// <summary>Reads what a walk left in an installation's database as a time line (docs/decisions/045).</summary>
public static class SimulationReport
{
    public static async Task<SimulationResult> ReadAsync(IServiceProvider services, WalkResult walk, int version, bool isDraft, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<DubanDbContext>();
        var snapshot = await sp.GetRequiredService<OrganizationCache>().GetAsync(ct);
        var root = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == walk.InstanceId, ct);
        var org = snapshot.Within(root.OrganizationId);
        var ids = new List<Guid> { root.Id };
        ids.AddRange(await db.Instances.AsNoTracking().Where(i => i.ParentInstanceId == root.Id).Select(i => i.Id).ToListAsync(ct));
        string? UnitName(string? unit) => unit is null ? null : HandlingUnits.NameOf(org, unit);
        string HolderOf(Duban.Data.Tasks.TaskRecord task) => task.CandidateUnitId is { } unit ? UnitName(unit)!
            : task.CandidateRole ?? (task.AssigneeUserId is { } user ? org.FindUser(user)?.DisplayName ?? user : "—");

        // Steps and their lights, judged when each was done (or when the walk stopped).
        var tasks = await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Sequence).ToListAsync(ct);
        var record = await db.Definitions.AsNoTracking().SingleAsync(d => d.Id == root.DefinitionRecordId, ct);
        var rule = Duban.Engine.Deadlines.ProcedureOptions.Lights(sp.GetRequiredService<Duban.Data.Definitions.DefinitionStore>().Parse(record).Options);
        var rules = new Dictionary<Guid, Duban.Engine.Deadlines.LightRule> { [record.Id] = rule };
        var steps = new List<SimulationStep>();
        foreach (var t in tasks)
        {
            var unit = HandlingUnits.UnitOf(t, org);
            var light = t.DueAt is null ? null : new LightJudge(snapshot, rules, t.CompletedAt ?? walk.EndedAt).Of(record.Id, t.CreatedAt, t.DueAt, unit);
            steps.Add(new SimulationStep(t.ActivityId, t.Name, unit, UnitName(unit), t.CreatedAt, t.DueAt, t.CompletedAt, t.Outcome, light));
        }

        var events = new List<SimulationEvent>();
        var journal = (await Duban.Data.Instances.ItemJournal.OfItemsAsync(db, ids, ct)).OrderBy(j => j.At).ThenBy(j => j.Id).ToList();
        var taskById = tasks.ToDictionary(t => t.Id);
        foreach (var line in journal)
        {
            var data = line.DataJson is null ? null : JsonNode.Parse(line.DataJson) as JsonObject;
            string? Text(string key) => data?[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            var task = line.TaskId is { } taskId ? taskById.GetValueOrDefault(taskId) : null;
            var unit = Text("unitId") ?? (task is not null ? HandlingUnits.UnitOf(task, org) : null);
            SimulationEvent? e = line.Kind switch
            {
                JournalKind.InstanceStarted => new(line.At, "started", $"登记「{root.Title}」", line.ActivityId, null, null, root.DueAt, null, null, line.ActorName),
                JournalKind.TaskCreated when task is not null => new(line.At, "stepOpened", $"{task.Name}：交{HolderOf(task)}办理",
                    task.ActivityId, unit, UnitName(unit), task.DueAt, null, null, null),
                JournalKind.TaskCompleted when task is not null => new(line.At, "stepDone", $"{task.Name}：{line.Outcome ?? "办理"}", task.ActivityId, unit, UnitName(unit),
                    task.DueAt, steps.FirstOrDefault(s => s.StepId == task.ActivityId && s.OpenedAt == task.CreatedAt && s.UnitId == unit)?.Light, null, line.ActorName),
                JournalKind.TaskReturned => new(line.At, "returned", $"{line.ActivityName}：退回", line.ActivityId, unit, UnitName(unit), null, null, null, line.Comment),
                JournalKind.ExtensionRequested => new(line.At, "extensionRequested", $"{UnitName(unit)}申请延期", line.ActivityId, unit, UnitName(unit), null, null, null, line.Comment ?? Text("reason")),
                JournalKind.ExtensionApproved => new(line.At, "extensionApproved", "延期申请：同意", line.ActivityId, unit, UnitName(unit), null, null, null, line.Comment),
                JournalKind.ExtensionRejected => new(line.At, "extensionRejected", "延期申请：不同意", line.ActivityId, unit, UnitName(unit), null, null, null, line.Comment),
                JournalKind.DeadlineExtended => new(line.At, "deadlineMoved", $"{UnitName(unit)}的时限延至 {Date(data?["to"])}", line.ActivityId, unit, UnitName(unit), null, null, null, $"原时限 {Date(data?["from"])}"),
                JournalKind.Chased => null, // read from the chases below, with their notices
                JournalKind.ChaseRecorded => new(line.At, "chaseRecorded", $"登记催办：{line.ActivityName ?? Text("rungName")}", line.ActivityId, unit, UnitName(unit), null, null, null, line.ActorName),
                JournalKind.ChaseReplied => new(line.At, "chaseReplied", $"{UnitName(unit)}答复催办", line.ActivityId, unit, UnitName(unit), null, null, null, null),
                JournalKind.InstanceCompleted => new(line.At, "finished", $"办结（{root.Result ?? "完成"}）", null, null, null, null, null, null, null),
                JournalKind.InstanceCancelled => new(line.At, "finished", "事项撤销", null, null, null, null, null, null, null),
                _ => null,
            };
            if (e is not null) events.Add(e);
        }

        // Every rung of the ladder raised, with the notice it issued.
        foreach (var chase in await db.Set<ChaseRecord>().AsNoTracking().Where(c => ids.Contains(c.InstanceId)).OrderBy(c => c.RaisedAt).ToListAsync(ct))
        {
            var detail = chase.NoticeTitle is { } notice ? $"发出《{notice}》{(chase.ReplyRequired ? "，须书面答复" : "")}" : chase.Actor is { } actor ? $"由{actor}办理" : null;
            events.Add(new SimulationEvent(chase.FellDueAt ?? chase.RaisedAt, "chased", $"催办：{chase.RungName}（{UnitName(chase.UnitId)}）", chase.RungKey, chase.UnitId,
                UnitName(chase.UnitId), chase.DueAt, null, null, detail));
        }

        // Each unit's deductions under the organization's scoring rules, from what this item did to it.
        var scoring = sp.GetRequiredService<ScoreService>();
        var catalog = await scoring.CatalogAsync(root.OrganizationId, ct);
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var units = steps.Select(s => s.UnitId).Concat(events.Select(e => e.UnitId)).OfType<string>().Distinct()
            .Where(u => org.FindUnit(u) is not null && HandlingUnits.IsHandlingUnit(snapshot, u, kinds)).Order(StringComparer.Ordinal).ToList();
        var scores = new List<SimulationUnitScore>();
        var year = ChinaTime.YearOf(walk.StartedAt);
        var (scoringRules, _, _) = await scoring.RulesAsync(root.OrganizationId, year, ct);
        if (scoringRules is not null)
        {
            var all = await scoring.EventsAsync(root.OrganizationId, year, null, scoringRules.RedoThreshold, ct);
            foreach (var unit in units)
            {
                var own = all[unit].Where(e => e.InstanceId is { } i && ids.Contains(i)).ToList();
                if (own.Count == 0 && !steps.Any(s => s.UnitId == unit && s.DueAt is not null)) continue;
                var score = ScoreCalculator.Compute(scoringRules, own);
                var deductions = score.Events.Where(e => e.Applied != 0)
                    .Select(e => new SimulationDeduction(e.Event.At, e.Event.Type, catalog.Label(e.Event.Type) + (e.Event.Note is { Length: > 0 } n ? $"：{n}" : ""), e.Applied)).ToList();
                scores.Add(new SimulationUnitScore(unit, UnitName(unit)!, score.StartScore, score.Score, score.Deducted, deductions));
                events.AddRange(deductions.Select(d => new SimulationEvent(d.At, "deduction", $"{UnitName(unit)}扣 {d.Points:0.##} 分", d.Event, unit, UnitName(unit), null, null, d.Points, d.Reason)));
            }
        }

        events.AddRange(walk.Notes.Select(n => new SimulationEvent(n.At, "note", n.Text, null, n.UnitId, UnitName(n.UnitId), null, null, null, null)));
        var ordered = events.Select((e, i) => (e, i)).OrderBy(x => x.e.At).ThenBy(x => x.i).Select(x => x.e).ToList();
        return new SimulationResult(root.DefinitionId, version, isDraft, record.Name, walk.StartedAt, walk.EndedAt, walk.Stop, root.Number, root.DueAt,
            ordered, steps, scores);
    }

    private static string? Date(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<DateTimeOffset>(out var at) ? ChinaTime.DateOf(at).ToString("yyyy-MM-dd") : node?.ToString();
}
