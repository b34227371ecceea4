using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Engine.Chasing;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>Reads of an item's chases and of the ladder that applies to it, for those who may see the item.</summary>
public sealed class ChaseQueries(DubanDbContext db, DefinitionCache definitions, OrganizationCache organizationCache, SupervisionSettings settings)
{
    /// <summary>Every chase on the item, in the order raised.</summary>
    public async Task<IReadOnlyList<ChaseRecord>> ListAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        if (!await ItemVisibility.CanSeeAsync(db, user, instanceId, ct)) throw new NotFoundException("事项不存在");
        return await db.Set<ChaseRecord>().AsNoTracking().Where(c => c.InstanceId == instanceId).OrderBy(c => c.RaisedAt).ThenBy(c => c.RungIndex).ToListAsync(ct);
    }

    /// <summary>The item's 专人, when one is named.</summary>
    public async Task<ItemOwnerRecord?> OwnerAsync(Guid instanceId, CancellationToken ct) =>
        await db.Set<ItemOwnerRecord>().AsNoTracking().FirstOrDefaultAsync(o => o.InstanceId == instanceId, ct);

    /// <summary>The ladder that applies to an item (for the item page's 催办 menu).</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderForAsync(Guid instanceId, CurrentUser user, CancellationToken ct)
    {
        var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var org = await organizationCache.GetAsync(ct);
        var definition = definitions.TryGetPublished(instance.DefinitionRecordId, out var cached)
            ? cached
            : definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
        return await settings.LadderAsync(instance.OrganizationId, definition, ct);
    }

    /// <summary>One chase, when the user may see it: the office, leaders and administrators every unit's, a unit's people their own.</summary>
    public async Task<ChaseRecord> FindAsync(Guid chaseId, CurrentUser user, CancellationToken ct)
    {
        var row = await db.Set<ChaseRecord>().AsNoTracking().FirstOrDefaultAsync(c => c.Id == chaseId, ct);
        if (row is null || !MaySee(user, row) || !await ItemVisibility.CanSeeAsync(db, user, row.InstanceId, ct)) throw new NotFoundException("催办记录不存在");
        return row;
    }

    /// <summary>
    /// A chase counts against the chased unit's score: the office, leaders and administrators see every unit's; a unit's
    /// own people see only the chases of their unit, not those of the other units on the same item.
    /// </summary>
    public static bool MaySee(CurrentUser user, ChaseRecord chase) => user.SeesAllItems || chase.UnitId == user.UnitId;
}
