using Duban.Data;
using Duban.Data.Calendar;
using Duban.Data.Definitions;
using Duban.Data.Notifications;
using Duban.Data.Organization;
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
            var clock = new SimulationClock(start);
            var sandbox = new SimulationSandbox(dir, Build(dir, clock), clock);
            await using (var scope = sandbox.Services.CreateAsyncScope())
                await CopyAsync(real, scope.ServiceProvider.GetRequiredService<DubanDbContext>(), organizationId, version, ct);
            return sandbox;
        }
        catch
        {
            TryDelete(dir);
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

    private static async Task CopyAsync(DubanDbContext real, DubanDbContext sandbox, string organizationId, DefinitionRecord version, CancellationToken ct)
    {
        var unitRows = await real.Units.AsNoTracking().ToListAsync(ct);
        var snapshot = new OrganizationSnapshot([], unitRows);
        sandbox.Units.AddRange(unitRows.Where(u => snapshot.OrganizationOfUnit(u.Id) == organizationId));

        var users = await real.Users.AsNoTracking().Where(u => u.OrganizationId == organizationId && u.IsActive).ToListAsync(ct);
        foreach (var user in users) user.PasswordHash = null; // nobody signs in to a sandbox
        sandbox.Users.AddRange(users);
        var userIds = users.Select(u => u.Id).ToList();
        sandbox.Roles.AddRange(await real.Roles.AsNoTracking().ToListAsync(ct));
        sandbox.UserRoles.AddRange(await real.UserRoles.AsNoTracking().Where(r => userIds.Contains(r.UserId)).ToListAsync(ct));

        await CopyOwnAsync<CalendarYearRecord>(real, sandbox, organizationId, ct);
        await CopyOwnAsync<CalendarDayRecord>(real, sandbox, organizationId, ct);
        await CopyOwnAsync<SupervisionSettingsRecord>(real, sandbox, organizationId, ct);
        await CopyOwnAsync<ScoreRuleRecord>(real, sandbox, organizationId, ct);
        await CopyOwnAsync<NotificationSettingsRecord>(real, sandbox, organizationId, ct);

        // The organization's published procedures (a step may start another), the simulated version standing for its own.
        var published = await real.Definitions.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.IsPublished && d.DefinitionId != version.DefinitionId).ToListAsync(ct);
        sandbox.Definitions.AddRange(published);
        var simulated = await real.Definitions.AsNoTracking().SingleAsync(d => d.Id == version.Id, ct);
        simulated.IsPublished = true;
        simulated.IsLatest = true;
        simulated.PublishedAt ??= simulated.UpdatedAt;
        sandbox.Definitions.Add(simulated);
        await sandbox.SaveChangesAsync(ct);
    }

    /// <summary>Copies the rows of <typeparamref name="T"/> that belong to the organization (its <c>OrganizationId</c>).</summary>
    private static async Task CopyOwnAsync<T>(DubanDbContext real, DubanDbContext sandbox, string organizationId, CancellationToken ct) where T : class
    {
        var rows = await real.Set<T>().AsNoTracking().Where(r => EF.Property<string>(r, "OrganizationId") == organizationId).ToListAsync(ct);
        sandbox.Set<T>().AddRange(rows);
    }

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
