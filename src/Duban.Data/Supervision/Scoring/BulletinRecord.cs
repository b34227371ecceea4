using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Supervision.Scoring;

/// <summary>通报批评: a bulletin that criticised a unit (optionally about one item). Counted in the unit's score.</summary>
public sealed class BulletinRecord
{
    public Guid Id { get; set; }
    public required string OrganizationId { get; set; }
    public required string UnitId { get; set; }
    public Guid? InstanceId { get; set; }
    public required string Title { get; set; }
    public DateOnly IssuedOn { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedById { get; set; }
    public string? CreatedByName { get; set; }
    public bool Revoked { get; set; }
    public string? RevokeReason { get; set; }
}

internal sealed class BulletinRecordConfiguration : IEntityTypeConfiguration<BulletinRecord>
{
    public void Configure(EntityTypeBuilder<BulletinRecord> b)
    {
        b.ToTable("Bulletins");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.Property(x => x.CreatedById).HasMaxLength(64);
        b.Property(x => x.CreatedByName).HasMaxLength(100);
        b.Property(x => x.RevokeReason).HasMaxLength(500);
        b.HasIndex(x => new { x.UnitId, x.IssuedOn });
    }
}
