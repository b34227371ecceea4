using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// Decision (Elsa's FlowDecision): a condition chooses the True or the False port. The condition is built by clicking
/// (<see cref="ExpressionTypes.Condition"/>: field, operator, value, AND/OR groups) or, as the 「高级」 choice, a script.
/// </summary>
public sealed class DecisionActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Decision, "条件判断", "流程控制",
        [PortNames.True, PortNames.False], "按条件走“是”或“否”分支")
    {
        Inputs =
        [
            Input.Of("condition", "判断条件", InputHints.ConditionBuilder, "Boolean") with
            {
                Required = true,
                Description = "条件成立走“是”，否则走“否”",
                EditorOptions = new() { Placeholder = "例如：item.amount > 10000", ScriptHint = Input.ScriptNames },
            },
        ],
    };

    public ActivityResult Execute(ActivityContext context) =>
        ActivityResult.Outcome(context.Node.Input("condition")?.Expression is { } condition && context.EvaluateCondition(condition)
            ? PortNames.True : PortNames.False);

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        if (node.Input("condition")?.Expression is null) yield return "未设置判断条件";
    }
}

/// <summary>
/// Switch (Elsa's FlowSwitch): cases in order, each a label (the port) and a condition; Default when none matches. A
/// case's condition is an expression as Elsa writes it — <c>{ "type": "Condition" | "JavaScript", "value": … }</c> — or,
/// as older definitions have it, the script's text.
/// </summary>
public sealed class SwitchActivity : IActivityHandler
{
    public sealed record Case(string Label, JsonNode? Condition)
    {
        /// <summary>The case's condition as an expression; null when it has none.</summary>
        public Expression? Expression => ExpressionOf(Condition);
    }

    public static Expression? ExpressionOf(JsonNode? condition) => condition switch
    {
        JsonValue v when v.TryGetValue<string>(out var script) =>
            string.IsNullOrWhiteSpace(script) ? null : new Expression(ExpressionTypes.JavaScript, JsonValue.Create(script)),
        JsonObject o when o["type"] is JsonValue t && t.TryGetValue<string>(out var type) =>
            o["value"] is null || (o["value"] is JsonValue s && s.TryGetValue<string>(out var text) && string.IsNullOrWhiteSpace(text))
                ? null
                : new Expression(type, o["value"]!.DeepClone()),
        _ => null,
    };

    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Switch, "多路分支", "流程控制",
        [PortNames.Default], "按顺序判断各分支条件，走第一个成立的分支；都不成立走“默认”")
    {
        Inputs = [Input.Of("cases", "分支（按顺序判断）", InputHints.SwitchCases, "Object") with { Description = "都不成立时走“默认”出口" }],
    };

    public IReadOnlyList<string> Ports(ActivityNode node) =>
        [.. (node.Literal<List<Case>>("cases") ?? []).Select(c => c.Label), PortNames.Default];

    public ActivityResult Execute(ActivityContext context)
    {
        foreach (var @case in context.Literal<List<Case>>("cases") ?? [])
            if (@case.Expression is { } condition && context.EvaluateCondition(condition))
                return ActivityResult.Outcome(@case.Label);
        return ActivityResult.Outcome(PortNames.Default);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var cases = node.Literal<List<Case>>("cases") ?? [];
        if (cases.Count == 0) yield return "多路分支至少需要一个分支";
        foreach (var duplicate in cases.GroupBy(c => c.Label).Where(g => g.Count() > 1))
            yield return $"分支名称「{duplicate.Key}」重复";
    }
}

/// <summary>Fork: every outgoing connection runs, in parallel branches.</summary>
public sealed class ForkActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Fork, "并行分支", "流程控制",
        [PortNames.Done], "同时走所有出口连线")
    {
        Inputs =
        [
            Input.Of("branches", "分支", InputHints.NameList, "Object") with
            {
                Description = "不设分支时，所有从“完成”出口连出的线同时执行",
                EditorOptions = new() { AddLabel = "添加分支", Ports = true },
            },
        ],
    };

    public IReadOnlyList<string> Ports(ActivityNode node) =>
        node.Literal<List<string>>("branches") is { Count: > 0 } branches ? branches : [PortNames.Done];

    public ActivityResult Execute(ActivityContext context)
    {
        ForgetEarlierArrivals(context);
        return new ActivityResult.Done(Ports(context.Node));
    }

    /// <summary>
    /// A fork that runs again (a 退回 loop went back before it) starts a new round of its branches: arrivals its
    /// branches left at their joins in the earlier round no longer count. Only connections coming out of this
    /// fork's own region (up to the first joins) are forgotten, so an enclosing fork's arrivals stay.
    /// </summary>
    private static void ForgetEarlierArrivals(ActivityContext context)
    {
        var graph = context.Graph;
        var region = new HashSet<string> { context.Node.Id };
        var stack = new Stack<string>(region);
        while (stack.Count > 0)
        {
            foreach (var connection in graph.Outbound(stack.Pop()))
            {
                var target = connection.Target.Activity;
                if (graph.Flowchart.Find(target)?.Type == ActivityTypes.Join)
                {
                    if (context.State.JoinArrivals.TryGetValue(target, out var arrived)) DeadPaths.Forget(arrived, connection.Key);
                }
                else if (region.Add(target))
                {
                    stack.Push(target);
                }
            }
        }
    }
}

/// <summary>
/// Join: waits for every inbound connection (waitAll) or goes on at the first (waitAny). With waitAny the other
/// branches — the activities that lead here without passing a Fork — are cut: their tasks and timers are cancelled.
/// </summary>
public sealed class JoinActivity : IActivityHandler
{
    public const string WaitAll = "waitAll";
    public const string WaitAny = "waitAny";
    /// <summary>
    /// Elsa's implicit join (WaitAllActive): waits until every inbound branch has arrived or been ruled out (a decision
    /// took the other way); goes on when at least one arrived. Loops back into the join are not waited for (<see cref="DeadPaths"/>).
    /// </summary>
    public const string WaitAllActive = "waitAllActive";

    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.Join, "汇聚", "流程控制",
        [PortNames.Done], "等待所有分支（或任一分支）到达后继续")
    {
        Inputs = [Input.Choice("mode", "汇聚方式", InputHints.Radio, "waitAll", [new("waitAll", "等待全部分支"), new("waitAny", "任一分支到达即继续（其余分支取消）"), new(WaitAllActive, "等待所有走到的分支（未走的分支不等）")])],
    };

    /// <summary>Records an arrival; true when the join should run now.</summary>
    internal static bool Arrive(RunScope scope, ActivityNode node, ScheduledWork work)
    {
        var mode = node.LiteralString("mode") ?? WaitAll;
        if (mode == WaitAny || work.ConnectionKey is null) return true;
        if (mode == WaitAllActive) return DeadPaths.Arrive(scope, node, work.ConnectionKey, live: true);
        var inbound = scope.Graph.Inbound(node.Id).Select(c => c.Key).ToHashSet();
        if (!scope.State.JoinArrivals.TryGetValue(node.Id, out var arrived))
            scope.State.JoinArrivals[node.Id] = arrived = [];
        if (!arrived.Contains(work.ConnectionKey)) arrived.Add(work.ConnectionKey);
        if (!inbound.IsSubsetOf(arrived)) return false;
        scope.State.JoinArrivals.Remove(node.Id);
        return true;
    }

    public ActivityResult Execute(ActivityContext context)
    {
        if ((context.Node.LiteralString("mode") ?? WaitAll) == WaitAny)
        {
            var branches = context.Graph.Ancestors(context.Node.Id, stopAtType: ActivityTypes.Fork);
            foreach (var bookmark in context.State.Bookmarks.Where(b => branches.Contains(b.ActivityId)).ToList())
                context.RemoveBookmark(bookmark);
            var queue = context.Scope.Queue;
            for (var item = queue.First; item is not null;)
            {
                var next = item.Next;
                if (branches.Contains(item.Value.ActivityId) || item.Value.ActivityId == context.Node.Id) queue.Remove(item);
                item = next;
            }
        }
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        var mode = node.LiteralString("mode") ?? WaitAll;
        if (mode is not (WaitAll or WaitAny or WaitAllActive)) yield return $"汇聚方式「{mode}」无效（应为 waitAll、waitAny 或 waitAllActive）";
    }
}

/// <summary>SetVariables: a script that changes <c>vars</c>; the changes are kept.</summary>
public sealed class SetVariablesActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.SetVariables, "设置变量", "数据",
        [PortNames.Done], "运行脚本修改流程变量（vars）")
    {
        Inputs =
        [
            Input.Of("script", "脚本", InputHints.Script) with
            {
                Required = true,
                EditorOptions = new() { Rows = 6, ScriptHint = "修改 vars 中的流程变量，例如 vars.count = (vars.count || 0) + 1" },
            },
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var script = context.Node.Input("script")?.Expression?.Value?.GetValue<string>();
        if (!string.IsNullOrWhiteSpace(script)) context.RunScript(script, keepVariables: true);
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition)
    {
        if (node.Input("script")?.Expression is not { Type: ExpressionTypes.JavaScript })
            yield return "未设置脚本";
    }
}

/// <summary>End: the instance is finished with a result such as 办结 or 不予立项; any other open work is cancelled.</summary>
public sealed class EndActivity : IActivityHandler
{
    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.End, "结束", "基础", [], "流程结束，记录办理结果（如办结、不予立项）")
    {
        Inputs =
        [
            Input.TextOrScript("result", "办理结果", description: "记入事项的结论，如 办结、不予立项", placeholder: "办结"),
            Input.Choice("scope", "结束范围", InputHints.Radio, Instance,
                [new(Instance, "结束整个事项（取消其他分支）"), new(Branch, "仅结束本分支（其他分支都结束后事项办结）")]),
        ],
    };

    public const string Instance = "instance";
    /// <summary>Ends this branch only: what an Elsa flowchart does at an outcome with no connection.</summary>
    public const string Branch = "branch";

    public static bool EndsBranchOnly(ActivityNode node) => node.Type == ActivityTypes.End && node.LiteralString("scope") == Branch;

    public ActivityResult Execute(ActivityContext context)
    {
        if (EndsBranchOnly(context.Node)) return new ActivityResult.Done([]);
        var result = context.Evaluate("result") switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            null => "办结",
            var other => other.ToJsonString(),
        };
        context.EndInstance(result);
        return ActivityResult.End;
    }
}
