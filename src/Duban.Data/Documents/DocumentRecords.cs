using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Documents;

/// <summary>
/// One version of an organization's document template (文书模板): a Word file with 「{{占位符}}」 an administrator typed,
/// uploaded or started from a shipped template. Versions of one template share its <see cref="Key"/>; the highest
/// <see cref="Version"/> is the one used. A version is never changed: a new upload (or a new 文号 rule) is a new row, so
/// a document generated last year can still say which template made it. See docs/decisions/039.
/// </summary>
public sealed class DocumentTemplateRecord
{
    public Guid Id { get; set; }
    /// <summary>The organization (tenant) the template belongs to (decision 035): nobody else sees it.</summary>
    public required string OrganizationId { get; set; }
    /// <summary>The template across its versions: a shipped kind (<c>notice</c>, <c>urge</c> …) or a generated key.</summary>
    public required string Key { get; set; }
    public int Version { get; set; }
    /// <summary>The name shown and used for generated files (督查通知单).</summary>
    public required string Name { get; set; }
    /// <summary>The shipped kind it started from, if any.</summary>
    public string? ShippedKind { get; set; }
    /// <summary>
    /// The document's own 文号 when the organization numbers this kind of document, in the procedures' numbering syntax
    /// (督通〔{year}〕{seq}号); null: the document has no 文号.
    /// </summary>
    public string? NumberPattern { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public required string CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A document generated for an item from a template version: its 文号 and the attachment that holds the file.</summary>
public sealed class GeneratedDocumentRecord
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public Guid InstanceId { get; set; }
    public Guid TemplateId { get; set; }
    public required string TemplateKey { get; set; }
    public required string TemplateName { get; set; }
    public int TemplateVersion { get; set; }
    /// <summary>The document's 文号, when its template numbers documents.</summary>
    public string? Number { get; set; }
    public Guid AttachmentId { get; set; }
    public required string FileName { get; set; }
    public required string CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// A generated document sent to a unit's inbox (docs/decisions/047): the 阅知 task its liaisons read it in. A unit may
/// download a document that was sent to it, and no other.
/// </summary>
public sealed class DocumentDeliveryRecord
{
    public Guid DocumentId { get; set; }
    public required string UnitId { get; set; }
    public Guid InstanceId { get; set; }
    public Guid TaskId { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

internal sealed class DocumentDeliveryRecordConfiguration : IEntityTypeConfiguration<DocumentDeliveryRecord>
{
    public void Configure(EntityTypeBuilder<DocumentDeliveryRecord> b)
    {
        b.ToTable("DocumentDeliveries");
        b.HasKey(x => new { x.DocumentId, x.UnitId });
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.HasIndex(x => x.TaskId);
        b.HasIndex(x => x.InstanceId);
    }
}

internal sealed class DocumentTemplateRecordConfiguration : IEntityTypeConfiguration<DocumentTemplateRecord>
{
    public void Configure(EntityTypeBuilder<DocumentTemplateRecord> b)
    {
        b.ToTable("DocumentTemplates");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Key).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.ShippedKind).HasMaxLength(40);
        b.Property(x => x.NumberPattern).HasMaxLength(80);
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.HasIndex(x => new { x.OrganizationId, x.Key, x.Version }).IsUnique();
    }
}

internal sealed class GeneratedDocumentRecordConfiguration : IEntityTypeConfiguration<GeneratedDocumentRecord>
{
    public void Configure(EntityTypeBuilder<GeneratedDocumentRecord> b)
    {
        b.ToTable("GeneratedDocuments");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.TemplateKey).HasMaxLength(64);
        b.Property(x => x.TemplateName).HasMaxLength(100);
        b.Property(x => x.Number).HasMaxLength(100);
        b.Property(x => x.FileName).HasMaxLength(255);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.HasIndex(x => x.InstanceId);
    }
}
