using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Instances;

/// <summary>
/// One name on a confidential item's 知悉范围 (限定知悉范围, docs/decisions/037): a person (<see cref="UserId"/>) or a unit
/// (<see cref="UnitId"/>), never both. Only read while <see cref="InstanceRecord.IsRestricted"/> is set.
/// </summary>
public sealed class ItemReaderRecord
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public string? UserId { get; set; }
    public string? UnitId { get; set; }
    /// <summary>How the name came on the list: <see cref="ItemReaderReasons"/>.</summary>
    public required string Reason { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    /// <summary>Who put it there; null when the engine did (a task given to the person or unit).</summary>
    public string? AddedById { get; set; }
}

/// <summary>Why a name is on a 知悉范围.</summary>
public static class ItemReaderReasons
{
    /// <summary>The registrant, or a name picked on the start form.</summary>
    public const string Registered = "registered";
    /// <summary>A task of the item was given to the person or unit (交办, 转办, 委派, 加签 …): they must act, so they know.</summary>
    public const string GivenTask = "task";
    /// <summary>The office added it later.</summary>
    public const string Changed = "changed";
    /// <summary>Copied from the parent item onto a child item (分解).</summary>
    public const string Inherited = "inherited";
}

internal sealed class ItemReaderRecordConfiguration : IEntityTypeConfiguration<ItemReaderRecord>
{
    public void Configure(EntityTypeBuilder<ItemReaderRecord> b)
    {
        b.ToTable("ItemReaders");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.Reason).HasMaxLength(20);
        b.Property(x => x.AddedById).HasMaxLength(64);
        b.HasIndex(x => new { x.InstanceId, x.UserId });
        b.HasIndex(x => new { x.InstanceId, x.UnitId });
    }
}
