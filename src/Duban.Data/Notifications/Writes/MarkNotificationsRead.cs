using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>已读: one of my notifications (<see cref="NotificationId"/>), or all of them when it is null. Returns how many changed.</summary>
public sealed record MarkNotificationsRead(CurrentUser User, Guid? NotificationId) : IWrite<int>
{
    public string Operation => "notifications-read";
    public string Subject => NotificationId?.ToString() ?? User.Id;
}

internal sealed class MarkNotificationsReadHandler : IWriteHandler<MarkNotificationsRead, int>
{
    /// <summary>Most rows one 全部已读 marks; a person with more unread presses it again.</summary>
    public const int MaxAtOnce = 1000;

    public async Task<int> HandleAsync(MarkNotificationsRead write, WriteContext context, CancellationToken ct)
    {
        var userId = write.User.Id;
        var rows = context.Db.Set<NotificationRecord>().Where(n => n.UserId == userId && n.ReadAt == null);
        if (write.NotificationId is { } id)
        {
            // Someone else's notification does not exist for him.
            var row = await context.Db.Set<NotificationRecord>().FirstOrDefaultAsync(n => n.Id == id && n.UserId == userId, ct)
                ?? throw new NotFoundException("通知不存在");
            if (row.ReadAt is not null) return 0;
            row.ReadAt = context.Now;
            return 1;
        }
        var unread = await rows.OrderBy(n => n.CreatedAt).Take(MaxAtOnce).ToListAsync(ct);
        foreach (var row in unread) row.ReadAt = context.Now;
        return unread.Count;
    }
}
