using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Runtime.Timers;
using Duban.Data.Supervision.Chasing;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Server.Tests.Templates;

/// <summary>A clock the test moves by hand: every deadline, light, chase and journal row of the host reads it.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>Sets the clock to a China time (UTC+8), as the people in the tests live it.</summary>
    public void Set(int year, int month, int day, int hour = 9, int minute = 0) =>
        _now = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();
}

/// <summary>
/// The real host with the shipped templates (imported from workflows/ on first start) on a database of its own, its
/// clock under the test's control, and the background chase and timer workers off: the test runs a round of either
/// when it wants one. One per test class.
/// </summary>
public abstract class TemplateFixture(string provider) : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();
    private readonly ConcurrentDictionary<string, string> _userIds = new();
    private DubanFactory _base = null!;

    public ManualClock Clock { get; } = new(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8)));
    public WebApplicationFactory<Program> Factory { get; private set; } = null!;
    public DatabaseTarget Database { get; private set; } = null!;
    /// <summary>Holds commits so two requests race on the same state (see <see cref="TestGate"/>).</summary>
    public TestGate Gate => _base.Gate;

    public async Task InitializeAsync()
    {
        Database = await DatabaseTarget.CreateAsync(provider);
        _base = new DubanFactory(Database);
        Factory = _base.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Duban:Chasing:Enabled", "false");
            // No demo items: their deadlines would be chased too and move the units' scores.
            builder.UseSetting("Duban:Seed:DemoItems", "false");
            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
            });
        });
        _ = Factory.Server; // start: migrate, seed the demo organization, import and publish the templates
    }

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
        Clock.Set(year, month, day, hour, minute);
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

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await Factory.DisposeAsync();
        await _base.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed class SqliteTemplateFixture() : TemplateFixture("Sqlite");

public sealed class PostgresTemplateFixture() : TemplateFixture("Postgres");

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
