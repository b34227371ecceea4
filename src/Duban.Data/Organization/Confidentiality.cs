using Duban.Data.Instances;
using Duban.Data.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization;

/// <summary>
/// 限定知悉范围 (docs/decisions/037): a confidential item is known only to the people and units named on it. The condition
/// <see cref="ItemVisibility.Visible"/> adds to the usual rule, and the same condition for task lists (the inbox) and for a
/// single task reached by its id — whatever a user's role, an unnamed user gets 404 for it everywhere.
/// </summary>
public static class Confidentiality
{
    /// <summary>
    /// <paramref name="items"/> without the confidential items <paramref name="user"/> is not named on. Naming narrows and never
    /// widens: inside the 知悉范围 the usual rule decides (a named unit's people see it as their unit's item). A deputy
    /// (代理) also keeps the items waiting for a person he stands in for who is named.
    /// </summary>
    public static IQueryable<InstanceRecord> Narrow(DubanDbContext db, CurrentUser user, IQueryable<InstanceRecord> items)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        var userId = user.Id;
        var unitId = user.UnitId;
        var readers = db.ItemReaders;
        if (user.StandsInFor.IsEmpty)
            return items.Where(i => !i.IsRestricted || readers.Any(r => r.InstanceId == i.Id && (r.UserId == userId || (unitId != null && r.UnitId == unitId))));
        List<string> principals = [.. user.StandsInFor.UserIds], principalUnits = [.. user.StandsInFor.UnitIds];
        var waiting = user.StandsInFor.OpenTasks(db.Tasks);
        return items.Where(i => !i.IsRestricted
            || readers.Any(r => r.InstanceId == i.Id && (r.UserId == userId || (unitId != null && r.UnitId == unitId)))
            || (waiting.Any(t => t.InstanceId == i.Id)
                && readers.Any(r => r.InstanceId == i.Id && ((r.UserId != null && principals.Contains(r.UserId)) || (r.UnitId != null && principalUnits.Contains(r.UnitId))))));
    }

    /// <summary>
    /// <paramref name="tasks"/> without those of confidential items none of <paramref name="people"/> is named on (by person or
    /// unit): a step given to a role (督查员, 领导) on a confidential item reaches only the named holders of the role. The
    /// inbox — a person's own, a deputy's with his principals' — and its badge count read through this.
    /// </summary>
    public static IQueryable<TaskRecord> KnownTo(DubanDbContext db, IReadOnlyCollection<CurrentUser> people, IQueryable<TaskRecord> tasks)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(people);
        List<string> ids = [.. people.Select(p => p.Id).Distinct()];
        List<string> units = [.. people.Select(p => p.UnitId).OfType<string>().Distinct()];
        var readers = db.ItemReaders;
        var restricted = db.Instances.Where(i => i.IsRestricted);
        return tasks.Where(t => !restricted.Any(i => i.Id == t.InstanceId)
            || readers.Any(r => r.InstanceId == t.InstanceId && ((r.UserId != null && ids.Contains(r.UserId)) || (r.UnitId != null && units.Contains(r.UnitId)))));
    }

    /// <summary>
    /// Is the item <paramref name="instanceId"/> confidential and <paramref name="user"/> not named on it? A task of such an
    /// item is not his to open or act on, even when it was offered to his role or he completed it before he was taken off.
    /// </summary>
    public static async Task<bool> HidesAsync(DubanDbContext db, CurrentUser user, Guid instanceId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var one = db.Instances.Where(i => i.Id == instanceId && i.IsRestricted);
        return await one.AnyAsync(ct) && !await Narrow(db, user, one).AnyAsync(ct);
    }
}
