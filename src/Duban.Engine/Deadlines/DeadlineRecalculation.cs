using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Deadlines;

/// <summary>
/// Works an item's deadlines out again when the calendar changed under them (a year's notice loaded after they were set
/// on the statutory days alone): the item's own (unless an approved extension fixed it) and each open step's whose
/// <c>deadline</c> is a literal rule, counted from when its task was created. A deadline from a script or an older
/// <c>dueIn</c> stays as it is. What moved is journaled once for the item.
/// </summary>
internal static class DeadlineRecalculation
{
    public static void Run(RunScope scope, RecalculateRequest request)
    {
        var state = scope.State;
        var changes = new JsonArray();
        var itemBefore = state.DueAt;
        ItemDeadline.Refresh(scope);
        if (state.DueAt != itemBefore)
            changes.Add(new JsonObject { ["what"] = "事项完成时限", ["from"] = itemBefore, ["to"] = state.DueAt });

        foreach (var step in request.Steps)
        {
            if (step.DueAt is not { } current || scope.Definition.Root.Find(step.ActivityId) is not { } node) continue;
            if (node.Type == ActivityTypes.Assign) node = AssignActivity.DeadlineNodeOf(node, state, step.TaskId);
            if (Recompute(scope, node, step) is not { } due || due == current) continue;
            scope.Effects.Deadlines.Add(new DeadlineChange(step.TaskId, due));
            changes.Add(new JsonObject { ["what"] = step.Name, ["taskId"] = step.TaskId.ToString(), ["from"] = current, ["to"] = due });
        }
        if (changes.Count == 0) return;
        scope.Effects.Journal.Add(new JournalRecord
        {
            Kind = JournalKind.DeadlinesRecalculated,
            At = scope.Now,
            ActorId = request.Actor.Id,
            ActorName = request.Actor.Name,
            Comment = $"已载入 {request.Year} 年节假日安排，按新的日历重新计算时限",
            Data = new JsonObject { ["year"] = request.Year, ["changes"] = changes },
        });
    }

    private static DateTimeOffset? Recompute(RunScope scope, ActivityNode node, OpenStep step)
    {
        if (node.Input(StepDeadline.Input)?.Expression is not { Type: ExpressionTypes.Literal, Value: { } value }) return null;
        var state = scope.State;
        var presets = ProcedureOptions.Deadlines(scope.Definition.Options);
        var key = $"{node.Id}/{StepDeadline.Input}";
        // A fixed-date series gives the same date as when the task was created: after the one before it.
        var after = state.Series.TryGetValue(key, out var mark) && mark.ExecutionId == step.ExecutionId ? mark.Previous : null;
        try
        {
            var spec = DeadlineCalculator.Parse(value, "办理时限", presets);
            var context = new DeadlineContext(step.CreatedAt, state.StartedAt ?? step.CreatedAt,
                scope.Organization.CalendarFor(state.InitiatorUnitId), state.Data, state.Input, presets, state.DueAt)
            { AssignStart = state.AssignedAt, SeriesAfter = after };
            return DeadlineCalculator.Compute(spec, context)?.DueAt;
        }
        catch (DeadlineException)
        {
            return null; // it was worked out once; if it cannot be now (a field emptied since), it stays
        }
    }
}
