using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// Puts a test database back to the state it had when <see cref="CaptureAsync"/> ran, without a list of tables written
/// by hand: the tables are read from the database's own catalog (every table but EF Core's migration history), so a table
/// that a future migration adds is reset too. The rows of every table are replaced, whether the test touched it or not.
/// <list type="bullet">
/// <item>SQLite: the captured state is a copy of the file (<c>VACUUM INTO</c>); a reset attaches it and, in one
/// transaction, empties each table and copies its rows back (<c>sqlite_sequence</c>, AUTOINCREMENT's counters, too).</item>
/// <item>PostgreSQL: the captured rows are kept in the schema <c>duban_baseline</c> of the same database; a reset, in one
/// transaction, empties every table (children before parents), copies the rows back (parents before children), and sets
/// every sequence back.</item>
/// </list>
/// The host's caches are not this class's business: see the fixtures' <c>ResetAsync</c>.
/// </summary>
public sealed class DatabaseReset : IAsyncDisposable
{
    public const string BaselineSchema = "duban_baseline";
    private const string MigrationsHistory = "__EFMigrationsHistory";

    private readonly DbConnection _connection;
    private readonly string _restoreSql;

    private DatabaseReset(DbConnection connection, IReadOnlyList<string> tables, string restoreSql)
    {
        _connection = connection;
        Tables = tables;
        _restoreSql = restoreSql;
    }

    /// <summary>The tables a reset puts back, as the catalog lists them.</summary>
    public IReadOnlyList<string> Tables { get; }

    /// <summary>Remembers the database's current rows as the state <see cref="RestoreAsync"/> goes back to.</summary>
    public static async Task<DatabaseReset> CaptureAsync(DatabaseTarget target)
    {
        var connection = target.NewConnection();
        await connection.OpenAsync();
        try
        {
            return target.IsPostgres ? await CapturePostgresAsync(connection) : await CaptureSqliteAsync(connection, target);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Puts every table back as captured, in one transaction.</summary>
    public async Task RestoreAsync()
    {
        // SQLite: BEGIN IMMEDIATE, so the reset waits for a writer of the host's instead of failing half-way.
        await using var transaction = await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable);
        await using (var command = _connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = _restoreSql;
            await command.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>Every table of the database but the migration history, from SQLite's or PostgreSQL's catalog.</summary>
    public static async Task<List<string>> TablesAsync(DbConnection connection)
    {
        var sql = connection is SqliteConnection
            ? $"SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '{MigrationsHistory}' ORDER BY name"
            : $"SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '{MigrationsHistory}' ORDER BY tablename";
        return await ColumnAsync<string>(connection, sql);
    }

    private static async Task<DatabaseReset> CaptureSqliteAsync(DbConnection connection, DatabaseTarget target)
    {
        var tables = await TablesAsync(connection);
        var baseline = Path.Combine(target.DataDir, "baseline.db");
        File.Delete(baseline);
        await ExecuteAsync(connection, "VACUUM INTO $file", ("$file", baseline));
        // The copy stays attached to this connection (used for nothing else), and checks no foreign keys while it copies.
        await ExecuteAsync(connection, "PRAGMA foreign_keys = OFF; ATTACH DATABASE $file AS baseline", ("$file", baseline));
        var sequence = (await ColumnAsync<long>(connection, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'"))[0] > 0;

        // Triggers that refuse changes (sealed audit rows, decision 046) are dropped for the reset and made again after it.
        var triggers = await PairsAsync(connection, "SELECT name, sql FROM main.sqlite_schema WHERE type = 'trigger' ORDER BY name");
        var sql = new StringBuilder();
        foreach (var (name, _) in triggers) sql.Append($"DROP TRIGGER IF EXISTS main.\"{name}\";\n");
        foreach (var table in sequence ? [.. tables, "sqlite_sequence"] : tables)
            sql.Append($"DELETE FROM main.\"{table}\"; INSERT INTO main.\"{table}\" SELECT * FROM baseline.\"{table}\";\n");
        foreach (var (_, create) in triggers) sql.Append(create).Append(";\n");
        return new DatabaseReset(connection, tables, sql.ToString());
    }

    private static async Task<DatabaseReset> CapturePostgresAsync(DbConnection connection)
    {
        var tables = await TablesAsync(connection);
        var ordered = ParentsFirst(tables, await PairsAsync(connection, """
            SELECT child.relname, parent.relname FROM pg_constraint k
            JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
            JOIN pg_namespace n ON n.oid = child.relnamespace
            WHERE k.contype = 'f' AND n.nspname = 'public'
            """));
        var copy = new StringBuilder($"DROP SCHEMA IF EXISTS {BaselineSchema} CASCADE; CREATE SCHEMA {BaselineSchema};\n");
        foreach (var table in tables) copy.Append($"CREATE TABLE {BaselineSchema}.\"{table}\" AS TABLE public.\"{table}\";\n");
        await ExecuteAsync(connection, copy.ToString());

        // Replica mode: no user trigger fires during the reset (sealed audit rows refuse DELETE, decision 046).
        var sql = new StringBuilder("SET LOCAL session_replication_role = replica;\n");
        // DELETE, children first, not TRUNCATE: for tables this small it is many times faster (TRUNCATE makes new files
        // for every table and index: 150-400 ms a reset on this machine, against 10-40 ms).
        foreach (var table in Enumerable.Reverse(ordered)) sql.Append($"DELETE FROM public.\"{table}\";\n");
        foreach (var table in ordered)
            sql.Append($"INSERT INTO public.\"{table}\" OVERRIDING SYSTEM VALUE SELECT * FROM {BaselineSchema}.\"{table}\";\n");
        // Identity columns draw from sequences, which deleting rows leaves alone: each goes back to where it stood.
        await using (var sequences = connection.CreateCommand())
        {
            sequences.CommandText = "SELECT sequencename, last_value, start_value FROM pg_sequences WHERE schemaname = 'public'";
            await using var reader = await sequences.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var name = reader.GetString(0).Replace("\"", "\"\"", StringComparison.Ordinal);
                sql.Append(reader.IsDBNull(1)
                    ? $"SELECT setval('public.\"{name}\"', {reader.GetInt64(2)}, false);\n"
                    : $"SELECT setval('public.\"{name}\"', {reader.GetInt64(1)}, true);\n");
            }
        }
        return new DatabaseReset(connection, tables, sql.ToString());
    }

    /// <summary>The tables ordered so each comes after the tables its foreign keys point to.</summary>
    private static List<string> ParentsFirst(List<string> tables, List<(string Child, string Parent)> references)
    {
        var ordered = new List<string>();
        var state = new Dictionary<string, bool>(); // false: being placed, true: placed
        void Place(string table)
        {
            if (state.TryGetValue(table, out var placed))
            {
                if (!placed) throw new InvalidOperationException($"foreign keys form a cycle through {table}; a reset cannot order its inserts");
                return;
            }
            state[table] = false;
            foreach (var (_, parent) in references.Where(r => r.Child == table && r.Parent != table)) Place(parent);
            state[table] = true;
            ordered.Add(table);
        }
        foreach (var table in tables) Place(table);
        return ordered;
    }

    private static async Task<List<(string, string)>> PairsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var pairs = new List<(string, string)>();
        while (await reader.ReadAsync()) pairs.Add((reader.GetString(0), reader.GetString(1)));
        return pairs;
    }

    internal static async Task<List<T>> ColumnAsync<T>(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync()) values.Add(reader.GetFieldValue<T>(0));
        return values;
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }
}
