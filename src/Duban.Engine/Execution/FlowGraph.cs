using Duban.Engine.Activities;
using Duban.Engine.Definitions;

namespace Duban.Engine.Execution;

/// <summary>Index of a flowchart's connections: who follows whom, who precedes whom.</summary>
internal sealed class FlowGraph
{
    private readonly Dictionary<string, List<Connection>> _outbound = new();
    private readonly Dictionary<string, List<Connection>> _inbound = new();

    public FlowGraph(Flowchart flowchart)
    {
        Flowchart = flowchart;
        foreach (var connection in flowchart.Connections)
        {
            Add(_outbound, connection.Source.Activity, connection);
            Add(_inbound, connection.Target.Activity, connection);
        }
    }

    public Flowchart Flowchart { get; }

    private HashSet<string>? _backEdges;
    private bool? _hasWaitAllActiveJoins;

    /// <summary>Whether any join waits Elsa's way (<see cref="JoinActivity.WaitAllActive"/>): only then are untaken branches walked.</summary>
    public bool HasWaitAllActiveJoins => _hasWaitAllActiveJoins ??= Flowchart.Activities.Any(a =>
        a.Type == ActivityTypes.Join && a.LiteralString("mode") == JoinActivity.WaitAllActive);

    /// <summary>A connection that closes a loop: it leads back to an activity on the way to its source from the start.</summary>
    public bool IsBackEdge(string connectionKey) => (_backEdges ??= BackEdges(Flowchart, this)).Contains(connectionKey);

    /// <summary>Inbound connections that do not close a loop.</summary>
    public IReadOnlyList<Connection> ForwardInbound(string activityId) => Inbound(activityId).Where(c => !IsBackEdge(c.Key)).ToList();

    /// <summary>
    /// The keys of the connections that close a loop: a depth-first walk from the start (or, without one, from every
    /// activity nothing leads to), in connection order; a connection to an activity still on the walk's path goes back.
    /// </summary>
    public static HashSet<string> BackEdges(Flowchart flowchart, FlowGraph? graph = null)
    {
        graph ??= new FlowGraph(flowchart);
        var back = new HashSet<string>();
        var done = new HashSet<string>();
        var onPath = new HashSet<string>();
        var roots = flowchart.Activities.Where(a => a.Type == ActivityTypes.Start).Select(a => a.Id).ToList();
        if (roots.Count == 0) roots = flowchart.Activities.Where(a => graph.Inbound(a.Id).Count == 0).Select(a => a.Id).ToList();
        foreach (var root in roots.Concat(flowchart.Activities.Select(a => a.Id)))
        {
            if (done.Contains(root)) continue;
            // Iterative DFS: each frame is an activity and the index of its next outbound connection.
            var stack = new Stack<(string Id, int Next)>();
            stack.Push((root, 0));
            onPath.Add(root);
            while (stack.Count > 0)
            {
                var (id, next) = stack.Pop();
                var outbound = graph.Outbound(id);
                if (next >= outbound.Count)
                {
                    onPath.Remove(id);
                    done.Add(id);
                    continue;
                }
                stack.Push((id, next + 1));
                var connection = outbound[next];
                var target = connection.Target.Activity;
                if (onPath.Contains(target)) back.Add(connection.Key);
                else if (!done.Contains(target))
                {
                    onPath.Add(target);
                    stack.Push((target, 0));
                }
            }
        }
        return back;
    }

    public IReadOnlyList<Connection> Outbound(string activityId) => _outbound.GetValueOrDefault(activityId) ?? [];
    public IReadOnlyList<Connection> Inbound(string activityId) => _inbound.GetValueOrDefault(activityId) ?? [];

    public static string PortOf(Connection c) => string.IsNullOrEmpty(c.Source.Port) ? PortNames.Done : c.Source.Port;

    /// <summary>Activities from which <paramref name="activityId"/> can be reached, not walking back through <paramref name="stopAtType"/> nodes.</summary>
    public HashSet<string> Ancestors(string activityId, string? stopAtType = null)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>();
        stack.Push(activityId);
        while (stack.Count > 0)
        {
            foreach (var c in Inbound(stack.Pop()))
            {
                var source = c.Source.Activity;
                if (source == activityId || !seen.Add(source)) continue;
                if (stopAtType is not null && Flowchart.Find(source)?.Type == stopAtType) continue;
                stack.Push(source);
            }
        }
        return seen;
    }

    public HashSet<string> ReachableFrom(string activityId)
    {
        var seen = new HashSet<string> { activityId };
        var stack = new Stack<string>();
        stack.Push(activityId);
        while (stack.Count > 0)
            foreach (var c in Outbound(stack.Pop()))
                if (seen.Add(c.Target.Activity)) stack.Push(c.Target.Activity);
        return seen;
    }

    private static void Add(Dictionary<string, List<Connection>> map, string key, Connection connection)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(connection);
    }
}
