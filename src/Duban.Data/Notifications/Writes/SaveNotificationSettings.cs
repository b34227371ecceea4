using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
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
        if (!write.User.IsInRole(Roles.Admin) || write.User.OrganizationId is not { } organizationId)
            throw new ForbiddenException("只有本单位的管理员可以设置通知");
        var input = write.Input;
        var host = input.SmtpHost?.Trim();
        if (input.EmailEnabled && string.IsNullOrEmpty(host)) throw new WorkflowInputException("smtpHost", "请填写发信服务器（SMTP）地址");
        if (input.SmtpPort is < 1 or > 65535) throw new WorkflowInputException("smtpPort", "端口应在 1 到 65535 之间");
        var security = input.SmtpSecurity ?? "none";
        if (security is not ("none" or "starttls" or "ssl")) throw new WorkflowInputException("smtpSecurity", "加密方式应为 none、starttls 或 ssl");
        var from = input.FromAddress?.Trim();
        if (input.EmailEnabled && (string.IsNullOrEmpty(from) || !from.Contains('@', StringComparison.Ordinal)))
            throw new WorkflowInputException("fromAddress", "请填写有效的发件人邮箱");
        var site = input.SiteUrl?.Trim().TrimEnd('/');
        if (!string.IsNullOrEmpty(site) && !(Uri.TryCreate(site, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            throw new WorkflowInputException("siteUrl", "系统访问地址应以 http:// 或 https:// 开头");
        if (input.DeadlineWorkingDays is < 0 or > 30) throw new WorkflowInputException("deadlineWorkingDays", "提前提醒的工作日数应在 0 到 30 之间");

        var set = context.Db.Set<NotificationSettingsRecord>();
        var row = await set.FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        if (row is null) set.Add(row = new NotificationSettingsRecord { OrganizationId = organizationId });
        row.EmailEnabled = input.EmailEnabled;
        row.SmtpHost = string.IsNullOrEmpty(host) ? null : host;
        row.SmtpPort = input.SmtpPort ?? 25;
        row.SmtpSecurity = security;
        row.SmtpUserName = string.IsNullOrWhiteSpace(input.SmtpUserName) ? null : input.SmtpUserName.Trim();
        if (write.ProtectedPassword is { } password) row.SmtpPasswordProtected = password.Length == 0 ? null : password;
        row.FromAddress = string.IsNullOrEmpty(from) ? null : from;
        row.FromName = string.IsNullOrWhiteSpace(input.FromName) ? null : input.FromName.Trim();
        row.SiteUrl = string.IsNullOrEmpty(site) ? null : site;
        row.DeadlineWorkingDays = input.DeadlineWorkingDays ?? 1;
        row.UpdatedAt = context.Now;
        return true;
    }
}
