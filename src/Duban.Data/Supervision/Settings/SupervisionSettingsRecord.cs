using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Settings;

/// <summary>An organization's supervision settings: late extension requests, and its chasing ladder.</summary>
public sealed class SupervisionSettingsRecord
{
    public required string OrganizationId { get; set; }
    /// <summary>Units may ask for an extension after the deadline has passed.</summary>
    public bool AllowLateExtensionRequests { get; set; }
    /// <summary>The ladder (JSON array of rungs); null: the shipped default.</summary>
    public string? LadderJson { get; set; }
    /// <summary>
    /// The shipped scoring table (<see cref="Engine.Scoring.ScoringTables"/>) the organization chose for years without rules
    /// of its own; null: such years are not scored.
    /// </summary>
    public string? ScoringTable { get; set; }
    /// <summary>
    /// The organization's score events (JSON array of <see cref="Engine.Scoring.ScoreEventDefinition"/>): the shipped ones
    /// it renamed and its own; null: the shipped seven as shipped.
    /// </summary>
    public string? ScoreEventsJson { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class SupervisionSettingsRecordConfiguration : IEntityTypeConfiguration<SupervisionSettingsRecord>
{
    public void Configure(EntityTypeBuilder<SupervisionSettingsRecord> b)
    {
        b.ToTable("SupervisionSettings");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
        b.Property(x => x.ScoringTable).HasMaxLength(40);
        b.Property(x => x.ScoreEventsJson).HasMaxLength(8000);
    }
}
