using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Directory;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Api;

/// <summary>Units and users as the administrator edits them: bad input is a 400 naming the field, and nothing changes.</summary>
public abstract class OrganizationApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string[] RolesOf(JsonObject user) => user["roles"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();

    private static bool HasChinese(string text) => text.Any(c => c is >= '\u4e00' and <= '\u9fff');

    [Fact]
    public async Task The_user_list_shows_an_inactive_users_roles_so_saving_it_keeps_them()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Supervisor, unitId: "bgs");
        var id = user["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, isActive: false)).StatusCode);

        var listed = await TestUsers.ListedAsync(fixture, id);
        Assert.False(listed["isActive"]!.GetValue<bool>());
        Assert.Equal([Roles.Supervisor], RolesOf(listed));

        // The editor saves what it was shown: the roles survive.
        var saved = await TestUsers.UpdateAsync(fixture, listed, roles: RolesOf(listed), displayName: "改名后");
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal([Roles.Supervisor], RolesOf((await saved.Content.ReadFromJsonAsync<JsonObject>())!));
        Assert.Equal([Roles.Supervisor], RolesOf(await TestUsers.ListedAsync(fixture, id)));
    }

    [Fact]
    public async Task Creating_a_user_with_a_role_twice_gives_it_once()
    {
        var admin = await fixture.As("admin");
        var userName = "dup" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            userName, displayName = "重复角色", unitId = "fzc", roles = new[] { Roles.Liaison, Roles.Liaison }, password = TestUsers.Password,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal([Roles.Liaison], RolesOf((await response.Content.ReadFromJsonAsync<JsonObject>())!));
    }

    [Fact]
    public async Task A_weak_password_on_create_is_a_400_in_Chinese_and_no_user_is_made()
    {
        var admin = await fixture.As("admin");
        var userName = "weak" + Guid.NewGuid().ToString("N")[..8];
        var response = await admin.PostAsJsonAsync("/api/users", new { userName, displayName = "弱密码", roles = new[] { Roles.Liaison }, password = "abc" });
        var errors = await FieldErrorsAsync(response);
        Assert.Contains("密码至少 10 位", errors["password"]);
        Assert.All(errors.Values.SelectMany(m => m), m => Assert.True(HasChinese(m), m));
        await fixture.Factory.WithDbAsync(async db => Assert.False(await db.Users.AnyAsync(u => u.UserName == userName)));
    }

    [Fact]
    public async Task An_update_with_a_weak_password_changes_nothing()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var id = user["id"]!.GetValue<string>();
        var response = await TestUsers.UpdateAsync(fixture, user, roles: [Roles.Admin], displayName: "不该保存", isActive: false, password: "short");
        var errors = await FieldErrorsAsync(response);
        Assert.Contains("password", errors.Keys);
        Assert.All(errors.Values.SelectMany(m => m), m => Assert.True(HasChinese(m), m));

        var listed = await TestUsers.ListedAsync(fixture, id);
        Assert.Equal("测试人员", listed["displayName"]!.GetValue<string>());
        Assert.Equal([Roles.Liaison], RolesOf(listed));
        Assert.True(listed["isActive"]!.GetValue<bool>());
        // The old password still works.
        await TestUsers.SignInAsync(fixture, user);
    }

    [Fact]
    public async Task An_update_with_a_valid_password_resets_it()
    {
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, user, password: "Another@2026")).StatusCode);
        var login = await fixture.Anonymous().PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = "Another@2026" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task Overlong_names_are_400s_naming_the_field_in_Chinese()
    {
        var admin = await fixture.As("admin");
        var unitErrors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = "long-unit", name = new string('单', 201), kind = new string('类', 51) }));
        Assert.Contains("200", unitErrors["name"].Single());
        Assert.Contains("50", unitErrors["kind"].Single());
        var idErrors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = new string('x', 65), name = "单位" }));
        Assert.Contains("64", idErrors["id"].Single());

        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var userErrors = await FieldErrorsAsync(await TestUsers.UpdateAsync(fixture, user, displayName: new string('名', 101)));
        Assert.Contains("100", userErrors["displayName"].Single());

        var definition = TestDefinitions.Script("long-name", new string('流', 201), "vars.x = 1");
        var definitionErrors = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/definitions/import?publish=false", definition));
        Assert.Contains("200", definitionErrors["name"].Single());

        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.False(await db.Units.AnyAsync(u => u.Id == "long-unit"));
            Assert.False(await db.Definitions.AnyAsync(d => d.DefinitionId == "long-name"));
        });
        Assert.Equal("测试人员", (await TestUsers.ListedAsync(fixture, user["id"]!.GetValue<string>()))["displayName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_parent_cycle_is_refused_on_parentId()
    {
        var admin = await fixture.As("admin");
        var a = "cyc-a-" + Guid.NewGuid().ToString("N")[..6];
        var b = "cyc-b-" + Guid.NewGuid().ToString("N")[..6];
        var c = "cyc-c-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/units", new { id = a, name = "甲", parentId = "sft" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/units", new { id = b, name = "乙", parentId = a })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/units", new { id = c, name = "丙", parentId = b })).StatusCode);

        var twoStep = await FieldErrorsAsync(await admin.PutAsJsonAsync($"/api/units/{a}", new { name = "甲", parentId = b }));
        Assert.Contains("下级", twoStep["parentId"].Single());
        var threeStep = await FieldErrorsAsync(await admin.PutAsJsonAsync($"/api/units/{a}", new { name = "甲", parentId = c }));
        Assert.Contains("parentId", threeStep.Keys);
        var self = await FieldErrorsAsync(await admin.PutAsJsonAsync($"/api/units/{a}", new { name = "甲", parentId = a }));
        Assert.Contains("parentId", self.Keys);

        await fixture.Factory.WithDbAsync(async db =>
            Assert.Equal("sft", (await db.Units.AsNoTracking().SingleAsync(u => u.Id == a)).ParentId));
        // Moving a unit under a sibling's branch that is not its own is fine.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/units/{c}", new { name = "丙", parentId = a })).StatusCode);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteOrganizationApiTests(SqliteFixture fixture) : OrganizationApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOrganizationApiTests(PostgresFixture fixture) : OrganizationApiTests<PostgresFixture>(fixture);
