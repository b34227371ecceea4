using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Engine.Directory;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Auth;

/// <summary>
/// The cookie says who someone is, never what they may do: "still active" and roles come from the organization
/// snapshot on every request, so a deactivation or a demotion counts at once.
/// </summary>
public abstract class AuthorizationTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject SmallDefinition() => Script("authz-check", "权限检查", "vars.x = 1");

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(title, problem!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deactivated_users_existing_cookie_gets_401_at_once_on_every_endpoint()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var client = await TestUsers.SignInAsync(fixture, user);
        foreach (var url in new[] { "/api/units", "/api/definitions", "/api/tasks", "/api/auth/me" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(url)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, isActive: false)).StatusCode);

        // Endpoints that never ask who the user is (units, definitions, roles) are refused too.
        foreach (var url in new[] { "/api/units", "/api/definitions", "/api/roles", "/api/users", "/api/activities", "/api/tasks", "/api/instances", "/api/auth/me" })
            await AssertProblemAsync(await client.GetAsync(url), HttpStatusCode.Unauthorized, "未登录或登录已失效");
    }

    [Fact]
    public async Task A_demoted_admin_is_signed_out_at_once_and_gets_403_on_admin_endpoints_when_back()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Admin, unitId: "bgs");
        var client = await TestUsers.SignInAsync(fixture, user);
        var id = user["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/definitions/validate", SmallDefinition())).StatusCode);
        var stampBefore = await StampAsync(id);

        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, roles: [Roles.Supervisor])).StatusCode);

        // The change of roles renewed the stamp: the session signed in as an administrator is over (decision 036).
        Assert.NotEqual(stampBefore, await StampAsync(id));
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/units", new { id = "x-unit", name = "越权单位" }), HttpStatusCode.Unauthorized, "未登录或登录已失效");
        // Signed in again, now as a supervisor: refused on admin endpoints; the snapshot's roles are the ones reported.
        client = await TestUsers.SignInAsync(fixture, user);
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/definitions/validate", SmallDefinition()), HttpStatusCode.Forbidden, "无权操作");
        await AssertProblemAsync(await client.PostAsJsonAsync("/api/units", new { id = "x-unit", name = "越权单位" }), HttpStatusCode.Forbidden, "无权操作");
        var me = await client.GetFromJsonAsync<JsonObject>("/api/auth/me");
        Assert.Equal([Roles.Supervisor], me!["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        await fixture.Factory.WithDbAsync(async db => Assert.False(await db.Units.AnyAsync(u => u.Id == "x-unit")));

        // Promoted again: allowed again after signing in.
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, roles: [Roles.Admin])).StatusCode);
        client = await TestUsers.SignInAsync(fixture, user);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/definitions/validate", SmallDefinition())).StatusCode);
    }

    [Fact]
    public async Task A_non_admin_cannot_reactivate_or_promote_themselves()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var client = await TestUsers.SignInAsync(fixture, user);
        var id = user["id"]!.GetValue<string>();

        var promote = await TestUsers.UpdateAsync(fixture, user, isActive: true, roles: [Roles.Admin, Roles.Liaison], client: client);
        await AssertProblemAsync(promote, HttpStatusCode.Forbidden, "无权操作");
        Assert.Equal([Roles.Liaison], (await TestUsers.ListedAsync(fixture, id))["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, isActive: false)).StatusCode);
        var reactivate = await TestUsers.UpdateAsync(fixture, user, isActive: true, roles: [Roles.Admin], client: client);
        await AssertProblemAsync(reactivate, HttpStatusCode.Unauthorized, "未登录或登录已失效");
        var listed = await TestUsers.ListedAsync(fixture, id);
        Assert.False(listed["isActive"]!.GetValue<bool>());
        Assert.Equal([Roles.Liaison], listed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    private Task<string?> StampAsync(string id) =>
        fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Users.AsNoTracking()
            .Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync());
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteAuthorizationTests(SqliteFixture fixture) : AuthorizationTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresAuthorizationTests(PostgresFixture fixture) : AuthorizationTests<PostgresFixture>(fixture);
