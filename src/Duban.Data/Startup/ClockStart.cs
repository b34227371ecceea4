using Duban.Data.Clock;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace Duban.Data.Startup;

/// <summary>
/// Before anything is set up: a virtual clock is refused in Production; on an installation that has none yet it starts at
/// <see cref="ClockOptions.Start"/> (or now), and every instance starts from the stored offset.
/// </summary>
public static class ClockStart
{
    public static async Task RunAsync(DubanDbContext db, VirtualClock clock, ClockOptions options, IHostEnvironment environment, CancellationToken ct)
    {
        if (!options.IsVirtual) return;
        if (environment.IsProduction())
            throw new InvalidOperationException("虚拟时钟（Duban:Clock:Mode=Virtual）只能用于培训、验收和演示环境，生产环境必须使用真实时间。");
        var row = await db.Set<ClockStateRecord>().FirstOrDefaultAsync(r => r.Id == ClockStateRecord.TheRow, ct);
        if (row is null)
        {
            var offset = options.Start is { } start ? clock.OffsetFor(start) : TimeSpan.Zero;
            row = new ClockStateRecord { OffsetTicks = offset.Ticks, UpdatedAt = (options.Start ?? DateTimeOffset.UtcNow).ToUniversalTime(), UpdatedByName = "Duban:Clock:Start" };
            db.Set<ClockStateRecord>().Add(row);
            await db.SaveChangesAsync(ct);
        }
        clock.Start(TimeSpan.FromTicks(row.OffsetTicks));
    }
}
