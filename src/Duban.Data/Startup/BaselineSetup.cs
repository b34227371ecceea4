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
    WriteDoor door, IConfiguration configuration, ILogger<BaselineSetup> logger)
{
    public const string RolesStep = "baseline/roles";
    public const string TemplatesStep = "baseline/templates";
    public const string CalendarStep = "baseline/calendar";

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
}
