using Duban.Engine.Execution;

namespace Duban.Engine.Deadlines;

/// <summary>
/// The item's own deadline (完成时限), from <c>options.deadlines.item</c>: worked out when the item is registered and
/// again whenever its data changes (a 完成时限 field filled in later), until an approved extension fixes it. Kept in
/// the state (<see cref="WorkflowState.DueAt"/>); the host copies it to the item row for lists. A 设定完成时限 step on a
/// branch replaces the procedure's rule for the item (<see cref="WorkflowState.ItemDeadlineRule"/>).
/// </summary>
internal static class ItemDeadline
{
    /// <summary>The start form's field marked as the item's 完成时限 (decision 029), when it is a date field.</summary>
    public static string? DeadlineField(Definitions.WorkflowDefinition definition)
    {
        var start = definition.Root.Activities.FirstOrDefault(a => a.Type == Activities.ActivityTypes.Start);
        var form = definition.FindForm(start?.LiteralString("form"));
        return form?.ItemFields?.Deadline is { } key && form.Fields.Any(f => f.Key == key && f.Type == Forms.FieldTypes.Date) ? key : null;
    }

    public static void Refresh(RunScope scope)
    {
        var state = scope.State;
        if (state.DueExtended) return;
        DeadlineSpec? spec;
        if (state.ItemDeadlineRule is { } branch)
        {
            spec = branch.Spec;
            if (spec is null) { state.DueAt = null; return; } // this branch's items have no deadline (参阅性)
        }
        else
        {
            try
            {
                spec = ProcedureOptions.ItemDeadlineSpec(scope.Definition.Options);
            }
            catch (DeadlineException)
            {
                return; // checked before publishing; an older version with a broken spec simply has no item deadline
            }
            // A date field the start form marks as the item's deadline wins when filled; the rule (if any) is its fallback.
            if (DeadlineField(scope.Definition) is { } marked && !(spec is { Kind: DeadlineKinds.Field } && spec.Field == marked))
                spec = new DeadlineSpec { Kind = DeadlineKinds.Field, Field = marked, Fallback = spec };
            if (spec is null) return;
        }
        var started = state.StartedAt ?? scope.Now;
        try
        {
            state.DueAt = DeadlineCalculator.Compute(spec, new DeadlineContext(started, started,
                scope.Organization.CalendarFor(state.InitiatorUnitId), state.Data, state.Input,
                ProcedureOptions.Deadlines(scope.Definition.Options))
            { AssignStart = state.AssignedAt }, DeadlineStarts.Item)?.DueAt;
        }
        catch (DeadlineException)
        {
            state.DueAt = null; // e.g. counted from a date field not filled in yet
        }
    }
}
