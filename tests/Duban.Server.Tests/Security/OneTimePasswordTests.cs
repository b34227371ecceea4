using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using Roles = Duban.Engine.Directory.Roles;

namespace Duban.Server.Tests.Security;

/// <summary>A password an administrator sets — a new person's or a reset — works once (decision 046).</summary>
public abstract class OneTimePasswordTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = fixture.Factory.NewClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName, password });
        Assert.True(login.StatusCode == HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        return client;
    }

    private static async Task AssertMustChangeAsync(HttpClient client)
    {
        var refused = await client.GetAsync("/api/tasks");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("管理员设置", await refused.Content.ReadAsStringAsync());
        var policy = (await client.GetFromJsonAsync<JsonObject>("/api/auth/password-policy"))!;
        Assert.True(policy["passwordExpired"]!.GetValue<bool>());
        Assert.Contains("管理员设置", policy["changeRequiredReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_new_persons_password_and_a_reset_password_must_be_changed_at_the_next_sign_in()
    {
        var admin = await fixture.As("admin");
        var userName = "o" + Guid.NewGuid().ToString("N")[..10];
        var created = await admin.PostAsJsonAsync("/api/users", new { userName, displayName = "新同事", unitId = "fzc", roles = new[] { Roles.Liaison }, password = "Given@2026x" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();

        var person = await SignInAsync(userName, "Given@2026x");
        await AssertMustChangeAsync(person);
        Assert.Equal(HttpStatusCode.NoContent,
            (await person.PostAsJsonAsync("/api/auth/password", new { currentPassword = "Given@2026x", newPassword = "Mine@2026xy" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/api/tasks")).StatusCode);
        Assert.Null((await person.GetFromJsonAsync<JsonObject>("/api/auth/password-policy"))!["changeRequiredReason"]);

        // A reset is one-time again.
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { password = "Reset@2026xy" })).StatusCode);
        await AssertMustChangeAsync(await SignInAsync(userName, "Reset@2026xy"));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteOneTimePasswordTests(SqliteFixture fixture) : OneTimePasswordTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOneTimePasswordTests(PostgresFixture fixture) : OneTimePasswordTests<PostgresFixture>(fixture);
