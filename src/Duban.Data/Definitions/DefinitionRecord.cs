using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Definitions;

/// <summary>One version of a procedure. A draft is edited in place; publishing freezes it and starts a new draft on the next save.</summary>
public sealed class DefinitionRecord
{
    public Guid Id { get; set; }
    /// <summary>The organization (root unit) whose procedure this is; each organization has its own (decision 035).</summary>
    public string OrganizationId { get; set; } = "";
    public required string DefinitionId { get; set; }
    public int Version { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public bool IsPublished { get; set; }
    /// <summary>The newest version of this procedure (the draft if there is one).</summary>
    public bool IsLatest { get; set; }
    /// <summary>The full definition JSON (Elsa-3-shaped).</summary>
    public required string Json { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class DefinitionRecordConfiguration : IEntityTypeConfiguration<DefinitionRecord>
{
    public void Configure(EntityTypeBuilder<DefinitionRecord> b)
    {
        b.ToTable("WorkflowDefinitions");
        b.HasKey(x => x.Id);
        b.Property(x => x.DefinitionId).HasMaxLength(100);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.UpdatedBy).HasMaxLength(64);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.HasIndex(x => new { x.OrganizationId, x.DefinitionId, x.Version }).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.DefinitionId, x.IsLatest });
    }
}
