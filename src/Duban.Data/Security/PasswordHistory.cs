using Duban.Data.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Security;

/// <summary>A password a person has had: its hash and when it was set. The newest row is the current password.</summary>
public sealed class PasswordHistoryRecord
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset SetAt { get; set; }
}

internal sealed class PasswordHistoryRecordConfiguration : IEntityTypeConfiguration<PasswordHistoryRecord>
{
    public void Configure(EntityTypeBuilder<PasswordHistoryRecord> b)
    {
        b.ToTable("PasswordHistory");
        b.HasKey(x => x.Id);
        b.Property(x => x.UserId).HasMaxLength(450);
        b.Property(x => x.PasswordHash).HasMaxLength(1000);
        b.HasIndex(x => new { x.UserId, x.SetAt });
        b.HasOne<DubanUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Writes a history row whenever a person's password hash is set — by an administrator, by the person, at creation or
/// by the seeding — in the save that sets it. Every path Identity takes ends in a save of the user row, so none is missed.
/// Real time, like the sessions: a virtual clock moved ahead must not age everyone's password.
/// </summary>
public sealed class PasswordHistoryInterceptor : SaveChangesInterceptor
{
    public static readonly PasswordHistoryInterceptor Instance = new();

    private PasswordHistoryInterceptor() { }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Record(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Record(DbContext? db)
    {
        if (db is null) return;
        var changed = db.ChangeTracker.Entries<DubanUser>()
            .Where(e => e.Entity.PasswordHash is not null
                && (e.State == EntityState.Added || (e.State == EntityState.Modified && e.Property(u => u.PasswordHash).IsModified
                    && e.Property(u => u.PasswordHash).OriginalValue != e.Entity.PasswordHash)))
            .Select(e => e.Entity).ToList();
        foreach (var user in changed)
            db.Set<PasswordHistoryRecord>().Add(new PasswordHistoryRecord { UserId = user.Id, PasswordHash = user.PasswordHash!, SetAt = DateTimeOffset.UtcNow });
    }
}

/// <summary>Reads of the history: the last passwords, and whether the current one has expired.</summary>
public static class PasswordAge
{
    public static async Task<List<string>> RecentHashesAsync(DubanDbContext db, string userId, int count, CancellationToken ct) =>
        count <= 0 ? [] : await db.Set<PasswordHistoryRecord>().AsNoTracking().Where(h => h.UserId == userId)
            .OrderByDescending(h => h.SetAt).ThenByDescending(h => h.Id).Take(count).Select(h => h.PasswordHash).ToListAsync(ct);

    /// <summary>When the current password was set; null when no history says (a database older than the history).</summary>
    public static async Task<DateTimeOffset?> SetAtAsync(DubanDbContext db, DubanUser user, CancellationToken ct)
    {
        var rows = await db.Set<PasswordHistoryRecord>().AsNoTracking().Where(h => h.UserId == user.Id && h.PasswordHash == user.PasswordHash)
            .Select(h => h.SetAt).ToListAsync(ct);
        return rows.Count == 0 ? null : rows.Max();
    }

    public static async Task<bool> IsExpiredAsync(DubanDbContext db, DubanUser user, PasswordPolicyOptions policy, DateTimeOffset now, CancellationToken ct)
    {
        if (policy.ExpiryDays <= 0 || user.PasswordHash is null) return false;
        var setAt = await SetAtAsync(db, user, ct);
        return setAt is { } at && now - at > TimeSpan.FromDays(policy.ExpiryDays);
    }
}
