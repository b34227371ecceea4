using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Duban.Data.Organization;

/// <summary>The organization in memory: users with their roles, and the unit tree. Read on every event, so kept as a snapshot.</summary>
public sealed class OrganizationSnapshot : IOrganization
{
    private readonly Dictionary<string, UserInfo> _users;
    private readonly Dictionary<string, UnitInfo> _units;

    public OrganizationSnapshot(IEnumerable<UserInfo> users, IEnumerable<UnitRecord> units)
    {
        _users = users.ToDictionary(u => u.Id);
        // One pass over the users, not one per unit.
        var liaisons = _users.Values
            .Where(u => u.UnitId is not null && u.IsInRole(Roles.Liaison))
            .GroupBy(u => u.UnitId!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(u => u.Id).ToList());
        _units = units.ToDictionary(u => u.Id, u => new UnitInfo(u.Id, u.Name, u.ParentId, u.LeaderUserId,
            liaisons.GetValueOrDefault(u.Id) ?? []));
    }

    public UserInfo? FindUser(string id) => _users.GetValueOrDefault(id);
    public UnitInfo? FindUnit(string id) => _units.GetValueOrDefault(id);
    public IReadOnlyCollection<UnitInfo> Units => _units.Values;

    public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null) =>
        _users.Values.Where(u => u.IsInRole(role) && (unitId is null || u.UnitId == unitId)).OrderBy(u => u.Id).ToList();

    /// <summary>Work calendars by organization (root unit id), see <see cref="Calendar.WorkCalendarStore"/>.</summary>
    public IReadOnlyDictionary<string, Duban.Engine.Calendar.WorkCalendar> Calendars { get; init; } = new Dictionary<string, Duban.Engine.Calendar.WorkCalendar>();

    /// <summary>The calendar of the organization <paramref name="unitId"/> belongs to; the shipped years when it has none yet.</summary>
    public Duban.Engine.Calendar.WorkCalendar CalendarFor(string? unitId) =>
        OrganizationScope.OrganizationOf(this, unitId) is { } organization && Calendars.TryGetValue(organization, out var calendar)
            ? calendar
            : Duban.Engine.Calendar.ShippedCalendars.Default;
}

/// <summary>Configuration section <c>Duban:Organization</c>.</summary>
public sealed class OrganizationCacheOptions
{
    /// <summary>
    /// How long a snapshot is used before it is read again. <see cref="OrganizationCache.Invalidate"/> only reaches the
    /// app instance it runs in; with several instances on one database, the others see a change after at most this
    /// long. Zero or less: never expires (one instance only).
    /// </summary>
    public TimeSpan Expiry { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Holds the current <see cref="OrganizationSnapshot"/>; anything that changes users or units calls <see cref="Invalidate"/>.
/// A snapshot is dropped after <see cref="OrganizationCacheOptions.Expiry"/>, and a load that an
/// <see cref="Invalidate"/> overtook is never kept (it may have read the database before the change).
/// </summary>
public sealed class OrganizationCache(IServiceScopeFactory scopes, IOptions<OrganizationCacheOptions>? options = null, TimeProvider? clock = null) : IDisposable
{
    private sealed record Entry(OrganizationSnapshot Snapshot, long Generation, DateTimeOffset LoadedAt);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly TimeSpan _expiry = options?.Value.Expiry ?? new OrganizationCacheOptions().Expiry;
    private volatile Entry? _entry;
    private long _generation;

    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entry = null;
    }

    public async Task<OrganizationSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh(_entry) is { } ready) return ready;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_entry) is { } loaded) return loaded;
            var generation = Interlocked.Read(ref _generation);
            var startedAt = _clock.GetUtcNow();
            var snapshot = await LoadAsync(cancellationToken);
            // Invalidated while loading: the rows read may predate the change. This caller, whose request overlapped
            // the change, gets what was read; the next one loads again.
            if (Interlocked.Read(ref _generation) == generation)
                _entry = new Entry(snapshot, generation, startedAt);
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private OrganizationSnapshot? Fresh(Entry? entry)
    {
        if (entry is null || entry.Generation != Interlocked.Read(ref _generation)) return null;
        if (_expiry > TimeSpan.Zero && _clock.GetUtcNow() - entry.LoadedAt >= _expiry) return null;
        return entry.Snapshot;
    }

    private async Task<OrganizationSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var users = await db.Users.AsNoTracking().Where(u => u.IsActive)
            .Select(u => new { u.Id, u.DisplayName, u.UnitId }).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).AsNoTracking().ToListAsync(cancellationToken);
        var rolesByUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
        var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        return new OrganizationSnapshot(
            users.Select(u => new UserInfo(u.Id, u.DisplayName, u.UnitId, rolesByUser.GetValueOrDefault(u.Id) ?? [])),
            units)
        {
            Calendars = await Calendar.WorkCalendarStore.LoadAllAsync(db, cancellationToken),
        };
    }

    public void Dispose() => _loading.Dispose();
}
