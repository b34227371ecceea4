using Duban.Data.Instances;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.ReadModel;

/// <summary>
/// Title and number search by trigram on PostgreSQL (pg_trgm, docs/decisions/042): a GIN index answers <c>LIKE '%…%'</c>
/// without reading every title. SQLite keeps its plain LIKE.
/// </summary>
public static class PostgresSearch
{
    public static void Configure(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<InstanceRecord>().HasIndex(x => x.Title).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("IX_WorkflowInstances_Title_trgm");
        builder.Entity<InstanceRecord>().HasIndex(x => x.Number).HasMethod("gin").HasOperators("gin_trgm_ops").HasDatabaseName("IX_WorkflowInstances_Number_trgm");
    }

    /// <summary>A LIKE pattern that finds <paramref name="text"/> anywhere, with LIKE's own characters escaped by <c>\</c>.</summary>
    public static string Containing(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return "%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
    }
}
