using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>Reads of an item's extension requests and of whether the signed-in user may ask for one.</summary>
public sealed class ExtensionQueries(DubanDbContext db, DefinitionCache definitions, OrganizationCache organizationCache, SupervisionSettings settings,
    TimeProvider clock)
{
    /// <summary>Requests on an item, newest first, for those who may see it.</summary>
    public async Task<IReadOnlyList<ExtensionRecord>> ListAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        if (!await ItemVisibility.CanSeeAsync(db, user, instanceId, ct)) throw new NotFoundException("事项不存在");
        return await db.Set<ExtensionRecord>().AsNoTracking().Where(e => e.InstanceId == instanceId)
            .OrderByDescending(e => e.RequestedAt).ToListAsync(ct);
    }

    public async Task<ExtensionEligibility> EligibilityAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        var org = await organizationCache.GetAsync(ct);
        var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var definition = definitions.TryGetPublished(instance.DefinitionRecordId, out var cached)
            ? cached
            : definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
        return await ExtensionEligibility.OfAsync(db, settings, instance, definition, user, org, clock.GetUtcNow(), ct);
    }
}
