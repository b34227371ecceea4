using Duban.Data.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>Which part of the first-start setup a step belongs to: what every organization needs, or the demo data.</summary>
public enum SetupPart
{
    /// <summary>Roles, the shipped templates, the work calendar: needed by every installation.</summary>
    Baseline,
    /// <summary>The demo organization (units, users) and demo items: only when asked for (<c>Duban:Seed:Enabled</c>).</summary>
    Demo,
}

/// <summary>What a step reports: it finished (recorded, skipped from now on), or it could not yet and stays pending.</summary>
public enum StepResult
{
    Done,
    Pending,
}

/// <summary>
/// One step of the first-start setup. A step <see cref="InOneTransaction"/> commits its work and its record together, so
/// a crash leaves either all or nothing of it; the other kind (demo items, which go through the workflow runtime, one
/// transaction per event) must be resumable: run again after a crash, it finishes what it had started, nothing twice.
/// Every step also checks what is already there, so a database set up before steps were recorded is completed, not
/// duplicated.
/// </summary>
public sealed record SetupStep(string Name, SetupPart Part, bool InOneTransaction, Func<IServiceProvider, CancellationToken, Task<StepResult>> RunAsync);

/// <summary>A seam for tests: called at named points of the start-up (see <see cref="SetupPoints"/>). The default does nothing.</summary>
public interface IFirstStartHook
{
    ValueTask AtAsync(string point, CancellationToken ct);
}

internal sealed class NoFirstStartHook : IFirstStartHook
{
    public ValueTask AtAsync(string point, CancellationToken ct) => ValueTask.CompletedTask;
}

/// <summary>The points at which <see cref="IFirstStartHook"/> is called, in order.</summary>
public static class SetupPoints
{
    /// <summary>Before the start-up lock is asked for.</summary>
    public const string BeforeLock = "before-lock";
    /// <summary>The lock is held; nothing migrated yet.</summary>
    public const string Locked = "locked";
    /// <summary>Migrated; the steps are about to run.</summary>
    public const string Migrated = "migrated";
    /// <summary>Everything done; the lock is about to be released.</summary>
    public const string Unlocking = "unlocking";
    public static string Before(string step) => $"before:{step}";
    /// <summary>The step's work is done, its record not yet committed (inside its transaction, where it has one).</summary>
    public static string After(string step) => $"after:{step}";
}

/// <summary>
/// Everything a start does before it serves requests: take the start-up lock, apply the migrations, and run the
/// first-start steps that have not finished yet — so that instances started together take turns, and a start that
/// crashed half-way is completed by the next one (docs/decisions/020).
/// </summary>
public sealed class FirstStartSetup(IServiceScopeFactory scopes, IStartupLock startupLock, IFirstStartHook hook, OrganizationCache organization,
    Clock.VirtualClock virtualClock, Microsoft.Extensions.Options.IOptions<Clock.ClockOptions> clockOptions, IHostEnvironment environment,
    TimeProvider clock, IConfiguration configuration, ILogger<FirstStartSetup> logger)
{
    /// <summary>The steps in the order they run. The templates and the calendar follow the organization they are for;
    /// the calendar precedes the demo items, whose deadlines count working days.</summary>
    public static readonly IReadOnlyList<SetupStep> AllSteps =
    [
        new(BaselineSetup.RolesStep, SetupPart.Baseline, true, (sp, ct) => sp.GetRequiredService<BaselineSetup>().RolesAsync(ct)),
        // Before any organization a fresh start makes: only organizations from an older installation keep the old default.
        new(BaselineSetup.AdministratorsKeepItemsStep, SetupPart.Baseline, true, (sp, ct) => sp.GetRequiredService<BaselineSetup>().AdministratorsKeepItemsAsync(ct)),
        new(DemoData.OrganizationStep, SetupPart.Demo, true, (sp, ct) => sp.GetRequiredService<DemoData>().OrganizationAsync(ct)),
        new(BaselineSetup.SecurityAdministratorsStep, SetupPart.Baseline, true, (sp, ct) => sp.GetRequiredService<BaselineSetup>().SecurityAdministratorsAsync(ct)),
        new(BaselineSetup.TemplatesStep, SetupPart.Baseline, true, (sp, ct) => sp.GetRequiredService<BaselineSetup>().TemplatesAsync(ct)),
        new(BaselineSetup.CalendarStep, SetupPart.Baseline, true, (sp, ct) => sp.GetRequiredService<BaselineSetup>().CalendarAsync(ct)),
        new(DemoData.ItemsStep, SetupPart.Demo, false, (sp, ct) => sp.GetRequiredService<DemoData>().ItemsAsync(ct)),
        new(BaselineSetup.ItemSourcesStep, SetupPart.Baseline, false, (sp, ct) => sp.GetRequiredService<BaselineSetup>().ItemSourcesAsync(ct)),
    ];

    /// <summary>
    /// <c>Duban:Seed:Enabled</c> (default false — a production start creates no known password; <c>run.sh</c> and the
    /// tests ask for it): the demo organization; <c>Duban:Seed:DemoItems</c> (default true): its items too.
    /// </summary>
    public static bool DemoEnabled(IConfiguration configuration) => configuration.GetValue("Duban:Seed:Enabled", false);

    public IReadOnlyList<SetupStep> Steps => AllSteps.Where(s => s.Part == SetupPart.Baseline
        || (DemoEnabled(configuration) && (s.Name != DemoData.ItemsStep || configuration.GetValue("Duban:Seed:DemoItems", true)))).ToList();

    public async Task RunAsync(CancellationToken ct)
    {
        await hook.AtAsync(SetupPoints.BeforeLock, ct);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await using (await startupLock.AcquireAsync(db, ct))
        {
            await hook.AtAsync(SetupPoints.Locked, ct);
            if (!db.IsPostgres) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.MigrateAsync(ct);
            await ClockStart.RunAsync(db, virtualClock, clockOptions.Value, environment, ct);
            await hook.AtAsync(SetupPoints.Migrated, ct);

            var finished = await db.Set<SetupStepRecord>().AsNoTracking().Select(s => s.Name).ToListAsync(ct);
            foreach (var step in Steps.Where(s => !finished.Contains(s.Name)))
                await RunStepAsync(step, ct);
            await EveryStartAsync(ct);
            await hook.AtAsync(SetupPoints.Unlocking, ct);
        }
    }

    private async Task RunStepAsync(SetupStep step, CancellationToken ct)
    {
        logger.LogInformation("First-start setup: {Step}", step.Name);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await hook.AtAsync(SetupPoints.Before(step.Name), ct);
        StepResult result;
        if (step.InOneTransaction)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            result = await step.RunAsync(scope.ServiceProvider, ct);
            await RecordAsync(db, step, result, ct);
            await transaction.CommitAsync(ct);
        }
        else
        {
            result = await step.RunAsync(scope.ServiceProvider, ct);
            await RecordAsync(db, step, result, ct);
        }
        // Users, units and calendars the step wrote are read by the next one through the snapshot.
        organization.Invalidate();
        if (result == StepResult.Pending) logger.LogWarning("First-start step {Step} could not finish yet; it runs again on the next start", step.Name);
    }

    /// <summary>
    /// Not recorded steps, run on every start: a role added by a later version is created on an installation whose roles
    /// step finished long ago; the initial administrator until he has a password of his own (decision 043).
    /// </summary>
    private async Task EveryStartAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await scope.ServiceProvider.GetRequiredService<BaselineSetup>().RolesAsync(ct);
        await scope.ServiceProvider.GetRequiredService<InitialAdministrator>().EnsureAsync(ct);
        await transaction.CommitAsync(ct);
        organization.Invalidate();
    }

    private async Task RecordAsync(DubanDbContext db, SetupStep step, StepResult result, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        await hook.AtAsync(SetupPoints.After(step.Name), ct);
        if (result != StepResult.Done) return;
        db.Set<SetupStepRecord>().Add(new SetupStepRecord { Name = step.Name, CompletedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Where the shipped templates are: <c>Duban:WorkflowsDir</c>, or <c>workflows/</c> next to the server.</summary>
    public static string WorkflowsDir(IConfiguration configuration) =>
        configuration["Duban:WorkflowsDir"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "workflows");
}

public static class FirstStartServiceCollectionExtensions
{
    /// <summary>The start-up lock and the first-start steps; <see cref="RunFirstStartAsync"/> runs them.</summary>
    public static IServiceCollection AddDubanFirstStart(this IServiceCollection services)
    {
        services.TryAddSingleton<IStartupLock, StartupLock>();
        services.TryAddSingleton<IFirstStartHook, NoFirstStartHook>();
        services.AddSingleton<FirstStartSetup>();
        services.AddScoped<BaselineSetup>();
        services.AddScoped<DemoData>();
        services.AddScoped<InitialAdministrator>();
        services.AddSingleton<InitialAdministratorNotice>();
        return services;
    }

    /// <summary>Migrates the database and finishes the first-start setup, one instance at a time.</summary>
    public static Task RunFirstStartAsync(this IServiceProvider services, CancellationToken ct) =>
        services.GetRequiredService<FirstStartSetup>().RunAsync(ct);
}
