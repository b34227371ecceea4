using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data.Numbering;

/// <summary>
/// The counters, moved with single statements that both databases run atomically: an upsert that takes the next
/// number and returns it. On PostgreSQL the statement locks the counter's row until the transaction ends, so
/// concurrent registrations queue on it and a rolled-back registration hands its number to the next one; on SQLite
/// the transaction holds the database's single write lock, with the same effect.
/// </summary>
public static class NumberSequences
{
    /// <summary>Takes the next number of <paramref name="sequence"/> in <paramref name="period"/> inside the current transaction.</summary>
    public static async Task<long> NextAsync(DubanDbContext db, string sequence, string period, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = Command(db,
            """
            INSERT INTO "NumberSequences" ("Sequence", "Period", "LastNumber", "UpdatedAt")
            VALUES (@sequence, @period, 1, @at)
            ON CONFLICT ("Sequence", "Period") DO UPDATE SET "LastNumber" = "NumberSequences"."LastNumber" + 1, "UpdatedAt" = @at
            RETURNING "LastNumber"
            """,
            ("sequence", sequence), ("period", period), ("at", Instant(db, at)));
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Sets the last number given out (an office that used numbers before it used Duban). Only forward: a smaller
    /// value would give out numbers again. Returns false, changing nothing, when the counter is already past it.
    /// </summary>
    public static async Task<bool> AdjustAsync(DubanDbContext db, string sequence, string period, long lastNumber, string adjustedBy, DateTimeOffset at, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = Command(db,
                """
                INSERT INTO "NumberSequences" ("Sequence", "Period", "LastNumber", "UpdatedAt", "AdjustedBy")
                VALUES (@sequence, @period, @last, @at, @by)
                ON CONFLICT ("Sequence", "Period") DO UPDATE
                SET "LastNumber" = excluded."LastNumber", "UpdatedAt" = excluded."UpdatedAt", "AdjustedBy" = excluded."AdjustedBy"
                WHERE "NumberSequences"."LastNumber" <= excluded."LastNumber"
                """,
                ("sequence", sequence), ("period", period), ("last", lastNumber), ("at", Instant(db, at)), ("by", adjustedBy));
            return await command.ExecuteNonQueryAsync(ct) == 1;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>SQLite keeps instants as UTC ticks (see <see cref="SqliteDubanDbContext"/>); PostgreSQL as timestamptz.</summary>
    private static object Instant(DubanDbContext db, DateTimeOffset at) => db.IsPostgres ? at.ToUniversalTime() : at.UtcTicks;

    private static DbCommand Command(DubanDbContext db, string sql, params (string Name, object Value)[] parameters)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        return command;
    }
}
