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
}
