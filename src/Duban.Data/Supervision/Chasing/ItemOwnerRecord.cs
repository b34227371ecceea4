using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// The item's 专人: the person the office named to follow it up (「对紧急批示交办事项，实行专人跟踪催办」, 000 第十三条（四）;
/// 「对重大督查事项，要指派专人，重点落实」, 004). Rungs meant for the item's 专人 go to this person (docs/decisions/027).
/// </summary>
public sealed class ItemOwnerRecord
{
    public Guid InstanceId { get; set; }
    public required string UserId { get; set; }
    public required string UserName { get; set; }
    public DateTimeOffset NamedAt { get; set; }
    public string? NamedById { get; set; }
    public string? NamedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ItemOwnerRecordConfiguration : IEntityTypeConfiguration<ItemOwnerRecord>
{
    public void Configure(EntityTypeBuilder<ItemOwnerRecord> b)
    {
        b.ToTable("ItemOwners");
        b.HasKey(x => x.InstanceId);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.UserName).HasMaxLength(100);
        b.Property(x => x.NamedById).HasMaxLength(64);
        b.Property(x => x.NamedByName).HasMaxLength(100);
    }
}
