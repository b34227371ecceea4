using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>One host and database per test class; <see cref="ResetAsync"/> clears the items between tests (org and templates stay).</summary>
public abstract class DubanFixture(string provider) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();
    public DubanFactory Factory { get; private set; } = null!;
    public DatabaseTarget Database { get; private set; } = null!;
    public string Provider { get; } = provider;

    public async Task InitializeAsync()
    {
        Database = await DatabaseTarget.CreateAsync(Provider);
        Factory = new DubanFactory(Database);
        _ = Factory.Server; // start: migrate and seed
    }

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

    public async Task ResetAsync()
    {
        Factory.Gate.Open();
        await Factory.WithDbAsync(async db =>
        {
            await db.Timers.ExecuteDeleteAsync();
            await db.Journal.ExecuteDeleteAsync();
            await db.Tasks.ExecuteDeleteAsync();
            await db.InstanceUnits.ExecuteDeleteAsync();
            await db.Instances.Where(i => i.ParentInstanceId != null).ExecuteDeleteAsync();
            await db.Instances.ExecuteDeleteAsync();
            // Back to the templates as seeded: version 1 of each, published and latest.
            await db.Definitions.Where(d => d.DefinitionId != "demo-supervision" || d.Version > 1).ExecuteDeleteAsync();
            await db.Definitions.ExecuteUpdateAsync(s => s.SetProperty(d => d.IsLatest, true));
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Factory.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteFixture() : DubanFixture("Sqlite");

public sealed class PostgresFixture() : DubanFixture("Postgres");
