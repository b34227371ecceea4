using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Startup;

/// <summary>
/// A first-start setup step that finished (roles, templates, the demo organization …): a later start skips it. A step
/// that has no row here has not finished and is run again. See docs/decisions/020.
/// </summary>
public sealed class SetupStepRecord
{
    public required string Name { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
}

internal sealed class SetupStepRecordConfiguration : IEntityTypeConfiguration<SetupStepRecord>
{
    public void Configure(EntityTypeBuilder<SetupStepRecord> b)
    {
        b.ToTable("SetupSteps");
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(100);
    }
}
