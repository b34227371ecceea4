using Duban.Engine.Directory;

namespace Duban.Data.Organization;

/// <summary>
/// What a role lets its holders do (decision 049). The list is the product's — each entry is a door in the code — and an
/// organization's security administrator decides which roles hold which (roles are data: 特约督查员, 督查联络员 … are
/// defined by the organization, the built-in roles' permissions can be changed).
/// </summary>
public enum Permission
{
    /// <summary>查看全部事项: reads every item of the organization (the office, leaders); without it a person reads his unit's.</summary>
    SeeAllItems,
    /// <summary>督查督办: chases, 指定专人, changes of 主办/协办 and readers, 撤销事项, 生成文书, 预警 — the office's acts on items.</summary>
    Supervise,
    /// <summary>考核与通报: records and revokes score entries and 通报批评.</summary>
    Score,
    /// <summary>办理本单位任务: takes the tasks offered to his unit and asks for extensions (a unit's 联络员).</summary>
    HandleUnitTasks,
    /// <summary>流程与文书设计: procedures, forms, document templates, simulation, 定期任务, 运行异常.</summary>
    DesignProcedures,
    /// <summary>督查制度设置: work calendar, chase ladder, extension and scoring rules, numbering, notification channels.</summary>
    ConfigureSupervision,
    /// <summary>单位与人员: units, people, their unit and password resets (三员分立: the system administrator).</summary>
    ManageUnitsAndPeople,
    /// <summary>角色、权限与安全策略: roles and their permissions, who holds which role, password and second-factor policy (the security administrator).</summary>
    ManageRolesAndSecurity,
    /// <summary>安全审计: reads and exports the organization's security audit log (the auditor).</summary>
    ReadAuditLog,
}

/// <summary>The permissions as people read them, and what the built-in roles hold until an organization changes them.</summary>
public static class PermissionCatalog
{
    public sealed record Entry(Permission Permission, string Key, string Name, string Description, bool Administrative);

    /// <summary>Every permission in the order the 角色与权限 screen lists them.</summary>
    public static readonly IReadOnlyList<Entry> All =
    [
        new(Permission.SeeAllItems, "seeAllItems", "查看全部事项", "阅读本组织的全部事项和台账；没有此权限的人员只看本单位的事项", false),
        new(Permission.Supervise, "supervise", "督查督办", "催办、指定专人、调整主办协办和阅读范围、撤销事项、生成文书、查看预警", false),
        new(Permission.Score, "score", "考核与通报", "登记和撤销考核记录、通报批评", false),
        new(Permission.HandleUnitTasks, "handleUnitTasks", "办理本单位任务", "接收派给本单位的任务、申请延期（承办单位的联络员）", false),
        new(Permission.DesignProcedures, "designProcedures", "流程与文书设计", "流程、表单、文书模板、模拟运行、定期任务、运行异常", true),
        new(Permission.ConfigureSupervision, "configureSupervision", "督查制度设置", "工作日历、催办阶梯、延期和考核规则、编号、通知渠道", true),
        new(Permission.ManageUnitsAndPeople, "manageUnitsAndPeople", "单位与人员管理", "维护单位和人员、重置密码（管理员）", true),
        new(Permission.ManageRolesAndSecurity, "manageRolesAndSecurity", "角色权限与安全策略", "定义角色及其权限、为人员授予角色、密码和两步验证策略（安全管理员）", true),
        new(Permission.ReadAuditLog, "readAuditLog", "安全审计", "查阅和导出本组织的安全审计日志（审计员）", true),
    ];

    private static readonly Dictionary<string, Permission> ByKey = All.ToDictionary(e => e.Key, e => e.Permission, StringComparer.Ordinal);
    private static readonly Dictionary<Permission, Entry> ByPermission = All.ToDictionary(e => e.Permission);

    public static string KeyOf(Permission permission) => ByPermission[permission].Key;
    public static string NameOf(Permission permission) => ByPermission[permission].Name;
    public static Permission? Parse(string? key) => key is not null && ByKey.TryGetValue(key, out var p) ? p : null;

    /// <summary>
    /// The built-in roles' permissions until an organization changes them. 三员分立 (等保 level 3): 管理员 keeps units,
    /// people and the system's configuration (procedures, the supervision settings), 安全管理员 roles and policies, 审计员
    /// the audit log — none of them reads business items; one person holds several, or an organization gives 管理员 the
    /// items too (<see cref="AdministratorWithItems"/>), only by explicit choice.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<Permission>> BuiltIn = new Dictionary<string, IReadOnlySet<Permission>>(StringComparer.Ordinal)
    {
        [Roles.Admin] = new HashSet<Permission> { Permission.ManageUnitsAndPeople, Permission.DesignProcedures, Permission.ConfigureSupervision },
        [Roles.SecurityAdmin] = new HashSet<Permission> { Permission.ManageRolesAndSecurity },
        [Roles.Auditor] = new HashSet<Permission> { Permission.ReadAuditLog },
        [Roles.Supervisor] = new HashSet<Permission> { Permission.SeeAllItems, Permission.Supervise, Permission.Score },
        [Roles.Leader] = new HashSet<Permission> { Permission.SeeAllItems },
        [Roles.Liaison] = new HashSet<Permission> { Permission.HandleUnitTasks },
    };

    /// <summary>
    /// What 管理员 held before it stopped reading items (decision 049's addendum): an organization from before keeps it as
    /// its stored choice, and the small demo office makes the same choice.
    /// </summary>
    public static readonly IReadOnlySet<Permission> AdministratorWithItems = new HashSet<Permission>(BuiltIn[Roles.Admin]) { Permission.SeeAllItems, Permission.Supervise };

    /// <summary>Permission keys as <see cref="RoleDefinitionRecord.Permissions"/> stores them, in the catalogue's order.</summary>
    public static string Keys(IReadOnlySet<Permission> permissions) => string.Join(',', All.Where(e => permissions.Contains(e.Permission)).Select(e => e.Key));

    public static bool IsAdministrative(Permission permission) => ByPermission[permission].Administrative;

    /// <summary>
    /// Every role held is outside the business: 平台管理员, or a role carrying only administrative permissions (三员分立).
    /// A role with none at all is a business role — steps are given to it by name.
    /// </summary>
    /// <param name="permissionsOf">A role's permissions in the person's organization; null for a role it does not know.</param>
    public static bool OutsideBusiness(IReadOnlyList<string> roles, Func<string, IReadOnlySet<Permission>?> permissionsOf) =>
        roles.Count > 0 && roles.All(role => role == Roles.Platform ||
            (permissionsOf(role) is { Count: > 0 } held && held.All(IsAdministrative)));

    /// <summary>What <paramref name="roles"/> hold by the built-in defaults alone (a role they do not know holds nothing).</summary>
    public static IReadOnlySet<Permission> DefaultsOf(IEnumerable<string> roles)
    {
        var set = new HashSet<Permission>();
        foreach (var role in roles)
            if (BuiltIn.TryGetValue(role, out var held)) set.UnionWith(held);
        return set;
    }
}
