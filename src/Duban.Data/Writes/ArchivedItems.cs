using Duban.Data.Audit;
using Duban.Data.Instances;
using Duban.Data.Notifications;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Duban.Data.Writes;

/// <summary>
/// 立卷归档 locks the item (docs/decisions/047): the door asks this, after every handler, whether the write changed an
/// archived item — its row, or any row that belongs to it (a task, a journal line, an attachment, a chase, an extension,
/// a document …) — and refuses the whole write with 409 if so. One place for every write, present and future: a new
/// use case cannot forget the lock. Reads do not come here. The write that archives the item passes (the item was not
/// archived when it began).
/// </summary>
public static class ArchivedItems
{
    public const string Refusal = "事项已归档，不能再修改";

    /// <summary>
    /// Rows that carry an item id but are not the item's record: a person's notifications and the audit log; and every
    /// background job's row (<see cref="Jobs.ILeasedRow"/>: a chase case's or a timer's schedule), which its job moves on.
    /// </summary>
    private static readonly HashSet<Type> NotTheItems = [typeof(NotificationRecord), typeof(AuditRecord)];

    public static async Task RefuseChangesAsync(DubanDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        HashSet<Guid>? touched = null;
        var known = new Dictionary<Guid, EntityEntry<InstanceRecord>>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.Entity is InstanceRecord instance)
            {
                var item = db.Entry(instance);
                known[item.Entity.Id] = item;
                if (IsLocked(item) && entry.State is EntityState.Modified or EntityState.Deleted) throw new WorkflowConflictException(Refusal);
                continue;
            }
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || NotTheItems.Contains(entry.Metadata.ClrType) || entry.Entity is Jobs.ILeasedRow) continue;
            if (entry.Metadata.FindProperty("InstanceId") is null) continue;
            if (entry.Property("InstanceId").CurrentValue is Guid id) (touched ??= []).Add(id);
        }
        if (touched is null) return;
        var unknown = touched.Where(id => !known.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
            // Loaded tracked: the row's version is what the check below puts in the UPDATE.
            foreach (var item in await db.Instances.Where(i => unknown.Contains(i.Id)).ToListAsync(ct))
                known[item.Id] = db.Entry(item);
        foreach (var id in touched)
        {
            if (!known.TryGetValue(id, out var item)) continue;
            if (IsLocked(item)) throw new WorkflowConflictException(Refusal);
            // The race (decision 048): the item was not archived when this write read it, but an 归档 may commit before this
            // write does. The item row is made part of this write's UPDATE, checked on its version, so the two writes
            // conflict on the same row: whichever commits second is run again by the door, and then sees the lock (or,
            // when the archive came second, archives an item that has this write's rows).
            if (item.State == EntityState.Unchanged) item.Property(i => i.UpdatedAt).IsModified = true;
        }
    }

    /// <summary>
    /// Archived when this write read it, and still archived: 撤销归档 (<see cref="Runtime.Items.UnarchiveItem"/>) is the one
    /// write that changes an archived item, by clearing <see cref="InstanceRecord.ArchivedAt"/>.
    /// </summary>
    private static bool IsLocked(EntityEntry<InstanceRecord> item) =>
        item.State != EntityState.Added && item.Property(i => i.ArchivedAt).OriginalValue is not null && item.Entity.ArchivedAt is not null;
}
