using System.Collections.Concurrent;
using System.Net.Http.Json;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// A host and database on the system clock: the demo organization and the shipped templates, no items. Shared by the test
/// classes of its collection; <see cref="HostFixture.ResetAsync"/> puts it back before each test.
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

public sealed class SqliteFixture() : DubanFixture("Sqlite")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the SQLite host";
}

[CollectionDefinition(SqliteFixture.Collection)]
public sealed class SqliteFixtureCollection : ICollectionFixture<SqliteFixture>;

public sealed class PostgresFixture() : DubanFixture("Postgres")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the PostgreSQL host";
}

[CollectionDefinition(PostgresFixture.Collection)]
public sealed class PostgresFixtureCollection : ICollectionFixture<PostgresFixture>;
