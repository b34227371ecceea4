using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Storage;

/// <summary>Asks the database to answer, for readiness: a round trip, not a pooled connection that only looks open.</summary>
public static class DatabaseProbe
{
    public static async Task PingAsync(DubanDbContext db, CancellationToken ct) => await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
}
