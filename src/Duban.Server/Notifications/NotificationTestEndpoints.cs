using System.Net.Sockets;
using Duban.Data;
using Duban.Data.Notifications;
using Duban.Data.Notifications.Writes;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Duban.Server.Notifications;

/// <param name="SmtpPassword">Null: the stored password (the form shows none).</param>
/// <param name="To">Where the test mail goes; empty: the administrator's own address.</param>
public sealed record TestMailRequest(
    string? SmtpHost, int? SmtpPort, string? SmtpSecurity, string? SmtpUserName, string? SmtpPassword, string? FromAddress, string? FromName, string? To);

/// <param name="Id">The robot being changed, whose stored 加签 secret is used when <paramref name="Secret"/> is null.</param>
public sealed record TestRobotRequest(Guid? Id, string? Kind, string? Name, string? Url, string? Secret);

/// <param name="Sent">The server took the message.</param>
/// <param name="Message">What happened, in Chinese: where it went, or the server's error.</param>
public sealed record TestMessageResult(bool Sent, string Message);

/// <summary>
/// 发送测试消息 (docs/decisions/040): an administrator tries the mail server and each group robot as they stand in the form,
/// before saving — nothing is saved, and the answer is the server's own (its error, explained in Chinese).
/// </summary>
internal static class NotificationTestEndpoints
{
    public static void MapNotificationTests(this RouteGroupBuilder group)
    {
        group.MapPost("/settings/test", async Task<Ok<TestMessageResult>> (TestMailRequest request, HttpContext http, DubanDbContext db,
            EmailSender email, IDataProtectionProvider protection, IOptions<NotificationOptions> options, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = NotificationEndpoints.RequireAdmin(user);
            var (host, security, from, _) = NotificationRules.Settings(new NotificationSettingsInput(true, request.SmtpHost, request.SmtpPort,
                request.SmtpSecurity, request.SmtpUserName, request.FromAddress, request.FromName, null, null));
            var to = string.IsNullOrWhiteSpace(request.To)
                ? await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.Email).FirstOrDefaultAsync(ct)
                : request.To.Trim();
            if (string.IsNullOrEmpty(to)) throw new WorkflowInputException("to", "请填写收件邮箱（或先在「我的通知设置」中填写本人邮箱）");
            if (!MimeKit.MailboxAddress.TryParse(to, out _) || !to.Contains('@', StringComparison.Ordinal))
                throw new WorkflowInputException("to", "收件邮箱格式不正确");
            var stored = await db.Set<NotificationSettingsRecord>().AsNoTracking().Where(s => s.OrganizationId == organizationId)
                .Select(s => s.SmtpPasswordProtected).FirstOrDefaultAsync(ct);
            var settings = new NotificationSettingsRecord
            {
                OrganizationId = organizationId,
                EmailEnabled = true,
                SmtpHost = host,
                SmtpPort = request.SmtpPort ?? 25,
                SmtpSecurity = security,
                SmtpUserName = string.IsNullOrWhiteSpace(request.SmtpUserName) ? null : request.SmtpUserName.Trim(),
                SmtpPasswordProtected = request.SmtpPassword is { Length: > 0 } password
                    ? protection.CreateProtector(NotificationEndpoints.ProtectorPurpose).Protect(password)
                    : request.SmtpPassword is null ? stored : null,
                FromAddress = from,
                FromName = string.IsNullOrWhiteSpace(request.FromName) ? null : request.FromName.Trim(),
            };
            var delivery = TestDelivery(NotificationChannels.Email, to);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.SendTimeout);
            try
            {
                await email.SendAsync(settings, delivery, null, timeout.Token);
                return TypedResults.Ok(new TestMessageResult(true, $"测试邮件已发出：发信服务器 {host}:{settings.SmtpPort} 已接收，请到 {to} 查收"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return TypedResults.Ok(new TestMessageResult(false, ExplainMail(e, host!, settings.SmtpPort)));
            }
        }).WithSummary("发送测试邮件：用表单中（尚未保存）的发信服务器设置发一封测试邮件，返回服务器的答复（管理员）").ProducesValidationProblem();

        group.MapPost("/channels/test", async Task<Ok<TestMessageResult>> (TestRobotRequest request, HttpContext http, DubanDbContext db,
            WebhookSender webhooks, IOptions<NotificationOptions> options, CancellationToken ct) =>
        {
            var organizationId = NotificationEndpoints.RequireAdmin(await http.GetCurrentUserAsync());
            var (name, url) = NotificationRules.Robot(new NotificationChannelInput(request.Kind, request.Name ?? "测试", request.Url, request.Secret, true, []));
            var secret = request.Secret;
            if (secret is null && request.Id is { } id)
                secret = await db.Set<NotificationChannelRecord>().AsNoTracking().Where(c => c.Id == id && c.OrganizationId == organizationId)
                    .Select(c => c.Secret).FirstOrDefaultAsync(ct);
            var robot = new NotificationChannelRecord
            {
                Id = request.Id ?? Guid.Empty, OrganizationId = organizationId, Kind = request.Kind!, Name = name, Url = url,
                Secret = string.IsNullOrWhiteSpace(secret) ? null : secret.Trim(),
            };
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.SendTimeout);
            try
            {
                await webhooks.SendAsync(robot, TestDelivery(NotificationChannels.Webhook, robot.Id.ToString()), null, timeout.Token);
                return TypedResults.Ok(new TestMessageResult(true, $"测试消息已发出：「{name}」已接收，请到群里查看"));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return TypedResults.Ok(new TestMessageResult(false, e is OperationCanceledException ? "群机器人在规定时间内没有答复" : e.Message));
            }
        }).WithSummary("发送测试消息：用表单中（尚未保存）的群机器人设置发一条测试消息，返回机器人的答复（管理员）").ProducesValidationProblem();
    }

    private static NotificationDeliveryRecord TestDelivery(string channel, string target) => new()
    {
        Channel = channel,
        Target = target,
        Subject = "测试消息",
        Body = "这是督办系统发送的测试消息：收到即说明通知设置可用。",
    };

    /// <summary>A mail server's refusal, said in Chinese with the server's own words.</summary>
    public static string ExplainMail(Exception e, string host, int port) => e switch
    {
        OperationCanceledException => $"连接发信服务器 {host}:{port} 超时，没有答复",
        SocketException s => $"无法连接发信服务器 {host}:{port}：{Senders.SocketReason(s)}",
        SslHandshakeException s => $"与发信服务器建立加密连接失败（请检查加密方式与端口）：{s.Message}",
        AuthenticationException s => $"发信服务器拒绝了用户名或密码：{s.Message}",
        SmtpCommandException s => $"发信服务器拒收（{(int)s.StatusCode}）：{s.Message}",
        SmtpProtocolException s => $"发信服务器的答复不符合 SMTP 协议（请检查端口与加密方式）：{s.Message}",
        ServiceNotAuthenticatedException s => $"发信服务器要求登录，请填写用户名和密码：{s.Message}",
        NotSupportedException s => $"发信服务器不支持所选的方式：{s.Message}",
        _ => $"发送失败：{e.Message}",
    };
}
