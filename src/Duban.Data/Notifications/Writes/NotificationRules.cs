using Duban.Engine.Execution;

namespace Duban.Data.Notifications.Writes;

/// <summary>
/// The rules of an organization's mail settings and group robots, for saving them and for trying them out first (the
/// administrator's 「发送测试消息」, which saves nothing): a 400 names the field.
/// </summary>
public static class NotificationRules
{
    /// <summary>
    /// The rules of the settings, for saving them and for trying them out before (the test message): the trimmed host,
    /// security, sender and site address, or a 400 naming the field.
    /// </summary>
    public static (string? Host, string Security, string? From, string? Site) Settings(NotificationSettingsInput input)
    {
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
        return (string.IsNullOrEmpty(host) ? null : host, security, string.IsNullOrEmpty(from) ? null : from, string.IsNullOrEmpty(site) ? null : site);
    }

    /// <summary>The rules of a robot, for saving it and for trying it out before (the test message): its trimmed name and address.</summary>
    public static (string Name, string Url) Robot(NotificationChannelInput input)
    {
        if (input.Kind is not (SaveNotificationChannelHandler.DingTalk or SaveNotificationChannelHandler.WeCom)) throw new WorkflowInputException("kind", "请选择钉钉或企业微信");
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name)) throw new WorkflowInputException("name", "请填写名称");
        if (name.Length > 100) throw new WorkflowInputException("name", "名称不能超过 100 字");
        var url = input.Url?.Trim();
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || url.Length > 1000)
            throw new WorkflowInputException("url", "请填写群机器人的 Webhook 地址（http:// 或 https:// 开头）");
        return (name, url);
    }
}
