using Duban.Data.Runtime;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>An item that ended closes the extension requests still waiting for a decision (事项已结束).</summary>
internal sealed class ExtensionsEnded : IItemEndedHandler
{
    public async Task EndedAsync(WriteContext context, Guid instanceId, IReadOnlyList<TaskRecord> cancelledTasks, CancellationToken ct)
    {
        var approvals = cancelledTasks.Where(t => t.ActivityId == ExtensionApproval.ActivityId).Select(t => (Guid?)t.Id).ToList();
        if (approvals.Count == 0) return;
        foreach (var request in await context.Db.Set<ExtensionRecord>()
                     .Where(e => e.InstanceId == instanceId && e.Status == ExtensionStatus.Pending && approvals.Contains(e.ApprovalTaskId)).ToListAsync(ct))
            request.Status = ExtensionStatus.Closed;
    }
}
