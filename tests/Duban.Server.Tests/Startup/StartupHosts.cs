using System.Collections.Concurrent;
using Duban.Data;
using Duban.Data.Startup;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Startup;

/// <summary>What a test hook does at one start-up point: wait for the other host there, or fail there.</summary>
public sealed class InjectedFailureException(string point) : Exception($"injected failure at {point}")
{
    public string Point { get; } = point;
}

/// <summary>
/// Holds the hosts that reach it until <paramref name="parties"/> are there together, or until one has waited
/// <paramref name="timeout"/>: then the barrier is broken, the ones waiting go on alone, and later ones do not wait.
/// <see cref="Met"/> tells whether all of them were there at once.
/// </summary>
public sealed class PointBarrier(int parties, TimeSpan timeout)
{
    private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _arrived;

    public bool Met => _all.Task.IsCompletedSuccessfully;

    public async Task ArriveAsync(CancellationToken ct)
    {
        if (Interlocked.Increment(ref _arrived) >= parties) _all.TrySetResult();
        try { await _all.Task.WaitAsync(timeout, ct); }
        catch (TimeoutException) { _all.TrySetCanceled(CancellationToken.None); }
        catch (TaskCanceledException) when (_all.Task.IsCanceled) { }
    }
}

/// <summary>One start-up point reached by one host, numbered in the order all hosts reached theirs.</summary>
public sealed record StartupEvent(long Sequence, string Host, string Point);

/// <summary>The start-up points every host of a test reached, in order.</summary>
public sealed class StartupTimeline
{
    private long _sequence;
    public ConcurrentQueue<StartupEvent> Events { get; } = new();

    public void Add(string host, string point) => Events.Enqueue(new StartupEvent(Interlocked.Increment(ref _sequence), host, point));

    public long At(string host, string point) => Events.Single(e => e.Host == host && e.Point == point).Sequence;

    public IReadOnlyList<string> PointsOf(string host) => Events.Where(e => e.Host == host).OrderBy(e => e.Sequence).Select(e => e.Point).ToList();
}

/// <summary>The test's <see cref="IFirstStartHook"/> for one host: records each point, waits at barriers, fails where told.</summary>
internal sealed class ScriptedHook(string host, StartupTimeline timeline) : IFirstStartHook
{
    public Dictionary<string, PointBarrier> Barriers { get; } = [];
    public string? FailAt { get; init; }

    public async ValueTask AtAsync(string point, CancellationToken ct)
    {
        timeline.Add(host, point);
        if (Barriers.TryGetValue(point, out var barrier)) await barrier.ArriveAsync(ct);
        if (point == FailAt) throw new InjectedFailureException(point);
    }
}

/// <summary>No start-up lock at all: what the hosts did before decision 019, to show what the lock prevents.</summary>
internal sealed class NoStartupLock : IStartupLock
{
    public Task<IAsyncDisposable> AcquireAsync(DubanDbContext db, CancellationToken ct) => Task.FromResult<IAsyncDisposable>(new Nothing());

    private sealed class Nothing : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Starts the real host (Program) on a given database with a test hook, as a deployed instance would start.</summary>
internal static class StartupHosts
{
    public static WebApplicationFactory<Program> Create(DatabaseTarget database, IFirstStartHook hook, IStartupLock? startupLock = null,
        IReadOnlyDictionary<string, string>? settings = null) =>
        new DubanFactory(database).WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.UseSetting(key, value);
            builder.ConfigureTestServices(services =>
            {
                services.AddSingleton(hook);
                if (startupLock is not null) services.AddSingleton(startupLock);
            });
        });

    /// <summary>Starts the host (migrations and first-start setup run before it serves) and returns the failure, if any.</summary>
    public static async Task<Exception?> StartAsync(WebApplicationFactory<Program> factory)
    {
        try
        {
            await Task.Run(() => factory.Server);
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    /// <summary>The innermost exception of a failed start: what the setup itself threw.</summary>
    public static Exception Root(Exception e)
    {
        while (e is AggregateException { InnerException: { } inner }) e = inner;
        while (e.InnerException is { } inner && e is not InjectedFailureException && e is not Npgsql.PostgresException) e = inner;
        return e;
    }
}
