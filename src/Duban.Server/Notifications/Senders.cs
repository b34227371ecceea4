using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Notifications;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Duban.Server.Notifications;

/// <summary>Sends one email through the organization's mail server, else the installation's (MailKit).</summary>
public sealed class EmailSender(IOptions<NotificationOptions> options, IDataProtectionProvider protection)
{
    public async Task SendAsync(NotificationSettingsRecord? settings, NotificationDeliveryRecord delivery, string? link, CancellationToken ct)
    {
        var installation = options.Value.Smtp;
        var own = settings?.SmtpHost is not null;
        var host = own ? settings!.SmtpHost! : installation.Host ?? throw new InvalidOperationException("未设置发信服务器");
        var port = own ? settings!.SmtpPort : installation.Port;
        var security = own ? settings!.SmtpSecurity : installation.Security;
        var user = own ? settings!.SmtpUserName : installation.UserName;
        var password = own
            ? settings!.SmtpPasswordProtected is { } p ? protection.CreateProtector(NotificationEndpoints.ProtectorPurpose).Unprotect(p) : null
            : installation.Password;
        var from = (own ? settings!.FromAddress : null) ?? installation.FromAddress ?? throw new InvalidOperationException("未设置发件人邮箱");
        var fromName = (own ? settings!.FromName : null) ?? installation.FromName;

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(fromName, from));
        message.To.Add(MailboxAddress.Parse(delivery.Target));
        message.Subject = $"【督办】{delivery.Subject}";
        var text = delivery.Body + (link is null ? "" : $"\n\n打开办理：{link}") + "\n\n（本邮件由督办系统自动发送，请勿回复。可在系统的「通知设置」中关闭邮件提醒。）";
        var html = $"<p>{WebUtility.HtmlEncode(delivery.Subject)}</p><p>{WebUtility.HtmlEncode(delivery.Body)}</p>"
            + (link is null ? "" : $"<p><a href=\"{WebUtility.HtmlEncode(link)}\">打开办理</a></p>")
            + "<p style=\"color:#888\">本邮件由督办系统自动发送，请勿回复。可在系统的「通知设置」中关闭邮件提醒。</p>";
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();

        using var client = new SmtpClient();
        var socket = security switch
        {
            "ssl" => SecureSocketOptions.SslOnConnect,
            "starttls" => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        };
        await client.ConnectAsync(host, port, socket, ct);
        if (!string.IsNullOrEmpty(user)) await client.AuthenticateAsync(user, password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
    }
}

/// <summary>
/// Posts one message to a group robot in its own format: 钉钉's <c>{"msgtype":"markdown","markdown":{"title","text"}}</c> (with
/// 加签: <c>timestamp</c> and <c>sign</c> = Base64(HmacSHA256(secret, timestamp + "\n" + secret)) on the URL) or 企业微信's
/// <c>{"msgtype":"markdown","markdown":{"content"}}</c>. Both answer <c>{"errcode":0}</c> when the message was taken.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "notification-webhooks";

    public async Task SendAsync(NotificationChannelRecord robot, NotificationDeliveryRecord delivery, string? link, CancellationToken ct)
    {
        var (url, body) = Message(robot, delivery.Subject, delivery.Body, link, clock.GetUtcNow());
        HttpResponseMessage posted;
        try
        {
            posted = await clients.CreateClient(ClientName).PostAsync(url, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
        }
        catch (HttpRequestException e)
        {
            var reason = e.InnerException is SocketException s ? Senders.SocketReason(s) : e.Message;
            throw new HttpRequestException($"无法连接群机器人地址：{reason}", e);
        }
        using var response = posted;
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"群机器人答复 {(int)response.StatusCode}：{Cut(text)}");
        try
        {
            if (JsonNode.Parse(text)?["errcode"] is JsonValue code && code.GetValue<int>() != 0)
                throw new HttpRequestException($"群机器人拒收{Known(code.GetValue<int>())}：{Cut(text)}");
        }
        catch (JsonException)
        {
            // Not the robots' JSON: a proxy's page, say. 2xx is taken as delivered.
        }
    }

    /// <summary>The URL to post to and the message, in the robot's format.</summary>
    public static (string Url, JsonObject Body) Message(NotificationChannelRecord robot, string subject, string body, string? link, DateTimeOffset now)
    {
        var markdown = $"#### {subject}\n\n{body}" + (link is null ? "" : $"\n\n[打开办理]({link})");
        if (robot.Kind == "wecom")
            return (robot.Url, new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["content"] = markdown } });
        var url = robot.Url;
        if (robot.Secret is { } secret)
        {
            var timestamp = now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sign = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}")));
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"timestamp={timestamp}&sign={Uri.EscapeDataString(sign)}";
        }
        return (url, new JsonObject { ["msgtype"] = "markdown", ["markdown"] = new JsonObject { ["title"] = subject, ["text"] = markdown } });
    }

    /// <summary>What the robots' usual error codes mean (钉钉's 310000 and 300001, 企业微信's 93000 and 40058).</summary>
    private static string Known(int code) => code switch
    {
        310000 => "（钉钉 310000：不符合机器人的安全设置——加签密钥、自定义关键词或 IP 地址）",
        300001 or 300005 => "（钉钉：access_token 无效，请检查 Webhook 地址）",
        93000 => "（企业微信 93000：Webhook 地址无效或机器人已被移出群）",
        40058 => "（企业微信 40058：消息内容不合规）",
        _ => "",
    };

    private static string Cut(string text) => text.Length <= 300 ? text : text[..300];
}

internal static class Senders
{
    /// <summary>Why a connection failed, in Chinese for the usual causes (else the system's own words).</summary>
    public static string SocketReason(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "对方拒绝连接（该端口上没有服务在运行）",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "找不到该服务器（请检查地址）",
        SocketError.TimedOut => "连接超时（请检查地址、端口和网络）",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable => "网络不通（本机无法到达该服务器）",
        _ => e.Message,
    };
}
