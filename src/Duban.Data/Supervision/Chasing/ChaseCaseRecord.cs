using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// The ladder's progress for one unit on one item (督办案件): the deadline it climbs against, the next rung, and when
/// the chase worker should look again. Claimed with a lease, like a timer, so two app processes never both raise a rung.
/// </summary>
public sealed class ChaseCaseRecord : Jobs.ILeasedRow
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string UnitId { get; set; }
    /// <summary>The deadline the ladder counts from; null when the unit has no open step with a deadline.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>A later deadline (an extension) starts a new cycle from the first rung.</summary>
    public int Cycle { get; set; }
    /// <summary>
    /// The deadline the current cycle climbs against. Kept while the unit has nothing open (it submitted), so a 退回 and
    /// resubmission with the same deadline carries on the cycle rather than starting one that raises every rung again.
    /// </summary>
    public DateTimeOffset? CycleDueAt { get; set; }
    /// <summary>Index of the next rung to raise.</summary>
    public int NextRung { get; set; }
    /// <summary>When the next automatic rung falls due; null when none will by itself.</summary>
    public DateTimeOffset? NextCheckAt { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ChaseCaseRecordConfiguration : IEntityTypeConfiguration<ChaseCaseRecord>
{
    public void Configure(EntityTypeBuilder<ChaseCaseRecord> b)
    {
        b.ToTable("ChaseCases");
        b.HasKey(x => x.Id);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.InstanceId, x.UnitId }).IsUnique();
        b.HasIndex(x => x.NextCheckAt);
    }
}
