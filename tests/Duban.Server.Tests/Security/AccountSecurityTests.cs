using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Security;
using Duban.Server.Auth;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Security;

/// <summary>Sessions that end, the password policy and the change of one's own password (issue 18, decision 036).</summary>
public abstract class AccountSecurityTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string UserName(JsonObject user) => user["userName"]!.GetValue<string>();

    private async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = fixture.Factory.NewClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, $"login: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        return client;
    }

    [Fact]
    public async Task Logout_ends_every_session_of_the_user_not_only_this_browser()
    {
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var office = await SignInAsync(UserName(user), TestUsers.Password);
        var phone = await SignInAsync(UserName(user), TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await office.PostAsync("/api/auth/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/tasks")).StatusCode);
        // Someone else's sessions are untouched.
        Assert.Equal(HttpStatusCode.OK, (await (await fixture.As("ducha")).GetAsync("/api/auth/me")).StatusCode);
    }

    [Fact]
    public async Task An_administrators_reset_ends_the_persons_sessions_at_once()
    {
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var session = await SignInAsync(UserName(user), TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/api/tasks")).StatusCode);

        var admin = await fixture.As("admin");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/users/{user["id"]}/reset-password", new { password = "Reset@2026x" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/tasks")).StatusCode);
        await SignInAsync(UserName(user), "Reset@2026x");
    }

    [Fact]
    public async Task Password1_is_refused_everywhere_in_Chinese_naming_the_field_and_the_demo_password_passes()
    {
        var admin = await fixture.As("admin");
        var created = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/users",
            new { userName = "weak" + Guid.NewGuid().ToString("N")[..6], displayName = "弱密码", unitId = "fzc", roles = new[] { "承办单位联络员" }, password = "Password1" }));
        Assert.Contains("密码至少 10 位", created["password"]);

        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var reset = await FieldErrorsAsync(await admin.PostAsJsonAsync($"/api/users/{user["id"]}/reset-password", new { password = "Password1" }));
        Assert.Contains("密码至少 10 位", reset["password"]);
        var classes = await FieldErrorsAsync(await admin.PostAsJsonAsync($"/api/users/{user["id"]}/reset-password", new { password = "passwordpassword" }));
        Assert.Contains(classes["password"], m => m.Contains("至少 3 类"));
        var named = await FieldErrorsAsync(await admin.PostAsJsonAsync($"/api/users/{user["id"]}/reset-password", new { password = UserName(user).ToUpperInvariant() + "@2026" }));
        Assert.Contains("密码不能包含用户名", named["password"]);

        var self = await SignInAsync(UserName(user), TestUsers.Password);
        var own = await FieldErrorsAsync(await self.PostAsJsonAsync("/api/auth/password", new { currentPassword = TestUsers.Password, newPassword = "Password1" }));
        Assert.Contains("密码至少 10 位", own["newPassword"]);

        // The README's demo password is within the policy.
        var problems = await fixture.Factory.WithScopeAsync(sp => Task.FromResult(sp.GetRequiredService<PasswordPolicy>().Check("admin", "Duban@2026").ToList()));
        Assert.Empty(problems);
        await SignInAsync("admin", "Duban@2026");
    }

    [Fact]
    public async Task A_person_changes_their_own_password_other_sessions_end_and_old_passwords_cannot_come_back()
    {
        var user = await TestUsers.CreateAsync(fixture, Duban.Engine.Directory.Roles.Liaison);
        var here = await SignInAsync(UserName(user), TestUsers.Password);
        var elsewhere = await SignInAsync(UserName(user), TestUsers.Password);

        var wrong = await FieldErrorsAsync(await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Wrong@2026x", newPassword = "Second@2026x" }));
        Assert.Equal(["当前密码不正确"], wrong["currentPassword"]);
        var missing = await FieldErrorsAsync(await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = TestUsers.Password }));
        Assert.Equal(["请输入新密码"], missing["newPassword"]);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/api/auth/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = TestUsers.Password, newPassword = "Second@2026x" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/auth/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/auth/me")).StatusCode);
        var old = await fixture.Anonymous().PostAsJsonAsync("/api/auth/login", new { userName = UserName(user), password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        await SignInAsync(UserName(user), "Second@2026x");

        // The last five passwords (the current one included) are refused; the sixth back is allowed again.
        string[] next = ["Third@2026x", "Fourth@2026x", "Fifth@2026x"];
        var current = "Second@2026x";
        foreach (var password in next)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = current, newPassword = password })).StatusCode);
            current = password;
        }
        var reused = await FieldErrorsAsync(await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = current, newPassword = TestUsers.Password }));
        Assert.Equal(["新密码不能与最近 5 次使用过的密码相同"], reused["newPassword"]);
        var byAdmin = await FieldErrorsAsync(await (await fixture.As("admin")).PostAsJsonAsync($"/api/users/{user["id"]}/reset-password", new { password = "Second@2026x" }));
        Assert.Contains("新密码不能与最近 5 次使用过的密码相同", byAdmin["password"]);
        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = current, newPassword = "Sixth@2026x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await here.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Sixth@2026x", newPassword = TestUsers.Password })).StatusCode);
    }

    [Fact]
    public async Task Sessions_end_after_the_idle_timeout_and_after_the_absolute_lifetime_however_active()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = fixture.Factory.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton(new SessionClock(time))));
        async Task<HttpClient> SignIn()
        {
            var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true });
            (await client.PostAsJsonAsync("/api/auth/login", new { userName = "fazhi", password = "Duban@2026" })).EnsureSuccessStatusCode();
            return client;
        }

        var idle = await SignIn();
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await idle.GetAsync("/api/auth/me")).StatusCode);
        // Used at 29 minutes, so the session slides on; 29 more minutes of use later it still holds.
        time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.OK, (await idle.GetAsync("/api/auth/me")).StatusCode);
        time.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(HttpStatusCode.Unauthorized, (await idle.GetAsync("/api/auth/me")).StatusCode);

        var busy = await SignIn();
        var start = time.GetUtcNow();
        while (time.GetUtcNow() - start < TimeSpan.FromHours(12) - TimeSpan.FromMinutes(20))
        {
            time.Advance(TimeSpan.FromMinutes(20));
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/api/auth/me")).StatusCode);
        }
        time.Advance(TimeSpan.FromMinutes(21));
        Assert.Equal(HttpStatusCode.Unauthorized, (await busy.GetAsync("/api/auth/me")).StatusCode);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAccountSecurityTests(SqliteFixture fixture) : AccountSecurityTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAccountSecurityTests(PostgresFixture fixture) : AccountSecurityTests<PostgresFixture>(fixture);
