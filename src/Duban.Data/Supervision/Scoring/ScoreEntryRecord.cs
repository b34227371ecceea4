using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// A score entry the office recorded by hand: one of the organization's score events for a unit on an item (e.g. 逾期未报告,
/// 提前办结), with a note. Counted in the unit's score as of <see cref="At"/> until revoked; a revoked entry is kept.
/// </summary>
public sealed class ScoreEntryRecord
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string UnitId { get; set; }
    public Guid InstanceId { get; set; }
    public required string EventKey { get; set; }
    /// <summary>The event's name when recorded (the organization may rename it later).</summary>
    public required string EventName { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset At { get; set; }
    public string? CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public bool Revoked { get; set; }
    public string? RevokeReason { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ScoreEntryRecordConfiguration : IEntityTypeConfiguration<ScoreEntryRecord>
{
    public void Configure(EntityTypeBuilder<ScoreEntryRecord> b)
    {
        b.ToTable("ScoreEntries");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.EventKey).HasMaxLength(40);
        b.Property(x => x.EventName).HasMaxLength(40);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.Property(x => x.RevokeReason).HasMaxLength(500);
        b.Property(x => x.RevokedByName).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.At });
        b.HasIndex(x => x.InstanceId);
    }
}
