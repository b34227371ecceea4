using System.Security.Cryptography;
using System.Text.Json;
using Duban.Engine.Definitions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Duban.Data.Writes;

/// <summary>
/// A client's <c>Idempotency-Key</c> for one write: the key, whose it is, and a fingerprint of what was asked. A repeat
/// of the same key by the same user with the same fingerprint gets the first answer; with another fingerprint it is
/// refused (the key was reused for a different request).
/// </summary>
public sealed record IdempotencyKey(string Key, string UserId, string Fingerprint)
{
    public const int MaxLength = 100;

    /// <summary>The key with a fingerprint of <paramref name="request"/> (the operation, its route values and its body).</summary>
    public static IdempotencyKey For(string key, string userId, params object?[] request)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(request, DefinitionJson.Options);
        return new IdempotencyKey(key, userId, Convert.ToHexString(SHA256.HashData(json)));
    }
}

/// <summary>A write's answer kept under its idempotency key, saved in the write's own transaction.</summary>
public sealed class IdempotencyRecord
{
    public required string UserId { get; set; }
    public required string Key { get; set; }
    public required string Operation { get; set; }
    public required string Fingerprint { get; set; }
    public required string ResultJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("IdempotencyKeys");
        b.HasKey(x => new { x.UserId, x.Key });
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.Key).HasMaxLength(IdempotencyKey.MaxLength);
        b.Property(x => x.Operation).HasMaxLength(100);
        b.Property(x => x.Fingerprint).HasMaxLength(64);
        b.HasIndex(x => x.CreatedAt);
    }
}

/// <summary>Configuration section <c>Duban:Idempotency</c>.</summary>
public sealed class IdempotencyOptions
{
    /// <summary>How long an answer is kept for a repeat (a client retrying after a lost answer does so within minutes).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often answers past their retention are deleted.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Forgets answers older than <see cref="IdempotencyOptions.Retention"/>, every <see cref="IdempotencyOptions.CleanupInterval"/>:
/// the door's own bookkeeping, one delete on the key table's time index.
/// </summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyCleanup> logger)
    : BackgroundService
{
    /// <summary>Deletes the answers past their retention; returns how many.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var before = clock.GetUtcNow() - options.Value.Retention;
        return await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Set<IdempotencyRecord>()
            .Where(r => r.CreatedAt < before).ExecuteDeleteAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Forgetting old idempotency answers failed; tried again later");
            }
            try { await Task.Delay(options.Value.CleanupInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
