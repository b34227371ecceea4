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

    /// <summary>
    /// Before a write saves: every task it gave to a person or a unit on a confidential item names them (they must act, so they
    /// know — the office chose to 交办 them, or a holder to 转办/委派/加签), and a child item started from a confidential item
    /// is confidential with its parent's names. Items that are not confidential cost nothing but a look at the tracked rows.
    /// </summary>
    public static async Task NameTaskHoldersAsync(DubanDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var newItems = db.ChangeTracker.Entries<InstanceRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var children = newItems.Where(i => i.ParentInstanceId is not null && !i.IsRestricted).ToList();
        var given = db.ChangeTracker.Entries<TaskRecord>()
            .Where(e => e.State == EntityState.Added || (e.State == EntityState.Modified
                && (e.Property(t => t.AssigneeUserId).IsModified || e.Property(t => t.CandidateUnitId).IsModified)))
            .Select(e => e.Entity)
            .Where(t => t.Status == HumanTaskStatus.Open && (t.AssigneeUserId is not null || t.CandidateUnitId is not null))
            .ToList();
        if (children.Count == 0 && given.Count == 0) return;

        var tracked = db.ChangeTracker.Entries<InstanceRecord>().ToDictionary(e => e.Entity.Id, e => e.Entity.IsRestricted);
        var unknown = children.Select(c => c.ParentInstanceId!.Value).Concat(given.Select(t => t.InstanceId))
            .Where(id => !tracked.ContainsKey(id)).Distinct().ToList();
        if (unknown.Count > 0)
            foreach (var row in await db.Instances.AsNoTracking().Where(i => unknown.Contains(i.Id)).Select(i => new { i.Id, i.IsRestricted }).ToListAsync(ct))
                tracked[row.Id] = row.IsRestricted;

        // A child takes its parent's restriction (a grandchild its parent's, in the order they were started).
        var inheriting = new List<InstanceRecord>();
        foreach (var child in children.OrderBy(c => newItems.IndexOf(c)))
            if (tracked.GetValueOrDefault(child.ParentInstanceId!.Value))
            {
                child.IsRestricted = true;
                tracked[child.Id] = true;
                inheriting.Add(child);
            }
        var restrictedIds = given.Select(t => t.InstanceId).Concat(inheriting.Select(c => c.ParentInstanceId!.Value))
            .Where(id => tracked.GetValueOrDefault(id)).Distinct().ToList();
        if (restrictedIds.Count == 0) return;

        var stored = await db.ItemReaders.AsNoTracking().Where(r => restrictedIds.Contains(r.InstanceId))
            .Select(r => new { r.InstanceId, r.UserId, r.UnitId }).ToListAsync(ct);
        var names = stored.Select(r => (r.InstanceId, r.UserId, r.UnitId))
            .Concat(db.ItemReaders.Local.Select(r => (r.InstanceId, r.UserId, r.UnitId)))
            .ToHashSet();
        void Name(Guid instanceId, string? userId, string? unitId, string reason)
        {
            if (names.Add((instanceId, userId, unitId)))
                db.ItemReaders.Add(new ItemReaderRecord { InstanceId = instanceId, UserId = userId, UnitId = unitId, Reason = reason, AddedAt = now });
        }
        void NameHolders(IEnumerable<TaskRecord> tasks)
        {
            foreach (var task in tasks.Where(t => tracked.GetValueOrDefault(t.InstanceId)))
            {
                if (task.AssigneeUserId is { } person) Name(task.InstanceId, person, null, ItemReaderReasons.GivenTask);
                else if (task.CandidateUnitId is { } unit) Name(task.InstanceId, null, unit, ItemReaderReasons.GivenTask);
            }
        }
        // The parents' names first (with those this write gives tasks to), then the children inherit them, then their own.
        var inheritingIds = inheriting.Select(c => c.Id).ToHashSet();
        NameHolders(given.Where(t => !inheritingIds.Contains(t.InstanceId)));
        foreach (var child in inheriting)
            foreach (var (_, userId, unitId) in names.Where(n => n.InstanceId == child.ParentInstanceId).ToList())
                Name(child.Id, userId, unitId, ItemReaderReasons.Inherited);
        NameHolders(given.Where(t => inheritingIds.Contains(t.InstanceId)));
    }
}
