using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// 撤销归档 (docs/decisions/048): an administrator of the item's organization takes an archived item out of the archive, with
/// a reason — a 卷 filed too early, a wrong outcome chosen. The item is writable again from the next write on; what the
/// archive closed (its open tasks, timers) stays closed. Journalled (the timeline says who, when and why) and recorded in
/// the security audit log like the other acts of an administrator. The one write that may change an archived item
/// (<see cref="ArchivedItems"/>).
/// </summary>
public sealed record UnarchiveItem(Guid InstanceId, CurrentUser User, string? Reason) : IWrite<bool>
{
    public string Operation => "item-unarchive";
    public string Subject => InstanceId.ToString();
}

internal sealed class UnarchiveItemHandler : IWriteHandler<UnarchiveItem, bool>
{
    public async Task<bool> HandleAsync(UnarchiveItem write, WriteContext context, CancellationToken ct)
    {
        var instance = await ItemVisibility.Visible(context.Db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (!write.User.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有管理员可以撤销归档");
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销归档的理由");
        if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销归档的理由不超过 500 个字");
        if (instance.ArchivedAt is not { } archivedAt) throw new WorkflowConflictException("事项未归档");
        var archivedBy = instance.ArchivedByName;
        instance.ArchivedAt = null;
        instance.ArchivedByName = null;
        instance.UpdatedAt = context.Now;
        context.Journal(instance.Id, JournalKind.ItemUnarchived, context.ActorOf(write.User), null, null, comment: $"撤销归档：{reason}",
            data: new JsonObject { ["reason"] = reason, ["archivedAt"] = archivedAt, ["archivedByName"] = archivedBy });
        return true;
    }
}
