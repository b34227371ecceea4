using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Auth;

/// <summary>Throwaway users made through the admin API, so tests that deactivate or demote touch nobody else.</summary>
public static class TestUsers
{
    public const string Password = "Test@2026x";

    public static async Task<JsonObject> CreateAsync(DubanFixture fixture, string role, string? unitId = "fzc", string displayName = "测试人员")
    {
        var admin = await fixture.As("admin");
        var userName = "t" + Guid.NewGuid().ToString("N")[..12];
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, displayName, unitId, roles = new[] { role }, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create user: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        await AdoptPasswordAsync(fixture, userName);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>
    /// As if the person had changed the password an administrator gave him (decision 046: such a password works once; the
    /// gate itself is tested in <c>OneTimePasswordTests</c>): tests that only need a person of some role skip that step.
    /// </summary>
    public static Task AdoptPasswordAsync(HostFixture fixture, string userName) => AdoptPasswordAsync(fixture.Factory.Services, userName);

    public static async Task AdoptPasswordAsync(IServiceProvider services, string userName)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DubanDbContext>().Users.Where(u => u.UserName == userName)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.MustChangePassword, false).SetProperty(u => u.PasswordSetByAdministrator, false));
    }

    /// <summary>A new client signed in as <paramref name="user"/> (its own cookie).</summary>
    public static async Task<HttpClient> SignInAsync(DubanFixture fixture, JsonObject user)
    {
        var client = fixture.Factory.NewClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = Password });
        Assert.True(login.IsSuccessStatusCode, $"login: {(int)login.StatusCode} {await login.Content.ReadAsStringAsync()}");
        return client;
    }

    /// <summary>PUT /api/users/{id} as the admin, keeping what is not given.</summary>
    public static async Task<HttpResponseMessage> UpdateAsync(DubanFixture fixture, JsonObject user, bool? isActive = null, string[]? roles = null,
        string? displayName = null, string? password = null, HttpClient? client = null)
    {
        client ??= await fixture.As("admin");
        return await client.PutAsJsonAsync($"/api/users/{user["id"]!.GetValue<string>()}", new
        {
            displayName = displayName ?? user["displayName"]!.GetValue<string>(),
            unitId = user["unitId"]?.GetValue<string>(),
            roles,
            isActive,
            password,
        });
    }

    public static async Task<JsonObject> ListedAsync(DubanFixture fixture, string id)
    {
        var users = await (await fixture.As("admin")).GetFromJsonAsync<JsonArray>("/api/users");
        return users!.Single(u => u!["id"]!.GetValue<string>() == id)!.AsObject();
    }
}
