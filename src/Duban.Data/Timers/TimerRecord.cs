using Duban.Data.Jobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Timers;

/// <summary>
/// A durable timer, written in the same transaction as the state that made it. A worker claims due timers with a lease
/// (see docs/decisions/003-timers.md); firing deletes the row in the transaction that resumes the instance.
/// </summary>
public sealed class TimerRecord : ILeasedRow
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    public required string BookmarkId { get; set; }
    public required string ActivityId { get; set; }
    public DateTimeOffset DueAt { get; set; }
    /// <summary>Its item is in an incident: the timer waits, whatever its due time, until the item is retried.</summary>
    public bool Suspended { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    /// <summary>Failures to fire in a row (not claims); at <see cref="LeaseClaimer.MaxAttempts"/> the item gets an incident.</summary>
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

internal sealed class TimerRecordConfiguration : IEntityTypeConfiguration<TimerRecord>
{
    public void Configure(EntityTypeBuilder<TimerRecord> b)
    {
        b.ToTable("Timers");
        b.HasKey(x => x.Id);
        b.Property(x => x.BookmarkId).HasMaxLength(64);
        b.Property(x => x.ActivityId).HasMaxLength(100);
        b.Property(x => x.LeaseOwner).HasMaxLength(100);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => new { x.Suspended, x.DueAt });
        b.HasIndex(x => x.BookmarkId);
        b.HasIndex(x => x.InstanceId);
    }
}
