using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>A decision made by completing the stage's approval task in the inbox: 同意 / 不同意, the comment is the opinion.</summary>
internal sealed class ExtensionApprovalTask(ItemWriter items) : IDetachedTaskHandler
{
    public IReadOnlyCollection<string> ActivityIds { get; } = [ExtensionApproval.ActivityId];

    public async Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct)
    {
        if (submission.Data is { Count: > 0 }) throw new WorkflowInputException("data", "延期审批没有表单，请只选择办理结果并填写意见");
        var approve = submission.Outcome switch
        {
            ExtensionApproval.Approve => true,
            ExtensionApproval.Reject => false,
            _ => throw new WorkflowInputException("outcome", $"请选择办理结果（{ExtensionApproval.Approve}、{ExtensionApproval.Reject}）"),
        };
        var extension = await context.Db.Set<ExtensionRecord>().FirstOrDefaultAsync(e => e.ApprovalTaskId == task.Id, ct)
            ?? throw new WorkflowConflictException("该延期申请已处理");
        await ExtensionApproval.DecideAsync(context, items, extension, instance, user, approve, submission.Comment, task, ct);
    }
}
