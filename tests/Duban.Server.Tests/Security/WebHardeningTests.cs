using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Server.Infrastructure;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Security;

/// <summary>Sign-in throttling, response headers, the CSRF header, proxies and request limits (issue 18, decision 036).</summary>
public abstract class WebHardeningTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) =>
        fixture.Factory.WithWebHostBuilder(b => { foreach (var (key, value) in settings) b.UseSetting(key, value); });

    private static HttpClient Browser(WebApplicationFactory<Program> host) =>
        host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });

    private static Task<HttpResponseMessage> LoginAsync(HttpClient client, string userName, string password) =>
        client.PostAsJsonAsync("/api/auth/login", new { userName, password });

    [Fact]
    public async Task Guessing_an_account_is_stopped_while_the_person_still_signs_in_on_their_own_browser()
    {
        await using var host = With(("Duban:Security:SignIn:PerAccountFailures", "3"), ("Duban:Security:SignIn:PerKnownClientFailures", "2"));
        var own = Browser(host);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(own, "fazhi", "Duban@2026")).StatusCode);

        // Someone else, from browsers the account never signed in from: three failures, then 429 even with the right password.
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(Browser(host), "fazhi", $"Guess@{i}2026x")).StatusCode);
        var blocked = await LoginAsync(Browser(host), "fazhi", "Duban@2026");
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("登录失败次数过多", await blocked.Content.ReadAsStringAsync());
        Assert.Equal("application/problem+json", blocked.Content.Headers.ContentType?.MediaType);
        // Another account is not affected.
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(Browser(host), "ducha", "Duban@2026")).StatusCode);

        // The person's own browser is not locked out by the guessing …
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(own, "fazhi", "Duban@2026")).StatusCode);
        // … and its own failures count against that browser alone.
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(own, "fazhi", "Typo@2026xx")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(own, "fazhi", "Duban@2026")).StatusCode);
    }

    [Fact]
    public async Task One_client_address_gets_429_in_Chinese_past_its_sign_ins_per_minute()
    {
        await using var host = With(("Duban:Security:SignIn:PerClientPerMinute", "3"));
        var client = Browser(host);
        for (var i = 0; i < 3; i++) Assert.NotEqual(HttpStatusCode.TooManyRequests, (await LoginAsync(client, "nobody" + i, "Whatever@2026")).StatusCode);
        var limited = await LoginAsync(client, "ducha", "Duban@2026");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("登录请求过于频繁", await limited.Content.ReadAsStringAsync());
        Assert.True(limited.Headers.RetryAfter is not null, "429 says when to try again");
    }

    /// <summary>
    /// The mechanism, not a stopwatch (timings on a shared machine prove nothing either way): refusing an unknown account
    /// verifies one password hash with the installation's hasher, exactly as refusing a known account's wrong password does.
    /// Before: a known account cost one PBKDF2 verification (87 ms), an unknown one none (2.6 ms) — the names leaked.
    /// </summary>
    [Fact]
    public async Task An_unknown_account_costs_the_same_hash_verification_as_a_known_one()
    {
        var counting = new CountingHasher();
        await using var host = fixture.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.AddScoped<IPasswordHasher<Duban.Data.Organization.DubanUser>>(_ => counting)));
        async Task<int> VerificationsAsync(string name)
        {
            var before = counting.Verifications;
            Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(Browser(host), name, "Wrong@2026x")).StatusCode);
            return counting.Verifications - before;
        }
        Assert.Equal(1, await VerificationsAsync("jinan"));
        Assert.Equal(1, await VerificationsAsync("no-such-person-" + Guid.NewGuid().ToString("N")[..6]));
        Assert.Equal(1, await VerificationsAsync("no-such-person-either"));
    }

    /// <summary>Identity's hasher, counting its verifications.</summary>
    private sealed class CountingHasher : IPasswordHasher<Duban.Data.Organization.DubanUser>
    {
        private readonly PasswordHasher<Duban.Data.Organization.DubanUser> _inner = new();
        private int _verifications;
        public int Verifications => Volatile.Read(ref _verifications);

        public string HashPassword(Duban.Data.Organization.DubanUser user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Duban.Data.Organization.DubanUser user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verifications);
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public async Task Every_answer_carries_the_security_headers()
    {
        var client = fixture.Anonymous();
        foreach (var path in new[] { "/", "/api/auth/me", "/api/health/live", "/login" })
        {
            var response = await client.GetAsync(path);
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("frame-ancestors 'none'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        }
    }

    [Fact]
    public async Task A_state_changing_call_without_the_header_is_refused_and_changes_nothing()
    {
        var signedIn = await fixture.As("ducha");
        // A client without the header (a form another site posts): the same cookie, no X-Requested-With.
        var bare = fixture.Factory.Server.CreateClient();
        var cookie = fixture.Factory.Server.CreateClient();
        var login = await cookie.PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = "Duban@2026" });
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Contains("X-Requested-With", await login.Content.ReadAsStringAsync());

        var before = await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Instances.CountAsync());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(new { definitionId = "demo-supervision", data = DemoStartData() }) };
        var response = await bare.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(before, await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Instances.CountAsync()));
        // Reads need no header; the web app's calls (with it) work.
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/tasks")).StatusCode);
        await StartAsync(signedIn, "demo-supervision", DemoStartData());
    }

    [Fact]
    public async Task Behind_a_configured_TLS_proxy_the_cookie_is_Secure_and_only_then()
    {
        static async Task<string> CookieAsync(HttpClient client)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { userName = "ducha", password = "Duban@2026" }) };
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "203.0.113.7");
            var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("duban.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        }

        var direct = await CookieAsync(fixture.Factory.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }));
        Assert.DoesNotContain("secure", direct);
        Assert.Contains("httponly", direct);
        Assert.Contains("samesite=lax", direct);

        await using var proxied = With(("Duban:Security:ForwardedHeaders:Enabled", "true"), ("Duban:Security:ForwardedHeaders:KnownNetworks:0", "0.0.0.0/0"),
            ("Duban:Security:ForwardedHeaders:KnownNetworks:1", "::/0"));
        var secure = await CookieAsync(proxied.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false }));
        Assert.Contains("; secure", secure);
        Assert.Contains("httponly", secure);
    }

    [Fact]
    public async Task A_25_MB_comment_and_an_over_long_form_text_are_400s_naming_the_field()
    {
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var lingdao = await fixture.As("lingdao");
        var task = await TaskOfAsync(lingdao, id, "领导审定");

        var huge = new string('a', 25 * 1024 * 1024);
        var comment = await FieldErrorsAsync(await CompleteAsync(lingdao, task, "同意", new() { ["leaderOpinion"] = "同意" }, huge));
        Assert.Contains(comment["comment"], m => m.Contains("不超过 2000 个字符"));
        var longText = await FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/instances",
            new { definitionId = "demo-supervision", data = DemoStartData().Also(d => d["content"] = new string('文', 20_001)) }));
        Assert.Contains(longText["content"], m => m.Contains("不超过 20000 个字符"));

        // Nothing happened: the task is still open.
        Assert.Equal(task, await TaskOfAsync(lingdao, id, "领导审定"));
        await CompleteOkAsync(lingdao, task, "同意", new() { ["leaderOpinion"] = "同意" }, new string('批', 2000));
    }

    [Fact]
    public async Task A_lone_surrogate_in_form_data_is_a_400_naming_the_field()
    {
        var ducha = await fixture.As("ducha");
        var data = DemoStartData();
        data.Remove("title");
        var body = new StringContent($$"""{"definitionId":"demo-supervision","data":{"title":"推进\ud800改革",{{data.ToJsonString()[1..]}}}""", Encoding.UTF8, "application/json");
        var errors = await FieldErrorsAsync(await ducha.PostAsync("/api/instances", body));
        Assert.Contains(errors["title"], m => m.Contains("无效的字符"));
        Assert.Equal(0, await fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Instances.CountAsync()));
    }

    [Fact]
    public async Task Uploads_no_item_claimed_are_removed_after_a_day_and_claimed_ones_stay()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow);
        await using var host = fixture.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<TimeProvider>(clock);
        }));
        var ducha = Browser(host);
        (await LoginAsync(ducha, "ducha", "Duban@2026")).EnsureSuccessStatusCode();

        async Task<JsonObject> UploadAsync(string name, Guid? item = null)
        {
            var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("材料 " + name)), "file", name } };
            var response = await ducha.PostAsync(item is { } i ? $"/api/attachments?instanceId={i}" : "/api/attachments", form);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        }
        var loose = await UploadAsync("未使用.txt");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var used = await UploadAsync("已使用.txt", id);
        var sweeper = host.Services.GetRequiredService<LooseUploadSweeper>();

        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await sweeper.RunOnceAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(1, await sweeper.RunOnceAsync(CancellationToken.None));

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        Assert.False(await db.Attachments.AnyAsync(a => a.Id == Guid.Parse(loose["id"]!.GetValue<string>())));
        Assert.Equal(HttpStatusCode.NotFound, (await ducha.GetAsync($"/api/attachments/{loose["id"]}")).StatusCode);
        var kept = await db.Attachments.SingleAsync(a => a.Id == Guid.Parse(used["id"]!.GetValue<string>()));
        Assert.Equal(id, kept.InstanceId);
        Assert.Equal(HttpStatusCode.OK, (await ducha.GetAsync($"/api/attachments/{used["id"]}")).StatusCode);
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject o, Action<JsonObject> change)
    {
        change(o);
        return o;
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteWebHardeningTests(SqliteFixture fixture) : WebHardeningTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresWebHardeningTests(PostgresFixture fixture) : WebHardeningTests<PostgresFixture>(fixture);
