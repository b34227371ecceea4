using Duban.Data.Instances;
using Duban.Data.Jobs;
using Duban.Data.Writes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Runtime.Items;

/// <summary>Configuration section <c>Duban:Compaction</c>.</summary>
public sealed class CompactionOptions : LeasedJobOptions
{
    public CompactionOptions() => MaxRowsPerSecond = 50;
}

/// <summary>
/// Compacts closed items, paced, through the one lease mechanism the timers and chases use: each claimed queue row is a
/// <see cref="CompactItem"/> write of its own (docs/decisions/042, addendum).
/// </summary>
public sealed class CompactionWorker(IServiceScopeFactory scopes, IOptions<CompactionOptions> options, ILogger<CompactionWorker> logger)
    : LeasedWorker<ItemCompactionRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<ItemCompactionRecord> Due = new(nameof(ItemCompactionRecord.DueAt));

    protected override LeasedQueue<ItemCompactionRecord> Queue => Due;

    protected override Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new CompactItem(id, owner), ct);
}
