using System.Text.Json;
using Duban.Data;
using Duban.Data.Notifications;
using Duban.Data.Notifications.Writes;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Notifications;

/// <param name="Link">Where the message leads in the web app: the task, else the item.</param>
/// <param name="Settled">A task offered to several people that someone else has taken, or that is done: nothing left to do.</param>
public sealed record NotificationView(
    Guid Id, string Kind, string KindLabel, string Title, string? Body, Guid? InstanceId, Guid? TaskId, string? Link,
    DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, bool Settled);

public sealed record UnreadCount(int Count);

public sealed record MarkedRead(int Read);

public sealed record NotificationPreferenceView(string Kind, string Label, bool InApp, bool Email);

/// <param name="Email">The address mail goes to; null: no email.</param>
public sealed record NotificationPreferencesView(IReadOnlyList<NotificationPreferenceView> Kinds, string? Email);

/// <param name="Email">My address for notification mail; null keeps it, empty clears it.</param>
public sealed record SaveNotificationPreferencesRequest(List<NotificationPreference>? Preferences, string? Email);

public sealed record NotificationChannelView(Guid Id, string Kind, string Name, string Url, bool HasSecret, bool Enabled, IReadOnlyList<string> Kinds);

/// <param name="InstallationMail">The installation's own mail server is configured (Duban:Notifications:Smtp), used when the organization sets none.</param>
public sealed record NotificationSettingsView(
    bool EmailEnabled, string? SmtpHost, int SmtpPort, string SmtpSecurity, string? SmtpUserName, bool HasSmtpPassword, string? FromAddress,
    string? FromName, string? SiteUrl, int DeadlineWorkingDays, bool InstallationMail, IReadOnlyList<NotificationChannelView> Channels);

/// <param name="SmtpPassword">Null keeps the stored password; empty clears it.</param>
public sealed record SaveNotificationSettingsRequest(
    bool EmailEnabled, string? SmtpHost, int? SmtpPort, string? SmtpSecurity, string? SmtpUserName, string? SmtpPassword, string? FromAddress,
    string? FromName, string? SiteUrl, int? DeadlineWorkingDays);

public sealed record SaveNotificationChannelRequest(string? Kind, string? Name, string? Url, string? Secret, bool Enabled, List<string>? Kinds);

public sealed record SavedChannel(Guid Id);

/// <summary>
/// 通知 (issue 20, docs/decisions/040): my notifications (the bell), read marks, my preferences, and the organization's
/// mail server and group robots (its administrator's).
/// </summary>
internal static class NotificationEndpoints
{
    public const string ProtectorPurpose = "Duban.Notifications.SmtpPassword";

    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/notifications").WithTags("通知").RequireAuthorization();

        group.MapGet("/", async Task<Ok<PagedList<NotificationView>>> (HttpContext http, DubanDbContext db, int? page, int? pageSize, string? order,
            bool? unreadOnly, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var (p, size) = Paging.Normalize(page, pageSize);
            var mine = await MineAsync(db, user, ct);
            if (unreadOnly == true) mine = Unread(db, mine, user);
            var total = await mine.CountAsync(ct);
            var userId = user.Id;
            var rows = await (order == "unreadFirst"
                    ? mine.OrderBy(n => n.ReadAt == null ? 0 : 1).ThenByDescending(n => n.CreatedAt)
                    : mine.OrderByDescending(n => n.CreatedAt))
                .ThenByDescending(n => n.Id)
                .Skip((p - 1) * size).Take(size)
                .Select(n => new
                {
                    Row = n,
                    Settled = n.TaskId != null && db.Tasks.Any(t => t.Id == n.TaskId
                        && (t.Status != HumanTaskStatus.Open || (t.AssigneeUserId != null && t.AssigneeUserId != userId && t.AssigneeUserId != n.ForUserId))),
                })
                .ToListAsync(ct);
            var items = rows.Select(r => new NotificationView(r.Row.Id, r.Row.Kind, NotificationKinds.Label(r.Row.Kind), r.Row.Title, r.Row.Body,
                r.Row.InstanceId, r.Row.TaskId, LinkOf(r.Row), r.Row.CreatedAt, r.Row.ReadAt, r.Settled)).ToList();
            return TypedResults.Ok(new PagedList<NotificationView>(items, total, p, size));
        }).WithSummary("我的通知（order=newest 最新在前，order=unreadFirst 未读在前；unreadOnly 只看未读）");

        group.MapGet("/unread-count", async Task<Ok<UnreadCount>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            return TypedResults.Ok(new UnreadCount(await Unread(db, await MineAsync(db, user, ct), user).CountAsync(ct)));
        }).WithSummary("未读通知数（铃铛上的数字）：不含别人已签收或已办结的待签收任务");

        group.MapPost("/{id:guid}/read", async Task<Ok<MarkedRead>> (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(new MarkedRead(await door.RunAsync(new MarkNotificationsRead(await http.GetCurrentUserAsync(), id), ct))))
            .WithSummary("标为已读");

        group.MapPost("/read-all", async Task<Ok<MarkedRead>> (HttpContext http, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(new MarkedRead(await door.RunAsync(new MarkNotificationsRead(await http.GetCurrentUserAsync(), null), ct))))
            .WithSummary("全部标为已读");

        group.MapGet("/preferences", async Task<Ok<NotificationPreferencesView>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var stored = await db.Set<NotificationPreferenceRecord>().AsNoTracking().Where(p => p.UserId == user.Id).ToListAsync(ct);
            bool On(string kind, string channel) => stored.FirstOrDefault(s => s.Kind == kind && s.Channel == channel)?.Enabled ?? true;
            var email = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.Email).FirstOrDefaultAsync(ct);
            return TypedResults.Ok(new NotificationPreferencesView(
                [.. NotificationKinds.All.Select(k => new NotificationPreferenceView(k, NotificationKinds.Label(k), On(k, NotificationChannels.InApp), On(k, NotificationChannels.Email)))],
                email));
        }).WithSummary("我的通知设置：每类通知是否在系统内提醒、是否发邮件");

        group.MapPut("/preferences", async Task<Ok<NotificationPreferencesView>> (SaveNotificationPreferencesRequest request, HttpContext http, WriteDoor door,
            DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new SaveNotificationPreferences(user, request.Preferences ?? [], request.Email), ct);
            var stored = await db.Set<NotificationPreferenceRecord>().AsNoTracking().Where(p => p.UserId == user.Id).ToListAsync(ct);
            bool On(string kind, string channel) => stored.FirstOrDefault(s => s.Kind == kind && s.Channel == channel)?.Enabled ?? true;
            var email = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.Email).FirstOrDefaultAsync(ct);
            return TypedResults.Ok(new NotificationPreferencesView(
                [.. NotificationKinds.All.Select(k => new NotificationPreferenceView(k, NotificationKinds.Label(k), On(k, NotificationChannels.InApp), On(k, NotificationChannels.Email)))],
                email));
        }).WithSummary("保存我的通知设置").ProducesValidationProblem();

        group.MapGet("/settings", async Task<Ok<NotificationSettingsView>> (HttpContext http, DubanDbContext db,
            Microsoft.Extensions.Options.IOptions<NotificationOptions> options, CancellationToken ct) =>
        {
            var organizationId = RequireAdmin(await http.GetCurrentUserAsync());
            return TypedResults.Ok(await SettingsAsync(db, organizationId, options.Value, ct));
        }).WithSummary("本单位的通知设置：发信服务器、系统访问地址、提前提醒天数、群机器人（管理员）");

        group.MapPut("/settings", async Task<Ok<NotificationSettingsView>> (SaveNotificationSettingsRequest request, HttpContext http, WriteDoor door,
            DubanDbContext db, IDataProtectionProvider protection, Microsoft.Extensions.Options.IOptions<NotificationOptions> options, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = RequireAdmin(user);
            var password = request.SmtpPassword is null ? null
                : request.SmtpPassword.Length == 0 ? "" : protection.CreateProtector(ProtectorPurpose).Protect(request.SmtpPassword);
            await door.RunAsync(new SaveNotificationSettings(user, new NotificationSettingsInput(request.EmailEnabled, request.SmtpHost, request.SmtpPort,
                request.SmtpSecurity, request.SmtpUserName, request.FromAddress, request.FromName, request.SiteUrl, request.DeadlineWorkingDays), password), ct);
            return TypedResults.Ok(await SettingsAsync(db, organizationId, options.Value, ct));
        }).WithSummary("保存本单位的通知设置（管理员）").ProducesValidationProblem();

        group.MapPost("/channels", async Task<Ok<SavedChannel>> (SaveNotificationChannelRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(new SavedChannel(await door.RunAsync(new SaveNotificationChannel(await http.GetCurrentUserAsync(), null, Input(request)), ct))))
            .WithSummary("添加群机器人：钉钉或企业微信（管理员）").ProducesValidationProblem();

        group.MapPut("/channels/{id:guid}", async Task<Ok<SavedChannel>> (Guid id, SaveNotificationChannelRequest request, HttpContext http, WriteDoor door,
            CancellationToken ct) =>
            TypedResults.Ok(new SavedChannel(await door.RunAsync(new SaveNotificationChannel(await http.GetCurrentUserAsync(), id, Input(request)), ct))))
            .WithSummary("修改群机器人（管理员）").ProducesValidationProblem();

        group.MapDelete("/channels/{id:guid}", async Task<NoContent> (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new SaveNotificationChannel(await http.GetCurrentUserAsync(), id, null, Delete: true), ct);
            return TypedResults.NoContent();
        }).WithSummary("删除群机器人（管理员）");

        group.MapNotificationTests();

        return group;
    }

    private static NotificationChannelInput Input(SaveNotificationChannelRequest r) => new(r.Kind, r.Name, r.Url, r.Secret, r.Enabled, r.Kinds);

    public static string RequireAdmin(CurrentUser user) =>
        user.Has(Permission.ConfigureSupervision) && user.OrganizationId is { } organizationId ? organizationId : throw new ForbiddenException("只有本单位的管理员可以设置通知");

    /// <summary>A scheduled report's message (no task, no item) leads to the 督查专报 page, an arrived 上级交办 to 上级交办.</summary>
    public static string? LinkOf(NotificationRecord n) => n.TaskId is { } task ? $"/tasks/{task}" : n.InstanceId is { } item ? $"/items/{item}"
        : n.Kind == NotificationKinds.Report ? "/reports" : n.Kind == NotificationKinds.Referral ? "/referrals" : null;

    /// <summary>
    /// My notifications, as I may still see them: my own rows of my organization, of items the one visibility rule lets me see
    /// (a confidential item I was taken off, or an item of another organization, drops out), of kinds I have not turned off in-app.
    /// </summary>
    private static async Task<IQueryable<NotificationRecord>> MineAsync(DubanDbContext db, CurrentUser user, CancellationToken ct)
    {
        var userId = user.Id;
        var organizationId = user.OrganizationId ?? "";
        var off = await db.Set<NotificationPreferenceRecord>().AsNoTracking()
            .Where(p => p.UserId == userId && p.Channel == NotificationChannels.InApp && !p.Enabled).Select(p => p.Kind).ToListAsync(ct);
        var visible = ItemVisibility.Visible(db, user);
        return db.Set<NotificationRecord>().AsNoTracking()
            .Where(n => n.UserId == userId && n.OrganizationId == organizationId && !off.Contains(n.Kind)
                && (n.InstanceId == null || visible.Any(i => i.Id == n.InstanceId)));
    }

    /// <summary>Unread, and still something to do: a task offered to several that another took, or that is done, no longer counts.</summary>
    private static IQueryable<NotificationRecord> Unread(DubanDbContext db, IQueryable<NotificationRecord> mine, CurrentUser user)
    {
        var userId = user.Id;
        // A deputy's copy (ForUserId) is settled the same way for the one he stands in for.
        return mine.Where(n => n.ReadAt == null && !(n.ToCandidate && db.Tasks.Any(t => t.Id == n.TaskId
            && (t.Status != HumanTaskStatus.Open || (t.AssigneeUserId != null && t.AssigneeUserId != userId && t.AssigneeUserId != n.ForUserId)))));
    }

    private static async Task<NotificationSettingsView> SettingsAsync(DubanDbContext db, string organizationId, NotificationOptions options, CancellationToken ct)
    {
        var row = await db.Set<NotificationSettingsRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        var channels = (await db.Set<NotificationChannelRecord>().AsNoTracking().Where(c => c.OrganizationId == organizationId).ToListAsync(ct))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new NotificationChannelView(c.Id, c.Kind, c.Name, c.Url, c.Secret is not null, c.Enabled,
                JsonSerializer.Deserialize<List<string>>(c.KindsJson) ?? [])).ToList();
        var installation = options.Smtp.IsConfigured;
        return row is null
            ? new NotificationSettingsView(installation, null, 25, "none", null, false, null, null, options.SiteUrl, 1, installation, channels)
            : new NotificationSettingsView(row.EmailEnabled, row.SmtpHost, row.SmtpPort, row.SmtpSecurity, row.SmtpUserName, row.SmtpPasswordProtected is not null,
                row.FromAddress, row.FromName, row.SiteUrl, row.DeadlineWorkingDays, installation, channels);
    }
}
