using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Duban.Data.Storage;

/// <summary>
/// Saves one event's unit of work. On PostgreSQL, <see cref="PostgresEventWriter"/> takes the usual event (new rows and
/// row-versioned updates of plain tables) and sends it as one batch of its own. What it declines goes through EF Core:
/// when the whole save is one batch that cannot half-succeed, it is sent without BEGIN and COMMIT — PostgreSQL runs a
/// batch (one Sync message) as one implicit transaction, so it commits or rolls back as a whole and the COMMIT round
/// trip goes (decision 008). Otherwise — SQLite, or a save that does not qualify — this is an ordinary
/// <c>SaveChanges</c> in EF Core's own transaction.
/// <para>A save qualifies when every statement in it either succeeds or aborts the batch by itself:</para>
/// <list type="bullet">
/// <item>inserts (a failed insert raises an error, which rolls back the batch);</item>
/// <item>updates of rows whose concurrency token PostgreSQL checks (<see cref="CheckedUpdateSqlGenerator"/>).</item>
/// </list>
/// <para>An update of a row without a token, or any delete, would report "0 rows" only after the batch had committed,
/// so such a save keeps its transaction. So does a save that EF Core might split into several batches: more than
/// <see cref="MaxStatements"/> rows, or an insert of a row with a generated key that other rows refer to (EF Core ends
/// the batch after it when the database generates the key; this check also counts keys EF Core generates itself,
/// to be on the safe side — Duban's own tables have no foreign keys, so in practice only Identity's tables could).</para>
/// </summary>
public static class EventSave
{
    /// <summary>Far below EF Core's batch limit for Npgsql (1,000 statements, 65,535 parameters).</summary>
    public const int MaxStatements = 200;

    private static readonly ConcurrentDictionary<IEntityType, bool> InsertSplitsBatch = new();
    private static readonly ConcurrentDictionary<IEntityType, bool> UpdateChecked = new();

    public static async Task SaveAsync(DubanDbContext db, CancellationToken ct)
    {
        if (!db.IsPostgres)
        {
            await db.SaveChangesAsync(ct);
            return;
        }
        var tracker = db.ChangeTracker;
        var detect = tracker.AutoDetectChangesEnabled;
        var transactions = db.Database.AutoTransactionBehavior;
        try
        {
            // One DetectChanges here, so the entry states below are final; SaveChanges need not repeat it.
            tracker.DetectChanges();
            tracker.AutoDetectChangesEnabled = false;
            if (await PostgresEventWriter.TrySaveAsync(db, MaxStatements, ct)) return;
            if (OneBatchAllOrNothing(tracker)) db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = detect;
            db.Database.AutoTransactionBehavior = transactions;
        }
    }

    /// <summary>Whether the pending changes go out as one batch in which every statement succeeds or aborts the batch.</summary>
    public static bool OneBatchAllOrNothing(Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker tracker)
    {
        var statements = 0;
        foreach (var entry in tracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added when !InsertSplitsBatch.GetOrAdd(entry.Metadata, SplitsBatch):
                case EntityState.Modified when UpdateChecked.GetOrAdd(entry.Metadata, ChecksToken):
                    if (++statements > MaxStatements) return false;
                    break;
                case EntityState.Unchanged or EntityState.Detached:
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>EF Core ends a batch after an insert whose key the database generates when other rows point at it (it
    /// needs the key to write them). Any generated key counts here.</summary>
    private static bool SplitsBatch(IEntityType type) =>
        type.FindPrimaryKey() is { } key
        && key.Properties.Any(p => p.ValueGenerated != ValueGenerated.Never)
        && type.GetReferencingForeignKeys().Any();

    /// <summary>Rows with a concurrency token that PostgreSQL moves on every update (xmin): their updates are checked
    /// inside the database.</summary>
    private static bool ChecksToken(IEntityType type) =>
        type.GetProperties().Any(p => p.IsConcurrencyToken && p.ValueGenerated == ValueGenerated.OnAddOrUpdate);
}
