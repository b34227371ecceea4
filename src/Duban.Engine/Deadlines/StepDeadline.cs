using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Deadlines;

/// <summary>
/// The time limit of a human step, for any activity that gives people tasks (UserTask, 交办 …). Inputs:
/// <list type="bullet">
/// <item><c>deadline</c> — a <see cref="DeadlineSpec"/> object, a preset name from <c>options.deadlines</c>, a date
/// (yyyy-MM-dd) or a number of working days; a literal, or a script that returns one of these.</item>
/// <item><c>dueIn</c> — the older form: an ISO 8601 duration (<c>P10D</c>) or seconds from now. Used when there is no
/// <c>deadline</c>.</item>
/// </list>
/// Working days follow the calendar of the item's organization (<see cref="Directory.IOrganization.CalendarFor"/>).
/// </summary>
public static class StepDeadline
{
    public const string Input = "deadline";
    public const string LegacyInput = "dueIn";

    /// <summary>When the step's tasks fall due, or null when it has no limit. A bad deadline faults the activity.</summary>
    public static DateTimeOffset? DueAt(ActivityContext context) => DueAt(context, Input, LegacyInput);

    /// <summary>
    /// The same, read from other inputs — for an activity with more than one limit (e.g. 交办's 协办 units:
    /// <c>DueAt(context, "coDeadline", "coDueIn")</c>).
    /// </summary>
    public static DateTimeOffset? DueAt(ActivityContext context, string input, string legacyInput)
    {
        var node = context.Node;
        if (node.Input(input) is not null)
        {
            var value = context.Evaluate(input);
            if (value is null) return null; // a script may decide there is no limit
            try
            {
                var presets = ProcedureOptions.Deadlines(context.Definition.Options);
                var spec = DeadlineCalculator.Parse(value, "办理时限", presets);
                var key = $"{node.Id}/{input}";
                var previous = SeriesPrevious(context, key);
                var deadline = DeadlineCalculator.Compute(spec, Context(context, presets) with { SeriesAfter = previous });
                if (deadline?.SeriesDate is { } seriesDate)
                    context.State.Series[key] = new SeriesMark(context.ExecutionId, seriesDate, previous);
                return deadline?.DueAt;
            }
            catch (DeadlineException e)
            {
                throw new ActivityFaultException($"「{node.DisplayName}」的办理时限无效：{e.Message}", e);
            }
        }
        if (node.Input(legacyInput) is not null)
            return context.Now + TimerActivity.ParseDuration(context.Evaluate(legacyInput), node.DisplayName);
        return null;
    }

    /// <summary>
    /// The date a fixed-date series continues after at this step: the one it gave last time. Within the same execution
    /// (several tasks of one 交办) and on a redo after a send-back (退回), the series does not move on: it gives the date it
    /// gave before.
    /// </summary>
    private static DateOnly? SeriesPrevious(ActivityContext context, string key)
    {
        if (!context.State.Series.TryGetValue(key, out var mark)) return null;
        if (mark.ExecutionId == context.ExecutionId || IsSendBack(context)) return mark.Previous;
        return mark.Date;
    }

    private static bool IsSendBack(ActivityContext context) =>
        context.InboundConnection is { } key
        && context.Graph.Inbound(context.Node.Id).FirstOrDefault(c => c.Key == key) is { } connection
        && FlowGraph.PortOf(connection) == PortNames.Return;

    /// <summary>What a deadline is counted against inside a running instance.</summary>
    public static DeadlineContext Context(ActivityContext context, JsonObject? presets = null) => new(
        context.Now,
        context.State.StartedAt ?? context.Now,
        context.Organization.CalendarFor(context.State.InitiatorUnitId),
        context.State.Data,
        context.State.Input,
        presets ?? ProcedureOptions.Deadlines(context.Definition.Options),
        context.State.DueAt)
    { AssignStart = context.State.AssignedAt };

    /// <summary>Problems with a step's literal <c>deadline</c>, for the checks before publishing.</summary>
    public static IEnumerable<string> Problems(ActivityNode node, WorkflowDefinition definition, string input = Input)
    {
        if (node.Input(input)?.Expression is not { Type: ExpressionTypes.Literal } literal || literal.Value is null) yield break;
        var presets = ProcedureOptions.Deadlines(definition.Options);
        IReadOnlyList<string> problems;
        try
        {
            problems = DeadlineCalculator.Problems(DeadlineCalculator.Parse(literal.Value, "办理时限", presets), presets);
        }
        catch (DeadlineException e)
        {
            problems = [e.Message];
        }
        foreach (var problem in problems) yield return $"办理时限：{problem}";
    }

    /// <summary>A date for people: 2026年3月2日（周一）.</summary>
    public static string Describe(DateTimeOffset due)
    {
        var date = ChinaTime.DateOf(due);
        return $"{date.Year}年{date.Month}月{date.Day}日（{CalendarYear.Weekday(date)}）";
    }
}
