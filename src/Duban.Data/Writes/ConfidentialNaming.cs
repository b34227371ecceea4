using Duban.Data.Instances;
using Duban.Data.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Writes;

/// <summary>
/// The door's part of 限定知悉范围 (docs/decisions/037): it looks at what a write changed, so it lives with the door (only
/// the door reads the change tracker). The rule itself — who sees a confidential item — is <c>Organization.Confidentiality</c>.
/// </summary>
internal static class ConfidentialNaming
{
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
