using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Assignments;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>One 交办 step (one round of it) and its units.</summary>
/// <param name="Active">The step is waiting now: units may still submit, the office may change units.</param>
/// <param name="Completion"><c>lead</c> (the 主办's submission completes the step) or <c>all</c> (the 主办 submits after every 协办).</param>
/// <param name="MyRole">The viewer's unit's role in this step (<c>lead</c> / <c>co</c>), null when none.</param>
/// <param name="CoForm">The form 协办 inputs were given on (null: they are opinions in the comment), to show them with labels.</param>
public sealed record AssignmentStepView(
    string ActivityId, string ActivityName, string ExecutionId, int Round, bool Active, string Completion, string? MyRole,
    FormDefinition? CoForm, IReadOnlyList<AssignmentUnitView> Units);

/// <summary>One unit's part in a 交办 step.</summary>
/// <param name="Status"><c>open</c>, <c>submitted</c>, <c>returned</c> (the 主办 sent the step back), <c>cancelled</c> (the step
/// ended before the unit submitted), <c>replaced</c> or <c>removed</c> (by the office).</param>
/// <param name="Input">What the unit submitted: a 协办's input (its form's values; opinions as
/// <c>[{ text, userName, unitName, step, at }]</c>). Null until submitted, and for viewers who may not see it
/// (<paramref name="InputHidden"/>): a 协办 sees only its own; the 主办, the office, leaders and administrators see all.</param>
/// <param name="Comment">The comment given on submitting — for a 协办 without a form, its opinion.</param>
public sealed record AssignmentUnitView(
    Guid TaskId, string UnitId, string UnitName, string Role, string RoleName, string Status,
    DateTimeOffset AssignedAt, DateTimeOffset? DueAt, DateTimeOffset? SubmittedAt, string? SubmittedByName, string? Outcome, string? Comment,
    JsonObject? Input, bool InputHidden,
    Guid? ReplacesTaskId, Guid? ReplacedByTaskId, DateTimeOffset? EndedAt, string? EndedByName, string? EndComment);

/// <summary>Reads 交办 steps for the APIs: an item's steps, or the step of one task.</summary>
internal static class AssignmentViews
{
    /// <summary>Every 交办 step of the item, oldest first.</summary>
    public static async Task<IReadOnlyList<AssignmentStepView>> ForInstanceAsync(
        DubanDbContext db, InstanceRecord instance, WorkflowDefinition definition, IOrganization org, CurrentUser viewer, CancellationToken ct)
    {
        var records = await db.Set<AssignmentRecord>().AsNoTracking().Where(a => a.InstanceId == instance.Id).ToListAsync(ct);
        if (records.Count == 0) return [];
        return await BuildAsync(db, instance, definition, org, viewer, records, ct);
    }

    /// <summary>The 交办 step a task belongs to; null when the task is not a 交办 unit's task.</summary>
    public static async Task<AssignmentStepView?> ForTaskAsync(
        DubanDbContext db, TaskRecord task, InstanceRecord instance, WorkflowDefinition definition, IOrganization org, CurrentUser viewer, CancellationToken ct)
    {
        if (definition.Root.Find(task.ActivityId)?.Type != ActivityTypes.Assign) return null;
        var records = await db.Set<AssignmentRecord>().AsNoTracking()
            .Where(a => a.InstanceId == instance.Id && a.ExecutionId == task.ExecutionId).ToListAsync(ct);
        if (records.Count == 0) return null;
        return (await BuildAsync(db, instance, definition, org, viewer, records, ct)).SingleOrDefault();
    }

    private static async Task<IReadOnlyList<AssignmentStepView>> BuildAsync(
        DubanDbContext db, InstanceRecord instance, WorkflowDefinition definition, IOrganization org, CurrentUser viewer,
        List<AssignmentRecord> records, CancellationToken ct)
    {
        var taskIds = records.Select(r => r.TaskId).ToList();
        var tasks = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, ct);
        var state = Duban.Data.Runtime.ItemWriter.StateOf(instance);
        var steps = new List<AssignmentStepView>();
        foreach (var group in records.GroupBy(r => r.ExecutionId).OrderBy(g => g.Min(r => r.AssignedAt)))
        {
            var first = group.First();
            var node = definition.Root.Find(first.ActivityId);
            var stepBookmark = state.Bookmarks.FirstOrDefault(b => b.Kind == AssignActivity.StepBookmark && b.ExecutionId == group.Key);
            var units = group.OrderBy(r => r.AssignedAt).ThenBy(r => r.Role == AssignActivity.Lead ? 0 : 1).ThenBy(r => r.TaskId).ToList();
            var leadUnits = units.Where(r => r.Role == AssignActivity.Lead && r.EndReason is null).Select(r => r.UnitId).ToHashSet();
            var myRole = viewer.UnitId is { } mine
                ? units.Where(r => r.UnitId == mine && r.EndReason is null).Select(r => r.Role).FirstOrDefault()
                : null;
            var seesAll = viewer.SeesAllItems || (viewer.UnitId is { } unit && leadUnits.Contains(unit));
            var completion = stepBookmark?.Payload["completion"]?.GetValue<string>()
                ?? node?.LiteralString("completion") ?? AssignActivity.CompletionLead;
            steps.Add(new AssignmentStepView(
                first.ActivityId,
                node?.DisplayName ?? first.ActivityId,
                group.Key,
                RoundOf(group.Key),
                stepBookmark is not null,
                completion,
                myRole,
                definition.FindForm(node?.LiteralString("coForm")),
                units.Select(r => Unit(r, tasks.GetValueOrDefault(r.TaskId), org, seesAll || r.UnitId == viewer.UnitId)).ToList()));
        }
        return steps;
    }

    private static AssignmentUnitView Unit(AssignmentRecord r, TaskRecord? task, IOrganization org, bool mayReadInput)
    {
        var status = r.EndReason ?? task?.Status switch
        {
            HumanTaskStatus.Open => "open",
            HumanTaskStatus.Completed => task.Outcome == PortNames.Return ? "returned" : "submitted",
            HumanTaskStatus.Cancelled => "cancelled",
            _ => "open",
        };
        var submitted = r.EndReason is null && task?.Status == HumanTaskStatus.Completed;
        var input = submitted && mayReadInput && r.InputJson is not null ? JsonNode.Parse(r.InputJson) as JsonObject : null;
        return new AssignmentUnitView(
            r.TaskId, r.UnitId, org.FindUnit(r.UnitId)?.Name ?? r.UnitId, r.Role, AssignActivity.RoleName(r.Role), status,
            r.AssignedAt, task?.DueAt,
            submitted ? task!.CompletedAt : null, submitted ? task!.CompletedByName : null, submitted ? task!.Outcome : null,
            submitted && mayReadInput ? task!.Comment : null,
            input, submitted && !mayReadInput,
            r.ReplacesTaskId, r.ReplacedByTaskId, r.EndedAt, r.EndedByName, r.EndComment);
    }

    private static int RoundOf(string executionId) =>
        int.TryParse(executionId[(executionId.LastIndexOf('#') + 1)..], out var round) ? round : 1;
}
