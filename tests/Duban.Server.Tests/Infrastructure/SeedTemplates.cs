using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// How a seeded test database is made: with or without the three demo items, and on the system clock or on a test clock
/// standing at <see cref="Clock"/> (what the seeded rows' times, deadlines and calendar say). Hosts started on a copy are
/// given the same settings, so a seeding that runs again on every start would find nothing to do.
/// </summary>
public sealed record SeedVariant(bool DemoItems = true, DateTimeOffset? Clock = null)
{
    public static readonly SeedVariant Default = new();

    /// <summary>The configuration a host on this variant is started with.</summary>
    /// <remarks>
    /// Computed, not stored: a stored dictionary would take part in the record's equality by reference, so no two
    /// variants would be equal and every <c>new SeedVariant(…)</c> would migrate and seed a template of its own (each
    /// virtual-clock test did, about 10 s apiece); the templates are keyed by the variant's values.
    /// </remarks>
    public IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string> { ["Duban:Seed:DemoItems"] = DemoItems ? "true" : "false" };
}

/// <summary>
/// Migrating and seeding a database costs seconds; copying one costs milliseconds. So each (provider, variant) is
/// migrated and seeded once per test process by the real host, and every test database is a copy of that one:
/// SQLite copies a file; PostgreSQL runs <c>CREATE DATABASE … TEMPLATE</c>. Besides the database, the seeding host's
/// data folder is copied too (anything the host keeps there, such as a "set up" marker, comes with the copy).
/// <para>
/// The templates are removed when the process exits; in case it was killed first, each process also removes those
/// of processes of this machine that no longer run (their names carry the machine and the process id).
/// </para>
/// </summary>
internal static class SeedTemplates
{
    private static readonly ConcurrentDictionary<(string Provider, SeedVariant Variant), Lazy<Task<Template>>> Templates = new();
    private static readonly ConcurrentBag<Template> Made = [];
    private static readonly string Owner = $"{(uint)string.GetHashCode(Environment.MachineName, StringComparison.Ordinal) % 100_000_000:d8}_{Environment.ProcessId}";
    private static readonly string TemplatesDir = Path.Combine(Path.GetTempPath(), "duban-tests");
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Swept = new();

    static SeedTemplates() => AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveAll();

    public static async Task<DatabaseTarget> CopyAsync(string provider, SeedVariant variant)
    {
        var template = await Templates.GetOrAdd((provider, variant), key => new(() => CreateAsync(key.Provider, key.Variant))).Value;
        DatabaseTarget copy;
        if (template.PostgresName is { } name)
            copy = await DatabaseTarget.FromPostgresTemplateAsync(name);
        else
        {
            copy = DatabaseTarget.NewSqlite();
            File.Copy(template.SqliteFile!, copy.DatabaseFile);
        }
        CopyFiles(template.DataDir, copy.DataDir);
        return copy;
    }

    /// <summary>The real host migrates and seeds an empty database; then it is frozen as a template.</summary>
    private static async Task<Template> CreateAsync(string provider, SeedVariant variant)
    {
        await Swept.GetOrAdd(provider, p => new(() => SweepAsync(p))).Value;
        var id = $"{Owner}_{Guid.NewGuid().ToString("N")[..8]}";
        var seeded = await DatabaseTarget.EmptyAsync(provider, provider == "Postgres" ? "duban_tpl_" + id : null);
        var clock = variant.Clock is { } at ? new TestClock(at) : null;
        await using (var host = new DubanFactory(seeded, clock, settings: variant.Settings))
            _ = host.Server; // start: migrate and seed

        var dir = Path.Combine(TemplatesDir, "template_" + id);
        var files = Path.Combine(dir, "files");
        Directory.CreateDirectory(files);
        CopyFiles(seeded.DataDir, files);
        if (seeded.IsPostgres)
        {
            // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template; so nobody may connect.
            seeded.ClearPools();
            var name = seeded.DatabaseName!;
            await DatabaseTarget.AdminAsync(
                $"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false IS_TEMPLATE true",
                $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
            Directory.Delete(seeded.DataDir, recursive: true);
            return Register(new Template(dir, files, null, name));
        }

        // A consistent, self-contained copy of the file (the write-ahead log folded in), whatever connections are open.
        var file = Path.Combine(dir, "duban.db");
        await using (var connection = seeded.NewConnection())
        {
            await connection.OpenAsync();
            await using var vacuum = connection.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $file";
            vacuum.Parameters.Add(new SqliteParameter("$file", file));
            await vacuum.ExecuteNonQueryAsync();
        }
        await seeded.DisposeAsync();
        return Register(new Template(dir, files, file, null));
    }

    /// <summary>Copies a data folder, but not a SQLite database in it (that is copied on its own, complete).</summary>
    private static void CopyFiles(string from, string to)
    {
        foreach (var path in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, path);
            if (relative.StartsWith("duban.db", StringComparison.Ordinal)) continue;
            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
    }

    /// <param name="Dir">Everything of the template on disk.</param>
    /// <param name="DataDir">The files of the seeding host's data folder.</param>
    private sealed record Template(string Dir, string DataDir, string? SqliteFile, string? PostgresName);

    private static Template Register(Template template)
    {
        Made.Add(template);
        return template;
    }

    private static void RemoveAll()
    {
        foreach (var template in Made)
            Remove(template.Dir, template.PostgresName).GetAwaiter().GetResult();
    }

    private static async Task Remove(string? dir, string? database)
    {
        try
        {
            if (database is not null)
                await DatabaseTarget.AdminAsync($"ALTER DATABASE \"{database}\" WITH IS_TEMPLATE false", $"DROP DATABASE IF EXISTS \"{database}\"");
            if (dir is not null && Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NpgsqlException)
        {
            Console.Error.WriteLine($"could not remove the test template {database ?? dir}: {e.Message}");
        }
    }

    /// <summary>Removes the templates left by processes of this machine that are gone.</summary>
    private static async Task SweepAsync(string provider)
    {
        var machine = Owner.Split('_')[0];
        bool Gone(string name)
        {
            var parts = name.Split('_');
            return parts.Length == 5 && parts[2] == machine && int.TryParse(parts[3], out var pid) && !Running(pid);
        }
        if (provider == "Postgres")
        {
            await using var connection = new NpgsqlConnection(DatabaseTarget.AdminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'duban\\_tpl\\_%'", connection);
            var names = new List<string>();
            await using (var reader = await command.ExecuteReaderAsync())
                while (await reader.ReadAsync()) names.Add(reader.GetString(0));
            foreach (var name in names.Where(Gone)) await Remove(null, name);
        }
        else if (Directory.Exists(TemplatesDir))
        {
            foreach (var dir in Directory.GetDirectories(TemplatesDir, "template_*").Where(d => Gone("duban_" + Path.GetFileName(d))))
                await Remove(dir, null);
        }
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
