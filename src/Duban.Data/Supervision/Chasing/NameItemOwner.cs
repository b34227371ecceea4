using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Settings;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// 指定专人 (督查员): names the person who follows the item up, or (no user) takes the naming back. Rungs meant for the
/// item's 专人 go to this person from now on, and the open tasks of such rungs already raised are handed over; with no
/// 专人 they go to the rung's person or role. Journaled on the item.
/// </summary>
public sealed record NameItemOwner(Guid InstanceId, CurrentUser User, string? UserId) : IWrite<ItemOwnerRecord?>, IRetryOnDuplicateKey
{
    public string Operation => "item-owner";
    public string Subject => InstanceId.ToString();
}

internal sealed class NameItemOwnerHandler(ItemWriter items, SupervisionSettings settings) : IWriteHandler<NameItemOwner, ItemOwnerRecord?>
{
    public const string ActivityName = "指定专人";

    public async Task<ItemOwnerRecord?> HandleAsync(NameItemOwner write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.Supervise)) throw new ForbiddenException("只有督查员可以指定专人");
        var db = context.Db;
        var org = context.Organization;
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new WorkflowConflictException("事项已结束，不能再指定专人");
        var organizationId = instance.OrganizationId;
        var person = string.IsNullOrWhiteSpace(write.UserId) ? null : ChasePeople.Require(org, organizationId, write.UserId, "userId", "专人");

        var rows = db.Set<ItemOwnerRecord>();
        var row = await rows.FirstOrDefaultAsync(o => o.InstanceId == instance.Id, ct);
        var previous = row?.UserName;
        if (person is null)
        {
            if (row is null) return null;
            rows.Remove(row);
            row = null;
        }
        else
        {
            if (row?.UserId == person.Id) return row;
            if (row is null)
            {
                row = new ItemOwnerRecord { InstanceId = instance.Id, UserId = person.Id, UserName = person.DisplayName };
                rows.Add(row);
            }
            row.UserId = person.Id;
            row.UserName = person.DisplayName;
            row.NamedAt = context.Now;
            row.NamedById = user.Id;
            row.NamedByName = user.DisplayName;
        }

        // The open tasks of rungs meant for the 专人 go to the new one (or back to the rung's person or role).
        var handedOver = 0;
        var chases = await db.Set<ChaseRecord>()
            .Where(c => c.InstanceId == instance.Id && c.ForItemOwner && c.ActionTaskId != null && c.Status == ChaseStatus.Open).ToListAsync(ct);
        var ladder = chases.Count == 0 ? [] : await settings.LadderAsync(organizationId, await items.DefinitionOfAsync(db, instance, ct), ct);
        foreach (var chase in chases)
        {
            if (await db.Tasks.FirstOrDefaultAsync(t => t.Id == chase.ActionTaskId && t.Status == HumanTaskStatus.Open, ct) is not { } task) continue;
            var rung = ladder.FirstOrDefault(r => r.Key == chase.RungKey) ?? new LadderRung
            {
                Key = chase.RungKey, Name = chase.RungName, Trigger = new(RungTrigger.Manual), Actor = chase.Actor ?? Roles.Supervisor, ItemOwner = true,
            };
            var assignee = Chases.AssigneeFor(rung with { ItemOwner = true }, person?.Id, org);
            task.AssigneeUserId = assignee.UserId;
            task.CandidateRole = assignee.Role;
            task.CandidateUnitId = null;
            chase.ActorUserId = assignee.UserId;
            handedOver++;
        }

        instance.UpdatedAt = context.Now;
        context.Journal(instance.Id, JournalKind.ItemOwnerNamed, user.ToActor(), Chases.ActionActivity, ActivityName,
            person is null ? "撤销" : "指定", person is null ? $"撤销专人{previous}" : $"指定{person.DisplayName}为专人",
            new JsonObject
            {
                ["userId"] = person?.Id, ["userName"] = person?.DisplayName, ["previous"] = previous, ["tasksHandedOver"] = handedOver,
            });
        return row;
    }
}
