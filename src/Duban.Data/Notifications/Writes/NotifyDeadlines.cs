using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// 临近办理时限: the notification job's sweep tells the holders of open tasks whose deadline is at most the organization's
/// N working days away (its work calendar, <see cref="NotificationSettingsRecord.DeadlineWorkingDays"/>, 1 by default) —
/// once per task: a task that has had its reminder is not looked at again. Returns the notifications written.
/// </summary>
public sealed record NotifyDeadlines : IWrite<int>
{
    public const int Batch = 200;
    /// <summary>Tasks due further ahead than this are not looked at (no setting goes past 30 working days).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(60);

    public string Operation => "notify-deadlines";
    public string Subject => "deadlines";
}

internal sealed class NotifyDeadlinesHandler : IWriteHandler<NotifyDeadlines, int>
{
    public async Task<int> HandleAsync(NotifyDeadlines write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var now = context.Now;
        var today = ChinaTime.DateOf(now);
        var settings = await db.Set<NotificationSettingsRecord>().AsNoTracking().Select(s => new { s.OrganizationId, s.DeadlineWorkingDays }).ToListAsync(ct);
        var days = settings.ToDictionary(s => s.OrganizationId, s => s.DeadlineWorkingDays);
        // A task is due soon when fewer than N + 1 working days lie ahead: it falls due before the start of the (N + 1)th
        // working day from today. The latest such instant over all organizations bounds the query; each task is then
        // checked against its own organization's calendar and setting.
        var until = context.Organization.Organizations.Select(o => o.Id).Append("")
            .Select(o => ChinaTime.StartOf(context.Organization.CalendarOf(o).AddWorkingDays(today, days.GetValueOrDefault(o, 1) + 1)))
            .Max();
        if (until > now + NotifyDeadlines.Horizon) until = now + NotifyDeadlines.Horizon;
        var notifications = db.Set<NotificationRecord>();
        var tasks = await db.Tasks
            .Where(t => t.Status == HumanTaskStatus.Open && t.DueAt != null && t.DueAt > now && t.DueAt < until
                && !notifications.Any(n => n.TaskId == t.Id && n.Kind == NotificationKinds.Deadline))
            .OrderBy(t => t.DueAt).Take(NotifyDeadlines.Batch).AsNoTracking().ToListAsync(ct);
        if (tasks.Count == 0) return 0;
        var itemIds = tasks.Select(t => t.InstanceId).Distinct().ToList();
        var items = await db.Instances.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Title, i.IsRestricted }).ToDictionaryAsync(i => i.Id, ct);
        var written = 0;
        foreach (var task in tasks)
        {
            var calendar = context.Organization.CalendarOf(task.OrganizationId);
            var due = ChinaTime.DateOf(task.DueAt!.Value);
            if (calendar.WorkingDaysBetween(today, due) > days.GetValueOrDefault(task.OrganizationId, 1)) continue;
            if (!items.TryGetValue(task.InstanceId, out var item)) continue;
            foreach (var (user, candidate, role) in NotificationHolders.HoldersOf(task, context.Organization))
            {
                notifications.Add(new NotificationRecord
                {
                    Id = Guid.CreateVersion7(),
                    OrganizationId = task.OrganizationId,
                    UserId = user,
                    Kind = NotificationKinds.Deadline,
                    Title = $"临近办理时限：{task.Name}",
                    Body = $"「{item.Title}」办理时限 {due:yyyy-MM-dd}，请抓紧办理",
                    InstanceId = task.InstanceId,
                    TaskId = task.Id,
                    EventKey = $"deadline:{task.Id:N}",
                    ToCandidate = candidate,
                    ToRole = role,
                    Confidential = item.IsRestricted,
                    CreatedAt = now,
                });
                written++;
            }
        }
        NotificationDeputies.CopyToDeputies(db, context.Organization, now, new HashSet<string>());
        return written;
    }
}
