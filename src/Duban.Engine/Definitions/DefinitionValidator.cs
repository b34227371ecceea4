using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Duban.Engine.Forms;

namespace Duban.Engine.Definitions;

/// <summary>A problem that blocks publishing. <see cref="ActivityId"/> names the node (null: the whole definition).</summary>
public sealed record ValidationError(string? ActivityId, string Message);

/// <summary>
/// Checks a definition before it is published: one start, every node reachable, no dangling port, known types,
/// every human step has an assignee rule, every script parses, forms are well formed. Messages name the node.
/// </summary>
public sealed class DefinitionValidator(ActivityRegistry registry, IScriptEvaluator scripts)
{
    public IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition)
    {
        var errors = new List<ValidationError>();
        var flowchart = definition.Root;
        void Add(ActivityNode? node, string message) =>
            errors.Add(new ValidationError(node?.Id, node is null ? message : $"「{node.DisplayName}」：{message}"));

        if (string.IsNullOrWhiteSpace(definition.DefinitionId)) Add(null, "流程标识不能为空");
        if (string.IsNullOrWhiteSpace(definition.Name)) Add(null, "流程名称不能为空");

        foreach (var duplicate in flowchart.Activities.GroupBy(a => a.Id).Where(g => g.Count() > 1))
            Add(null, $"节点编号「{duplicate.Key}」重复");

        var starts = flowchart.Activities.Where(a => a.Type == ActivityTypes.Start).ToList();
        if (starts.Count == 0) Add(null, "流程必须有一个开始节点");
        if (starts.Count > 1)
            foreach (var start in starts) Add(start, $"流程只能有一个开始节点，现有 {starts.Count} 个");
        if (!flowchart.Activities.Any(a => a.Type == ActivityTypes.End)) Add(null, "流程至少需要一个结束节点");

        foreach (var form in definition.Forms)
            foreach (var problem in FormDefinitionChecker.Check(form, scripts.CheckSyntax))
                Add(null, $"表单「{form.Name}」：{problem}");
        foreach (var duplicate in definition.Forms.GroupBy(f => f.Id).Where(g => g.Count() > 1))
            Add(null, $"表单编号「{duplicate.Key}」重复");

        var graph = new FlowGraph(flowchart);
        foreach (var connection in flowchart.Connections)
        {
            var source = flowchart.Find(connection.Source.Activity);
            var target = flowchart.Find(connection.Target.Activity);
            if (source is null) { Add(null, $"连线的起点「{connection.Source.Activity}」不存在"); continue; }
            if (target is null) { Add(source, $"连线指向的节点「{connection.Target.Activity}」不存在"); continue; }
            if (target.Type == ActivityTypes.Start) Add(source, "不能连回开始节点");
            if (registry.Contains(source.Type) && !registry.Get(source.Type).Ports(source).Contains(FlowGraph.PortOf(connection)))
                Add(source, $"没有名为「{FlowGraph.PortOf(connection)}」的出口");
        }

        var reachable = starts.Count == 1 ? graph.ReachableFrom(starts[0].Id) : [];
        foreach (var node in flowchart.Activities)
        {
            if (!registry.Contains(node.Type)) { Add(node, $"未知的节点类型「{node.Type}」"); continue; }
            var handler = registry.Get(node.Type);
            if (starts.Count == 1 && !reachable.Contains(node.Id)) Add(node, "从开始节点无法到达");
            foreach (var port in handler.Ports(node))
                if (!graph.Outbound(node.Id).Any(c => FlowGraph.PortOf(c) == port))
                    Add(node, $"出口「{port}」没有连线");
            if (node.Type == ActivityTypes.Join && graph.Inbound(node.Id).Count < 2)
                Add(node, "汇聚节点至少需要两条进入的连线");
            foreach (var problem in handler.Validate(node, definition)) Add(node, problem);
            foreach (var (name, script) in Scripts(node))
                if (scripts.CheckSyntax(script) is { } syntax) Add(node, $"「{name}」{syntax}");
        }
        return errors;
    }

    /// <summary>Every script in a node: JavaScript inputs, and the conditions of a Switch's cases.</summary>
    private static IEnumerable<(string Name, string Script)> Scripts(ActivityNode node)
    {
        foreach (var name in node.Inputs.Keys)
            if (node.Input(name)?.Expression is { Type: ExpressionTypes.JavaScript, Value: JsonValue value } && value.TryGetValue<string>(out var script))
                yield return (name, script);
        foreach (var @case in node.Literal<List<SwitchActivity.Case>>("cases") ?? [])
            yield return ($"分支「{@case.Label}」的条件", @case.Condition);
    }
}
