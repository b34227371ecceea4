using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Tasks;

/// <summary>
/// 代理: while <see cref="UserId"/> is away (a leader on leave), from <see cref="StartsOn"/> to <see cref="EndsOn"/> (China
/// dates, both included) <see cref="DeputyUserId"/> sees and acts on the tasks that are his; the journal says
/// 「张三（代李四）」 (docs/decisions/031).
/// </summary>
public sealed class DeputyRecord
{
    public Guid Id { get; set; }
    /// <summary>The person who is away (the principal).</summary>
    public required string UserId { get; set; }
    public required string DeputyUserId { get; set; }
    public DateOnly StartsOn { get; set; }
    public DateOnly EndsOn { get; set; }
    public string? Reason { get; set; }
    public required string CreatedById { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class DeputyRecordConfiguration : IEntityTypeConfiguration<DeputyRecord>
{
    public void Configure(EntityTypeBuilder<DeputyRecord> b)
    {
        b.ToTable("Deputies");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.DeputyUserId).HasMaxLength(64);
        b.Property(x => x.Reason).HasMaxLength(200);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.HasIndex(x => new { x.DeputyUserId, x.EndsOn });
        b.HasIndex(x => x.UserId);
    }
}
