using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// 撤回事项: the initiator takes back an item nobody else has accepted yet (no task of it claimed or completed by anyone
/// but him). It ends as 已撤回 — kept, with its number and journal, not turned back into a draft (decision 031).
/// </summary>
public sealed record WithdrawItem(Guid InstanceId, CurrentUser User, string? Reason) : IWrite<bool>
{
    public string Operation => "withdraw";
    public string Subject => InstanceId.ToString();
}

internal sealed class WithdrawItemHandler(ItemWriter items) : IWriteHandler<WithdrawItem, bool>
{
    public async Task<bool> HandleAsync(WithdrawItem write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var instance = await ItemVisibility.Visible(db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (instance.InitiatorId != write.User.Id)
            throw new ForbiddenException("只有发起人可以撤回事项");
        var me = write.User.Id;
        var accepted = await db.Tasks.Where(t => t.InstanceId == instance.Id
                && ((t.ClaimedAt != null && t.AssigneeUserId != me) || (t.Status == HumanTaskStatus.Completed && t.CompletedById != me)))
            .Select(t => new { t.Name, t.CompletedByName }).FirstOrDefaultAsync(ct);
        if (accepted is not null)
            throw new WorkflowConflictException($"「{accepted.Name}」已有人签收或办理，不能撤回事项；如需终止，请联系督查室撤销");
        var actor = write.User.ToActor();
        var before = ItemWriter.StateOf(instance);
        var result = items.Runner.Withdraw(await items.DefinitionOfAsync(db, instance, ct), instance.Id, before, actor,
            string.IsNullOrWhiteSpace(write.Reason) ? null : write.Reason.Trim(), context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, actor, ct, before);
        return true;
    }
}
