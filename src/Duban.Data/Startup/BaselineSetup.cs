using Duban.Data.Calendar.Admin;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>
/// What every installation needs, demo or not: the roles, the shipped procedure templates from workflows/ (imported and
/// published into each organization), and the work calendar of each organization. Each step adds only what is missing.
/// An organization made later gets both when it is made (<see cref="Organization.Admin.AddOrganization"/>).
/// </summary>
public sealed class BaselineSetup(DubanDbContext db, RoleManager<IdentityRole> roles,
    WriteDoor door, IConfiguration configuration, Definitions.DefinitionCache definitions, ILogger<BaselineSetup> logger)
{
    public const string RolesStep = "baseline/roles";
    public const string TemplatesStep = "baseline/templates";
    public const string CalendarStep = "baseline/calendar";
    public const string SecurityAdministratorsStep = "baseline/security-administrators";
    public const string AdministratorsKeepItemsStep = "baseline/administrators-keep-items";
    public const string ItemSourcesStep = "baseline/item-sources";

    public async Task<StepResult> RolesAsync(CancellationToken ct)
    {
        foreach (var role in Roles.Assignable.Append(Roles.Platform))
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var result = await roles.CreateAsync(new IdentityRole(role));
            if (!result.Succeeded) throw new InvalidOperationException($"Creating role {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
        return StepResult.Done;
    }

    /// <summary>
    /// Imports and publishes, into every organization, each template whose procedure the organization does not have yet,
    /// all in the step's one transaction. A procedure that is there (in any version, an administrator's included) is left
    /// as it is. Pending while there is no organization yet.
    /// </summary>
    public async Task<StepResult> TemplatesAsync(CancellationToken ct)
    {
        var dir = FirstStartSetup.WorkflowsDir(configuration);
        if (!Directory.Exists(dir))
        {
            logger.LogWarning("No workflows folder at {Dir}; no templates imported", dir);
            return StepResult.Pending;
        }
        var organizations = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(ct);
        if (organizations.Count == 0) return StepResult.Pending;
        foreach (var organizationId in organizations)
        {
            var imported = await ShippedTemplates.ImportMissingAsync(door, db, dir, organizationId, ct);
            logger.LogInformation("Templates for {Organization}: {Count} imported and published", organizationId, imported);
        }
        return StepResult.Done;
    }

    /// <summary>
    /// Every organization (root unit) without a calendar gets the shipped years. Pending while there is no organization
    /// yet; an organization made later gets its calendar when first asked (<see cref="EnsureShippedCalendars"/>).
    /// </summary>
    public async Task<StepResult> CalendarAsync(CancellationToken ct)
    {
        var organizations = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(ct);
        if (organizations.Count == 0) return StepResult.Pending;
        var loaded = await door.RunAsync(new EnsureShippedCalendars(organizations), ct);
        logger.LogInformation("Work calendar: shipped years loaded for {Count} organization(s)", loaded);
        return StepResult.Done;
    }

    /// <summary>
    /// Roles and the security policy moved from 管理员 to 安全管理员 (三员分立, decision 049). An organization from before
    /// that, where nobody holds a role that may manage roles, gives 安全管理员 to its administrators — what they could do
    /// stays theirs until they hand it to someone else. Runs once; organizations made later get both roles when made.
    /// </summary>
    public async Task<StepResult> SecurityAdministratorsAsync(CancellationToken ct)
    {
        // On an installation whose roles step finished long ago, 安全管理员 is created by the every-start roles pass —
        // which runs after the steps; create it here first.
        await RolesAsync(ct);
        var definitions = await db.Set<Organization.RoleDefinitionRecord>().AsNoTracking().ToListAsync(ct);
        var memberships = await (from ur in db.UserRoles
                                 join r in db.Roles on ur.RoleId equals r.Id
                                 join u in db.Users on ur.UserId equals u.Id
                                 where u.OrganizationId != null && u.IsActive
                                 select new { u.Id, OrganizationId = u.OrganizationId!, r.Name }).AsNoTracking().ToListAsync(ct);
        var snapshot = new Organization.OrganizationSnapshot([], [], definitions);
        var securityRoleId = await db.Roles.Where(r => r.Name == Roles.SecurityAdmin).Select(r => r.Id).SingleAsync(ct);
        foreach (var organization in memberships.GroupBy(m => m.OrganizationId))
        {
            var covered = organization.Any(m => snapshot.PermissionsOf(organization.Key, [m.Name!]).Contains(Organization.Permission.ManageRolesAndSecurity));
            if (covered) continue;
            foreach (var admin in organization.Where(m => m.Name == Roles.Admin).Select(m => m.Id).Distinct())
            {
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = admin, RoleId = securityRoleId });
                logger.LogInformation("Organization {Organization}: administrator {User} also holds {Role} (decision 049)", organization.Key, admin, Roles.SecurityAdmin);
            }
        }
        await db.SaveChangesAsync(ct);
        return StepResult.Done;
    }

    /// <summary>
    /// 管理员 stopped reading items (三员分立: none of the three reads business items by default, decision 049's addendum).
    /// An organization from before that keeps what its administrators could do: its 管理员 role, where it never changed it,
    /// is stored with the permissions it had — the organization's choice from then on, which its security administrator can
    /// undo. Runs once, before any organization a fresh installation makes (so those get the new default).
    /// </summary>
    public async Task<StepResult> AdministratorsKeepItemsAsync(CancellationToken ct)
    {
        var organizations = await db.Units.Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(ct);
        var stored = await db.Set<Organization.RoleDefinitionRecord>().Where(r => r.Name == Roles.Admin).Select(r => r.OrganizationId).ToListAsync(ct);
        foreach (var organizationId in organizations.Except(stored, StringComparer.Ordinal))
        {
            db.Set<Organization.RoleDefinitionRecord>().Add(new Organization.RoleDefinitionRecord
            {
                OrganizationId = organizationId, Name = Roles.Admin,
                Description = "升级前的管理员：保留查看全部事项和督查督办",
                Permissions = Organization.PermissionCatalog.Keys(Organization.PermissionCatalog.AdministratorWithItems),
                UpdatedAt = DateTimeOffset.UtcNow, UpdatedByName = "系统升级",
            });
            logger.LogInformation("Organization {Organization}: {Role} keeps reading items, as before (decision 049)", organizationId, Roles.Admin);
        }
        await db.SaveChangesAsync(ct);
        return StepResult.Done;
    }

    /// <summary>
    /// The items written before their row kept its 来源 (issue 22) get it from their state (<see cref="ReadModel.ItemSourceValue"/>);
    /// items written since have it already. Nothing to do on a new installation.
    /// </summary>
    public async Task<StepResult> ItemSourcesAsync(CancellationToken ct)
    {
        await ItemSourcesFill.FillAsync(db, definitions, logger, ct);
        return StepResult.Done;
    }
}
