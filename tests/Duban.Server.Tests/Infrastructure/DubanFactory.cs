using Duban.Data;
using Duban.Data.Writes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// The real host (Program) on a real database (see <see cref="DatabaseTarget"/>), with its background timer, chase and
/// schedule workers off: a test runs a round when it wants one (<c>TimerWorker.RunOnceAsync</c>,
/// <c>ChaseWorker.RunOnceAsync</c>, <c>ScheduleWorker.RunOnceAsync</c>), so nothing changes the data behind its back.
/// </summary>
/// <param name="clock">The host's clock; the system clock when null.</param>
/// <param name="environment">The host environment; "Production" to see what a deployed server answers.</param>
/// <param name="settings">More configuration, e.g. <c>Duban:Seed:DemoItems</c>.</param>
public sealed class DubanFactory(DatabaseTarget database, TimeProvider? clock = null, string environment = "Testing",
    IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<Program>
{
    /// <summary>PBKDF2 rounds of the test hosts' password hashes.</summary>
    public const int TestPasswordRounds = 1_000;

    public DatabaseTarget Database { get; } = database;
    public TestGate Gate { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Duban:DataDir", Database.DataDir);
        builder.UseSetting("Duban:Database:Provider", Database.Provider);
        builder.UseSetting("ConnectionStrings:Duban", Database.ConnectionString ?? "");
        builder.UseSetting("Duban:Timers:Enabled", "false");
        builder.UseSetting("Duban:Chasing:Enabled", "false");
        builder.UseSetting("Duban:Schedules:Enabled", "false");
        builder.UseSetting("Duban:Compaction:Enabled", "false");
        builder.UseSetting("Duban:Reports:Enabled", "false");
        // The demo organization is what the suite works on; a production start has none (decision 043).
        builder.UseSetting("Duban:Seed:Enabled", "true");
        builder.UseSetting("Duban:Notifications:Enabled", "false");
        // The audit log is sealed on demand when read; a background sealer would race the database resets.
        builder.UseSetting("Duban:Audit:SealInterval", "00:00:00");
        // The suite signs in hundreds of times from one address; the throttle's own tests set their limits (decision 036).
        builder.UseSetting("Duban:Security:SignIn:PerClientPerMinute", "100000");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services =>
        {
            services.RemoveAll<ICommitGate>();
            services.AddSingleton<ICommitGate>(Gate);
            // The same PBKDF2 with 1,000 rounds instead of 100,000: a sign-in then costs about a millisecond instead of
            // 60-100 ms of CPU, and the suite signs in hundreds of times. Seeded and test-made users alike get these
            // hashes, as every test host (the seeding one too) says the same.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordRounds);
            if (clock is not null)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            }
        });
    }

    /// <summary>Every client of a test host sends the header the web app sends on state-changing calls (decision 036).</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public Task WithDbAsync(Func<DubanDbContext, Task> work) =>
        WithScopeAsync(async sp => { await work(sp.GetRequiredService<DubanDbContext>()); return 0; });
}

/// <summary>
/// Holds requests just before they commit, until the expected number have arrived — so two completions of the
/// same task are forced to read the same state and race at commit, every time.
/// </summary>
public sealed class TestGate : ICommitGate
{
    private TaskCompletionSource? _release;
    private int _expected;
    private int _arrived;
    private string[] _operations = [];

    /// <summary>Holds the next <paramref name="requests"/> writes of any of <paramref name="operations"/> until all have arrived.</summary>
    public void HoldUntil(int requests, params string[] operations)
    {
        _operations = operations;
        _arrived = 0;
        _expected = requests;
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Open() => _release = null;

    private string? _parkedOperation;
    private TaskCompletionSource? _parkedArrived;
    private TaskCompletionSource? _unpark;

    /// <summary>
    /// Parks the next write of <paramref name="operation"/> just before it commits (its reads done) until <see cref="Unpark"/>:
    /// the test lets another write commit meanwhile. Returns when the parked write has arrived. Its retries pass.
    /// </summary>
    public Task Park(string operation)
    {
        _parkedArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _unpark = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _parkedOperation = operation;
        return _parkedArrived.Task;
    }

    public void Unpark() => _unpark?.TrySetResult();

    public async ValueTask BeforeCommitAsync(string operation, string subject, CancellationToken cancellationToken)
    {
        if (operation == _parkedOperation && Interlocked.Exchange(ref _parkedOperation, null) == operation)
        {
            _parkedArrived!.TrySetResult();
            await _unpark!.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
            return;
        }
        var release = _release;
        if (release is null || !_operations.Contains(operation)) return;
        if (Interlocked.Increment(ref _arrived) > _expected) return;
        if (Volatile.Read(ref _arrived) == _expected) release.TrySetResult();
        await release.Task.WaitAsync(TimeSpan.FromSeconds(20), cancellationToken);
    }
}
