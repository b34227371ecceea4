using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>撤销: the item ends without a result; its open tasks, timers and children go with it.</summary>
public sealed record CancelItem(Guid InstanceId, CurrentUser User, string? Reason) : IWrite<bool>
{
    public string Operation => "cancel";
    public string Subject => InstanceId.ToString();
}

internal sealed class CancelItemHandler(ItemWriter items) : IWriteHandler<CancelItem, bool>
{
    public async Task<bool> HandleAsync(CancelItem write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.Supervise))
            throw new ForbiddenException("只有督查员或管理员可以撤销事项");
        var instance = await ItemVisibility.Visible(context.Db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var actor = write.User.ToActor();
        var result = items.Runner.Cancel(await items.DefinitionOfAsync(context.Db, instance, ct), instance.Id, ItemWriter.StateOf(instance),
            actor, write.Reason, context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, actor, ct);
        return true;
    }
}
