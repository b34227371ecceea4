using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Server.Tasks;

/// <summary>
/// A next step whose handler this task's handler picks (assignee rule <c>previous</c>): completing with
/// <see cref="Outcome"/> needs <c>nextAssignees[ActivityId]</c> unless <see cref="Required"/> is false (a choice made
/// on an earlier round stands). Ids are <c>user:{id}</c> or <c>unit:{id}</c>.
/// A 交办 step chosen this way asks for two picks: its 主办 under the step's id (<see cref="UnitsOnly"/>, one:
/// <see cref="Multiple"/> false) and its 协办 under <c>&lt;id&gt;:co</c> (units, any number, never required).
/// </summary>
public sealed record NextStepChoice(string Outcome, string ActivityId, string Name, bool Required, bool UnitsOnly = false, bool Multiple = true);

internal static class NextStepChoices
{
    /// <summary>The steps directly after each of the task's outcomes that the handler must staff.</summary>
    public static IReadOnlyList<NextStepChoice> Of(WorkflowDefinition definition, WorkflowState state, string activityId, IEnumerable<string> outcomes)
    {
        var wanted = outcomes.ToHashSet(StringComparer.Ordinal);
        var choices = new List<NextStepChoice>();
        foreach (var connection in definition.Root.Connections.Where(c => c.Source.Activity == activityId))
        {
            var outcome = string.IsNullOrEmpty(connection.Source.Port) ? PortNames.Done : connection.Source.Port;
            if (!wanted.Contains(outcome)) continue;
            var next = definition.Root.Find(connection.Target.Activity);
            if (next is not null && AssignActivity.ChoosesByPrevious(next))
            {
                var required = AssignActivity.NeedsChoice(next, state);
                choices.Add(new NextStepChoice(outcome, next.Id, $"{next.DisplayName}（主办单位）", required, UnitsOnly: true, Multiple: false));
                choices.Add(new NextStepChoice(outcome, next.Id + AssignActivity.CoChoiceSuffix, $"{next.DisplayName}（协办单位）", false, UnitsOnly: true));
                continue;
            }
            if (next is null || next.Type is not (ActivityTypes.UserTask or ActivityTypes.Notify)) continue;
            if (next.Literal<AssigneeRule>("assignee") is not { Type: "previous" }) continue;
            choices.Add(new NextStepChoice(outcome, next.Id, next.DisplayName, !state.ChosenAssignees.ContainsKey(next.Id)));
        }
        return choices;
    }
}
