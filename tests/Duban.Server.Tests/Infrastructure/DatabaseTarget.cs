using System.Data.Common;
using Duban.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// Where a test host's data lives: a folder (Duban:DataDir) and the database — SQLite's duban.db in that folder, or a
/// PostgreSQL database of its own on the server <c>DUBAN_TEST_POSTGRES</c> names. Disposing drops the database and
/// deletes the folder.
/// </summary>
public sealed class DatabaseTarget : IAsyncDisposable
{
    private DatabaseTarget(string provider, string dataDir, string? connectionString, string? databaseName)
    {
        Provider = provider;
        DataDir = dataDir;
        ConnectionString = connectionString;
        DatabaseName = databaseName;
    }

    public string Provider { get; }
    public string DataDir { get; }
    /// <summary>PostgreSQL: the connection string of this database; null for SQLite.</summary>
    public string? ConnectionString { get; }
    /// <summary>PostgreSQL: the database's name; null for SQLite.</summary>
    public string? DatabaseName { get; }
    public bool IsPostgres => Provider == "Postgres";
    /// <summary>SQLite: the database file, where the host puts it.</summary>
    public string DatabaseFile => Path.Combine(DataDir, "duban.db");

    /// <summary>
    /// A copy of a database the host has migrated and seeded (the demo organization and the shipped templates; demo
    /// items and the seeding clock as <paramref name="variant"/> says). The seeding runs once per test run and
    /// variant; each call copies its result, which is far cheaper than migrating and seeding again.
    /// </summary>
    public static Task<DatabaseTarget> SeededAsync(string provider, SeedVariant? variant = null) =>
        SeedTemplates.CopyAsync(provider, variant ?? SeedVariant.Default);

    /// <summary>An empty database (no tables): the first host on it migrates and seeds it.</summary>
    /// <param name="name">PostgreSQL: the database's name; a new one when null.</param>
    public static async Task<DatabaseTarget> EmptyAsync(string provider, string? name = null)
    {
        if (provider != "Postgres") return new DatabaseTarget("Sqlite", NewDataDir(), null, null);
        name ??= NewDatabaseName();
        await AdminAsync($"CREATE DATABASE \"{name}\"");
        return ForPostgres(name);
    }

    /// <summary>A new database copied from the template database <paramref name="template"/>.</summary>
    internal static async Task<DatabaseTarget> FromPostgresTemplateAsync(string template)
    {
        var name = NewDatabaseName();
        await AdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        return ForPostgres(name);
    }

    /// <summary>A SQLite target in a new folder; the caller puts the files in it.</summary>
    internal static DatabaseTarget NewSqlite() => new("Sqlite", NewDataDir(), null, null);

    private static DatabaseTarget ForPostgres(string name)
    {
        var builder = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name };
        return new DatabaseTarget("Postgres", NewDataDir(name), builder.ConnectionString, name);
    }

    /// <summary>A connection of the test's own to this database (not one of the host's), not yet open.</summary>
    public DbConnection NewConnection() => IsPostgres
        ? new NpgsqlConnection(ConnectionString)
        : new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabaseFile, Pooling = false }.ToString());

    public async ValueTask DisposeAsync()
    {
        if (IsPostgres)
        {
            ClearPools();
            await AdminAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        }
        else
        {
            // The host's pooled connections hold the file open.
            SqliteConnection.ClearPool(new SqliteConnection($"Data Source={DatabaseFile}"));
        }
        try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Closes the idle pooled connections to this PostgreSQL database: the host's and the test's own.</summary>
    internal void ClearPools()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(DataServiceCollectionExtensions.WithPostgresDefaults(ConnectionString!)));
    }

    internal static string AdminConnectionString
    {
        get
        {
            var admin = Environment.GetEnvironmentVariable("DUBAN_TEST_POSTGRES");
            if (string.IsNullOrWhiteSpace(admin))
                throw new InvalidOperationException(
                    "DUBAN_TEST_POSTGRES is not set. The PostgreSQL half of the suite needs a server: run ./test.sh, " +
                    "or `eval \"$(scripts/pg-temp.sh start)\"` before `dotnet test`.");
            return admin;
        }
    }

    /// <summary>
    /// Runs statements one by one on the server's maintenance database (CREATE / DROP / ALTER DATABASE, which refuse to
    /// run in a transaction or batch).
    /// </summary>
    internal static async Task AdminAsync(params string[] statements)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static string NewDatabaseName() => "duban_test_" + Guid.NewGuid().ToString("N")[..12];

    private static string NewDataDir(string? name = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "duban-tests", name ?? Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
