using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Calendar;

/// <summary>
/// One year of an organization's work calendar: where it came from (the State Council notice, a local notice, an
/// administrator's edits). The days themselves are <see cref="CalendarDayRecord"/>s.
/// </summary>
public sealed class CalendarYearRecord
{
    /// <summary>The organization: the root unit of its unit tree.</summary>
    public required string OrganizationId { get; set; }
    public int Year { get; set; }
    public string? SourceTitle { get; set; }
    public string? SourceNumber { get; set; }
    public string? SourceDate { get; set; }
    public string? SourceNote { get; set; }
    /// <summary><c>shipped</c> (from the data Duban ships) or <c>imported</c> (an administrator loaded a file).</summary>
    public required string Origin { get; set; }
    public DateTimeOffset LoadedAt { get; set; }
    public string? LoadedByName { get; set; }
    /// <summary>When an administrator last changed a single day of this year.</summary>
    public DateTimeOffset? EditedAt { get; set; }
    public string? EditedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}


/// <summary>A day that differs from the weekly rhythm: a holiday (放假) or a make-up working day (调休上班).</summary>
public sealed class CalendarDayRecord
{
    public required string OrganizationId { get; set; }
    public DateOnly Date { get; set; }
    /// <summary><c>holiday</c> or <c>workday</c>.</summary>
    public required string Kind { get; set; }
    public string? Name { get; set; }
}


internal sealed class CalendarYearRecordConfiguration : IEntityTypeConfiguration<CalendarYearRecord>
{
    public void Configure(EntityTypeBuilder<CalendarYearRecord> b)
    {
        b.ToTable("CalendarYears");
        b.HasKey(x => new { x.OrganizationId, x.Year });
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.SourceTitle).HasMaxLength(200);
        b.Property(x => x.SourceNumber).HasMaxLength(100);
        b.Property(x => x.SourceDate).HasMaxLength(20);
        b.Property(x => x.SourceNote).HasMaxLength(1000);
        b.Property(x => x.Origin).HasMaxLength(20);
        b.Property(x => x.LoadedByName).HasMaxLength(100);
        b.Property(x => x.EditedByName).HasMaxLength(100);
    }
}


internal sealed class CalendarDayRecordConfiguration : IEntityTypeConfiguration<CalendarDayRecord>
{
    public void Configure(EntityTypeBuilder<CalendarDayRecord> b)
    {
        b.ToTable("CalendarDays");
        b.HasKey(x => new { x.OrganizationId, x.Date });
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(20);
        b.Property(x => x.Name).HasMaxLength(100);
    }
}

