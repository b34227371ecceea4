using Duban.Data.Calendar.Admin;
using Duban.Data.Definitions.Admin;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>
/// What every installation needs, demo or not: the four roles, the shipped procedure templates from workflows/
/// (imported and published), and the work calendar of each organization. Each step adds only what is missing.
/// </summary>
public sealed class BaselineSetup(DubanDbContext db, RoleManager<IdentityRole> roles,
    WriteDoor door, IConfiguration configuration, ILogger<BaselineSetup> logger)
{
    public const string RolesStep = "baseline/roles";
    public const string TemplatesStep = "baseline/templates";
    public const string CalendarStep = "baseline/calendar";

    public async Task<StepResult> RolesAsync(CancellationToken ct)
    {
        foreach (var role in Roles.All)
        {
            if (await roles.RoleExistsAsync(role)) continue;
            var result = await roles.CreateAsync(new IdentityRole(role));
            if (!result.Succeeded) throw new InvalidOperationException($"Creating role {role}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
        }
        return StepResult.Done;
    }

    /// <summary>
    /// Imports and publishes every template whose procedure the database does not have yet, all in the step's one
    /// transaction. A procedure that is there (in any version, an administrator's included) is left as it is.
    /// </summary>
    public async Task<StepResult> TemplatesAsync(CancellationToken ct)
    {
        var dir = FirstStartSetup.WorkflowsDir(configuration);
        if (!Directory.Exists(dir))
        {
            logger.LogWarning("No workflows folder at {Dir}; no templates imported", dir);
            return StepResult.Pending;
        }
        var present = (await db.Definitions.Select(d => d.DefinitionId).Distinct().ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        // File order: a child procedure's file (enterprise-inspection-serious) sorts before its parent's, so the parent's
        // publish check finds the child published.
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var json = await File.ReadAllTextAsync(file, ct);
            if (DefinitionJson.Parse(json)?.DefinitionId is { } id && present.Contains(id))
            {
                logger.LogInformation("Template {DefinitionId} ({File}) is already there; left as it is", id, Path.GetFileName(file));
                continue;
            }
            var record = await door.RunAsync(new ImportDefinition(json, Publish: true, UserId: null), ct);
            logger.LogInformation("Imported and published {DefinitionId} v{Version} from {File}", record.DefinitionId, record.Version, Path.GetFileName(file));
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
