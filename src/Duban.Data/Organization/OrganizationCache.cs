using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Duban.Data.Organization;

/// <summary>
/// Every organization of the installation in memory: users with their roles, and the unit trees (one per organization,
/// decision 035). Read on every event, so kept as a snapshot. An item runs against <see cref="Within"/> its own
/// organization, never against the whole installation.
/// </summary>
public sealed class OrganizationSnapshot : IOrganization
{
    private readonly Dictionary<string, UserInfo> _users;
    private readonly Dictionary<string, UnitInfo> _units;
    private readonly Dictionary<string, string> _rootOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrganizationView> _views = new(StringComparer.Ordinal);

    private readonly Dictionary<(string Organization, string Role), IReadOnlySet<Permission>> _rolePermissions = [];

    /// <param name="roles">The roles organizations defined or changed (decision 049); a built-in role not among them holds its defaults.</param>
    public OrganizationSnapshot(IEnumerable<UserInfo> users, IEnumerable<UnitRecord> units, IEnumerable<RoleDefinitionRecord>? roles = null)
    {
        foreach (var role in roles ?? []) _rolePermissions[(role.OrganizationId, role.Name)] = role.PermissionSet;
        var unitList = units.ToList();
        _units = [];
        var byId = unitList.ToDictionary(u => u.Id);
        foreach (var unit in unitList) _rootOf[unit.Id] = RootOf(byId, unit);
        // A person's organization: the one stored, else the root above his unit (rows from before decision 035).
        _users = users.Select(u => u.OrganizationId is null && u.UnitId is { } unitId && _rootOf.TryGetValue(unitId, out var root)
                ? u with { OrganizationId = root }
                : u).ToDictionary(u => u.Id);
        // One pass over the users, not one per unit. A unit's liaisons: its people whose roles let them take its tasks.
        var liaisons = _users.Values
            .Where(u => u.UnitId is not null && PermissionsOf(u).Contains(Permission.HandleUnitTasks))
            .GroupBy(u => u.UnitId!)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Select(u => u.Id).ToList());
        foreach (var u in unitList)
            _units[u.Id] = new UnitInfo(u.Id, u.Name, u.ParentId, u.LeaderUserId, liaisons.GetValueOrDefault(u.Id) ?? []) { SupervisorUserId = u.SupervisorUserId };
    }

    private static string RootOf(Dictionary<string, UnitRecord> byId, UnitRecord unit)
    {
        for (var hops = 0; hops < 64 && unit.ParentId is { } parent && byId.TryGetValue(parent, out var up); hops++) unit = up;
        return unit.Id;
    }

    public UserInfo? FindUser(string id) => _users.GetValueOrDefault(id);

    /// <summary>The active people of <paramref name="organizationId"/>.</summary>
    public IEnumerable<UserInfo> UsersOf(string organizationId) => _users.Values.Where(u => u.OrganizationId == organizationId);

    /// <summary>The people of <paramref name="organizationId"/> whose roles there carry <paramref name="permission"/> (e.g. its office: 督查督办).</summary>
    public IEnumerable<UserInfo> HoldersOf(string organizationId, Permission permission) =>
        UsersOf(organizationId).Where(u => PermissionsOf(u).Contains(permission));

    /// <summary>
    /// The roles of <paramref name="organizationId"/> whose holders take part in the business (not outside it, 三员分立):
    /// the built-in ones, then its own by name — what a chase rung may be given to.
    /// </summary>
    public IReadOnlyList<string> BusinessRolesOf(string organizationId) =>
        [.. Roles.Assignable.Concat(_rolePermissions.Keys.Where(k => k.Organization == organizationId && !Roles.Assignable.Contains(k.Role))
                .Select(k => k.Role).Order(StringComparer.Ordinal))
            .Where(role => !PermissionCatalog.OutsideBusiness([role], r => PermissionsOfRole(organizationId, r)))];

    /// <summary>What <paramref name="roles"/> let their holder do in <paramref name="organizationId"/>: its definitions, else the built-in defaults.</summary>
    public IReadOnlySet<Permission> PermissionsOf(string? organizationId, IEnumerable<string> roles)
    {
        var set = new HashSet<Permission>();
        foreach (var role in roles)
            if (PermissionsOfRole(organizationId, role) is { } held) set.UnionWith(held);
        return set;
    }

    public IReadOnlySet<Permission> PermissionsOf(UserInfo user) => PermissionsOf(user.OrganizationId, user.Roles);

    /// <summary>The signed-in person as the runtime sees him, with the permissions his roles carry in his organization.</summary>
    public CurrentUser CurrentUserOf(UserInfo info, string userName) =>
        new(info.Id, userName, info.DisplayName, info.UnitId, info.UnitId is { } unit ? FindUnit(unit)?.Name : null, info.Roles)
        {
            OrganizationId = info.OrganizationId,
            Permissions = PermissionsOf(info),
            OutsideBusiness = PermissionCatalog.OutsideBusiness(info.Roles, role => PermissionsOfRole(info.OrganizationId, role)),
        };

    private IReadOnlySet<Permission>? PermissionsOfRole(string? organizationId, string role) =>
        organizationId is not null && _rolePermissions.TryGetValue((organizationId, role), out var defined) ? defined : PermissionCatalog.BuiltIn.GetValueOrDefault(role);

    public UnitInfo? FindUnit(string id) => _units.GetValueOrDefault(id);
    public IReadOnlyCollection<UnitInfo> Units => _units.Values;

    /// <summary>The organizations (root units), by id.</summary>
    public IEnumerable<UnitInfo> Organizations => _units.Values.Where(u => _rootOf.GetValueOrDefault(u.Id) == u.Id).OrderBy(u => u.Id, StringComparer.Ordinal);

    /// <summary>The organization (root unit) a unit belongs to; null for an unknown unit.</summary>
    public string? OrganizationOfUnit(string? unitId) => unitId is not null ? _rootOf.GetValueOrDefault(unitId) : null;

    public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null) =>
        _users.Values.Where(u => u.IsInRole(role) && (unitId is null || u.UnitId == unitId)).OrderBy(u => u.Id).ToList();

    /// <summary>Work calendars by organization (root unit id), see <see cref="Calendar.WorkCalendarStore"/>.</summary>
    public IReadOnlyDictionary<string, Duban.Engine.Calendar.WorkCalendar> Calendars { get; init; } = new Dictionary<string, Duban.Engine.Calendar.WorkCalendar>();

    /// <summary>
    /// 代理 periods not yet over when the snapshot was read (decision 031): who is told on someone's behalf
    /// (<see cref="DeputiesOf"/>, docs/decisions/040) without a query in every write that tells someone.
    /// </summary>
    public IReadOnlyList<(string UserId, string DeputyUserId, DateOnly StartsOn, DateOnly EndsOn)> DeputyPeriods { get; init; } = [];

    /// <summary>The people standing in for <paramref name="userId"/> on <paramref name="today"/> (a China date).</summary>
    public IEnumerable<string> DeputiesOf(string userId, DateOnly today) =>
        DeputyPeriods.Where(d => d.UserId == userId && d.StartsOn <= today && d.EndsOn >= today).Select(d => d.DeputyUserId).Distinct();

    /// <summary>The calendar of the organization <paramref name="unitId"/> belongs to; the shipped years when it has none yet.</summary>
    public Duban.Engine.Calendar.WorkCalendar CalendarFor(string? unitId) =>
        OrganizationScope.OrganizationOf(this, unitId) is { } organization ? CalendarOf(organization) : Duban.Engine.Calendar.ShippedCalendars.Default;

    /// <summary>The calendar of <paramref name="organizationId"/>; the shipped years when it has none yet.</summary>
    public Duban.Engine.Calendar.WorkCalendar CalendarOf(string organizationId) =>
        Calendars.TryGetValue(organizationId, out var calendar) ? calendar : Duban.Engine.Calendar.ShippedCalendars.Default;

    /// <summary>
    /// One organization as its items see it: its own people and units only, its own calendar. An item of one
    /// organization can neither name nor reach a unit or person of another — they do not exist for it.
    /// </summary>
    public IOrganization Within(string organizationId)
    {
        lock (_views)
        {
            if (!_views.TryGetValue(organizationId, out var view)) _views[organizationId] = view = new OrganizationView(this, organizationId);
            return view;
        }
    }

    private sealed class OrganizationView(OrganizationSnapshot all, string organizationId) : IOrganization
    {
        private readonly Dictionary<(string, string?), IReadOnlyList<UserInfo>> _inRole = [];

        public UserInfo? FindUser(string id) => all.FindUser(id) is { } user && user.OrganizationId == organizationId ? user : null;

        public UnitInfo? FindUnit(string id) => all._rootOf.GetValueOrDefault(id) == organizationId ? all.FindUnit(id) : null;

        public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null)
        {
            lock (_inRole)
            {
                if (!_inRole.TryGetValue((role, unitId), out var list))
                    _inRole[(role, unitId)] = list = all.UsersInRole(role, unitId).Where(u => u.OrganizationId == organizationId).ToList();
                return list;
            }
        }

        public Duban.Engine.Calendar.WorkCalendar CalendarFor(string? unitId) => all.CalendarOf(organizationId);

        public bool HasRole(string role) => Roles.Assignable.Contains(role) || all._rolePermissions.ContainsKey((organizationId, role));
    }
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
            .Select(u => new { u.Id, u.DisplayName, u.UnitId, u.OrganizationId }).ToListAsync(cancellationToken);
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           select new { ur.UserId, r.Name }).AsNoTracking().ToListAsync(cancellationToken);
        var rolesByUser = roles.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
        var units = await db.Units.AsNoTracking().ToListAsync(cancellationToken);
        var today = Deputies.Today(_clock.GetUtcNow());
        var roleDefinitions = await db.Set<RoleDefinitionRecord>().AsNoTracking().ToListAsync(cancellationToken);
        var deputies = await db.Set<Tasks.DeputyRecord>().AsNoTracking().Where(d => d.EndsOn >= today)
            .Select(d => new { d.UserId, d.DeputyUserId, d.StartsOn, d.EndsOn }).ToListAsync(cancellationToken);
        return new OrganizationSnapshot(
            users.Select(u => new UserInfo(u.Id, u.DisplayName, u.UnitId, rolesByUser.GetValueOrDefault(u.Id) ?? []) { OrganizationId = u.OrganizationId }),
            units, roleDefinitions)
        {
            Calendars = await Calendar.WorkCalendarStore.LoadAllAsync(db, cancellationToken),
            DeputyPeriods = [.. deputies.Select(d => (d.UserId, d.DeputyUserId, d.StartsOn, d.EndsOn))],
        };
    }

    public void Dispose() => _loading.Dispose();
}
