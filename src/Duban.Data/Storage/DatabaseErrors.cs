using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Storage;

/// <summary>What a provider's error means, in one place per provider.</summary>
public static class DatabaseErrors
{
    /// <summary>A unique index or primary key refused a row, on PostgreSQL (23505) or SQLite (SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY).</summary>
    public static bool IsUniqueViolation(DbUpdateException e) => e.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>
    /// The database gave up this transaction so that another could go on — a deadlock (PostgreSQL 40P01) or a
    /// serialization failure (40001): nothing of it was kept, and running it again on fresh data is the cure.
    /// </summary>
    public static bool IsTransientConflict(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure })
                return true;
        return false;
    }
}
