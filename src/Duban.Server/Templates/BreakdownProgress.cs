using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Assignments;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Supervision;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Templates;

/// <summary>
/// The breakdown's progress (挂图作战) on the page of an item whose step started one child item per row — the
/// 决策部署分解 template's tasks: how many are done, on time, late, overdue, and each task's line.
/// </summary>
/// <param name="Total">Child items this user may see (cancelled ones included).</param>
/// <param name="DoneOnTime">Done by their deadline (as extended); a task without a deadline counts as on time.</param>
/// <param name="Overdue">Still open past their deadline.</param>
/// <param name="DueSoon">Still open, yellow light.</param>
/// <param name="PercentDone">Done as a share of the tasks not cancelled, 0–100.</param>
public sealed record BreakdownProgressView(
    Guid InstanceId, int Total, int Done, int DoneOnTime, int DoneLate, int Open, int Overdue, int DueSoon, int Cancelled, int PercentDone,
    IReadOnlyList<BreakdownTaskView> Tasks);

/// <summary>One task of the breakdown (one child item).</summary>
/// <param name="Index">The row of the breakdown table it came from (0-based), in the order the step started them.</param>
/// <param name="State"><c>open</c>, <c>done</c> or <c>cancelled</c>.</param>
/// <param name="Timeliness"><c>onTime</c> / <c>late</c> (done by / after the deadline), <c>onSchedule</c> / <c>overdue</c> (open,
/// before / past it); null when the task has no deadline.</param>
/// <param name="Light">红黄绿灯 of an open task (<c>green</c>, <c>yellow</c>, <c>red</c>) under its procedure's rule; null when done.</param>
/// <param name="DueAt">The task's deadline, moved by approved extensions.</param>
/// <param name="LeadUnitId">The 牵头 (主办) unit: the one of the latest 交办 round, else the row's <c>leadUnit</c>.</param>
/// <param name="CurrentSteps">The steps open now, by name.</param>
/// <param name="Percent">The task's <c>percent</c> field (完成进度) as last reported, when its form has one.</param>
/// <param name="ProgressReports">How many periodic progress reports (<c>progressReports</c> opinions) were sent.</param>
/// <param name="Returns">How often a submission was sent back (退回, or any outcome the designer marked as sending back).</param>
public sealed record BreakdownTaskView(
    Guid InstanceId, int Index, string? Number, string Title, string State, string? Result, string? Timeliness, string? Light,
    DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? FinishedAt,
    string? LeadUnitId, string? LeadUnitName, IReadOnlyList<string> CoUnitNames, IReadOnlyList<string> CurrentSteps,
    decimal? Percent, string? CurrentPhase, int ProgressReports, DateTimeOffset? LastReportAt, string? LastReport,
    int Returns, int ExtensionsApproved, int Chases);

internal static class BreakdownProgress
{
    public const string OnTime = "onTime";
    public const string Late = "late";
    public const string OnSchedule = "onSchedule";
    public const string Overdue = "overdue";

    public static void MapBreakdownProgressApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/instances/{id:guid}/breakdown", async Task<Ok<BreakdownProgressView>> (Guid id, HttpContext http, DubanDbContext db,
            OrganizationCache orgCache, DefinitionCache definitions, DeadlineLights deadlineLights, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            return TypedResults.Ok(await ForInstanceAsync(db, user, id, await orgCache.GetAsync(ct), definitions, deadlineLights, ct));
        }).WithTags("事项").RequireAuthorization().WithSummary("分解任务进展：各项任务办结、按期、逾期情况（只含本人可见的任务）");
    }

    public static async Task<BreakdownProgressView> ForInstanceAsync(DubanDbContext db, CurrentUser user, Guid id, OrganizationSnapshot org,
        DefinitionCache definitions, DeadlineLights deadlineLights, CancellationToken ct)
    {
        var children = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => i.ParentInstanceId == id).ToListAsync(ct);
        if (children.Count == 0) return new BreakdownProgressView(id, 0, 0, 0, 0, 0, 0, 0, 0, 0, []);
        var ids = children.Select(c => c.Id).ToList();

        // The row each child came from, as the parent's step journaled it.
        var indexes = new Dictionary<Guid, int>();
        foreach (var started in await db.Journal.AsNoTracking()
                     .Where(j => j.InstanceId == id && j.Kind == JournalKind.ChildStarted && j.DataJson != null)
                     .Select(j => j.DataJson!).ToListAsync(ct))
            if (JsonNode.Parse(started) is JsonObject data && Guid.TryParse(data["childInstanceId"]?.GetValue<string>(), out var child)
                && data["index"] is JsonValue index && index.TryGetValue<int>(out var row))
                indexes[child] = row;

        var counted = new[] { JournalKind.TaskCompleted, JournalKind.TaskReturned, JournalKind.ExtensionApproved, JournalKind.Chased, JournalKind.ChaseCancelled };
        var events = await db.Journal.AsNoTracking()
            .Where(j => ids.Contains(j.InstanceId) && counted.Contains(j.Kind))
            .Select(j => new { j.Id, j.TaskId, j.InstanceId, j.Kind, j.Outcome, j.DataJson })
            .ToListAsync(ct);
        // A send-back taken back by 撤回 is not counted (docs/decisions/031).
        var recalled = await Data.Instances.RecalledCompletions.AmongAsync(db,
            events.Where(e => e.Kind is JournalKind.TaskCompleted or JournalKind.TaskReturned).Select(e => (e.Id, e.TaskId)), ct);
        var byChild = events.Where(e => !recalled.Contains(e.Id)).ToLookup(e => e.InstanceId);
        var assignments = (await db.Set<AssignmentRecord>().AsNoTracking().Where(a => ids.Contains(a.InstanceId)).ToListAsync(ct))
            .ToLookup(a => a.InstanceId);
        var openSteps = (await db.Tasks.AsNoTracking()
                .Where(t => ids.Contains(t.InstanceId) && t.Status == Data.Tasks.HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
                .Select(t => new { t.InstanceId, t.Name, t.CreatedAt }).ToListAsync(ct))
            .ToLookup(t => t.InstanceId);
        var judge = await deadlineLights.JudgeAsync(children.Select(c => c.DefinitionRecordId), ct);

        var tasks = new List<BreakdownTaskView>();
        foreach (var child in children)
        {
            var data = Duban.Data.Runtime.ItemWriter.StateOf(child).Data;
            if (!user.SeesAllItems)
            {
                if (!definitions.TryGetPublished(child.DefinitionRecordId, out var definition))
                    definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == child.DefinitionRecordId, ct));
                data = (await ItemAccess.FieldsAsync(db, user, child, definition, ct)).Filter(data);
            }
            var (lead, co) = Units(assignments[child.Id], data);
            var state = child.Status switch
            {
                WorkflowStatus.Completed => "done",
                WorkflowStatus.Cancelled => "cancelled",
                _ => "open",
            };
            var now = judge.Now;
            string? timeliness = child.DueAt is not { } due ? null
                : state == "done" ? (child.FinishedAt <= due ? OnTime : Late)
                : state == "open" ? (now > due ? Overdue : OnSchedule)
                : null;
            var reports = data["progressReports"] as JsonArray;
            var last = reports?.LastOrDefault() as JsonObject;
            var childEvents = byChild[child.Id].ToList();
            tasks.Add(new BreakdownTaskView(
                child.Id, indexes.GetValueOrDefault(child.Id, int.MaxValue), child.Number, child.Title, state, child.Result, timeliness,
                state == "open" ? judge.Of(child.DefinitionRecordId, child.CreatedAt, child.DueAt, lead) : null,
                child.CreatedAt, child.DueAt, child.FinishedAt,
                lead, lead is null ? null : org.FindUnit(lead)?.Name ?? lead,
                co.Select(u => org.FindUnit(u)?.Name ?? u).ToList(),
                openSteps[child.Id].OrderBy(t => t.CreatedAt).Select(t => t.Name).Distinct().ToList(),
                data["percent"] is JsonValue percent && percent.TryGetValue<decimal>(out var p) ? p : null,
                Text(data["currentPhase"]),
                reports?.Count ?? 0,
                last?["at"] is JsonValue at && DateTimeOffset.TryParse(at.GetValue<string>(), out var reportedAt) ? reportedAt : null,
                Text(last?["text"]),
                childEvents.Count(e => e.Kind == JournalKind.TaskReturned
                    || (e.Kind == JournalKind.TaskCompleted && Engine.Activities.UserTaskSendBack.SentBack(e.Outcome, e.DataJson))),
                childEvents.Count(e => e.Kind == JournalKind.ExtensionApproved),
                childEvents.Count(e => e.Kind == JournalKind.Chased) - childEvents.Count(e => e.Kind == JournalKind.ChaseCancelled)));
        }
        tasks = tasks.OrderBy(t => t.Index).ThenBy(t => t.CreatedAt).ToList();

        var done = tasks.Count(t => t.State == "done");
        var cancelled = tasks.Count(t => t.State == "cancelled");
        var live = tasks.Count - cancelled;
        return new BreakdownProgressView(id, tasks.Count, done,
            tasks.Count(t => t.State == "done" && t.Timeliness != Late),
            tasks.Count(t => t.Timeliness == Late),
            tasks.Count(t => t.State == "open"),
            tasks.Count(t => t.Timeliness == Overdue),
            tasks.Count(t => t.State == "open" && t.Light == Engine.Deadlines.Lights.Yellow),
            cancelled,
            live == 0 ? 0 : (int)Math.Round(100.0 * done / live),
            tasks);
    }

    /// <summary>The 牵头 and 责任 units: those of the latest 交办 round still on it, else the row's <c>leadUnit</c> / <c>units</c>.</summary>
    private static (string? Lead, List<string> Co) Units(IEnumerable<AssignmentRecord> records, JsonObject data)
    {
        var latest = records.GroupBy(a => a.ExecutionId).OrderByDescending(g => g.Max(a => a.AssignedAt)).FirstOrDefault();
        if (latest is not null)
        {
            var active = latest.Where(a => a.EndReason is null).ToList();
            return (active.FirstOrDefault(a => a.Role == Engine.Activities.AssignActivity.Lead)?.UnitId,
                active.Where(a => a.Role == Engine.Activities.AssignActivity.Co).Select(a => a.UnitId).Distinct().ToList());
        }
        var co = data["units"] is JsonArray units ? units.Select(Text).OfType<string>().ToList() : [];
        return (Text(data["leadUnit"]), co);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
}
