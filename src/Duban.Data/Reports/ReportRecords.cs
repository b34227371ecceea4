using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Reports;

/// <summary>
/// A 督查专报 (周报, 月报 …) generated from the ledger for a period (docs/decisions/048): the filled template's file, its 文号,
/// the period, and whom it was counted for. A report counts the items its viewer sees; the confidential ones among them
/// (<see cref="RestrictedItemIdsJson"/>) decide who else may read it: whoever sees every one of them.
/// </summary>
public sealed class ReportRecord
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string TemplateKey { get; set; }
    public required string TemplateName { get; set; }
    public int TemplateVersion { get; set; }
    /// <summary>First day counted (China time).</summary>
    public DateOnly PeriodFrom { get; set; }
    /// <summary>Last day counted (China time).</summary>
    public DateOnly PeriodTo { get; set; }
    public string? Number { get; set; }
    public required string FileName { get; set; }
    public required string StorageKey { get; set; }
    public long Size { get; set; }
    public required string Sha256 { get; set; }
    /// <summary>The confidential items the report counted (a JSON array of ids): a reader must see each.</summary>
    public string RestrictedItemIdsJson { get; set; } = "[]";
    /// <summary>The schedule that made it; null: made by hand.</summary>
    public Guid? ScheduleId { get; set; }
    public required string CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>How often a scheduled report is made.</summary>
public static class ReportFrequency
{
    public const string Weekly = "weekly";
    public const string Monthly = "monthly";
    /// <summary>季度: on a day (1 … 28) of each quarter's first month (1, 4, 7, 10), for the quarter before (情况通报, 002 §三).</summary>
    public const string Quarterly = "quarterly";
}

/// <summary>
/// 定期专报: an administrator's weekly or monthly report (a template, a weekday or a day of the month). The report job claims
/// it with the one lease mechanism (<see cref="Jobs.LeaseClaimer"/>) when <see cref="NextRunAt"/> has passed, makes the
/// report for the period just ended and tells the office.
/// </summary>
public sealed class ReportScheduleRecord : Jobs.ILeasedRow
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string TemplateKey { get; set; }
    public required string Frequency { get; set; }
    /// <summary>Weekly: 1 (Monday) … 7 (Sunday); monthly and quarterly: the day of the month, 1 … 28.</summary>
    public int Day { get; set; }
    public bool Paused { get; set; }
    public DateTimeOffset? NextRunAt { get; set; }
    public DateTimeOffset? LastRunAt { get; set; }
    public Guid? LastReportId { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedByName { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ReportRecordConfiguration : IEntityTypeConfiguration<ReportRecord>
{
    public void Configure(EntityTypeBuilder<ReportRecord> b)
    {
        b.ToTable("Reports");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.TemplateKey).HasMaxLength(64);
        b.Property(x => x.TemplateName).HasMaxLength(100);
        b.Property(x => x.Number).HasMaxLength(100);
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.StorageKey).HasMaxLength(300);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.CreatedById).HasMaxLength(450);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.CreatedAt });
    }
}

internal sealed class ReportScheduleRecordConfiguration : IEntityTypeConfiguration<ReportScheduleRecord>
{
    public void Configure(EntityTypeBuilder<ReportScheduleRecord> b)
    {
        b.ToTable("ReportSchedules");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.TemplateKey).HasMaxLength(64);
        b.Property(x => x.Frequency).HasMaxLength(20);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
        b.HasIndex(x => x.NextRunAt);
        b.HasIndex(x => x.OrganizationId);
    }
}
