using Duban.Engine.Activities;
using Duban.Engine.Definitions;

namespace Duban.Engine.Execution;

/// <summary>
/// Elsa's implicit join, for <see cref="JoinActivity.WaitAllActive"/> joins: a join must know not only which branches
/// arrived but which never will. When an activity finishes, each outbound connection it did not take (a decision's other
/// port, an outcome not chosen) is ruled out, and so is everything after it up to the next join: an activity reached
/// only through ruled-out connections is skipped, not run. A waitAllActive join goes on once each of its forward inbound
/// connections has arrived or been ruled out — if at least one arrived; if none did, it is skipped in turn.
/// Connections that loop back (found from the start node) are neither waited for nor ruled out.
/// Definitions without a waitAllActive join are not walked at all.
/// </summary>
internal static class DeadPaths
{
    private const string RuledOut = "!";

    public enum Verdict { Wait, Run, Skip }

    /// <summary>Records an arrival (or a ruled-out branch) at a waitAllActive join; true when it should run now.</summary>
    public static bool Arrive(RunScope scope, ActivityNode join, string connectionKey, bool live) =>
        Record(scope, join, connectionKey, live) == Verdict.Run;

    private static Verdict Record(RunScope scope, ActivityNode join, string connectionKey, bool live)
    {
        var graph = scope.Graph;
        if (graph.IsBackEdge(connectionKey)) return live ? Verdict.Run : Verdict.Wait;
        var forward = graph.ForwardInbound(join.Id).Select(c => c.Key).ToList();
        var state = scope.State;
        if (!state.JoinArrivals.TryGetValue(join.Id, out var arrived)) state.JoinArrivals[join.Id] = arrived = [];
        var mark = live ? connectionKey : RuledOut + connectionKey;
        if (!arrived.Contains(mark)) arrived.Add(mark);
        if (!forward.All(k => arrived.Contains(k) || arrived.Contains(RuledOut + k))) return Verdict.Wait;
        state.JoinArrivals.Remove(join.Id);
        return forward.Any(arrived.Contains) ? Verdict.Run : Verdict.Skip;
    }

    /// <summary>The connection was not taken: rule out what lies behind it, up to the joins that wait for it.</summary>
    public static void RuleOut(RunScope scope, Connection connection)
    {
        var graph = scope.Graph;
        var pending = new Stack<Connection>();
        pending.Push(connection);
        var seen = new HashSet<string>();
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current.Key) || graph.IsBackEdge(current.Key)) continue;
            var target = graph.Flowchart.Find(current.Target.Activity);
            if (target is null) continue;
            bool skip;
            if (target.Type == ActivityTypes.Join)
            {
                if ((target.LiteralString("mode") ?? JoinActivity.WaitAll) != JoinActivity.WaitAllActive) continue;
                var verdict = Record(scope, target, current.Key, live: false);
                if (verdict == Verdict.Run) scope.Queue.AddLast(new ScheduledWork(target.Id, null));
                skip = verdict == Verdict.Skip;
            }
            else
            {
                // An activity with one way in is skipped with it; one with several ways in (no join before it) may still be reached.
                skip = graph.ForwardInbound(target.Id).Count == 1;
            }
            if (!skip) continue;
            foreach (var next in graph.Outbound(target.Id).Reverse()) pending.Push(next);
        }
    }

    /// <summary>Forgets a ruled-out branch along with its arrival (a fork running again starts a new round).</summary>
    public static void Forget(List<string> arrived, string connectionKey)
    {
        arrived.Remove(connectionKey);
        arrived.Remove(RuledOut + connectionKey);
    }
}
