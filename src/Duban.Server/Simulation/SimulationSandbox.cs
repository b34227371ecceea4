using Duban.Data;
using Duban.Data.Calendar;
using Duban.Data.Definitions;
using Duban.Data.Notifications;
using Duban.Data.Organization;
using Duban.Data.Simulation;
using Duban.Data.Writes;
using Duban.Data.Supervision;
using Duban.Data.Supervision.Scoring;
using Duban.Data.Supervision.Settings;
using Duban.Engine;
using Duban.Server.Attachments;
using Duban.Server.Notifications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Server.Simulation;

/// <summary>The clock of one simulation: it reads what the walk set, nothing else (docs/decisions/045).</summary>
public sealed class SimulationClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>
/// A throwaway installation for one simulation (docs/decisions/045): Duban's own engine, write door, timers, chasing and
/// scoring, registered as the server registers them, on a SQLite file of its own in the temporary folder, with a
/// <see cref="SimulationClock"/>. It holds a copy of one organization's units, people and roles, calendar, supervision
/// settings (ladder, extension policy, score events), scoring rules, numbering and published procedures, plus the version
/// being simulated as its published one. Nothing it does reaches the real database; the file is deleted on dispose.
/// </summary>
public sealed class SimulationSandbox : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _template;

    private readonly string _dir;

    private SimulationSandbox(string dir, ServiceProvider services, SimulationClock clock)
    {
        _dir = dir;
        Services = services;
        Clock = clock;
    }

    public ServiceProvider Services { get; }

    public SimulationClock Clock { get; }

    /// <summary>
    /// A sandbox holding a copy of <paramref name="organizationId"/> from <paramref name="real"/> (read only), with
    /// <paramref name="version"/> published as its procedure <see cref="DefinitionRecord.DefinitionId"/>.
    /// </summary>
    public static async Task<SimulationSandbox> CreateAsync(DubanDbContext real, string organizationId, DefinitionRecord version, DateTimeOffset start, CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "duban-simulation", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(await TemplateAsync(ct), Path.Combine(dir, "duban.db"));
        }
        catch
        {
            TryDelete(dir);
            throw;
        }
        var clock = new SimulationClock(start);
        var sandbox = new SimulationSandbox(dir, Build(dir, clock), clock);
        try
        {
            await CopyAsync(real, sandbox.Services, organizationId, version, ct);
            return sandbox;
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    /// <summary>Duban's services as Program registers those the runtime needs, on the sandbox's file and clock; no hosted service is started.</summary>
    private static ServiceProvider Build(string dir, SimulationClock clock)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Duban:DataDir"] = dir,
            ["Duban:Database:Provider"] = "Sqlite",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddDubanEngine();
        services.AddDubanData(configuration);
        services.AddDubanSupervision(configuration);
        services.AddDubanNotifications(configuration);
        services.AddDubanAttachments(configuration);
        services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
        services.Configure<OrganizationCacheOptions>(o => o.Expiry = TimeSpan.Zero);
        return services.BuildServiceProvider();
    }

    /// <summary>An empty, migrated database file, made once per process and copied for each sandbox.</summary>
    private static async Task<string> TemplateAsync(CancellationToken ct)
    {
        if (_template is { } ready && File.Exists(ready)) return ready;
        await TemplateLock.WaitAsync(ct);
        try
        {
            if (_template is { } made && File.Exists(made)) return made;
            var dir = Path.Combine(Path.GetTempPath(), "duban-simulation", "template-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            await using (var services = Build(dir, new SimulationClock(DateTimeOffset.UtcNow)))
            await using (var scope = services.CreateAsyncScope())
                await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Database.MigrateAsync(ct);
            SqliteConnection.ClearAllPools();
            return _template = Path.Combine(dir, "duban.db");
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    /// <summary>Reads the organization's rows from the real database (reads only) and seeds the sandbox with them through its own door.</summary>
    private static async Task CopyAsync(DubanDbContext real, IServiceProvider sandbox, string organizationId, DefinitionRecord version, CancellationToken ct)
    {
        var unitRows = await real.Units.AsNoTracking().ToListAsync(ct);
        var snapshot = new OrganizationSnapshot([], unitRows);
        var users = await real.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId && u.IsActive).ToListAsync(ct);
        foreach (var user in users)
        {
            // Nobody signs in to a sandbox: no password, no second factor goes into its file.
            user.PasswordHash = null;
            user.TotpSecret = null;
            user.TotpRecoveryCodes = null;
        }
        var userIds = users.Select(u => u.Id).ToList();

        // The organization's published procedures (a step may start another), the simulated version standing for its own.
        var definitions = await real.Definitions.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.IsPublished && d.DefinitionId != version.DefinitionId).ToListAsync(ct);
        var simulated = await real.Definitions.AsNoTracking().SingleAsync(d => d.Id == version.Id, ct);
        simulated.IsPublished = true;
        simulated.IsLatest = true;
        simulated.PublishedAt ??= simulated.UpdatedAt;
        definitions.Add(simulated);

        var seed = new SandboxSeed(
            [.. unitRows.Where(u => snapshot.OrganizationOfUnit(u.Id) == organizationId)],
            users,
            await real.Roles.AsNoTracking().ToListAsync(ct),
            await real.UserRoles.AsNoTracking().Where(r => userIds.Contains(r.UserId)).ToListAsync(ct),
            await OwnAsync<CalendarYearRecord>(real, organizationId, ct),
            await OwnAsync<CalendarDayRecord>(real, organizationId, ct),
            await OwnAsync<SupervisionSettingsRecord>(real, organizationId, ct),
            await OwnAsync<ScoreRuleRecord>(real, organizationId, ct),
            await OwnAsync<NotificationSettingsRecord>(real, organizationId, ct),
            definitions);
        await using var scope = sandbox.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new SeedSandbox(seed), ct);
    }

    /// <summary>The rows of <typeparamref name="T"/> that belong to the organization (its <c>OrganizationId</c>).</summary>
    private static Task<List<T>> OwnAsync<T>(DubanDbContext real, string organizationId, CancellationToken ct) where T : class =>
        real.Set<T>().AsNoTracking().Where(r => EF.Property<string>(r, "OrganizationId") == organizationId).ToListAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        TryDelete(_dir);
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
