using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Attachments;

/// <summary>
/// An uploaded file (附件). The bytes live on disk under the data folder (<see cref="StorageKey"/>); the row says what
/// the file is, who uploaded it and which item (事项) it belongs to. A file uploaded on a start form belongs to no
/// item until that item starts; until then only its uploader may read it.
/// </summary>
public sealed class AttachmentRecord
{
    public Guid Id { get; set; }
    /// <summary>The item the file belongs to; whoever may see the item may download it.</summary>
    public Guid? InstanceId { get; set; }
    /// <summary>The name the file was uploaded with (shown and used for downloads).</summary>
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    /// <summary>SHA-256 of the content, hex: evidence that the file is the one that was uploaded.</summary>
    public required string Sha256 { get; set; }
    /// <summary>Path of the file relative to the attachments folder.</summary>
    public required string StorageKey { get; set; }
    public required string UploadedById { get; set; }
    public string? UploadedByName { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    /// <summary>Two items claiming the same loose file at once: one wins, the other's write is retried and finds it taken.</summary>
    public uint ConcurrencyToken { get; set; }
}

internal sealed class AttachmentRecordConfiguration : IEntityTypeConfiguration<AttachmentRecord>
{
    public void Configure(EntityTypeBuilder<AttachmentRecord> b)
    {
        b.ToTable("Attachments");
        b.HasKey(x => x.Id);
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.ContentType).HasMaxLength(200);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.StorageKey).HasMaxLength(300);
        b.Property(x => x.UploadedById).HasMaxLength(64);
        b.Property(x => x.UploadedByName).HasMaxLength(100);
        b.HasIndex(x => x.InstanceId);
        b.HasIndex(x => new { x.UploadedById, x.InstanceId });
    }
}
