using Duban.Data.Notifications;
using Duban.Data.Organization;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Writes;

/// <summary>
/// 代理 (decision 031) in notifications (docs/decisions/040): while someone stands in for a person, what tells that person about
/// his work also tells the deputy — a copy of his own, marked 「（代李四）」, that follows the deputy's preferences (it is the
/// deputy's row: his bell, his email address and choices). Group robots post the event once, from the principal's row.
/// </summary>
internal static class NotificationDeputies
{
    /// <summary>
    /// Adds a deputy's copy of every notification this write added for a person who has a deputy today. The periods come
    /// with the organization snapshot (no query). Nobody gets a second message of an event he is told about himself;
    /// <paramref name="skip"/> (whoever acted in the write) gets none.
    /// </summary>
    public static void CopyToDeputies(DubanDbContext db, OrganizationSnapshot org, DateTimeOffset now, IReadOnlySet<string> skip)
    {
        if (org.DeputyPeriods.Count == 0) return;
        var added = db.ChangeTracker.Entries<NotificationRecord>()
            .Where(e => e.State == EntityState.Added && e.Entity.ForUserId is null).Select(e => e.Entity).ToList();
        if (added.Count == 0) return;
        var today = Deputies.Today(now);
        var told = added.Select(n => (n.UserId, n.EventKey)).ToHashSet();
        foreach (var row in added)
            foreach (var deputy in org.DeputiesOf(row.UserId, today))
            {
                if (skip.Contains(deputy) || !told.Add((deputy, row.EventKey))) continue;
                // A deputy of another organization cannot be named (decision 031); a stale one is not told.
                if (org.FindUser(deputy)?.OrganizationId != row.OrganizationId) continue;
                var principal = org.FindUser(row.UserId)?.DisplayName ?? row.UserId;
                var title = $"（代{principal}）{row.Title}";
                db.Set<NotificationRecord>().Add(new NotificationRecord
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = row.OrganizationId,
                    UserId = deputy,
                    ForUserId = row.UserId,
                    Kind = row.Kind,
                    Title = title.Length <= 300 ? title : title[..300],
                    Body = row.Body,
                    InstanceId = row.InstanceId,
                    TaskId = row.TaskId,
                    EventKey = row.EventKey,
                    ToCandidate = row.ToCandidate,
                    ToRole = row.ToRole,
                    Confidential = row.Confidential,
                    CreatedAt = row.CreatedAt,
                });
            }
    }
}
