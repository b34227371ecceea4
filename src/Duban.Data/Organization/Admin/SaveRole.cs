using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>
/// 安全管理员 defines a role of his organization (特约督查员, 督查联络员 …) or changes what a role — his own or a built-in
/// one — lets its holders do (decision 049). A role's name is its identity: steps, ladders and people name it, so it is
/// fixed once created; the description and permissions change.
/// </summary>
/// <param name="Name">The role's name; a new one creates the role.</param>
/// <param name="Version">The version the change is based on (0 for a built-in role never changed); null: no check.</param>
/// <param name="Create">True: the role must be new (「新建角色」); false: it must exist.</param>
public sealed record SaveRole(CurrentUser User, string? Name, string? Description, IReadOnlyList<string?>? Permissions, long? Version, bool Create)
    : IWrite<RoleDefinitionRecord>, IRetryOnDuplicateKey
{
    public string Operation => Create ? "role-add" : "role-change";
    public string Subject => Name ?? "";
}

internal sealed class SaveRoleHandler(OrganizationCache cache) : IWriteHandler<SaveRole, RoleDefinitionRecord>
{
    public async Task<RoleDefinitionRecord> HandleAsync(SaveRole write, WriteContext context, CancellationToken ct)
    {
        RoleRules.RequireSecurityAdministrator(write.User);
        var organizationId = OrganizationScope.Require(write.User);
        var db = context.Db;
        var errors = new List<FieldError>();
        var name = write.Name?.Trim() ?? "";
        var existing = await RoleNames.OfAsync(db, organizationId, ct);
        var current = existing.FirstOrDefault(r => r.Name == name);
        if (write.Create)
        {
            if (RoleRules.NameProblem(name) is { } problem) errors.Add(new("name", problem));
            else if (current is not null) errors.Add(new("name", $"角色「{name}」已存在"));
        }
        else if (current is null) throw new NotFoundException("角色不存在");
        var description = string.IsNullOrWhiteSpace(write.Description) ? null : write.Description.Trim();
        if (description is { Length: > 200 }) errors.Add(new("description", "说明不超过 200 个字符"));
        var permissions = new HashSet<Permission>();
        foreach (var key in write.Permissions ?? [])
        {
            if (PermissionCatalog.Parse(key?.Trim()) is { } permission) permissions.Add(permission);
            else errors.Add(new("permissions", $"权限「{key}」不存在"));
        }
        if (errors.Count > 0) throw new WorkflowInputException("角色信息有误", errors);
        if (current is not null && write.Version is { } version && version != current.Version)
            throw new WorkflowConflictException("该角色已被他人修改，请刷新后重试");
        RoleRules.CheckKeepsSecurityAdministrator(context.Organization, organizationId, (name, permissions), userRoles: null);

        var row = await db.Set<RoleDefinitionRecord>().FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Name == name, ct);
        if (row is null)
        {
            row = new RoleDefinitionRecord { OrganizationId = organizationId, Name = name };
            db.Set<RoleDefinitionRecord>().Add(row);
        }
        row.Description = description;
        row.Permissions = PermissionCatalog.Keys(permissions);
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        // People hold roles by name through Identity; a name first defined here gets its Identity role (shared by name
        // with another organization's role of the same name — what it lets a holder do is read in his own organization).
        var normalized = name.ToUpperInvariant();
        if (!await db.Roles.AnyAsync(r => r.NormalizedName == normalized, ct))
            db.Roles.Add(new IdentityRole(name) { NormalizedName = normalized });
        context.AfterCommit(cache.Invalidate);
        return row;
    }
}

/// <summary>
/// 安全管理员 removes a role his organization defined. Refused while someone holds it or a task waits for it; a
/// built-in role cannot be removed (its permissions can be taken away instead).
/// </summary>
public sealed record DeleteRole(CurrentUser User, string Name) : IWrite<bool>
{
    public string Operation => "role-delete";
    public string Subject => Name;
}

internal sealed class DeleteRoleHandler(OrganizationCache cache) : IWriteHandler<DeleteRole, bool>
{
    public async Task<bool> HandleAsync(DeleteRole write, WriteContext context, CancellationToken ct)
    {
        RoleRules.RequireSecurityAdministrator(write.User);
        var organizationId = OrganizationScope.Require(write.User);
        var db = context.Db;
        if (Roles.Assignable.Contains(write.Name)) throw new WorkflowInputException("name", "内置角色不能删除，可去掉它的全部权限");
        var row = await db.Set<RoleDefinitionRecord>().FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Name == write.Name, ct)
            ?? throw new NotFoundException("角色不存在");
        var holders = await (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             join u in db.Users on ur.UserId equals u.Id
                             where r.Name == write.Name && u.OrganizationId == organizationId
                             select u.DisplayName).Take(4).ToListAsync(ct);
        if (holders.Count > 0)
            throw new WorkflowInputException("name", $"仍有人员担任「{write.Name}」（{string.Join("、", holders.Take(3))}{(holders.Count > 3 ? " 等" : "")}），请先取消他们的该角色");
        if (await db.Tasks.AnyAsync(t => t.OrganizationId == organizationId && t.Status == Tasks.HumanTaskStatus.Open && t.CandidateRole == write.Name, ct))
            throw new WorkflowInputException("name", $"仍有待办在等待「{write.Name}」办理，请办结或改派后再删除");
        db.Set<RoleDefinitionRecord>().Remove(row);
        context.AfterCommit(cache.Invalidate);
        return true;
    }
}

/// <summary>The checks role writes and grants share.</summary>
internal static class RoleRules
{
    public static void RequireSecurityAdministrator(CurrentUser user)
    {
        if (!user.Has(Permission.ManageRolesAndSecurity))
            throw new ForbiddenException("只有有「角色权限与安全策略」权限的人员（安全管理员）可以维护角色和授予角色");
    }

    public static string? NameProblem(string name) => name switch
    {
        "" => "请填写角色名称",
        { Length: > RoleNames.MaxLength } => $"角色名称不超过 {RoleNames.MaxLength} 个字符",
        _ when name == Roles.Platform => "不能使用平台管理员作为角色名称",
        // Role names are stored comma-separated (the second-factor policy) and shown in lists joined by 、.
        _ when name.IndexOfAny([',', '，', '、', ';', '；']) >= 0 => "角色名称不能包含逗号、顿号或分号",
        _ => null,
    };

    /// <summary>
    /// An organization keeps at least one active person who can manage roles — or nobody could give the permission back.
    /// </summary>
    /// <param name="changedRole">A role's permissions as they will be after the write (null: none change).</param>
    /// <param name="userRoles">A person's roles as they will be after the write (null: none change).</param>
    public static void CheckKeepsSecurityAdministrator(OrganizationSnapshot org, string organizationId,
        (string Name, IReadOnlySet<Permission> Permissions)? changedRole, (string UserId, IReadOnlyList<string> Roles, bool Active)? userRoles)
    {
        var people = org.UsersOf(organizationId);
        bool Holds(UserInfo person)
        {
            var roles = userRoles is { } u && u.UserId == person.Id ? (u.Active ? u.Roles : []) : person.Roles;
            return roles.Any(role => changedRole is { } c && c.Name == role
                ? c.Permissions.Contains(Permission.ManageRolesAndSecurity)
                : org.PermissionsOf(organizationId, [role]).Contains(Permission.ManageRolesAndSecurity));
        }
        var before = people.Count(p => org.PermissionsOf(p).Contains(Permission.ManageRolesAndSecurity));
        // An organization that has nobody with the permission now (rows from before it existed) is not made worse.
        if (before > 0 && !people.Any(Holds))
            throw new WorkflowInputException(changedRole is not null ? "permissions" : "roles",
                "保存后本组织将没有人能维护角色和权限，请至少保留一名在职的安全管理员");
    }
}
