using Duban.Data.Instances;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization;

/// <summary>
/// Who may see an item (事项) — the one place this rule lives. Nobody sees another organization's items (decision 035).
/// Within his own, the supervision office, leaders and administrators see every item; anyone else sees the items they started, the items their unit takes part in, and the items in
/// which they were given or completed a task; a deputy, too, the items waiting on the people he stands in for today.
/// A confidential item (限定知悉范围) only for those of them named on it (<see cref="Confidentiality"/>, decision 037).
/// </summary>
public static class ItemVisibility
{
    /// <summary>The items <paramref name="user"/> may see, as a query to filter, count and page further.</summary>
    public static IQueryable<InstanceRecord> Visible(DubanDbContext db, CurrentUser user) =>
        // A confidential item only for the people and units named on it (限定知悉范围, decision 037).
        Confidentiality.Narrow(db, user, ByRoleAndPart(db, user));

    /// <summary>The rule before confidentiality: the office, leaders and administrators every item; others the items they take part in.</summary>
    private static IQueryable<InstanceRecord> ByRoleAndPart(DubanDbContext db, CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        // A platform administrator belongs to no organization and so sees no item.
        if (user.OrganizationId is not { } organizationId) return db.Instances.Where(i => false);
        // An auditor reads the audit log, not the business, even of his own unit (三员分立, decision 044).
        if (user.OutsideBusiness) return db.Instances.Where(i => false);
        var ours = db.Instances.Where(i => i.OrganizationId == organizationId);
        if (user.SeesAllItems) return ours;
        var userId = user.Id;
        var own = user.UnitId is not { } unitId
            ? ours.Where(i => i.InitiatorId == userId
                || db.Tasks.Any(t => t.InstanceId == i.Id && (t.AssigneeUserId == userId || t.CompletedById == userId)))
            : ours.Where(i => i.InitiatorId == userId
                || db.InstanceUnits.Any(u => u.InstanceId == i.Id && u.UnitId == unitId)
                || db.Tasks.Any(t => t.InstanceId == i.Id && (t.AssigneeUserId == userId || t.CompletedById == userId)));
        if (user.StandsInFor.IsEmpty) return own;
        // A deputy also sees the items waiting for the people he stands in for today, through those tasks (decision 031).
        var waiting = user.StandsInFor.OpenTasks(db.Tasks);
        var deputyUnit = user.UnitId;
        return ours.Where(i => i.InitiatorId == userId
            || (deputyUnit != null && db.InstanceUnits.Any(u => u.InstanceId == i.Id && u.UnitId == deputyUnit))
            || db.Tasks.Any(t => t.InstanceId == i.Id && (t.AssigneeUserId == userId || t.CompletedById == userId))
            || waiting.Any(t => t.InstanceId == i.Id));
    }

    /// <summary>May <paramref name="user"/> see the item <paramref name="instanceId"/>? (False when it does not exist.)</summary>
    public static Task<bool> CanSeeAsync(DubanDbContext db, CurrentUser user, Guid instanceId, CancellationToken ct = default) =>
        Visible(db, user).AnyAsync(i => i.Id == instanceId, ct);
}
