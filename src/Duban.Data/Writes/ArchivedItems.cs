using Duban.Data.Audit;
using Duban.Data.Instances;
using Duban.Data.Notifications;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

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
        var known = new Dictionary<Guid, bool>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.Entity is InstanceRecord instance)
            {
                // What the row said when this write read it: a tracked item needs no query.
                var wasArchived = entry.State != EntityState.Added && entry.Property(nameof(InstanceRecord.ArchivedAt)).OriginalValue is not null;
                known[instance.Id] = wasArchived;
                if (wasArchived && entry.State is EntityState.Modified or EntityState.Deleted) throw new WorkflowConflictException(Refusal);
                continue;
            }
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)
                || NotTheItems.Contains(entry.Metadata.ClrType) || entry.Entity is Jobs.ILeasedRow) continue;
            if (entry.Metadata.FindProperty("InstanceId") is null) continue;
            if (entry.Property("InstanceId").CurrentValue is Guid id) (touched ??= []).Add(id);
        }
        if (touched is null) return;
        if (touched.Any(id => known.TryGetValue(id, out var archived) && archived)) throw new WorkflowConflictException(Refusal);
        var unknown = touched.Where(id => !known.ContainsKey(id)).ToList();
        if (unknown.Count > 0 && await db.Instances.AsNoTracking().AnyAsync(i => unknown.Contains(i.Id) && i.ArchivedAt != null, ct))
            throw new WorkflowConflictException(Refusal);
    }
}
