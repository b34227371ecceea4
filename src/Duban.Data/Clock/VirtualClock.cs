using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Clock;

/// <summary>Configuration section <c>Duban:Clock</c>.</summary>
public sealed class ClockOptions
{
    public const string System = "System";
    public const string Virtual = "Virtual";

    /// <summary><c>System</c> (the default; the only choice in Production) or <c>Virtual</c>.</summary>
    public string Mode { get; set; } = System;

    /// <summary>Where a virtual clock starts on an installation that has none yet, e.g. <c>2026-03-02T09:00:00+08:00</c>; now when left out.</summary>
    public DateTimeOffset? Start { get; set; }

    /// <summary>How often an instance reads the clock another instance may have moved.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsVirtual => string.Equals(Mode, Virtual, StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The clock of an installation for training, acceptance and demos: real time shifted by an offset an administrator moves
/// forward (<see cref="AdvanceClock"/>). Deadlines, lights, timers, chasing, schedules and scores all read the time
/// through <see cref="TimeProvider"/>, so they follow it. The offset is kept in the database, so every instance of the
/// installation shows the same time; each refreshes it every <see cref="ClockOptions.RefreshInterval"/>. With the system
/// clock the offset is always zero. Refused in Production (docs/decisions/021).
/// </summary>
public sealed class VirtualClock(bool isVirtual, TimeProvider system) : TimeProvider
{
    private long _offsetTicks;

    public bool IsVirtual { get; } = isVirtual;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => system.GetUtcNow() + Offset;

    public override long GetTimestamp() => system.GetTimestamp();

    public override long TimestampFrequency => system.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => system.LocalTimeZone;

    /// <summary>The offset stored for the installation, as this instance starts (it may put the clock in the past).</summary>
    internal void Start(TimeSpan offset)
    {
        if (IsVirtual) Interlocked.Exchange(ref _offsetTicks, offset.Ticks);
    }

    /// <summary>
    /// Takes the installation's offset once running. The clock only goes forward (<see cref="AdvanceClock"/> refuses to go back), so
    /// the offset only grows: a smaller one is a stale read — a refresh that read the row just before an advance
    /// committed and arrived after it — and is ignored, or the clock would jump back until the next refresh.
    /// </summary>
    internal void Use(TimeSpan offset)
    {
        if (!IsVirtual) return;
        var current = Interlocked.Read(ref _offsetTicks);
        while (offset.Ticks > current)
        {
            var seen = Interlocked.CompareExchange(ref _offsetTicks, offset.Ticks, current);
            if (seen == current) return;
            current = seen;
        }
    }

    /// <summary>The offset that makes the clock read <paramref name="at"/> now.</summary>
    internal TimeSpan OffsetFor(DateTimeOffset at) => at - system.GetUtcNow();
}

/// <summary>The virtual clock's offset, one row for the installation.</summary>
public sealed class ClockStateRecord
{
    public const int TheRow = 1;

    public int Id { get; set; } = TheRow;
    public long OffsetTicks { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class ClockStateRecordConfiguration : IEntityTypeConfiguration<ClockStateRecord>
{
    public void Configure(EntityTypeBuilder<ClockStateRecord> b)
    {
        b.ToTable("ClockState");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
    }
}

/// <summary>Keeps this instance's virtual clock in step with the offset stored for the installation.</summary>
public sealed class VirtualClockRefresher(IServiceScopeFactory scopes, VirtualClock clock, Microsoft.Extensions.Options.IOptions<ClockOptions> options,
    ILogger<VirtualClockRefresher> logger) : BackgroundService
{
    /// <summary>Reads the stored offset now (at start-up, and after the clock was moved here).</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (!clock.IsVirtual) return;
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var row = await db.Set<ClockStateRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == ClockStateRecord.TheRow, ct);
        if (row is not null) clock.Use(TimeSpan.FromTicks(row.OffsetTicks));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!clock.IsVirtual) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reading the virtual clock failed; this instance keeps its last offset");
            }
            try { await Task.Delay(options.Value.RefreshInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
