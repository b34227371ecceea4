using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// 迁移到最新版本: an administrator moves an item stopped on an incident to its procedure's latest published version —
/// the version where the design fault that stopped it is fixed — and carries it on from where it stopped (a retry on
/// the new version). Every step the item waits at or was about to run must still be in the new version.
/// </summary>
public sealed record MigrateItem(Guid InstanceId, CurrentUser User) : IWrite<int>
{
    public string Operation => "migrate";
    public string Subject => InstanceId.ToString();
}

internal sealed class MigrateItemHandler(ItemWriter items) : IWriteHandler<MigrateItem, int>
{
    public async Task<int> HandleAsync(MigrateItem write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有管理员可以处理运行异常");
        var instance = await ItemVisibility.Visible(context.Db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var state = ItemWriter.StateOf(instance);
        if (state.Status != WorkflowStatus.Faulted || state.Incident is null)
            throw new WorkflowConflictException("该事项没有待处理的异常");
        var latest = await ItemWriter.PublishedAsync(context.Db, instance.OrganizationId, instance.DefinitionId, ct)
            ?? throw new WorkflowConflictException($"流程「{instance.DefinitionName}」没有已发布的版本");
        if (latest.Id == instance.DefinitionRecordId || latest.Version <= instance.DefinitionVersion)
            throw new WorkflowConflictException($"该事项已在最新版本（第 {instance.DefinitionVersion} 版），请修改流程并发布新版本后再迁移");
        var definition = items.Parse(latest);
        var needed = state.Bookmarks.Select(b => b.ActivityId).Concat(state.Scheduled.Select(s => s.ActivityId)).Distinct();
        var missing = needed.Where(id => definition.Root.Find(id) is null).ToList();
        if (missing.Count > 0)
            throw new WorkflowConflictException($"第 {latest.Version} 版中没有环节「{string.Join("、", missing)}」，不能迁移；请在新版本中保留这些环节");

        var actor = write.User.ToActor();
        var from = instance.DefinitionVersion;
        instance.DefinitionRecordId = latest.Id;
        instance.DefinitionVersion = latest.Version;
        context.Journal(instance.Id, JournalKind.InstanceMigrated, actor, state.Incident.ActivityId, null,
            comment: $"由第 {from} 版迁移到第 {latest.Version} 版", data: new JsonObject { ["from"] = from, ["to"] = latest.Version });
        var result = items.Runner.Retry(definition, instance.Id, state, actor, context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, actor, ct);
        return latest.Version;
    }
}
