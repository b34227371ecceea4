using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;

namespace Duban.Engine.Definitions.Elsa;

/// <summary>Elsa's flowchart semantics made explicit as Duban nodes: implicit joins, and outcomes with no connection.</summary>
internal static class ElsaGraph
{
    /// <summary>
    /// In Elsa an activity several forward connections lead to runs once: when every branch has arrived or been ruled out
    /// (implicit join, merge mode Stream — the default), when every forward branch arrived (Merge), when every branch,
    /// loops included, arrived (Converge), at the first arrival (Race), or once per arrival (Cascade). Duban runs an
    /// activity once per arrival, so each of these gets a join in front of it that says which.
    /// </summary>
    public static Flowchart AddImplicitJoins(Flowchart flowchart, IReadOnlyDictionary<string, string> mergeModes)
    {
        var back = FlowGraph.BackEdges(flowchart);
        var activities = new List<ActivityNode>();
        var connections = flowchart.Connections.ToList();
        foreach (var node in flowchart.Activities)
        {
            if (node.Type is ActivityTypes.Join or ActivityTypes.Start) { activities.Add(node); continue; }
            var inbound = connections.Where(c => c.Target.Activity == node.Id).ToList();
            var forward = inbound.Where(c => !back.Contains(c.Key)).ToList();
            var mergeMode = mergeModes.GetValueOrDefault(node.Id) ?? "Stream";
            var (mode, joined) = mergeMode switch
            {
                "Cascade" => (null, forward),
                "Race" => (JoinActivity.WaitAny, forward),
                "Merge" => (JoinActivity.WaitAll, forward),
                "Converge" => (JoinActivity.WaitAll, inbound),
                _ => (JoinActivity.WaitAllActive, forward),
            };
            if (mode is null || joined.Count < 2) { activities.Add(node); continue; }

            var joinId = UniqueId(flowchart, activities, $"{node.Id}-join");
            var position = node.Metadata?["designer"]?["position"];
            var join = new ActivityNode
            {
                Id = joinId,
                Type = ActivityTypes.Join,
                Name = $"汇聚：{node.DisplayName}",
                Inputs = new() { ["mode"] = JsonSerializer.SerializeToElement(ActivityInput.Literal(mode, "String"), DefinitionJson.Options) },
                Metadata = position is null ? null : new JsonObject
                {
                    ["designer"] = new JsonObject
                    {
                        ["position"] = new JsonObject { ["x"] = (position["x"]?.GetValue<double>() ?? 0) - 160, ["y"] = position["y"]?.DeepClone() },
                    },
                },
            };
            activities.Add(join);
            activities.Add(node);
            foreach (var c in joined) connections[connections.IndexOf(c)] = c with { Target = new Endpoint(joinId) };
            connections.Add(new Connection(new Endpoint(joinId, PortNames.Done), new Endpoint(node.Id)));
        }
        return flowchart with { Activities = activities, Connections = connections };
    }

    /// <summary>
    /// An Elsa FlowJoin with a single way in waits for nothing; Duban does not accept a join like that (it asks for two
    /// ways in), so the join goes and its way in leads straight to where it led.
    /// </summary>
    public static Flowchart DropSingleEntryJoins(Flowchart flowchart)
    {
        var activities = flowchart.Activities.ToList();
        var connections = flowchart.Connections.ToList();
        foreach (var join in flowchart.Activities.Where(a => a.Type == ActivityTypes.Join))
        {
            var inbound = connections.Where(c => c.Target.Activity == join.Id).ToList();
            if (inbound.Count > 1) continue;
            var outbound = connections.Where(c => c.Source.Activity == join.Id).ToList();
            connections.RemoveAll(c => c.Source.Activity == join.Id || c.Target.Activity == join.Id);
            foreach (var i in inbound)
                foreach (var o in outbound)
                    connections.Add(i with { Target = o.Target });
            activities.Remove(join);
        }
        return flowchart with { Activities = activities, Connections = connections };
    }

    /// <summary>
    /// In Elsa an outcome with no connection ends its branch; the workflow finishes when no branch is left. Each such
    /// port leads to an End that ends only its branch: the ones a Duban export recorded (<paramref name="recorded"/>), in
    /// their places, and one 分支结束 for the rest.
    /// </summary>
    public static Flowchart EndOpenPorts(Flowchart flowchart, ActivityRegistry registry, JsonArray? recorded)
    {
        var activities = flowchart.Activities.ToList();
        var connections = flowchart.Connections.ToList();
        bool Open(string id, string port) => !connections.Any(c => c.Source.Activity == id && FlowGraph.PortOf(c) == port);

        foreach (var entry in (recorded ?? []).OfType<JsonObject>())
        {
            if (entry["node"]?.Deserialize<ActivityNode>(DefinitionJson.Options) is not { } end || activities.Any(a => a.Id == end.Id)) continue;
            var restored = (entry["connections"]?.Deserialize<List<Connection>>(DefinitionJson.Options) ?? [])
                .Where(c => activities.Any(a => a.Id == c.Source.Activity) && Open(c.Source.Activity, FlowGraph.PortOf(c))).ToList();
            if (restored.Count == 0) continue;
            activities.Add(end);
            connections.AddRange(restored);
        }

        var open = new List<(string Id, string Port)>();
        foreach (var node in activities)
        {
            if (!registry.Contains(node.Type)) continue;
            IReadOnlyList<string> ports;
            try { ports = registry.Get(node.Type).Ports(node); }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { continue; }
            open.AddRange(ports.Where(p => Open(node.Id, p)).Select(p => (node.Id, p)));
        }
        if (open.Count > 0)
        {
            var id = UniqueId(flowchart, activities, "branch-end");
            activities.Add(new ActivityNode
            {
                Id = id,
                Type = ActivityTypes.End,
                Name = "分支结束",
                Inputs = new() { ["scope"] = JsonSerializer.SerializeToElement(ActivityInput.Literal(EndActivity.Branch, "String"), DefinitionJson.Options) },
            });
            connections.AddRange(open.Select(o => new Connection(new Endpoint(o.Id, o.Port), new Endpoint(id))));
        }
        return flowchart with { Activities = activities, Connections = connections };
    }

    private static string UniqueId(Flowchart flowchart, List<ActivityNode> added, string id)
    {
        var candidate = id;
        for (var i = 2; flowchart.Activities.Any(a => a.Id == candidate) || added.Any(a => a.Id == candidate); i++) candidate = $"{id}{i}";
        return candidate;
    }
}
