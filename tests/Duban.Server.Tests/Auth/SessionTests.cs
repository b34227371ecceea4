using System.Net;
using System.Net.Http.Json;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Duban.Server.Tests.Auth;

/// <summary>The cookie's keys live in the database: a sign-in holds across a restart and across app instances.</summary>
public abstract class SessionTests(string provider)
{
    [Fact]
    public async Task A_sign_in_made_on_one_instance_is_accepted_by_another_on_the_same_database()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider, DubanFixture.Variant);
        string cookie;
        await using (var first = new DubanFactory(database))
        {
            var client = first.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
            var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = "fazhi", password = "Duban@2026" });
            login.EnsureSuccessStatusCode();
            cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("duban.auth=")).Split(';')[0];
        }

        await using var second = new DubanFactory(database);
        var other = second.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        request.Headers.Add("Cookie", cookie);
        var me = await other.SendAsync(request);
        var body = await me.Content.ReadAsStringAsync();
        Assert.True(me.StatusCode == HttpStatusCode.OK, $"{(int)me.StatusCode} {body} {string.Join(",", me.Content.Headers)}");
        Assert.Contains("张联络", body);

        using var forged = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        forged.Headers.Add("Cookie", cookie[..^4] + "AAAA");
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.SendAsync(forged)).StatusCode);
    }
}

public sealed class SqliteSessionTests() : SessionTests("Sqlite");

public sealed class PostgresSessionTests() : SessionTests("Postgres");
