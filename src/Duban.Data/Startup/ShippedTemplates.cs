using Duban.Data.Definitions.Admin;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Startup;

/// <summary>The procedure templates shipped in workflows/, as each organization gets them (decision 035).</summary>
public static class ShippedTemplates
{
    /// <summary>
    /// Imports and publishes into <paramref name="organizationId"/> every template whose procedure it does not have yet
    /// (in any version, its administrator's included); returns how many. File order: a child procedure's file
    /// (enterprise-inspection-serious) sorts before its parent's, so the parent's publish check finds the child published.
    /// </summary>
    public static async Task<int> ImportMissingAsync(WriteDoor door, DubanDbContext db, string dir, string organizationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(door);
        ArgumentNullException.ThrowIfNull(db);
        if (!Directory.Exists(dir)) return 0;
        var present = (await db.Definitions.Where(d => d.OrganizationId == organizationId).Select(d => d.DefinitionId).Distinct().ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var imported = 0;
        foreach (var file in Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var json = await File.ReadAllTextAsync(file, ct);
            if (DefinitionJson.Parse(json)?.DefinitionId is { } id && present.Contains(id)) continue;
            await door.RunAsync(new ImportDefinition(organizationId, json, Publish: true, UserId: null), ct);
            imported++;
        }
        return imported;
    }
}
