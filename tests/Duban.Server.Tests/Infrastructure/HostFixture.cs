using Duban.Data.Definitions;
using Duban.Data.Organization;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// A host and its database for a collection of test classes: a copy of a seeded database
/// (<see cref="DatabaseTarget.SeededAsync"/>), the real host on it, and <see cref="ResetAsync"/>, which puts the database —
/// every table — and the host's caches back to how they were when the fixture was ready. The classes share it one after
/// another (xunit runs a collection's tests one at a time), so each test starts from that state by calling
/// <see cref="ResetAsync"/> first; starting a host costs about a second, a reset some milliseconds.
/// </summary>
public abstract class HostFixture(string provider, SeedVariant variant) : IAsyncLifetime
{
    private DatabaseReset? _reset;

    public string Provider { get; } = provider;
    public DatabaseTarget Database { get; private set; } = null!;
    public DubanFactory Factory { get; private set; } = null!;
    /// <summary>Holds commits so two requests race on the same state (see <see cref="TestGate"/>).</summary>
    public TestGate Gate => Factory.Gate;

    /// <summary>The host's clock; null for the system clock.</summary>
    protected virtual TimeProvider? HostClock => null;

    public async Task InitializeAsync()
    {
        Database = await DatabaseTarget.SeededAsync(Provider, variant);
        Factory = new DubanFactory(Database, HostClock, settings: variant.Settings);
        _ = Factory.Server; // start: the database is migrated and seeded already, so this finds nothing to do
        await PrepareAsync();
        _reset = await DatabaseReset.CaptureAsync(Database);
    }

    /// <summary>What the fixture adds to the seeded data before the state a reset returns to is captured.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    /// <summary>The database as it was when the fixture was ready, and no cache in the host remembering anything since.</summary>
    public virtual async Task ResetAsync()
    {
        Gate.Open();
        await _reset!.RestoreAsync();
        InvalidateCaches(Factory.Services);
    }

    /// <summary>The host's copies of database rows: the organization snapshot (with the work calendars) and parsed definitions.</summary>
    public static void InvalidateCaches(IServiceProvider services)
    {
        services.GetRequiredService<OrganizationCache>().Invalidate();
        services.GetRequiredService<DefinitionCache>().Clear();
    }

    public virtual async Task DisposeAsync()
    {
        if (_reset is not null) await _reset.DisposeAsync();
        if (Factory is not null) await Factory.DisposeAsync();
        if (Database is not null) await Database.DisposeAsync();
    }
}
