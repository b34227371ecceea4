using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data.Organization;

/// <summary>The organization in memory: users with their roles, and the unit tree. Read on every event, so kept as a snapshot.</summary>
public sealed class OrganizationSnapshot : IOrganization
{
    private readonly Dictionary<string, UserInfo> _users;
    private readonly Dictionary<string, UnitInfo> _units;

    public OrganizationSnapshot(IEnumerable<UserInfo> users, IEnumerable<UnitRecord> units)
    {
        _users = users.ToDictionary(u => u.Id);
        _units = units.ToDictionary(u => u.Id, u => new UnitInfo(u.Id, u.Name, u.ParentId, u.LeaderUserId,
            _users.Values.Where(x => x.UnitId == u.Id && x.IsInRole(Roles.Liaison)).Select(x => x.Id).ToList()));
    }

    public UserInfo? FindUser(string id) => _users.GetValueOrDefault(id);
    public UnitInfo? FindUnit(string id) => _units.GetValueOrDefault(id);
    public IReadOnlyCollection<UnitInfo> Units => _units.Values;

    public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null) =>
        _users.Values.Where(u => u.IsInRole(role) && (unitId is null || u.UnitId == unitId)).OrderBy(u => u.Id).ToList();
}

/// <summary>Holds the current <see cref="OrganizationSnapshot"/>; anything that changes users or units calls <see cref="Invalidate"/>.</summary>
public sealed class OrganizationCache(IServiceScopeFactory scopes)
{
    private volatile OrganizationSnapshot? _snapshot;
    private readonly SemaphoreSlim _loading = new(1, 1);

    public void Invalidate() => _snapshot = null;

    public async Task<OrganizationSnapshot> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_snapshot is { } ready) return ready;
        await _loading.WaitAsync(cancellationToken);
        try
        {
            if (_snapshot is { } loaded) return loaded;
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var users = await db.Users.AsNoTracking().Where(u => u.IsActive)
                .Select(u => new { u.Id, u.DisplayName, u.UnitId }).ToListAsync(cancellationToken);
            var roles = await (from ur in db.UserRoles
                               join r in db.Roles on ur.RoleId equals r.Id
                               select new { ur.UserId, r.Name }).AsNoTracking().ToListAsync(cancellationToken);
            var rolesByUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
            var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
            return _snapshot = new OrganizationSnapshot(
                users.Select(u => new UserInfo(u.Id, u.DisplayName, u.UnitId, rolesByUser.GetValueOrDefault(u.Id) ?? [])),
                units);
        }
        finally
        {
            _loading.Release();
        }
    }
}
