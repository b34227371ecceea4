using Duban.Engine.Calendar;

namespace Duban.Engine.Directory;

/// <summary>
/// The organization as the engine needs to see it when it picks who does a step. The host keeps it in memory
/// (a few hundred users and units), so lookups are synchronous.
/// </summary>
public interface IOrganization
{
    UserInfo? FindUser(string id);
    UnitInfo? FindUnit(string id);
    IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null);

    /// <summary>
    /// The work calendar (holidays, 调休 make-up days) of the organization <paramref name="unitId"/> belongs to;
    /// weekends only when none is loaded.
    /// </summary>
    WorkCalendar CalendarFor(string? unitId) => WorkCalendar.WeekendsOnly;

    /// <summary>
    /// The organization has a role of this name: a built-in one or one it defined (decision 049). A design naming a role
    /// it does not have is not published. True when the host does not know (tests with a bare directory).
    /// </summary>
    bool HasRole(string role) => true;
}

public sealed record UserInfo(string Id, string DisplayName, string? UnitId, IReadOnlyList<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>The organization (root unit) the person belongs to; null for a platform administrator.</summary>
    public string? OrganizationId { get; init; }
}

/// <summary>
/// A unit: its 负责人 (<see cref="LeaderUserId"/>, who signs its reports), its liaisons, and its 分管领导
/// (<see cref="SupervisorUserId"/>: the leader in charge of it — 001 第十八条(二): a unit that cannot finish in time reports
/// to its 分管领导 and asks him for more time). See <see cref="UnitDirectory.SupervisorOf"/> for the one in charge when a
/// unit names none.
/// </summary>
public sealed record UnitInfo(string Id, string Name, string? ParentId, string? LeaderUserId, IReadOnlyList<string> LiaisonUserIds)
{
    public string? SupervisorUserId { get; init; }
}

public static class UnitDirectory
{
    /// <summary>
    /// The 分管领导 of <paramref name="unitId"/>: its own, else the nearest above it that names one (a 处 under a 厅's
    /// department is in the charge of that department's 分管领导); null when none up to the root does.
    /// </summary>
    public static string? SupervisorOf(this IOrganization organization, string? unitId)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var unit = unitId is null ? null : organization.FindUnit(unitId); unit is not null && seen.Add(unit.Id);
             unit = unit.ParentId is null ? null : organization.FindUnit(unit.ParentId))
            if (unit.SupervisorUserId is { } supervisor && organization.FindUser(supervisor) is not null) return supervisor;
        return null;
    }
}

/// <summary>The role names, as users read them.</summary>
public static class Roles
{
    public const string Admin = "管理员";
    public const string Supervisor = "督查员";
    public const string Leader = "领导";
    public const string Liaison = "承办单位联络员";

    public static readonly IReadOnlyList<string> All = [Admin, Supervisor, Leader, Liaison];

    /// <summary>
    /// 审计员: reads the organization's security audit log (三员分立: the administrator, whose acts it records, does not);
    /// takes no part in the business — not among <see cref="All"/>, which steps, ladders and rules name.
    /// </summary>
    public const string Auditor = "审计员";

    /// <summary>
    /// 安全管理员: defines roles and their permissions, grants them, and sets the security policy (三员分立: apart from the
    /// administrator of units and people); like 审计员 outside the business.
    /// </summary>
    public const string SecurityAdmin = "安全管理员";

    /// <summary>The built-in roles an organization hands out; it may define its own besides (decision 049).</summary>
    public static readonly IReadOnlyList<string> Assignable = [.. All, SecurityAdmin, Auditor];

    /// <summary>
    /// 平台管理员: creates organizations on an installation and belongs to none; sees no organization's items, people or
    /// settings. Not among <see cref="All"/>, which an organization's administrator hands out.
    /// </summary>
    public const string Platform = "平台管理员";
}

/// <summary>Who is acting: the signed-in user, or the system (timers).</summary>
public sealed record Actor(string Id, string Name, string? UnitId = null, string? UnitName = null, IReadOnlyList<string>? Roles = null)
{
    public static readonly Actor System = new("system", "系统");
}
