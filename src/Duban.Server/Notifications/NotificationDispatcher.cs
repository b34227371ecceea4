using Duban.Data;
using Duban.Data.Jobs;
using Duban.Data.Notifications;
using Duban.Data.Notifications.Writes;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Duban.Server.Notifications;

/// <summary>The installation's mail server (<c>Duban:Notifications:Smtp</c>), for organizations that set none of their own.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    /// <summary><c>none</c>, <c>starttls</c> or <c>ssl</c>.</summary>
    public string Security { get; set; } = "none";
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string? FromAddress { get; set; }
    public string FromName { get; set; } = "督办系统";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(FromAddress);
}

/// <summary>Configuration section <c>Duban:Notifications</c>: the dispatcher's polling, the mail server, the site's address.</summary>
public sealed class NotificationOptions : LeasedJobOptions
{
    public NotificationOptions() => PollInterval = TimeSpan.FromSeconds(15);

    public SmtpOptions Smtp { get; set; } = new();
    /// <summary>The site's address as people open it, for links in messages (an organization may set its own).</summary>
    public string? SiteUrl { get; set; }
    /// <summary>How often the deadline sweep runs (it is a query over open tasks with a deadline).</summary>
    public TimeSpan DeadlineSweepInterval { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>How long one email or robot post may take before it counts as failed (and is retried later).</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>
/// The notification job (docs/decisions/040). Every poll it reminds the holders of tasks whose deadline is near (at most
/// every <see cref="NotificationOptions.DeadlineSweepInterval"/>), turns new notifications into deliveries (the outbox), and
/// sends the deliveries that are due — each in its own scope, after the write that caused it has committed; a failure is
/// retried with the lease's backoff (5 s, 10 s, 20 s … up to an hour, ten tries). No request ever waits for a mail server.
/// </summary>
public sealed class NotificationDispatcher(IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : LeasedWorker<NotificationDeliveryRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<NotificationDeliveryRecord> Due = new(nameof(NotificationDeliveryRecord.NextAttemptAt));

    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    protected override LeasedQueue<NotificationDeliveryRecord> Queue => Due;

    protected override async Task BeforeClaimsAsync(IServiceProvider services, CancellationToken ct)
    {
        var door = services.GetRequiredService<WriteDoor>();
        var now = clock.GetUtcNow();
        if (now - _lastSweep >= options.Value.DeadlineSweepInterval || now < _lastSweep)
        {
            _lastSweep = now;
            // Another batch may be waiting when more than NotifyDeadlines.Batch tasks came due at once.
            for (var round = 0; round < 10 && await door.RunAsync(new NotifyDeadlines(), ct) > 0; round++)
            {
            }
        }
        for (var round = 0; round < 20; round++)
        {
            var pending = await services.GetRequiredService<DubanDbContext>().Set<NotificationRecord>().AnyAsync(n => n.DispatchedAt == null, ct);
            if (!pending) break;
            await door.RunAsync(new DispatchNotifications(options.Value.Smtp.IsConfigured), ct);
        }
    }

    /// <summary>The deadline sweep runs on the next poll whatever the interval (after the clock moved, in tests and demos).</summary>
    public void SweepDeadlinesNextPoll() => _lastSweep = DateTimeOffset.MinValue;

    protected override async Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct)
    {
        var db = services.GetRequiredService<DubanDbContext>();
        var delivery = await db.Set<NotificationDeliveryRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (delivery is null || delivery.SentAt is not null) return 0;
        var settings = await db.Set<NotificationSettingsRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == delivery.OrganizationId, ct);
        var site = (settings?.SiteUrl ?? options.Value.SiteUrl)?.TrimEnd('/');
        var link = delivery.Link is { } path && site is not null ? site + path : null;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Value.SendTimeout);
        if (delivery.Channel == NotificationChannels.Email)
            await services.GetRequiredService<EmailSender>().SendAsync(settings, delivery, link, timeout.Token);
        else if (delivery.Channel == NotificationChannels.Webhook)
        {
            var robotId = Guid.TryParse(delivery.Target, out var parsed) ? parsed : Guid.Empty;
            var robot = await db.Set<NotificationChannelRecord>().AsNoTracking()
                .FirstOrDefaultAsync(c => c.Id == robotId && c.OrganizationId == delivery.OrganizationId, ct);
            // A robot removed since has nothing left to send to.
            if (robot is not null) await services.GetRequiredService<WebhookSender>().SendAsync(robot, delivery, link, timeout.Token);
        }
        await services.GetRequiredService<WriteDoor>().RunAsync(new DeliverySent(id), ct);
        return 1;
    }

    protected override Task GiveUpAsync(IServiceProvider services, Guid id, string error, CancellationToken ct)
    {
        logger.LogError("Notification delivery {Id} failed {Attempts} times and is given up: {Error}", id, LeaseClaimer.MaxAttempts, error);
        return Task.CompletedTask;
    }
}

internal static class NotificationServices
{
    public static IServiceCollection AddDubanNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<NotificationOptions>(configuration.GetSection("Duban:Notifications"));
        services.AddHttpClient(WebhookSender.ClientName, c => c.Timeout = TimeSpan.FromSeconds(20));
        services.AddScoped<EmailSender>();
        services.AddScoped<WebhookSender>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<NotificationDispatcher>());
        return services;
    }
}
