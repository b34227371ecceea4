using Duban.Data;
using Duban.Data.Definitions.Admin;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Duban.Benchmarks;

/// <summary>
/// A fresh database <c>duban_bench_&lt;random&gt;</c> on the given server, the Duban services over it (engine and data,
/// no host, so the timer worker never runs), a minimal organization and the demo procedure published.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const string DefinitionId = "demo-supervision";

    public static readonly CurrentUser Leader = new("bench-leader", "lingdao", "李厅长", "sft", "省司法厅", [Roles.Leader]) { OrganizationId = "sft" };
    public static readonly CurrentUser Supervisor = new("bench-ducha", "ducha", "王督查", "bgs", "厅办公室（督查室）", [Roles.Supervisor]) { OrganizationId = "sft" };
    public static readonly CurrentUser Liaison = new("bench-fazhi", "fazhi", "张联络", "fzc", "法制处", [Roles.Liaison]) { OrganizationId = "sft" };

    private readonly BenchSettings _settings;
    private bool _created;

    public string DatabaseName { get; }
    public string ConnectionString { get; }
    public ServiceProvider Services { get; private set; } = null!;
    public SqlProfiler Profiler { get; } = new();

    private BenchEnvironment(BenchSettings settings)
    {
        _settings = settings;
        DatabaseName = "duban_bench_" + Guid.NewGuid().ToString("N")[..12];
        ConnectionString = new NpgsqlConnectionStringBuilder(settings.ServerConnectionString)
        {
            Database = DatabaseName,
            // Enough for every client of the Duban phases and of the raw phase at once.
            MaxPoolSize = Math.Max(100, settings.Clients * 2 + 10),
        }.ConnectionString;
    }

    public static async Task<BenchEnvironment> CreateAsync(BenchSettings settings)
    {
        var env = new BenchEnvironment(settings);
        try
        {
            await env.CreateDatabaseAsync();
            env.Services = env.BuildServices();
            await env.SeedAsync();
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    private async Task CreateDatabaseAsync()
    {
        await using var connection = new NpgsqlConnection(_settings.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\" ENCODING 'UTF8' TEMPLATE template0", connection);
        await command.ExecuteNonQueryAsync();
        _created = true;
    }

    private ServiceProvider BuildServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Duban:Database:Provider"] = "Postgres",
            ["ConnectionStrings:Duban"] = ConnectionString,
            ["Duban:Timers:Enabled"] = "false",
        }).Build();

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            // A fresh database has no __EFMigrationsHistory yet; EF logs its first probe of it as a failed command.
            // Failures during the run are caught and reported by the benchmark itself.
            .AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.None));
        services.AddDubanEngine();
        services.AddDubanData(configuration);
        // The profiler only counts and times; it is cheap enough to leave in for every run.
        services.ConfigureDbContext<PostgresDubanDbContext>(o => o.AddInterceptors(Profiler.Interceptors));
        // An event's own batch (PostgresEventWriter) goes past EF Core's interceptors; it reports itself.
        Duban.Data.Storage.PostgresEventWriter.BatchExecuted += Profiler.RecordBatch;
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    private async Task SeedAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await db.Database.MigrateAsync();

        var roleIds = new Dictionary<string, string>();
        foreach (var role in Roles.All)
        {
            var record = new IdentityRole(role) { Id = "role-" + roleIds.Count, NormalizedName = role.ToUpperInvariant() };
            roleIds[role] = record.Id;
            db.Roles.Add(record);
        }

        db.Units.AddRange(
            new UnitRecord { Id = "sft", Name = "省司法厅", Kind = "机关", SortOrder = 0, LeaderUserId = Leader.Id },
            new UnitRecord { Id = "bgs", Name = "厅办公室（督查室）", ParentId = "sft", Kind = "督查部门", SortOrder = 1, LeaderUserId = Supervisor.Id },
            new UnitRecord { Id = "fzc", Name = "法制处", ParentId = "sft", Kind = "承办单位", SortOrder = 2 });

        foreach (var user in new[] { Leader, Supervisor, Liaison })
        {
            db.Users.Add(new DubanUser
            {
                Id = user.Id, UserName = user.UserName, NormalizedUserName = user.UserName.ToUpperInvariant(),
                DisplayName = user.DisplayName, UnitId = user.UnitId, OrganizationId = user.OrganizationId, SecurityStamp = Guid.NewGuid().ToString("N"),
            });
            foreach (var role in user.Roles)
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roleIds[role] });
        }
        await db.SaveChangesAsync();
        scope.ServiceProvider.GetRequiredService<OrganizationCache>().Invalidate();

        var door = scope.ServiceProvider.GetRequiredService<WriteDoor>();
        await door.RunAsync(new ImportDefinition("sft", await File.ReadAllTextAsync(FindDefinitionFile()), Publish: true, UserId: null));
    }

    /// <summary>workflows/demo-supervision.json: copied next to the program by the server project, else found up the tree.</summary>
    private static string FindDefinitionFile()
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "workflows", DefinitionId + ".json");
        if (File.Exists(copied)) return copied;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "workflows", DefinitionId + ".json");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"workflows/{DefinitionId}.json not found from {AppContext.BaseDirectory}");
    }

    public async Task<string> ServerVersionAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version()", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The server's postmaster process if the server runs on this machine (for CPU accounting).</summary>
    public async Task<int?> PostmasterPidAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return CpuMeter.ParentOf((int)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>
    /// Sequential scans per table so far: (scans, rows they read). Pools are cleared first so the backends exit and
    /// flush their statistics (PostgreSQL 15+ keeps a live backend's counts for up to seconds before publishing them).
    /// </summary>
    public async Task<Dictionary<string, (long Scans, long Rows)>> SequentialScansAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await Task.Delay(500);
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT relname, coalesce(seq_scan, 0), coalesce(seq_tup_read, 0) FROM pg_stat_user_tables", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var scans = new Dictionary<string, (long, long)>();
        while (await reader.ReadAsync()) scans[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return scans;
    }

    public async Task<string> ServerSettingAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT current_setting($1)", connection) { Parameters = { new() { Value = name } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        Duban.Data.Storage.PostgresEventWriter.BatchExecuted -= Profiler.RecordBatch;
        if (Services is not null) await Services.DisposeAsync();
        if (!_created) return;
        if (_settings.Keep)
        {
            Console.WriteLine($"(kept database {DatabaseName})");
            return;
        }
        NpgsqlConnection.ClearAllPools();
        try
        {
            await using var connection = new NpgsqlConnection(_settings.ServerConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"warning: could not drop database {DatabaseName}: {e.Message}");
        }
    }
}
