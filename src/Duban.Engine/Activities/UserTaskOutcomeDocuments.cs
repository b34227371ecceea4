using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// What a human step's outcome produces besides the flow going on (docs/decisions/047): a document the design names
/// (<c>outcomeDocuments</c>: outcome → the key of one of the organization's 文书模板 — 交办 → 督查通知单), and 归档
/// (<c>archiveOutcomes</c>: the outcomes that file the item away — 立卷归档, after which it is locked). The engine only
/// records the intent on the run's effects (<see cref="ExecutionEffects.Documents"/>, <see cref="ExecutionEffects.Archived"/>);
/// the host generates, sends and locks in the same transaction.
/// </summary>
public static class UserTaskOutcomeDocuments
{
    /// <summary>The node's input: outcome → document template key.</summary>
    public const string Input = "outcomeDocuments";

    /// <summary>The node's input listing the outcomes that archive the item.</summary>
    public const string ArchiveInput = "archiveOutcomes";

    public static IReadOnlyDictionary<string, string> Declared(ActivityNode node) =>
        node.Literal<Dictionary<string, string>>(Input) is { } map
            ? map.Where(kv => !string.IsNullOrWhiteSpace(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value.Trim())
            : new Dictionary<string, string>();

    public static IReadOnlyList<string> ArchiveOutcomes(ActivityNode node) => node.Literal<List<string>>(ArchiveInput) ?? [];

    /// <summary>Records what the deciding <paramref name="outcome"/> of the step asks the host to do.</summary>
    internal static void Mark(ActivityContext context, string outcome)
    {
        var node = context.Node;
        if (Declared(node).GetValueOrDefault(outcome) is { } template)
            context.Effects.Documents.Add(new DocumentRequest(template, node.Id, node.DisplayName, outcome));
        if (ArchiveOutcomes(node).Contains(outcome)) context.Effects.Archived = true;
    }

    public static IEnumerable<string> Problems(ActivityNode node, IReadOnlyList<string> outcomes)
    {
        foreach (var (outcome, template) in node.Literal<Dictionary<string, string>>(Input) ?? [])
        {
            if (!outcomes.Contains(outcome)) yield return $"生成文书的结果「{outcome}」不在本环节的办理结果中";
            else if (template is { Length: > 64 }) yield return $"结果「{outcome}」生成的文书模板标识过长";
        }
        foreach (var outcome in ArchiveOutcomes(node).Where(o => !outcomes.Contains(o)))
            yield return $"归档的结果「{outcome}」不在本环节的办理结果中";
        foreach (var outcome in ArchiveOutcomes(node).Where(o => UserTaskSendBack.SendsBack(node, o)))
            yield return $"结果「{outcome}」既是退回重办又是归档";
        foreach (var outcome in ArchiveOutcomes(node).Where(o => Declared(node).ContainsKey(o)))
            yield return $"结果「{outcome}」归档后事项不能再修改，不能同时生成并送达文书（请在前一环节生成）";
    }

    /// <summary>
    /// The steps that can flow in only without anyone acting (a condition, a branch, a variable, a line in the timeline):
    /// an 归档 outcome may pass through them on its way to the end.
    /// </summary>
    private static readonly HashSet<string> PassThrough =
    [
        ActivityTypes.Decision, ActivityTypes.Switch, ActivityTypes.Fork, ActivityTypes.SetVariables, ActivityTypes.SetVariable,
        ActivityTypes.WriteLine, ActivityTypes.SetItemDeadline,
    ];

    /// <summary>
    /// An 归档 outcome must lead to the end (docs/decisions/048): an archived item is read-only, so a step, a timer, a
    /// notice or a sub-procedure after it would wait for a write the lock refuses, and the item would hang. Every node
    /// the outcome can reach before an end is checked; the first that waits is named.
    /// </summary>
    public static IEnumerable<string> PathProblems(ActivityNode node, WorkflowDefinition definition)
    {
        if (definition.Root is not { } flowchart) yield break;
        foreach (var outcome in ArchiveOutcomes(node).Distinct())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>(flowchart.Connections
                .Where(c => c?.Source?.Activity == node.Id && c.Target?.Activity is not null && FlowGraph.PortOf(c) == outcome)
                .Select(c => c.Target.Activity));
            ActivityNode? blocking = null;
            while (blocking is null && queue.TryDequeue(out var id))
            {
                if (!seen.Add(id) || flowchart.Find(id) is not { } next) continue;
                if (next.Type == ActivityTypes.End) continue;
                if (!PassThrough.Contains(next.Type) || next.Id == node.Id) { blocking = next; break; }
                foreach (var c in flowchart.Connections.Where(c => c?.Source?.Activity == id && c.Target?.Activity is not null))
                    queue.Enqueue(c.Target.Activity);
            }
            if (blocking is not null)
                yield return $"结果「{outcome}」归档后事项不能再修改，流程应直接结束，但其后还有「{blocking.DisplayName}」（请把「{outcome}」连到结束节点，或在前面的环节归档）";
        }
    }
}
