using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// 通知设置: which kinds reach me by which channel (anything not listed stays as it was: on, unless turned off), and the
/// address my mail goes to (<see cref="Email"/>: null keeps it, empty clears it).
/// </summary>
public sealed record SaveNotificationPreferences(CurrentUser User, IReadOnlyList<NotificationPreference> Preferences, string? Email = null) : IWrite<bool>
{
    public string Operation => "notification-preferences";
    public string Subject => User.Id;
}

public sealed record NotificationPreference(string Kind, string Channel, bool Enabled);

internal sealed class SaveNotificationPreferencesHandler : IWriteHandler<SaveNotificationPreferences, bool>
{
    public async Task<bool> HandleAsync(SaveNotificationPreferences write, WriteContext context, CancellationToken ct)
    {
        var set = context.Db.Set<NotificationPreferenceRecord>();
        var stored = await set.Where(p => p.UserId == write.User.Id).ToListAsync(ct);
        for (var i = 0; i < write.Preferences.Count; i++)
        {
            var p = write.Preferences[i];
            if (!NotificationKinds.All.Contains(p.Kind)) throw new Engine.Execution.WorkflowInputException($"preferences[{i}].kind", $"没有「{p.Kind}」这种通知");
            if (!NotificationChannels.Personal.Contains(p.Channel))
                throw new Engine.Execution.WorkflowInputException($"preferences[{i}].channel", $"没有「{p.Channel}」这种通知方式");
            var row = stored.FirstOrDefault(s => s.Kind == p.Kind && s.Channel == p.Channel);
            if (row is null)
            {
                row = new NotificationPreferenceRecord { UserId = write.User.Id, Kind = p.Kind, Channel = p.Channel };
                set.Add(row);
                stored.Add(row);
            }
            row.Enabled = p.Enabled;
        }
        if (write.Email is { } email)
        {
            email = email.Trim();
            if (email.Length > 200 || (email.Length > 0 && !System.Net.Mail.MailAddress.TryCreate(email, out _)))
                throw new Engine.Execution.WorkflowInputException("email", "邮箱格式不正确");
            var user = await context.Db.Users.FirstOrDefaultAsync(u => u.Id == write.User.Id, ct) ?? throw new NotFoundException("用户不存在");
            if ((user.Email ?? "") != email)
            {
                user.Email = email.Length == 0 ? null : email;
                user.NormalizedEmail = user.Email?.ToUpperInvariant();
                user.EmailConfirmed = false;
                user.ConcurrencyStamp = Guid.NewGuid().ToString();
            }
        }
        return true;
    }
}
