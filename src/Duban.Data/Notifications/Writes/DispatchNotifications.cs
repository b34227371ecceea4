using System.Text.Json;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// The outbox's first half: notifications the dispatcher has not looked at become deliveries — an email to each person who
/// wants that kind by email (on unless he turned it off) and has an address, when his organization sends mail and the task
/// was not offered to a whole role; one post per event to each of the organization's group robots that carries the kind.
/// Each notification is looked at once. Returns the deliveries queued.
/// </summary>
/// <param name="InstallationMail">The installation's own SMTP (<c>Duban:Notifications:Smtp</c>) is set: organizations with no settings of their own send through it.</param>
public sealed record DispatchNotifications(bool InstallationMail) : IWrite<int>
{
    public const int Batch = 200;

    public string Operation => "notifications-dispatch";
    public string Subject => "outbox";
}

internal sealed class DispatchNotificationsHandler : IWriteHandler<DispatchNotifications, int>
{
    public async Task<int> HandleAsync(DispatchNotifications write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var first = await db.Set<NotificationRecord>().Where(n => n.DispatchedAt == null)
            .OrderBy(n => n.CreatedAt).Take(DispatchNotifications.Batch).Select(n => n.CreatedAt).ToListAsync(ct);
        if (first.Count == 0) return 0;
        // Whole writes at a time (their rows share one instant), so an event's people are never split over two batches.
        var cutoff = first.Max();
        var rows = await db.Set<NotificationRecord>().Where(n => n.DispatchedAt == null && n.CreatedAt <= cutoff).ToListAsync(ct);
        var userIds = rows.Select(r => r.UserId).Distinct().ToList();
        var organizations = rows.Select(r => r.OrganizationId).Distinct().ToList();
        var off = (await db.Set<NotificationPreferenceRecord>().AsNoTracking()
                .Where(p => userIds.Contains(p.UserId) && p.Channel == NotificationChannels.Email && !p.Enabled).ToListAsync(ct))
            .Select(p => (p.UserId, p.Kind)).ToHashSet();
        var emails = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id) && u.Email != null)
            .ToDictionaryAsync(u => u.Id, u => u.Email!, ct);
        var settings = await db.Set<NotificationSettingsRecord>().AsNoTracking().Where(s => organizations.Contains(s.OrganizationId))
            .ToDictionaryAsync(s => s.OrganizationId, ct);
        var robots = (await db.Set<NotificationChannelRecord>().AsNoTracking().Where(c => organizations.Contains(c.OrganizationId) && c.Enabled)
            .ToListAsync(ct)).Select(c => (c, Kinds: JsonSerializer.Deserialize<List<string>>(c.KindsJson) ?? [])).ToList();

        var queued = 0;
        var posted = new HashSet<(Guid, string)>();
        foreach (var row in rows)
        {
            row.DispatchedAt = context.Now;
            var link = row.TaskId is { } task ? $"/tasks/{task}" : row.InstanceId is { } item ? $"/items/{item}" : null;
            var mails = settings.TryGetValue(row.OrganizationId, out var s) ? s.EmailEnabled : write.InstallationMail;
            if (mails && !row.ToRole && !off.Contains((row.UserId, row.Kind)) && emails.TryGetValue(row.UserId, out var address))
            {
                Queue(NotificationChannels.Email, address, row.Title, row.Body ?? "", link, row);
                queued++;
            }
            // A deputy's copy (代理) is the same event: the group hears it once, from the principal's own row.
            foreach (var (robot, kinds) in robots.Where(r => row.ForUserId is null && r.c.OrganizationId == row.OrganizationId && r.Kinds.Contains(row.Kind)))
            {
                if (!posted.Add((robot.Id, row.EventKey))) continue;
                // A group chat is not the item's 知悉范围: a confidential item's title stays out of it (decision 037).
                var (subject, body) = row.Confidential
                    ? ($"{NotificationKinds.Label(row.Kind)}：一项限定知悉范围的事项", "请登录督办系统查看。")
                    : (row.Title, row.Body ?? "");
                Queue(NotificationChannels.Webhook, robot.Id.ToString(), subject, body, link, row);
                queued++;
            }
        }
        return queued;

        void Queue(string channel, string target, string subject, string body, string? link, NotificationRecord row) =>
            db.Set<NotificationDeliveryRecord>().Add(new NotificationDeliveryRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = row.OrganizationId,
                Channel = channel,
                Target = target,
                Subject = subject,
                Body = body,
                Link = link,
                NotificationId = row.Id,
                CreatedAt = context.Now,
                NextAttemptAt = context.Now,
            });
    }
}
