using Duban.Data.Organization;
using Duban.Engine.Directory;
using Duban.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Duban.Server.Tests.Auth;

/// <summary>The organization snapshot: an Invalidate() is never lost to a load it overtook, and a snapshot expires.</summary>
public abstract class OrganizationCacheTests<TFixture>(TFixture fixture) where TFixture : DubanFixture
{
    private CountingScopes NewLoads() => new(fixture.Factory.Services.GetRequiredService<IServiceScopeFactory>());

    [Fact]
    public async Task An_invalidate_during_a_load_is_not_overwritten_by_the_stale_load()
    {
        var loads = NewLoads();
        var cache = new OrganizationCache(loads);
        loads.Hold();
        var loading = Task.Run(() => cache.GetAsync());
        Assert.True(loads.Entered.Wait(TimeSpan.FromSeconds(20)), "the load did not start");
        cache.Invalidate(); // e.g. an admin deactivated someone after this load began reading
        loads.Release();
        await loading;
        Assert.Equal(1, loads.Count);

        await cache.GetAsync(); // the overtaken load was not kept: read again
        Assert.Equal(2, loads.Count);
        await cache.GetAsync(); // this one is kept
        Assert.Equal(2, loads.Count);
    }

    [Fact]
    public async Task A_snapshot_expires_so_instances_sharing_a_database_converge()
    {
        var loads = NewLoads();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 8, 0, 0, TimeSpan.Zero));
        var cache = new OrganizationCache(loads, Options.Create(new OrganizationCacheOptions { Expiry = TimeSpan.FromSeconds(30) }), clock);
        await cache.GetAsync();
        clock.Advance(TimeSpan.FromSeconds(29));
        await cache.GetAsync();
        Assert.Equal(1, loads.Count);
        clock.Advance(TimeSpan.FromSeconds(2));
        await cache.GetAsync();
        Assert.Equal(2, loads.Count);
        cache.Invalidate();
        await cache.GetAsync();
        Assert.Equal(3, loads.Count);
    }

    [Fact]
    public async Task Units_list_their_liaisons()
    {
        var org = await new OrganizationCache(NewLoads()).GetAsync();
        var fazhi = org.UsersInRole(Roles.Liaison, "fzc").Select(u => u.Id).Order().ToList();
        Assert.Equal(2, fazhi.Count);
        Assert.Equal(fazhi, org.FindUnit("fzc")!.LiaisonUserIds.Order());
        Assert.Single(org.FindUnit("jinan")!.LiaisonUserIds);
        Assert.Empty(org.FindUnit("yjs")!.LiaisonUserIds);
    }

    /// <summary>Counts loads (each creates one scope) and can hold one at its start.</summary>
    private sealed class CountingScopes(IServiceScopeFactory inner) : IServiceScopeFactory
    {
        private readonly ManualResetEventSlim _release = new(true);
        private int _count;
        public ManualResetEventSlim Entered { get; } = new(false);
        public int Count => Volatile.Read(ref _count);

        public void Hold() => _release.Reset();
        public void Release() => _release.Set();

        public IServiceScope CreateScope()
        {
            Interlocked.Increment(ref _count);
            Entered.Set();
            _release.Wait(TimeSpan.FromSeconds(20));
            return inner.CreateScope();
        }
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteOrganizationCacheTests(SqliteFixture fixture) : OrganizationCacheTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOrganizationCacheTests(PostgresFixture fixture) : OrganizationCacheTests<PostgresFixture>(fixture);
