using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Notifications;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Tasks;
using Duban.Engine.Activities;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Writes;

/// <summary>
/// The door's part of notifications (docs/decisions/040): before a write saves, it looks at what the write changed — tasks
/// opened or handed to someone, a step sent back, a chase raised, an extension decided — and adds one notification row per
/// person, so the message commits or rolls back with its cause. It reads the database only when a chase was raised (whose
/// open tasks the chased unit holds) or a task's item is not among the tracked rows; a completion that opens the next step
/// costs no extra round trip.
/// </summary>
internal static class NotificationCollector
{
    public static async Task CollectAsync(WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var opened = db.ChangeTracker.Entries<TaskRecord>()
            .Where(e => e.Entity.Status == HumanTaskStatus.Open && (e.State == EntityState.Added || (e.State == EntityState.Modified
                && e.Property(t => t.AssigneeUserId).IsModified && e.Property(t => t.AssigneeUserId).OriginalValue is not null
                && e.Entity.AssigneeUserId is not null && e.Entity.AssigneeUserId != e.Property(t => t.AssigneeUserId).OriginalValue)))
            .Select(e => e.Entity).ToList();
        var journal = db.ChangeTracker.Entries<JournalEntryRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        var chases = journal.Where(j => j.Kind == JournalKind.Chased).ToList();
        var decided = journal.Where(j => j.Kind is JournalKind.ExtensionApproved or JournalKind.ExtensionRejected).ToList();
        if (opened.Count == 0 && decided.Count == 0 && chases.Count == 0) return;

        var sentBack = journal.Where(j => j.Kind == JournalKind.TaskReturned
            || (j.Kind == JournalKind.TaskCompleted && UserTaskSendBack.SentBack(j.Outcome, j.DataJson))).Select(j => j.InstanceId).ToHashSet();
        // Whoever acted in this write is not told about it (he starts an item whose first step is his own).
        // A deputy who acted for someone (代理) acted as him too: neither is told.
        var actors = journal.Select(j => j.ActorId).OfType<string>()
            .SelectMany(a => context.OnBehalfOf(a) is { } principal ? [a, principal.Id] : new[] { a }).ToHashSet(StringComparer.Ordinal);
        var items = await ItemsAsync(db, opened.Select(t => t.InstanceId).Concat(decided.Select(j => j.InstanceId)).Concat(chases.Select(c => c.InstanceId)), ct);
        var org = context.Organization;
        var told = new HashSet<(string User, string EventKey)>();

        void Tell(string userId, string kind, string title, string? body, Guid? instanceId, Guid? taskId, string eventKey, bool candidate, bool role)
        {
            if (actors.Contains(userId) || !told.Add((userId, eventKey))) return;
            // One chase message per person and item in one write: the unit's notice and his own step are one chase.
            if (kind == NotificationKinds.Chased && instanceId is { } chased && !told.Add((userId, $"chased:{chased:N}"))) return;
            var item = instanceId is { } id ? items.GetValueOrDefault(id) : null;
            if (item is null) return;
            db.Set<NotificationRecord>().Add(new NotificationRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = item.OrganizationId,
                UserId = userId,
                Kind = kind,
                Title = Cut(title, 300),
                Body = body is null ? null : Cut(body, 2000),
                InstanceId = instanceId,
                TaskId = taskId,
                EventKey = eventKey,
                ToCandidate = candidate,
                ToRole = role,
                Confidential = item.IsRestricted,
                CreatedAt = context.Now,
            });
        }

        foreach (var task in opened)
        {
            if (!items.TryGetValue(task.InstanceId, out var item)) continue;
            var kind = task.ActivityId is Chases.NoticeActivity or Chases.ReplyActivity ? NotificationKinds.Chased
                : sentBack.Contains(task.InstanceId) ? NotificationKinds.Returned
                : NotificationKinds.Task;
            var title = kind switch
            {
                NotificationKinds.Chased => $"催办：{task.Name}",
                NotificationKinds.Returned => $"被退回，请重新办理：{task.Name}",
                _ => $"新待办：{task.Name}",
            };
            var body = $"「{item.Title}」" + (task.DueAt is { } due ? $"，办理时限 {ChinaTime.DateOf(due):yyyy-MM-dd}" : "");
            var key = $"{kind}:{task.Id:N}:{task.AssigneeUserId ?? task.CandidateUnitId ?? task.CandidateRole}";
            foreach (var (user, candidate, role) in NotificationHolders.HoldersOf(task, org))
                Tell(user, kind, title, body, task.InstanceId, task.Id, key, candidate, role);
        }

        // A chase on a unit also reaches whoever holds that unit's open step on the item by name (he took it, or was given it).
        foreach (var chase in chases)
        {
            if (!items.TryGetValue(chase.InstanceId, out var item)) continue;
            var unitId = JsonNode.Parse(chase.DataJson ?? "{}")?["unitId"]?.GetValue<string>();
            if (unitId is null) continue;
            var holders = await db.Tasks.AsNoTracking()
                .Where(t => t.InstanceId == chase.InstanceId && t.Status == HumanTaskStatus.Open && t.AssigneeUserId != null
                    && t.ActivityId != Chases.NoticeActivity && t.ActivityId != Chases.ReplyActivity && t.ActivityId != Chases.ActionActivity)
                .Select(t => new { t.Id, t.AssigneeUserId, t.CandidateUnitId }).ToListAsync(ct);
            foreach (var held in holders.Where(h => h.CandidateUnitId == unitId || org.FindUser(h.AssigneeUserId!)?.UnitId == unitId))
                Tell(held.AssigneeUserId!, NotificationKinds.Chased, $"催办：{chase.ActivityName}", $"「{item.Title}」{chase.Comment}",
                    chase.InstanceId, held.Id, $"chase:{chase.InstanceId:N}:{chase.At.UtcTicks}:{unitId}", candidate: false, role: false);
        }

        // An extension decided at its last stage (or refused at any) goes back to whoever asked for it.
        foreach (var decision in decided)
        {
            if (!items.TryGetValue(decision.InstanceId, out var item)) continue;
            var data = JsonNode.Parse(decision.DataJson ?? "{}");
            var extensionId = data?["extensionId"]?.GetValue<string>();
            if (extensionId is null) continue;
            var asked = await db.Journal.AsNoTracking()
                .Where(j => j.InstanceId == decision.InstanceId && j.Kind == JournalKind.ExtensionRequested && j.DataJson != null && j.DataJson.Contains(extensionId))
                .Select(j => j.ActorId).FirstOrDefaultAsync(ct);
            if (asked is null) continue;
            var approved = decision.Kind == JournalKind.ExtensionApproved;
            var to = data?["to"]?.GetValue<DateTimeOffset>();
            Tell(asked, NotificationKinds.Extension, approved ? "延期申请已同意" : "延期申请未同意",
                $"「{item.Title}」" + (approved && to is { } due ? $"，新的办理时限 {ChinaTime.DateOf(due):yyyy-MM-dd}" : "")
                    + (decision.Comment is { Length: > 0 } opinion ? $"。审批意见：{opinion}" : ""),
                decision.InstanceId, null, $"extension:{extensionId}", candidate: false, role: false);
        }

        // Whoever stands in for one of them today hears it too, marked 「（代…）」.
        NotificationDeputies.CopyToDeputies(db, org, context.Now, actors);
    }

    private sealed record Item(string OrganizationId, string Title, bool IsRestricted);

    /// <summary>The items concerned, from the tracked rows where the write loaded them, else in one query.</summary>
    private static async Task<Dictionary<Guid, Item>> ItemsAsync(DubanDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.ToHashSet();
        var items = db.ChangeTracker.Entries<InstanceRecord>().Where(e => wanted.Contains(e.Entity.Id))
            .ToDictionary(e => e.Entity.Id, e => new Item(e.Entity.OrganizationId, e.Entity.Title, e.Entity.IsRestricted));
        var missing = wanted.Where(id => !items.ContainsKey(id)).ToList();
        if (missing.Count > 0)
            foreach (var row in await db.Instances.AsNoTracking().Where(i => missing.Contains(i.Id))
                .Select(i => new { i.Id, i.OrganizationId, i.Title, i.IsRestricted }).ToListAsync(ct))
                items[row.Id] = new Item(row.OrganizationId, row.Title, row.IsRestricted);
        return items;
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
