using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Definitions;

/// <summary>
/// A 模拟运行 scenario kept with a procedure (docs/decisions/045): what the units do, and the figures the procedure gave on
/// it when it was saved — so that a later edit of the draft can be run on it again and its changed figures shown before
/// publishing. The scenario and the figures are the server's own JSON; nobody types them.
/// </summary>
public sealed class SavedScenarioRecord
{
    public Guid Id { get; set; }
    public string OrganizationId { get; set; } = "";
    public required string DefinitionId { get; set; }
    public required string Name { get; set; }
    public required string ScenarioJson { get; set; }
    /// <summary>The figures the procedure gave on the scenario when it was saved (or its result last accepted).</summary>
    public required string FiguresJson { get; set; }
    /// <summary>The version of the procedure those figures came from.</summary>
    public int Version { get; set; }
    public DateTimeOffset SavedAt { get; set; }
    public string? SavedBy { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class SavedScenarioRecordConfiguration : IEntityTypeConfiguration<SavedScenarioRecord>
{
    public void Configure(EntityTypeBuilder<SavedScenarioRecord> b)
    {
        b.ToTable("SavedScenarios");
        b.HasKey(x => x.Id);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.DefinitionId).HasMaxLength(100);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.SavedBy).HasMaxLength(64);
        b.HasIndex(x => new { x.OrganizationId, x.DefinitionId, x.Name }).IsUnique();
    }
}
