using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// 设定完成时限: from here on the item's own deadline (完成时限) follows this node's rule instead of the procedure's
/// <c>options.deadlines.item</c> — placed on a branch, it makes the deadline depend on the branch: 30 days on the
/// 交办 branch, none on the 参阅性 branch. Left empty (不限), the item has no deadline. An approved extension still wins.
/// </summary>
public sealed class SetItemDeadlineActivity : IActivityHandler
{
    public const string DeadlineInput = "deadline";

    public ActivityDescriptor Descriptor { get; } = new(ActivityTypes.SetItemDeadline, "设定完成时限", "数据",
        [PortNames.Done], "从此处起，事项的完成时限按本节点的设置计算（放在分支上，使不同类别的事项有不同的时限；不限即没有完成时限）")
    {
        Inputs =
        [
            Input.Of(DeadlineInput, "事项完成时限", InputHints.Deadline, "Object", "时限") with
            {
                Description = "不限：此分支的事项没有完成时限（如参阅性事项）；批准的延期仍然有效",
            },
        ],
    };

    public ActivityResult Execute(ActivityContext context)
    {
        var node = context.Node;
        DeadlineSpec? spec = null;
        if (node.Input(DeadlineInput) is not null && context.Evaluate(DeadlineInput) is { } value)
        {
            try
            {
                var presets = ProcedureOptions.Deadlines(context.Definition.Options);
                spec = DeadlineCalculator.Parse(value, "事项完成时限", presets);
                if (DeadlineCalculator.Problems(spec, presets) is [var problem, ..]) throw new DeadlineException(problem);
            }
            catch (DeadlineException e)
            {
                throw new ActivityFaultException($"「{node.DisplayName}」的事项完成时限无效：{e.Message}", e);
            }
        }
        context.State.ItemDeadlineRule = new ItemDeadlineRule(node.Id, spec);
        return ActivityResult.Outcome(PortNames.Done);
    }

    public IEnumerable<string> Validate(ActivityNode node, WorkflowDefinition definition) =>
        StepDeadline.Problems(node, definition, DeadlineInput).Select(p => p.Replace("办理时限", "事项完成时限", StringComparison.Ordinal));
}
