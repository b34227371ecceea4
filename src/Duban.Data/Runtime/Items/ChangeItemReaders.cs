using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// What the office asks of an item's 知悉范围 (限定知悉范围, docs/decisions/037): confidential or not, and — when it is — the
/// people and units named on it.
/// </summary>
public sealed record ItemRestriction(bool Restricted, IReadOnlyList<string>? UserIds, IReadOnlyList<string>? UnitIds);

/// <summary>
/// 调整知悉范围: the supervision office (a 督查员 or an administrator who sees the item — on a confidential item, one named on it)
/// makes the item confidential, changes who is named, or lifts the restriction. Journalled (<see cref="JournalKind.ReadersChanged"/>:
/// who, when, whom added and removed). A person or unit taken off loses the item at once; the initiator and whoever holds
/// an open task of the item cannot be taken off.
/// </summary>
public sealed record ChangeItemReaders(Guid InstanceId, CurrentUser User, ItemRestriction Restriction) : IWrite<bool>
{
    public string Operation => "change-readers";
    public string Subject => InstanceId.ToString();
}

internal sealed class ChangeItemReadersHandler : IWriteHandler<ChangeItemReaders, bool>
{
    public async Task<bool> HandleAsync(ChangeItemReaders write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var instance = await ItemVisibility.Visible(db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (!ItemReaderList.MayChange(write.User))
            throw new ForbiddenException("只有督查部门可以调整事项的知悉范围");
        await ItemReaderList.SetAsync(context, instance, write.Restriction, write.User, isNew: false, ct);
        return true;
    }
}

/// <summary>The 知悉范围 of one item, set at registration (<see cref="StartItem"/>) and changed by <see cref="ChangeItemReaders"/>.</summary>
public static class ItemReaderList
{
    /// <summary>The supervision office decides who knows of a confidential item (000 第十三条（一）: it registers the item).</summary>
    public static bool MayChange(CurrentUser user) => user.Has(Permission.Supervise);

    /// <summary>
    /// Sets <paramref name="instance"/>'s 知悉范围 to <paramref name="restriction"/>: the initiator is always on it, and so is whoever
    /// turns the restriction on (so that it never locks its own office out by mistake); holders of the item's open tasks are
    /// named when it becomes confidential and may not be taken off while they hold them. Unknown people or units: 400.
    /// </summary>
    internal static async Task SetAsync(WriteContext context, InstanceRecord instance, ItemRestriction restriction, CurrentUser by, bool isNew,
        CancellationToken ct)
    {
        var db = context.Db;
        var org = context.OrganizationOf(instance); // its own organization's people and units only (decision 035)
        var wanted = new HashSet<(string? UserId, string? UnitId)>();
        if (restriction.Restricted)
        {
            foreach (var id in (restriction.UserIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct())
                wanted.Add((org.FindUser(id) is null ? throw new WorkflowInputException("restriction.userIds", $"知悉范围中的人员「{id}」不存在") : id, null));
            foreach (var id in (restriction.UnitIds ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Distinct())
                wanted.Add((null, org.FindUnit(id) is null ? throw new WorkflowInputException("restriction.unitIds", $"知悉范围中的单位「{id}」不存在") : id));
            wanted.Add((instance.InitiatorId, null));
            if (!instance.IsRestricted) wanted.Add((by.Id, null));
        }

        var stored = isNew ? [] : await db.ItemReaders.Where(r => r.InstanceId == instance.Id).ToListAsync(ct);
        var holders = isNew ? [] : await db.Tasks.Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open
                && (t.AssigneeUserId != null || t.CandidateUnitId != null))
            .Select(t => new { t.AssigneeUserId, t.CandidateUnitId }).Distinct().ToListAsync(ct);
        var holding = holders.Select(h => h.AssigneeUserId is not null ? (h.AssigneeUserId, (string?)null) : ((string?)null, h.CandidateUnitId))
            .ToHashSet();
        if (restriction.Restricted)
        {
            var dropped = stored.Select(r => (r.UserId, r.UnitId)).Where(k => !wanted.Contains(k) && holding.Contains(k)).ToList();
            if (instance.IsRestricted && dropped.Count > 0)
                throw new WorkflowConflictException($"{NameOf(org, dropped[0])}尚有本事项未办结的待办，不能移出知悉范围；请先转办或收回该待办");
            // Becoming confidential: whoever must act on it now is named (decision 037).
            foreach (var k in holding) wanted.Add(k);
        }

        var added = new JsonArray();
        var removed = new JsonArray();
        foreach (var row in stored.Where(r => !wanted.Contains((r.UserId, r.UnitId))))
        {
            db.ItemReaders.Remove(row);
            removed.Add(Describe(org, (row.UserId, row.UnitId)));
        }
        var have = stored.Select(r => (r.UserId, r.UnitId)).ToHashSet();
        foreach (var k in wanted.Where(k => !have.Contains(k)).OrderBy(k => k.UserId is null).ThenBy(k => k.UserId ?? k.UnitId, StringComparer.Ordinal))
        {
            db.ItemReaders.Add(new ItemReaderRecord
            {
                InstanceId = instance.Id,
                UserId = k.UserId,
                UnitId = k.UnitId,
                Reason = holding.Contains(k) ? ItemReaderReasons.GivenTask : isNew ? ItemReaderReasons.Registered : ItemReaderReasons.Changed,
                AddedAt = context.Now,
                AddedById = by.Id,
            });
            added.Add(Describe(org, k));
        }
        var was = instance.IsRestricted;
        if (was == restriction.Restricted && added.Count == 0 && removed.Count == 0) return;
        instance.IsRestricted = restriction.Restricted;
        instance.UpdatedAt = context.Now;
        var comment = restriction.Restricted
            ? was ? "调整知悉范围" : isNew ? "登记为限定知悉范围事项" : "设为限定知悉范围"
            : "取消限定知悉范围";
        context.Journal(instance.Id, JournalKind.ReadersChanged, context.ActorOf(by), null, "知悉范围", comment: comment,
            data: new JsonObject { ["restricted"] = restriction.Restricted, ["wasRestricted"] = was, ["added"] = added, ["removed"] = removed });
    }

    private static string NameOf(IOrganization org, (string? UserId, string? UnitId) k) =>
        k.UserId is { } u ? org.FindUser(u)?.DisplayName ?? u : org.FindUnit(k.UnitId!)?.Name ?? k.UnitId!;

    private static JsonObject Describe(IOrganization org, (string? UserId, string? UnitId) k) => k.UserId is not null
        ? new JsonObject { ["kind"] = "user", ["id"] = k.UserId, ["name"] = NameOf(org, k) }
        : new JsonObject { ["kind"] = "unit", ["id"] = k.UnitId, ["name"] = NameOf(org, k) };
}
