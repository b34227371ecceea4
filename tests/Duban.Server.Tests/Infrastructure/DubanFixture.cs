using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// One host and database per test class on the system clock: the demo organization and the shipped templates, no items.
/// <see cref="HostFixture.ResetAsync"/> puts it back between tests.
/// </summary>
public abstract class DubanFixture(string provider) : HostFixture(provider, Variant)
{
    /// <summary>Seeded without the demo items: the tests count the items they make.</summary>
    public static readonly SeedVariant Variant = new(DemoItems: false);

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    /// <summary>A client signed in as a demo user (password Duban@2026), cached per user.</summary>
    public async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var existing)) return existing;
        var client = Factory.NewClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = "Duban@2026" });
        response.EnsureSuccessStatusCode();
        return _clients.GetOrAdd(userName, client);
    }

    public HttpClient Anonymous() => Factory.NewClient();

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class SqliteFixture() : DubanFixture("Sqlite");

public sealed class PostgresFixture() : DubanFixture("Postgres");
