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
