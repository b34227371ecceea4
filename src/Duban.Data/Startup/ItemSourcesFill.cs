using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.ReadModel;
using Duban.Data.Storage;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>The one-time start-up step that gives items from before <see cref="Instances.InstanceRecord.Source"/> their 来源 (issue 22).</summary>
public static class ItemSourcesFill
{
    /// <summary>
    /// Fills the column of the items written before it existed: each item's source read from its state under its own
    /// version — on PostgreSQL one UPDATE per version (<see cref="FormDataSql.FillSourceAsync"/>), on SQLite in batches by
    /// id, so the states are never all in memory at once. Items already filled (written since) are left as they are.
    /// Answers how many items got a value.
    /// </summary>
    public static async Task<int> FillAsync(DubanDbContext db, DefinitionCache definitions, ILogger logger, CancellationToken ct, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(definitions);
        var fields = new Dictionary<Guid, string?>();
        foreach (var record in await db.Definitions.AsNoTracking().ToListAsync(ct))
            fields[record.Id] = ItemSource.Field(definitions.Get(record))?.Key;
        var withField = fields.Where(f => f.Value is not null).Select(f => f.Key).ToList();
        if (withField.Count == 0) return 0;
        var filled = 0;
        if (db.IsPostgres)
        {
            // One statement per version, in the database: at 100,000 items the batches below took over a minute.
            foreach (var (version, key) in fields.Where(f => f.Value is not null))
                filled += await FormDataSql.FillSourceAsync(db, version, key!, ItemSourceValue.MaxLength, ct);
            if (filled > 0) logger.LogInformation("来源 kept on {Count} items written before the column existed (issue 22)", filled);
            return filled;
        }
        for (var skip = 0; ; skip += batchSize)
        {
            // By id, skipping what was read: the rows filled meanwhile stay in the walk, so no page shifts under it.
            var batch = await db.Instances.AsNoTracking().Where(i => withField.Contains(i.DefinitionRecordId)).OrderBy(i => i.Id)
                .Skip(skip).Take(batchSize).Select(i => new { i.Id, i.DefinitionRecordId, i.Source, i.StateJson }).ToListAsync(ct);
            var values = batch.Where(i => i.Source is null)
                .Select(i => (i.Id, Value: JsonNode.Parse(i.StateJson)?["data"] is JsonObject data ? ItemSourceValue.Of(data[fields[i.DefinitionRecordId]!]) : null))
                .Where(x => x.Value is not null)
                .GroupBy(x => x.Value!, x => x.Id);
            foreach (var group in values)
            {
                var ids = group.ToList();
                filled += await db.Instances.Where(i => ids.Contains(i.Id)).ExecuteUpdateAsync(s => s.SetProperty(i => i.Source, group.Key), ct);
            }
            if (batch.Count < batchSize) break;
        }
        if (filled > 0) logger.LogInformation("来源 kept on {Count} items written before the column existed (issue 22)", filled);
        return filled;
    }
}
