using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Startup;
using Duban.Server.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Startup;

/// <summary>
/// A production start — no demo data — creates no known password: the first administrator gets a one-time password in
/// the log, which only lets him set his own; a restart before that replaces it; after it, nothing more is issued
/// (issue 18, decision 043).
/// </summary>
public sealed class InitialAdministratorTests
{
    private static readonly Dictionary<string, string> Production = new() { ["Duban:Seed:Enabled"] = "false" };

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task The_first_administrator_signs_in_with_the_printed_password_and_must_set_his_own_first(string provider)
    {
        await using var database = await DatabaseTarget.EmptyAsync(provider);
        string firstPassword;
        await using (var first = StartupHosts.Create(database, new ScriptedHook("first", new StartupTimeline()), settings: Production))
        {
            Assert.Null(await StartupHosts.StartAsync(first));
            var notice = first.Services.GetRequiredService<InitialAdministratorNotice>();
            Assert.Equal(InitialAdministrator.DefaultUserName, notice.UserName);
            firstPassword = notice.Password!;
            Assert.Equal(1, await SetupChecks.WithDbAsync(first, db => db.Users.CountAsync()));
            Assert.DoesNotContain(DemoData.Password, firstPassword, StringComparison.Ordinal);
            // No demo person exists, so the README's published password opens nothing.
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(first).PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = DemoData.Password })).StatusCode);
        }

        // Restarted before anyone signed in: a fresh one-time password; the one printed before no longer works.
        await using var second = StartupHosts.Create(database, new ScriptedHook("second", new StartupTimeline()), settings: Production);
        Assert.Null(await StartupHosts.StartAsync(second));
        var password = second.Services.GetRequiredService<InitialAdministratorNotice>().Password!;
        Assert.NotEqual(firstPassword, password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client(second).PostAsJsonAsync("/api/auth/login",
            new { userName = InitialAdministrator.DefaultUserName, password = firstPassword })).StatusCode);
        Assert.Equal(1, await SetupChecks.WithDbAsync(second, db => db.Users.CountAsync()));

        var client = Client(second);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/auth/login", new { userName = InitialAdministrator.DefaultUserName, password })).StatusCode);
        // Signed in, he can read who he is and the policy, and change the password; nothing else answers.
        var policy = await client.GetFromJsonAsync<JsonObject>("/api/auth/password-policy");
        Assert.True(policy!["passwordExpired"]!.GetValue<bool>());
        Assert.Equal(PasswordExpiry.Initial, policy["changeRequiredReason"]!.GetValue<string>());
        var refused = await client.GetAsync("/api/platform/organizations");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains(PasswordExpiry.Initial, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/auth/me")).StatusCode);

        // A password the policy refuses is refused here too; then his own.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = "short" })).StatusCode);
        var own = "Installed#2026-own";
        var changed = await client.PostAsJsonAsync("/api/auth/password", new { currentPassword = password, newPassword = own });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/platform/organizations")).StatusCode);
        policy = await client.GetFromJsonAsync<JsonObject>("/api/auth/password-policy");
        Assert.False(policy!["passwordExpired"]!.GetValue<bool>());
        Assert.Null(policy["changeRequiredReason"]);

        // From now on a start issues nothing and leaves his password alone.
        await using var third = StartupHosts.Create(database, new ScriptedHook("third", new StartupTimeline()), settings: Production);
        Assert.Null(await StartupHosts.StartAsync(third));
        Assert.Null(third.Services.GetRequiredService<InitialAdministratorNotice>().Password);
        Assert.Equal(HttpStatusCode.OK, (await Client(third).PostAsJsonAsync("/api/auth/login",
            new { userName = InitialAdministrator.DefaultUserName, password = own })).StatusCode);
    }

    /// <summary>A browser of that host: cookies kept, the header the web app sends (decision 036).</summary>
    private static HttpClient Client(WebApplicationFactory<Program> host)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        return client;
    }

    [Fact]
    public void One_time_passwords_meet_the_policy_and_differ()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => InitialAdministrator.NewPassword()).ToList();
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        Assert.All(passwords, p =>
        {
            Assert.Equal(20, p.Length);
            Assert.Contains(p, char.IsUpper);
            Assert.Contains(p, char.IsLower);
            Assert.Contains(p, char.IsDigit);
            Assert.Contains(p, c => !char.IsLetterOrDigit(c));
        });
    }

    [Fact]
    public async Task With_demo_data_no_one_time_password_is_issued()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Sqlite");
        await using var host = StartupHosts.Create(database, new ScriptedHook("demo", new StartupTimeline()),
            settings: new Dictionary<string, string> { ["Duban:Seed:DemoItems"] = "false" });
        Assert.Null(await StartupHosts.StartAsync(host));
        Assert.Null(host.Services.GetRequiredService<InitialAdministratorNotice>().Password);
        Assert.Equal(HttpStatusCode.OK, (await Client(host).PostAsJsonAsync("/api/auth/login",
            new { userName = DemoData.PlatformUserName, password = DemoData.Password })).StatusCode);
    }
}
