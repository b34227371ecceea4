using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Numbering;

/// <summary>
/// One running-number counter (统一编号): the last number given out for a sequence in a period ("2026", "2026-03",
/// or "*" for a sequence that never starts again). Moved on only inside the transaction that registers the item, so
/// a number exists exactly when its item does (see docs/decisions, numbering).
/// </summary>
public sealed class NumberSequenceRecord
{
    /// <summary>The sequence's name: <c>options.numbering.sequence</c>, or the pattern itself.</summary>
    public required string Sequence { get; set; }
    public required string Period { get; set; }
    public long LastNumber { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>Set when an administrator moved the counter by hand; null when items moved it.</summary>
    public string? AdjustedBy { get; set; }
}

internal sealed class NumberSequenceRecordConfiguration : IEntityTypeConfiguration<NumberSequenceRecord>
{
    public void Configure(EntityTypeBuilder<NumberSequenceRecord> b)
    {
        b.ToTable("NumberSequences");
        b.HasKey(x => new { x.Sequence, x.Period });
        b.Property(x => x.Sequence).HasMaxLength(100);
        b.Property(x => x.Period).HasMaxLength(10);
        b.Property(x => x.AdjustedBy).HasMaxLength(100);
    }
}
