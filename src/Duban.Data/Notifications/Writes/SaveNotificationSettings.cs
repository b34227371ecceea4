using Duban.Data.Organization;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// An organization's administrator sets how its mail goes out and when deadlines are reminded. The password arrives
/// already protected by the server (<see cref="ProtectedPassword"/>: null keeps the stored one, empty clears it).
/// </summary>
public sealed record SaveNotificationSettings(CurrentUser User, NotificationSettingsInput Input, string? ProtectedPassword) : IWrite<bool>, IRetryOnDuplicateKey
{
    public string Operation => "notification-settings";
    public string Subject => User.OrganizationId ?? "";
}

public sealed record NotificationSettingsInput(
    bool EmailEnabled, string? SmtpHost, int? SmtpPort, string? SmtpSecurity, string? SmtpUserName, string? FromAddress, string? FromName,
    string? SiteUrl, int? DeadlineWorkingDays);

internal sealed class SaveNotificationSettingsHandler : IWriteHandler<SaveNotificationSettings, bool>
{
    public async Task<bool> HandleAsync(SaveNotificationSettings write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.ConfigureSupervision) || write.User.OrganizationId is not { } organizationId)
            throw new ForbiddenException("只有本单位的管理员可以设置通知");
        var input = write.Input;
        var (host, security, from, site) = NotificationRules.Settings(input);

        var set = context.Db.Set<NotificationSettingsRecord>();
        var row = await set.FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        if (row is null) set.Add(row = new NotificationSettingsRecord { OrganizationId = organizationId });
        row.EmailEnabled = input.EmailEnabled;
        row.SmtpHost = host;
        row.SmtpPort = input.SmtpPort ?? 25;
        row.SmtpSecurity = security;
        row.SmtpUserName = string.IsNullOrWhiteSpace(input.SmtpUserName) ? null : input.SmtpUserName.Trim();
        if (write.ProtectedPassword is { } password) row.SmtpPasswordProtected = password.Length == 0 ? null : password;
        row.FromAddress = from;
        row.FromName = string.IsNullOrWhiteSpace(input.FromName) ? null : input.FromName.Trim();
        row.SiteUrl = site;
        row.DeadlineWorkingDays = input.DeadlineWorkingDays ?? 1;
        row.UpdatedAt = context.Now;
        return true;
    }
}
