using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Runtime.Timers;
using Duban.Data.Supervision.Chasing;
using Duban.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Templates;

/// <summary>
/// The real host with the shipped templates (imported from workflows/ when the database was seeded, without demo items:
/// their deadlines would be chased too and move the units' scores), its clock under the test's control (starting Monday
/// 2026-03-02 09:00 Beijing time), and the background chase and timer workers off: the test runs a round of either when
/// it wants one. Shared by the test classes of its collection; <see cref="ResetAsync"/> puts the data and the clock back
/// before each test.
/// </summary>
public abstract class TemplateFixture(string provider) : HostFixture(provider, Variant)
{
    public static readonly DateTimeOffset Start = TestClock.Beijing(2026, 3, 2, 9);
    public static readonly SeedVariant Variant = new(DemoItems: false, Clock: Start);

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();
    private readonly ConcurrentDictionary<string, string> _userIds = new();

    public TestClock Clock { get; } = new(Start);
    protected override TimeProvider HostClock => Clock;

    /// <summary>A client signed in as a demo user (password Duban@2026). Signed in again after the clock has moved.</summary>
    public async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var existing)) return existing;
        var client = Factory.CreateDefaultClient(new StickyCookies());
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = "Duban@2026" });
        response.EnsureSuccessStatusCode();
        return _clients.GetOrAdd(userName, client);
    }

    /// <summary>Moves the clock to a China time. Sign-ins are dropped: a cookie issued weeks "ago" has expired.</summary>
    public void SetTime(int year, int month, int day, int hour = 9, int minute = 0)
    {
        Clock.Set(TestClock.Beijing(year, month, day, hour, minute));
        DropSignIns();
    }

    private void DropSignIns()
    {
        foreach (var client in _clients.Values) client.Dispose();
        _clients.Clear();
    }

    /// <summary>The id of a demo user, as a person field or a task holds it.</summary>
    public async Task<string> UserIdAsync(string userName)
    {
        if (_userIds.TryGetValue(userName, out var id)) return id;
        var users = await (await As("ducha")).GetFromJsonAsync<JsonArray>("/api/users");
        foreach (var user in users!)
            _userIds[user!["userName"]!.GetValue<string>()] = user["id"]!.GetValue<string>();
        return _userIds[userName];
    }

    /// <summary>One round of the chasing ladder at the current time (what the background job does every poll).</summary>
    public Task<int> RunChasesAsync() => Factory.Services.GetRequiredService<ChaseWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>Fires the timers due at the current time.</summary>
    public Task<int> FireTimersAsync() => Factory.Services.GetRequiredService<TimerWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>The seeded data and the start time again.</summary>
    public override async Task ResetAsync()
    {
        Clock.Set(Start);
        DropSignIns();
        await base.ResetAsync();
    }

    public override async Task DisposeAsync()
    {
        DropSignIns();
        await base.DisposeAsync();
    }
}

public sealed class SqliteTemplateFixture() : TemplateFixture("Sqlite")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the SQLite template host";
}

[CollectionDefinition(SqliteTemplateFixture.Collection)]
public sealed class SqliteTemplateFixtureCollection : ICollectionFixture<SqliteTemplateFixture>;

public sealed class PostgresTemplateFixture() : TemplateFixture("Postgres")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the PostgreSQL template host";
}

[CollectionDefinition(PostgresTemplateFixture.Collection)]
public sealed class PostgresTemplateFixtureCollection : ICollectionFixture<PostgresTemplateFixture>;

/// <summary>
/// Keeps the sign-in cookie whatever its expiry says. The host's clock is the test's (March 2026), so the cookie it
/// issues "expires" in the past of the machine's clock, and a CookieContainer would drop it at once.
/// </summary>
internal sealed class StickyCookies : DelegatingHandler
{
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (_cookies)
            if (_cookies.Count > 0)
                request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
            lock (_cookies)
                foreach (var header in values)
                {
                    var pair = header.Split(';', 2)[0];
                    var at = pair.IndexOf('=');
                    if (at <= 0) continue;
                    var (name, value) = (pair[..at].Trim(), pair[(at + 1)..].Trim());
                    if (value.Length == 0) _cookies.Remove(name);
                    else _cookies[name] = value;
                }
        return response;
    }
}

/// <summary>Reading answers the way the tests need them.</summary>
internal static class Http
{
    public static async Task<JsonObject> OkJsonAsync(HttpResponseMessage response)
    {
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<JsonObject> GetJsonAsync(HttpClient client, string url) => await OkJsonAsync(await client.GetAsync(url));

    public static async Task<HttpStatusCode> StatusAsync(Task<HttpResponseMessage> call) => (await call).StatusCode;
}
