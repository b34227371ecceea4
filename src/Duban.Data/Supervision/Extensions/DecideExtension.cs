using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>A decision on a request's waiting stage from the item page: approve, or reject with an opinion.</summary>
public sealed record DecideExtension(Guid ExtensionId, CurrentUser User, bool? Approve, string? Opinion) : IWrite<bool>
{
    public string Operation => "extension-decide";
    public string Subject => ExtensionId.ToString();
}

internal sealed class DecideExtensionHandler(ItemWriter items) : IWriteHandler<DecideExtension, bool>
{
    public async Task<bool> HandleAsync(DecideExtension write, WriteContext context, CancellationToken ct)
    {
        if (write.Approve is not { } approve) throw new WorkflowInputException("approve", "请选择同意或不同意");
        var db = context.Db;
        var extension = await db.Set<ExtensionRecord>().FirstOrDefaultAsync(e => e.Id == write.ExtensionId, ct)
            ?? throw new NotFoundException("延期申请不存在");
        if (!await ItemVisibility.CanSeeAsync(db, write.User, extension.InstanceId, ct)) throw new NotFoundException("延期申请不存在");
        var instance = await db.Instances.FirstAsync(i => i.Id == extension.InstanceId, ct);
        await ExtensionApproval.DecideAsync(context, items, extension, instance, write.User, approve, write.Opinion, task: null, ct);
        return true;
    }
}
