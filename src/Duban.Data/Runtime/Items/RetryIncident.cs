using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// An administrator carries an item on after an incident: the faulted step and what was queued behind it run again,
/// and the item's timers, held while it was stopped, are released.
/// </summary>
/// <param name="AssignTo">转办: the person to do the faulted human step when it runs again (its assignees could not be found).</param>
public sealed record RetryIncident(Guid InstanceId, CurrentUser User, string? AssignTo = null) : IWrite<bool>
{
    public string Operation => "retry";
    public string Subject => InstanceId.ToString();
}

internal sealed class RetryIncidentHandler(ItemWriter items) : IWriteHandler<RetryIncident, bool>
{
    public async Task<bool> HandleAsync(RetryIncident write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有管理员可以处理运行异常");
        var instance = await ItemVisibility.Visible(context.Db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var actor = write.User.ToActor();
        var result = items.Runner.Retry(await items.DefinitionOfAsync(context.Db, instance, ct), instance.Id, ItemWriter.StateOf(instance),
            actor, context.OrganizationOf(instance), string.IsNullOrWhiteSpace(write.AssignTo) ? null : write.AssignTo);
        await items.ApplyAsync(context, instance, result, actor, ct);
        return true;
    }
}
