using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Scoring;

/// <summary>An organization's scoring rules for one year; years without a row use the shipped county table.</summary>
public sealed class ScoreRuleRecord
{
    public required string OrganizationId { get; set; }
    public int Year { get; set; }
    public decimal StartScore { get; set; }
    public decimal Floor { get; set; }
    public int RedoThreshold { get; set; }
    /// <summary>Deduction per event type (JSON object).</summary>
    public required string DeductionsJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ScoreRuleRecordConfiguration : IEntityTypeConfiguration<ScoreRuleRecord>
{
    public void Configure(EntityTypeBuilder<ScoreRuleRecord> b)
    {
        b.ToTable("ScoreRules");
        b.HasKey(x => new { x.OrganizationId, x.Year });
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.StartScore).HasPrecision(9, 2);
        b.Property(x => x.Floor).HasPrecision(9, 2);
        b.Property(x => x.DeductionsJson).HasMaxLength(2000);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
    }
}
