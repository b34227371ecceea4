using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Net.Http.Json;
using Duban.Data;
using Duban.Data.Calendar;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Engine.Calendar;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// The suite's own machinery: a copy of the seeded database is complete and is not seeded again, and a reset puts back
/// every table — one a future migration adds included — and empties the host's caches.
/// </summary>
public abstract class DatabaseResetTests(string provider)
{
    [Fact]
    public async Task A_host_started_on_a_copy_of_the_seeded_database_finds_it_complete_and_seeds_nothing()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        var copied = await TableDump.ReadAsync(database);
        Assert.Equal(Data.Startup.DemoData.Users.Count + 1, copied["AspNetUsers"].Count);
        Assert.Equal(9, copied["Units"].Count);
        Assert.Equal(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json").Length, copied["WorkflowDefinitions"].Count);
        Assert.NotEmpty(copied["CalendarDays"]);

        await using (var host = new DubanFactory(database, settings: DubanFixture.Variant.Settings))
        {
            _ = host.Server;
            Assert.Equal(Data.Startup.DemoData.Users.Count + 1, await host.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Users.CountAsync()));
        }

        var afterStart = await TableDump.ReadAsync(database);
        Assert.Equal(copied.Keys.Order(), afterStart.Keys.Order());
        AssertSame(copied, afterStart);
    }

    [Fact]
    public async Task The_seeded_users_passwords_are_hashed_with_the_test_hosts_cheaper_rounds()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        var users = (await TableDump.ReadAsync(database, "SELECT \"PasswordHash\" FROM \"AspNetUsers\"")).ToList();
        Assert.Equal(Data.Startup.DemoData.Users.Count + 1, users.Count);
        // ASP.NET Core Identity's v3 format: 0x01, the PRF (4 bytes), the rounds (4 bytes, big-endian), …
        Assert.All(users, hash => Assert.Equal(DubanFactory.TestPasswordRounds,
            (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(Convert.FromBase64String(hash).AsSpan(5, 4))));
    }

    [Fact]
    public async Task A_reset_puts_back_every_table_of_the_database_whatever_was_written_to_it()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        await using var host = new DubanFactory(database, settings: DubanFixture.Variant.Settings);
        var model = host.Services.CreateScope().ServiceProvider.GetRequiredService<DubanDbContext>().Model;
        await using var reset = await DatabaseReset.CaptureAsync(database);

        // The tables it resets are the catalog's (as another query of it lists them), the model's among them: Identity's too.
        Assert.Equal(await CatalogTablesAsync(database), reset.Tables.Order());
        var modelTables = model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        Assert.Contains("AspNetUsers", modelTables);
        Assert.Contains("ChaseCases", modelTables);
        Assert.Empty(modelTables.Except(reset.Tables));

        var captured = await TableDump.ReadAsync(database);
        await ScribbleOverEveryTableAsync(database, reset.Tables);
        var scribbled = await TableDump.ReadAsync(database);
        Assert.Equal(captured.Keys.Order(), scribbled.Keys.Order());
        var untouched = captured.Keys.Where(t => captured[t].SequenceEqual(scribbled[t])).ToList();
        Assert.True(untouched.Count == 0, "left as they were: " + string.Join(", ", untouched));

        await reset.RestoreAsync();

        var restored = await TableDump.ReadAsync(database);
        Assert.Equal(captured.Keys.Order(), restored.Keys.Order());
        AssertSame(captured, restored);
        // And the host works on it: a sign-in (users, roles, the cookie keys) and an item (definitions, numbering, calendar).
        var ducha = host.NewClient();
        (await ducha.PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = "Duban@2026" })).EnsureSuccessStatusCode();
        Assert.NotEqual(Guid.Empty, await StartAsync(ducha, "demo-supervision", DemoStartData()));
    }

    [Fact]
    public async Task A_fixture_reset_empties_the_caches_that_mirror_the_database()
    {
        HostFixture fixture = provider == "Postgres" ? new PostgresFixture() : new SqliteFixture();
        await fixture.InitializeAsync();
        try
        {
            var services = fixture.Factory.Services;
            var organization = services.GetRequiredService<OrganizationCache>();
            var definitions = services.GetRequiredService<DefinitionCache>();
            var holiday = new DateOnly(2026, 3, 3); // a Tuesday
            Guid recordId = default;
            await fixture.Factory.WithScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<DubanDbContext>();
                await db.Units.Where(u => u.Id == "fzc").ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, "法制处（改）"));
                db.Set<CalendarDayRecord>().Add(new CalendarDayRecord { OrganizationId = "sft", Date = holiday, Kind = CalendarDayKinds.Holiday, Name = "测试" });
                await db.SaveChangesAsync();
                var record = await db.Definitions.SingleAsync(d => d.DefinitionId == "demo-supervision");
                recordId = record.Id;
                sp.GetRequiredService<DefinitionStore>().Parse(record);
                return 0;
            });
            organization.Invalidate(); // as the app does after such a change; the next read loads and keeps it
            var changed = await organization.GetAsync();
            Assert.Equal("法制处（改）", changed.FindUnit("fzc")!.Name);
            Assert.Equal(DayKind.Holiday, changed.CalendarFor("fzc").Find(holiday)?.Kind);
            Assert.True(definitions.TryGetPublished(recordId, out _));

            await fixture.ResetAsync();

            var reset = await organization.GetAsync();
            Assert.Equal("法制处", reset.FindUnit("fzc")!.Name);
            Assert.Null(reset.CalendarFor("fzc").Find(holiday));
            Assert.False(definitions.TryGetPublished(recordId, out _));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    private static void AssertSame(Dictionary<string, List<string>> expected, Dictionary<string, List<string>> actual)
    {
        var differ = expected.Keys.Where(t => !expected[t].SequenceEqual(actual[t])).ToList();
        Assert.True(differ.Count == 0, "tables that differ: " + string.Join("; ", differ.Select(t =>
            $"{t} (only before: {string.Join(" / ", expected[t].Except(actual[t]).Take(2))}; only after: {string.Join(" / ", actual[t].Except(expected[t]).Take(2))})")));
    }

    /// <summary>The tables as information_schema / pragma_table_list tell them, without the migration history.</summary>
    private static async Task<List<string>> CatalogTablesAsync(DatabaseTarget database)
    {
        await using var connection = database.NewConnection();
        await connection.OpenAsync();
        var sql = database.IsPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite%'";
        var tables = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        return [.. tables.Where(t => t != "__EFMigrationsHistory").Order()];
    }

    /// <summary>
    /// What any test might leave behind, in every table without knowing it: its rows deleted and a made-up row written
    /// (foreign keys not checked), and every counter of generated keys moved on.
    /// </summary>
    private static async Task ScribbleOverEveryTableAsync(DatabaseTarget database, IReadOnlyList<string> tables)
    {
        await using var connection = database.NewConnection();
        await connection.OpenAsync();
        await ExecuteAsync(connection, database.IsPostgres ? "SET session_replication_role = replica" : "PRAGMA foreign_keys = OFF");
        // SQLite has no replica mode: the triggers that refuse changes to sealed audit rows go (the reset makes them again).
        if (!database.IsPostgres)
            foreach (var trigger in await DatabaseReset.ColumnAsync<string>(connection, "SELECT name FROM sqlite_schema WHERE type = 'trigger'"))
                await ExecuteAsync(connection, $"DROP TRIGGER \"{trigger}\"");
        var n = 0;
        foreach (var table in tables)
        {
            var columns = await ColumnsAsync(connection, table);
            var values = columns.Select(c => MadeUp(c, ++n)).ToList();
            await ExecuteAsync(connection, $"""DELETE FROM "{table}"; """ + $"""
                INSERT INTO "{table}" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))})
                {(database.IsPostgres ? "OVERRIDING SYSTEM VALUE " : "")}VALUES ({string.Join(", ", values)})
                """);
        }
        if (database.IsPostgres)
            await ExecuteAsync(connection, "SELECT nextval(format('%I.%I', schemaname, sequencename)::regclass) FROM pg_sequences WHERE schemaname = 'public'");
        else
            await ExecuteAsync(connection, "UPDATE sqlite_sequence SET seq = seq + 1000");
    }

    private sealed record Column(string Name, string Type, int? MaxLength);

    private static async Task<List<Column>> ColumnsAsync(DbConnection connection, string table)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = connection is SqliteConnection
            ? $"SELECT name, type, NULL FROM pragma_table_info('{table}')"
            : $"""
                SELECT column_name, CASE WHEN data_type = 'ARRAY' THEN 'array' ELSE data_type END, character_maximum_length
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' AND is_generated = 'NEVER'
                """;
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new List<Column>();
        while (await reader.ReadAsync())
            columns.Add(new Column(reader.GetString(0), reader.GetString(1).ToUpperInvariant(), reader.IsDBNull(2) ? null : reader.GetInt32(2)));
        return columns;
    }

    /// <summary>A value of the column's type unlike any seeded one; a type not known here fails the test, to be added.</summary>
    private static string MadeUp(Column column, int n)
    {
        var made = "r" + n.ToString(CultureInfo.InvariantCulture);
        var text = $"'{made[..Math.Min(made.Length, column.MaxLength ?? made.Length)]}'";
        return column.Type switch
        {
            "UUID" => $"'{Guid.NewGuid()}'",
            "TEXT" or "CHARACTER VARYING" or "CHARACTER" => text,
            "INTEGER" or "BIGINT" or "SMALLINT" => (900 + n).ToString(CultureInfo.InvariantCulture),
            "BOOLEAN" => "true",
            "REAL" or "DOUBLE PRECISION" or "NUMERIC" => "0.5",
            "TIMESTAMP WITH TIME ZONE" or "TIMESTAMP WITHOUT TIME ZONE" => "'2001-02-03 04:05:06'",
            "DATE" => "'2001-02-03'",
            "INTERVAL" => "'1 hour'",
            "JSONB" or "JSON" => "'{}'",
            "BYTEA" => "'\\x00'",
            "BLOB" => "x'00'",
            "ARRAY" => "'{}'",
            _ => throw new InvalidOperationException($"no made-up value for {column.Name} of type {column.Type}: add one here"),
        };
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Every row of every table (and the counters of generated keys) as sorted text, to compare two moments.</summary>
internal static class TableDump
{
    public static async Task<Dictionary<string, List<string>>> ReadAsync(DatabaseTarget database)
    {
        await using var connection = database.NewConnection();
        await connection.OpenAsync();
        var dump = new Dictionary<string, List<string>>();
        foreach (var table in await DatabaseReset.TablesAsync(connection))
            dump[table] = await RowsAsync(connection, $"SELECT * FROM \"{table}\"");
        if (database.IsPostgres)
            dump["(sequences)"] = await RowsAsync(connection, "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'");
        else
            dump["(sequences)"] = await RowsAsync(connection, "SELECT name, seq FROM sqlite_sequence");
        return dump;
    }

    /// <summary>The rows a query returns, as text.</summary>
    public static async Task<List<string>> ReadAsync(DatabaseTarget database, string sql)
    {
        await using var connection = database.NewConnection();
        await connection.OpenAsync();
        return await RowsAsync(connection, sql);
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))));
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    private static string Text(object value) => value switch
    {
        DBNull => "NULL",
        byte[] bytes => Convert.ToHexString(bytes),
        DateTime time => time.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("O", CultureInfo.InvariantCulture),
        string s => s,
        IEnumerable items => "[" + string.Join(",", items.Cast<object>().Select(Text)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

public sealed class SqliteDatabaseResetTests() : DatabaseResetTests("Sqlite");

public sealed class PostgresDatabaseResetTests() : DatabaseResetTests("Postgres");
