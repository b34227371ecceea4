using Duban.Data.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Notifications;

/// <summary>The kinds of notification a person can get (and turn off, per channel).</summary>
public static class NotificationKinds
{
    /// <summary>A new task for me, my unit (as its liaison or head) or my role.</summary>
    public const string Task = "task";
    /// <summary>My work was sent back (退回) and waits for me again.</summary>
    public const string Returned = "returned";
    /// <summary>A chase (催办) on my task or my unit's.</summary>
    public const string Chased = "chased";
    /// <summary>A decision on an extension (延期) I asked for.</summary>
    public const string Extension = "extension";
    /// <summary>The deadline of my open task is near (N working days before).</summary>
    public const string Deadline = "deadline";
    /// <summary>A scheduled 督查专报 was made (decision 048): the office is told.</summary>
    public const string Report = "report";
    /// <summary>上级交办 (decision 050): a superior's 交办 arrived at my office, or a subordinate reported on one of ours.</summary>
    public const string Referral = "referral";

    public static readonly IReadOnlyList<string> All = [Task, Returned, Chased, Extension, Deadline, Report, Referral];

    public static string Label(string kind) => kind switch
    {
        Task => "新待办",
        Returned => "退回",
        Chased => "催办",
        Extension => "延期审批结果",
        Deadline => "临近办理时限",
        Report => "督查专报",
        Referral => "上级交办",
        _ => kind,
    };
}

/// <summary>The ways a notification reaches a person besides the bell: email (each person) and the organization's group robots.</summary>
public static class NotificationChannels
{
    public const string InApp = "inApp";
    public const string Email = "email";
    public const string Webhook = "webhook";

    public static readonly IReadOnlyList<string> Personal = [InApp, Email];
}

/// <summary>
/// One message to one person (the bell's list), written in the same transaction as the write that caused it
/// (docs/decisions/040). It is also the outbox: the dispatcher turns rows it has not yet looked at (<see cref="DispatchedAt"/>
/// null) into deliveries by email and webhook, as the person's preferences and the organization's settings say.
/// </summary>
public sealed class NotificationRecord
{
    public Guid Id { get; set; }
    public string OrganizationId { get; set; } = "";
    public required string UserId { get; set; }
    /// <summary>
    /// A deputy's copy (代理, decision 031): the one <see cref="UserId"/> stands in for today, whose notification this is; the
    /// title says 「（代李四）」. Null: the person's own.
    /// </summary>
    public string? ForUserId { get; set; }
    public required string Kind { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public Guid? InstanceId { get; set; }
    public Guid? TaskId { get; set; }
    /// <summary>The one event many people are told about (a task offered to a unit), so a group robot posts it once.</summary>
    public required string EventKey { get; set; }
    /// <summary>Offered to a unit's liaisons or a role's holders, not to this person by name.</summary>
    public bool ToCandidate { get; set; }
    /// <summary>Offered to a role (any holder may take it): no email, the bell only — a role can be many people.</summary>
    public bool ToRole { get; set; }
    /// <summary>The item is 限定知悉范围 (decision 037): a group robot gets no title.</summary>
    public bool Confidential { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? DispatchedAt { get; set; }
}

/// <summary>One message to send by one channel (an email to one address, a post to one group robot), with retries.</summary>
public sealed class NotificationDeliveryRecord : ILeasedRow
{
    public Guid Id { get; set; }
    public string OrganizationId { get; set; } = "";
    public required string Channel { get; set; }
    /// <summary>The email address, or the group robot's id (<see cref="NotificationChannelRecord.Id"/>).</summary>
    public required string Target { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>The address of the task or item the message links to, relative to the site ("/tasks/…").</summary>
    public string? Link { get; set; }
    public Guid? NotificationId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the dispatcher tries next; null once sent or given up.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A person's choice of what reaches him how: one row per kind and channel he has turned off.</summary>
public sealed class NotificationPreferenceRecord
{
    public required string UserId { get; set; }
    public required string Kind { get; set; }
    public required string Channel { get; set; }
    public bool Enabled { get; set; }
}

/// <summary>A group robot (钉钉 or 企业微信) an organization's administrator set up: which kinds it posts.</summary>
public sealed class NotificationChannelRecord
{
    public Guid Id { get; set; }
    public string OrganizationId { get; set; } = "";
    /// <summary><c>dingtalk</c> or <c>wecom</c>.</summary>
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    /// <summary>钉钉's 加签 secret (SEC…); the URL gets timestamp and sign.</summary>
    public string? Secret { get; set; }
    public bool Enabled { get; set; } = true;
    /// <summary>The notification kinds it posts (JSON array).</summary>
    public string KindsJson { get; set; } = "[]";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An organization's mail settings (the administrator's; <c>Duban:Notifications:Smtp</c> when it has none).</summary>
public sealed class NotificationSettingsRecord
{
    public required string OrganizationId { get; set; }
    public bool EmailEnabled { get; set; }
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 25;
    /// <summary><c>none</c>, <c>starttls</c> or <c>ssl</c>.</summary>
    public string SmtpSecurity { get; set; } = "none";
    public string? SmtpUserName { get; set; }
    /// <summary>Protected with the installation's data-protection keys; never shown again.</summary>
    public string? SmtpPasswordProtected { get; set; }
    public string? FromAddress { get; set; }
    public string? FromName { get; set; }
    /// <summary>The site's address as people open it (https://duban.example.gov.cn), for links in messages.</summary>
    public string? SiteUrl { get; set; }
    /// <summary>How many working days before a task's deadline its holder is reminded.</summary>
    public int DeadlineWorkingDays { get; set; } = 1;
    public DateTimeOffset UpdatedAt { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class NotificationConfigurations :
    IEntityTypeConfiguration<NotificationRecord>, IEntityTypeConfiguration<NotificationDeliveryRecord>,
    IEntityTypeConfiguration<NotificationPreferenceRecord>, IEntityTypeConfiguration<NotificationChannelRecord>,
    IEntityTypeConfiguration<NotificationSettingsRecord>
{
    public void Configure(EntityTypeBuilder<NotificationRecord> b)
    {
        b.ToTable("Notifications");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.ForUserId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Title).HasMaxLength(300);
        b.Property(x => x.Body).HasMaxLength(2000);
        b.Property(x => x.EventKey).HasMaxLength(120);
        b.HasIndex(x => new { x.UserId, x.ReadAt, x.CreatedAt });
        b.HasIndex(x => new { x.TaskId, x.Kind });
        b.HasIndex(x => x.DispatchedAt);
    }

    public void Configure(EntityTypeBuilder<NotificationDeliveryRecord> b)
    {
        b.ToTable("NotificationDeliveries");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Channel).HasMaxLength(20);
        b.Property(x => x.Target).HasMaxLength(256);
        b.Property(x => x.Subject).HasMaxLength(300);
        b.Property(x => x.Body).HasMaxLength(4000);
        b.Property(x => x.Link).HasMaxLength(200);
        b.Property(x => x.LeaseOwner).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => x.NextAttemptAt);
    }

    public void Configure(EntityTypeBuilder<NotificationPreferenceRecord> b)
    {
        b.ToTable("NotificationPreferences");
        b.HasKey(x => new { x.UserId, x.Kind, x.Channel });
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Channel).HasMaxLength(20);
    }

    public void Configure(EntityTypeBuilder<NotificationChannelRecord> b)
    {
        b.ToTable("NotificationChannels");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Url).HasMaxLength(1000);
        b.Property(x => x.Secret).HasMaxLength(200);
        b.Property(x => x.KindsJson).HasMaxLength(500);
        b.HasIndex(x => x.OrganizationId);
    }

    public void Configure(EntityTypeBuilder<NotificationSettingsRecord> b)
    {
        b.ToTable("NotificationSettings");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.SmtpHost).HasMaxLength(200);
        b.Property(x => x.SmtpSecurity).HasMaxLength(20);
        b.Property(x => x.SmtpUserName).HasMaxLength(200);
        b.Property(x => x.SmtpPasswordProtected).HasMaxLength(2000);
        b.Property(x => x.FromAddress).HasMaxLength(200);
        b.Property(x => x.FromName).HasMaxLength(100);
        b.Property(x => x.SiteUrl).HasMaxLength(300);
    }
}
