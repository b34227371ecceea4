using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Organization.Admin;
using Duban.Data.Startup;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Organization;

/// <param name="Version">Sent back on save: a save based on an older version is refused with 409.</param>
/// <param name="SupervisorUserId">分管领导 named on the unit itself (none: the one above it is in charge).</param>
public sealed record UnitDto(string Id, string Name, string? ParentId, int SortOrder, string? LeaderUserId, string? Kind, bool IsActive, long Version,
    string? SupervisorUserId);
/// <param name="IsActive">Left out: unchanged (new units are active).</param>
/// <param name="Version">The version the change is based on; left out: no check.</param>
/// <param name="SupervisorUserId">分管领导; left out: none.</param>
public sealed record SaveUnitRequest(string? Id, string? Name, string? ParentId, int? SortOrder, string? LeaderUserId, string? Kind, bool? IsActive = null, long? Version = null,
    string? SupervisorUserId = null);
/// <param name="ConcurrencyStamp">Sent back on save: a save based on an older stamp is refused with 409.</param>
/// <param name="SecondFactor">Signs in with a second factor (TOTP, decision 046).</param>
public sealed record UserDto(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles, bool IsActive, string? ConcurrencyStamp,
    bool SecondFactor = false);
/// <param name="ConcurrencyStamp">The stamp the change is based on; left out: no check.</param>
public sealed record SaveUserRequest(string? UserName, string? DisplayName, string? UnitId, List<string>? Roles, string? Password, bool? IsActive, string? ConcurrencyStamp = null);
public sealed record ResetPasswordRequest(string? Password);

/// <summary>A role of the organization (decision 049).</summary>
/// <param name="Permissions">Permission keys (see <see cref="PermissionDto.Key"/>).</param>
/// <param name="BuiltIn">A built-in role: cannot be removed or renamed; its permissions can be changed.</param>
/// <param name="Version">Sent back on save: a save based on an older version is refused with 409.</param>
/// <param name="Holders">Active people holding it.</param>
public sealed record RoleDefinitionDto(string Name, string? Description, IReadOnlyList<string> Permissions, bool BuiltIn, long Version, int Holders);
/// <summary>A permission a role can carry.</summary>
/// <param name="Administrative">Outside the business (三员分立): a role carrying only these sees no item.</param>
public sealed record PermissionDto(string Key, string Name, string Description, bool Administrative);
/// <param name="CanChange">The viewer may change roles (安全管理员).</param>
public sealed record RoleDefinitionsDto(IReadOnlyList<RoleDefinitionDto> Roles, IReadOnlyList<PermissionDto> Permissions, bool CanChange);
/// <param name="Name">A new role's name (on create only; a role's name is fixed).</param>
/// <param name="Version">The version the change is based on; left out: no check.</param>
public sealed record SaveRoleRequest(string? Name, string? Description, List<string>? Permissions, long? Version = null);

/// <summary>A new organization: its code and name, and its first administrator.</summary>
public sealed record AddOrganizationRequest(string? Id, string? Name, string? AdminUserName, string? AdminDisplayName, string? AdminPassword);
/// <summary>An organization on the installation, as the platform administrator sees it: no item, no person's business.</summary>
/// <param name="SuperiorOrganizationId">The organization above it, which may assign it items (上级交办, decision 050).</param>
public sealed record OrganizationDto(string Id, string Name, bool IsActive, int Units, int People, int Procedures, string? SuperiorOrganizationId = null);

/// <summary>
/// Units (a tree), users and roles of the signed-in user's organization — another organization's do not exist for him
/// (decision 035). Everyone signed in may read them (for pickers); 管理员 changes them. The platform administrator lists
/// and adds organizations.
/// </summary>
internal static class OrganizationEndpoints
{
    public static void MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/units").WithTags("组织").RequireAuthorization();
        var users = app.MapGroup("/api/users").WithTags("组织").RequireAuthorization();

        units.MapGet("/", async (bool? active, HttpContext http, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            var org = await cache.GetAsync(ct);
            var ours = org.Units.Select(u => u.Id).Where(id => org.OrganizationOfUnit(id) == organizationId).ToList();
            var query = db.Units.AsNoTracking().Where(u => ours.Contains(u.Id));
            if (active == true) query = query.Where(u => u.IsActive);
            var list = await query.OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(ct);
            return TypedResults.Ok(list.Select(ToDto).ToList());
        }).WithSummary("单位列表（树形由 parentId 组成；active=true 只列在用单位）");

        units.MapPost("/", async Task<Created<UnitDto>> (SaveUnitRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var unit = await door.RunAsync(new AddUnit(OrganizationScope.Require(await http.GetCurrentUserAsync()), request.Id, Fields(request)), ct);
            return TypedResults.Created($"/api/units/{unit.Id}", ToDto(unit));
        }).RequirePermission(Permission.ManageUnitsAndPeople).WithSummary("新增单位").ProducesValidationProblem();

        units.MapPut("/{id}", async Task<Ok<UnitDto>> (string id, SaveUnitRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(ToDto(await door.RunAsync(new ChangeUnit(OrganizationScope.Require(await http.GetCurrentUserAsync()), id, Fields(request), request.Version), ct))))
            .RequirePermission(Permission.ManageUnitsAndPeople).WithSummary("修改单位（改名、移动、停用/启用）").ProducesValidationProblem().ProducesProblem(409);

        users.MapGet("/", async (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            // From the database, not the snapshot: the snapshot holds active users only, and an inactive user's
            // roles must come back as they are, or saving the user again would wipe them.
            var list = await db.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId).OrderBy(u => u.UserName).ToListAsync(ct);
            var roles = await RolesByUserAsync(db, userId: null, ct);
            var unitNames = await UnitNamesAsync(db, ct);
            return TypedResults.Ok(list.Select(u => ToDto(u, roles.GetValueOrDefault(u.Id) ?? [], unitNames)).ToList());
        }).WithSummary("人员列表");

        users.MapPost("/", async Task<Created<UserDto>> (SaveUserRequest request, HttpContext http, WriteDoor door, DubanDbContext db, CancellationToken ct) =>
        {
            var saved = await door.RunAsync(new AddUser(await http.GetCurrentUserAsync(), request.UserName, Fields(request)), ct);
            return TypedResults.Created($"/api/users/{saved.User.Id}", ToDto(saved.User, saved.Roles, await UnitNamesAsync(db, ct)));
        }).RequirePermission(Permission.ManageUnitsAndPeople).WithSummary("新增人员（授予角色须另有角色权限与安全策略权限）").ProducesValidationProblem();

        users.MapPut("/{id}", async Task<Ok<UserDto>> (string id, SaveUserRequest request, HttpContext http, WriteDoor door, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            // The person is the system administrator's, his roles the security administrator's (decision 049); the
            // write checks which part changes.
            if (!user.Has(Permission.ManageUnitsAndPeople) && !user.Has(Permission.ManageRolesAndSecurity))
                throw new ForbiddenException("只有管理员或安全管理员可以修改人员");
            var saved = await door.RunAsync(new ChangeUser(id, Fields(request), request.ConcurrencyStamp, user), ct);
            return TypedResults.Ok(ToDto(saved.User, saved.Roles, await UnitNamesAsync(db, ct)));
        }).WithSummary("修改人员（单位、停用、重置密码：管理员；角色：安全管理员）").ProducesValidationProblem().ProducesProblem(409);

        users.MapPost("/{id}/reset-password", async (string id, ResetPasswordRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ResetPassword(OrganizationScope.Require(await http.GetCurrentUserAsync()), id, request.Password), ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ManageUnitsAndPeople).WithSummary("重置密码").ProducesValidationProblem();

        app.MapGet("/api/roles", async (HttpContext http, DubanDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await RoleNames.NamesAsync(db, OrganizationScope.Require(await http.GetCurrentUserAsync()), ct)))
            .WithTags("组织").RequireAuthorization().WithSummary("本组织的角色名称（内置的在前，自定义的在后）");

        MapRoleDefinitions(app);

        var platform = app.MapGroup("/api/platform/organizations").WithTags("平台").RequireAuthorization().RequireRole(Roles.Platform);

        platform.MapGet("/", async (DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var org = await cache.GetAsync(ct);
            var roots = await db.Units.AsNoTracking().Where(u => u.ParentId == null).OrderBy(u => u.SortOrder).ThenBy(u => u.Id).ToListAsync(ct);
            var people = await db.Users.AsNoTracking().Where(u => u.OrganizationId != null).GroupBy(u => u.OrganizationId!)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
            var procedures = await db.Definitions.AsNoTracking().Where(d => d.IsLatest).GroupBy(d => d.OrganizationId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
            var superiors = await db.Set<Duban.Data.Supervision.Referrals.OrganizationLinkRecord>().AsNoTracking()
                .ToDictionaryAsync(l => l.OrganizationId, l => l.SuperiorOrganizationId, ct);
            return TypedResults.Ok(roots.Select(r => new OrganizationDto(r.Id, r.Name, r.IsActive,
                org.Units.Count(u => org.OrganizationOfUnit(u.Id) == r.Id), people.GetValueOrDefault(r.Id), procedures.GetValueOrDefault(r.Id),
                superiors.GetValueOrDefault(r.Id))).ToList());
        }).WithSummary("组织列表（平台管理员）");

        platform.MapPost("/", async Task<Created<OrganizationDto>> (AddOrganizationRequest request, HttpContext http, WriteDoor door, DubanDbContext db,
            IConfiguration configuration, CancellationToken ct) =>
        {
            var root = await door.RunAsync(new AddOrganization(await http.GetCurrentUserAsync(), request.Id, request.Name, request.AdminUserName,
                request.AdminDisplayName, request.AdminPassword), ct);
            var procedures = await ShippedTemplates.ImportMissingAsync(door, db, FirstStartSetup.WorkflowsDir(configuration), root.Id, ct);
            return TypedResults.Created($"/api/platform/organizations/{root.Id}", new OrganizationDto(root.Id, root.Name, root.IsActive, 1, 1, procedures));
        }).WithSummary("新建组织：根单位、首位管理员、工作日历与内置流程模板").ProducesValidationProblem();

        platform.MapPost("/{id}/templates", async (string id, DubanDbContext db, WriteDoor door, IConfiguration configuration, CancellationToken ct) =>
        {
            if (!await db.Units.AnyAsync(u => u.Id == id && u.ParentId == null, ct)) throw new NotFoundException("组织不存在");
            return TypedResults.Ok(await ShippedTemplates.ImportMissingAsync(door, db, FirstStartSetup.WorkflowsDir(configuration), id, ct));
        }).WithSummary("为组织补齐内置流程模板（已有的流程不动；返回新导入的个数）");
    }

    /// <summary>角色与权限 (decision 049): the organization's roles with their permissions; the security administrator changes them.</summary>
    private static void MapRoleDefinitions(IEndpointRouteBuilder app)
    {
        var roles = app.MapGroup("/api/role-definitions").WithTags("组织").RequireAuthorization();

        roles.MapGet("/", async Task<Ok<RoleDefinitionsDto>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            // Those who grant roles, manage people, or give steps and schedules to roles (流程与文书设计) read them.
            if (!user.Has(Permission.ManageRolesAndSecurity) && !user.Has(Permission.ManageUnitsAndPeople) && !user.Has(Permission.DesignProcedures))
                throw new ForbiddenException("只有管理员、安全管理员或流程设计人员可以查看角色与权限");
            var organizationId = OrganizationScope.Require(user);
            var holders = await (from ur in db.UserRoles
                                 join r in db.Roles on ur.RoleId equals r.Id
                                 join u in db.Users on ur.UserId equals u.Id
                                 where u.OrganizationId == organizationId && u.IsActive
                                 group u by r.Name into g
                                 select new { Name = g.Key!, Count = g.Count() }).ToDictionaryAsync(x => x.Name, x => x.Count, ct);
            var list = await RoleNames.OfAsync(db, organizationId, ct);
            return TypedResults.Ok(new RoleDefinitionsDto(
                [.. list.Select(r => ToDto(r, holders.GetValueOrDefault(r.Name)))],
                [.. PermissionCatalog.All.Select(e => new PermissionDto(e.Key, e.Name, e.Description, e.Administrative))],
                user.Has(Permission.ManageRolesAndSecurity)));
        }).WithSummary("角色与权限（内置角色和本组织自定义的角色）");

        roles.MapPost("/", async Task<Created<RoleDefinitionDto>> (SaveRoleRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var row = await door.RunAsync(new SaveRole(await http.GetCurrentUserAsync(), request.Name, request.Description, request.Permissions, Version: null, Create: true), ct);
            return TypedResults.Created($"/api/role-definitions/{Uri.EscapeDataString(row.Name)}", ToDto(row, holders: 0));
        }).RequirePermission(Permission.ManageRolesAndSecurity).WithSummary("新建角色（安全管理员）").ProducesValidationProblem();

        roles.MapPut("/{name}", async Task<Ok<RoleDefinitionDto>> (string name, SaveRoleRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var row = await door.RunAsync(new SaveRole(user, name, request.Description, request.Permissions, request.Version, Create: false), ct);
            return TypedResults.Ok(ToDto(row, holders: 0));
        }).RequirePermission(Permission.ManageRolesAndSecurity).WithSummary("修改角色的说明和权限（安全管理员；名称不可改）").ProducesValidationProblem().ProducesProblem(409);

        roles.MapDelete("/{name}", async (string name, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new DeleteRole(await http.GetCurrentUserAsync(), name), ct);
            return TypedResults.NoContent();
        }).RequirePermission(Permission.ManageRolesAndSecurity).WithSummary("删除自定义角色（无人担任、无待办等待时）").ProducesValidationProblem();
    }

    private static RoleDefinitionDto ToDto(OrganizationRole r, int holders) =>
        new(r.Name, r.Description, [.. PermissionCatalog.All.Where(e => r.Permissions.Contains(e.Permission)).Select(e => e.Key)], r.BuiltIn, r.Version, holders);

    private static RoleDefinitionDto ToDto(RoleDefinitionRecord r, int holders) =>
        ToDto(new OrganizationRole(r.Name, r.Description, r.PermissionSet, Roles.Assignable.Contains(r.Name), r.ConcurrencyToken), holders);

    private static UnitFields Fields(SaveUnitRequest r) => new(r.Name, r.ParentId, r.SortOrder, r.LeaderUserId, r.Kind, r.IsActive, r.SupervisorUserId);

    private static UserFields Fields(SaveUserRequest r) => new(r.DisplayName, r.UnitId, r.Roles, r.Password, r.IsActive);

    private static async Task<Dictionary<string, List<string>>> RolesByUserAsync(DubanDbContext db, string? userId, CancellationToken ct)
    {
        var query = from ur in db.UserRoles
                    join r in db.Roles on ur.RoleId equals r.Id
                    select new { ur.UserId, r.Name };
        if (userId is not null) query = query.Where(x => x.UserId == userId);
        var rows = await query.AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
    }

    private static Task<Dictionary<string, string>> UnitNamesAsync(DubanDbContext db, CancellationToken ct) =>
        db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);

    private static int RoleOrder(string role)
    {
        for (var i = 0; i < Roles.Assignable.Count; i++)
            if (Roles.Assignable[i] == role) return i;
        return int.MaxValue;
    }

    private static UnitDto ToDto(UnitRecord u) => new(u.Id, u.Name, u.ParentId, u.SortOrder, u.LeaderUserId, u.Kind, u.IsActive, u.ConcurrencyToken, u.SupervisorUserId);

    private static UserDto ToDto(DubanUser u, IEnumerable<string> roles, IReadOnlyDictionary<string, string> unitNames) =>
        new(u.Id, u.UserName!, u.DisplayName, u.UnitId, u.UnitId is { } unit ? unitNames.GetValueOrDefault(unit) : null,
            roles.OrderBy(RoleOrder).ThenBy(r => r, StringComparer.Ordinal).ToList(),
            u.IsActive, u.ConcurrencyStamp, u.TotpEnabledAt is not null);
}
