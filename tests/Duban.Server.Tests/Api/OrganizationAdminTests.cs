using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Engine.Directory;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Api;

/// <summary>
/// The 组织 screen's operations: disabling units (and what that forbids), moving and ordering them, stale saves,
/// resetting passwords, and an administrator who cannot lock themselves out.
/// </summary>
public abstract class OrganizationAdminTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    private async Task<JsonObject> CreateUnitAsync(string id, string name, string? parentId = "sft", int? sortOrder = null)
    {
        var admin = await fixture.As("admin");
        var response = await admin.PostAsJsonAsync("/api/units", new { id, name, parentId, sortOrder, kind = "承办单位" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create unit: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private async Task<JsonObject> UnitAsync(string id, bool activeOnly = false)
    {
        var units = await (await fixture.As("ducha")).GetFromJsonAsync<JsonArray>(activeOnly ? "/api/units?active=true" : "/api/units");
        return units!.Single(u => u!["id"]!.GetValue<string>() == id)!.AsObject();
    }

    private static object Save(JsonObject unit, bool? isActive = null, string? name = null, string? parentId = null, bool keepParent = true, long? version = null) => new
    {
        name = name ?? unit["name"]!.GetValue<string>(),
        parentId = keepParent ? unit["parentId"]?.GetValue<string>() : parentId,
        sortOrder = unit["sortOrder"]!.GetValue<int>(),
        leaderUserId = unit["leaderUserId"]?.GetValue<string>(),
        kind = unit["kind"]?.GetValue<string>(),
        isActive,
        version = version ?? unit["version"]!.GetValue<long>(),
    };

    [Fact]
    public async Task A_unit_with_active_people_or_subunits_cannot_be_disabled_until_they_are_moved()
    {
        var admin = await fixture.As("admin");
        var unitId = NewId("dis");
        var childId = NewId("dis-child");
        var unit = await CreateUnitAsync(unitId, "待撤并单位");
        await CreateUnitAsync(childId, "下设科室", parentId: unitId);
        var person = await TestUsers.CreateAsync(fixture, Roles.Liaison, unitId: unitId);

        var errors = await FieldErrorsAsync(await admin.PutAsJsonAsync($"/api/units/{unitId}", Save(unit, isActive: false)));
        Assert.Equal(2, errors["isActive"].Length);
        Assert.Contains(errors["isActive"], m => m.Contains("下设科室"));
        Assert.Contains(errors["isActive"], m => m.Contains("1 名在用人员"));
        Assert.True((await UnitAsync(unitId))["isActive"]!.GetValue<bool>());

        // Move the child away and the person to another unit; then it can be disabled.
        var child = await UnitAsync(childId);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/units/{childId}", Save(child, keepParent: false, parentId: "sft"))).StatusCode);
        var moved = await admin.PutAsJsonAsync($"/api/users/{person["id"]}", new { displayName = "测试人员", unitId = "fzc" });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        var disabled = await admin.PutAsJsonAsync($"/api/units/{unitId}", Save(await UnitAsync(unitId), isActive: false));
        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.False((await disabled.Content.ReadFromJsonAsync<JsonObject>())!["isActive"]!.GetValue<bool>());

        // Still listed (items name it), but not among the units in use.
        Assert.False((await UnitAsync(unitId))["isActive"]!.GetValue<bool>());
        var active = await (await fixture.As("ducha")).GetFromJsonAsync<JsonArray>("/api/units?active=true");
        Assert.DoesNotContain(active!, u => u!["id"]!.GetValue<string>() == unitId);
        Assert.Contains(active!, u => u!["id"]!.GetValue<string>() == childId);

        // Nothing new joins a disabled unit: no new subunit, no person.
        var newChild = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = NewId("late"), name = "新科室", parentId = unitId }));
        Assert.Contains("已停用", newChild["parentId"].Single());
        var newPerson = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/users", new
        {
            userName = "u" + Guid.NewGuid().ToString("N")[..10], displayName = "新人", unitId, roles = new[] { Roles.Liaison }, password = TestUsers.Password,
        }));
        Assert.Contains("已停用", newPerson["unitId"].Single());

        // Enabled again, it is offered again.
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/units/{unitId}", Save(await UnitAsync(unitId), isActive: true))).StatusCode);
        Assert.True((await UnitAsync(unitId, activeOnly: true))["isActive"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_save_based_on_an_old_version_is_a_409_and_the_newer_name_stays()
    {
        var admin = await fixture.As("admin");
        var id = NewId("ver");
        var unit = await CreateUnitAsync(id, "原名称");

        // Two administrators opened the same unit; the first saves.
        var first = await admin.PutAsJsonAsync($"/api/units/{id}", Save(unit, name: "甲改的名称"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var second = await admin.PutAsJsonAsync($"/api/units/{id}", Save(unit, name: "乙改的名称"));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("他人修改", await second.Content.ReadAsStringAsync());
        Assert.Equal("甲改的名称", (await UnitAsync(id))["name"]!.GetValue<string>());

        // With the fresh version, the rename goes through.
        var fresh = await UnitAsync(id);
        Assert.NotEqual(unit["version"]!.GetValue<long>(), fresh["version"]!.GetValue<long>());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/units/{id}", Save(fresh, name: "乙改的名称"))).StatusCode);
        Assert.Equal("乙改的名称", (await UnitAsync(id))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_administrators_saving_the_same_unit_at_once_one_wins_and_the_other_gets_a_409()
    {
        var admin = await fixture.As("admin");
        using var other = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Admin, unitId: "bgs", displayName: "另一位管理员"));
        var id = NewId("race");
        var unit = await CreateUnitAsync(id, "原名称");

        // Both saves read the same version and pass its check; the gate holds them until both are about to commit.
        fixture.Factory.Gate.HoldUntil(2, "unit-change");
        HttpResponseMessage[] saves;
        try
        {
            saves = await Task.WhenAll(
                admin.PutAsJsonAsync($"/api/units/{id}", Save(unit, name: "甲改的名称")),
                other.PutAsJsonAsync($"/api/units/{id}", Save(unit, name: "乙改的名称")));
        }
        finally
        {
            fixture.Factory.Gate.Open();
        }

        var statuses = saves.Select(r => r.StatusCode).Order().ToList();
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
        var won = saves.Single(r => r.StatusCode == HttpStatusCode.OK);
        var lost = saves.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("他人修改", await lost.Content.ReadAsStringAsync());
        // The winner's change is what is stored, under the version its answer gave.
        var winner = (await won.Content.ReadFromJsonAsync<JsonObject>())!;
        var stored = await UnitAsync(id);
        Assert.Equal(winner["name"]!.GetValue<string>(), stored["name"]!.GetValue<string>());
        Assert.Equal(winner["version"]!.GetValue<long>(), stored["version"]!.GetValue<long>());
        Assert.NotEqual(unit["version"]!.GetValue<long>(), stored["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_stale_user_save_is_a_409_and_changes_nothing()
    {
        var admin = await fixture.As("admin");
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var stamp = user["concurrencyStamp"]!.GetValue<string>();
        var id = user["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "先保存的", unitId = "fzc", concurrencyStamp = stamp })).StatusCode);
        var stale = await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "后保存的", unitId = "jinan", concurrencyStamp = stamp });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        var listed = await TestUsers.ListedAsync(fixture, id);
        Assert.Equal("先保存的", listed["displayName"]!.GetValue<string>());
        Assert.Equal("fzc", listed["unitId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unit_codes_are_checked_and_new_units_go_to_the_end_of_their_siblings()
    {
        var admin = await fixture.As("admin");
        var bad = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = "法制 处", name = "单位" }));
        Assert.Contains("字母", bad["id"].Single());
        var negative = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = NewId("neg"), name = "单位", sortOrder = -1 }));
        Assert.Contains("sortOrder", negative.Keys);
        var missing = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/units", new { id = NewId("miss"), name = " ", parentId = "nowhere" }));
        Assert.Contains("name", missing.Keys);
        Assert.Contains("parentId", missing.Keys);

        var parent = NewId("order");
        await CreateUnitAsync(parent, "上级");
        var a = await CreateUnitAsync(NewId("order-a"), "甲", parentId: parent);
        var b = await CreateUnitAsync(NewId("order-b"), "乙", parentId: parent);
        Assert.Equal(0, a["sortOrder"]!.GetValue<int>());
        Assert.Equal(1, b["sortOrder"]!.GetValue<int>());

        // Moved under another parent without an order: last there. Kept in place: its order stays.
        var moved = await admin.PutAsJsonAsync($"/api/units/{a["id"]}", new { name = "甲", parentId = b["id"]!.GetValue<string>(), sortOrder = (int?)null });
        Assert.Equal(0, (await moved.Content.ReadFromJsonAsync<JsonObject>())!["sortOrder"]!.GetValue<int>());
        var renamed = await admin.PutAsJsonAsync($"/api/units/{b["id"]}", new { name = "乙改", parentId = parent, sortOrder = (int?)null });
        Assert.Equal(1, (await renamed.Content.ReadFromJsonAsync<JsonObject>())!["sortOrder"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_administrator_cannot_disable_themselves_or_drop_their_own_admin_role()
    {
        var me = await TestUsers.CreateAsync(fixture, Roles.Admin, unitId: "bgs", displayName: "临时管理员");
        var client = await TestUsers.SignInAsync(fixture, me);
        var id = me["id"]!.GetValue<string>();

        var off = await FieldErrorsAsync(await client.PutAsJsonAsync($"/api/users/{id}", new { displayName = "临时管理员", unitId = "bgs", isActive = false }));
        Assert.Contains("自己", off["isActive"].Single());
        // 三员分立 (decision 049): an administrator without 安全管理员 grants no role at all, his own included.
        var granted = await client.PutAsJsonAsync($"/api/users/{id}", new { displayName = "临时管理员", unitId = "bgs", roles = new[] { Roles.Admin, Roles.SecurityAdmin } });
        Assert.Equal(HttpStatusCode.Forbidden, granted.StatusCode);
        // Given 安全管理员 by one who may, he still cannot drop his own 管理员 role.
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, me, roles: [Roles.Admin, Roles.SecurityAdmin])).StatusCode);
        client = await TestUsers.SignInAsync(fixture, me); // a change of roles ends his sessions
        var demoted = await FieldErrorsAsync(await client.PutAsJsonAsync($"/api/users/{id}", new { displayName = "临时管理员", unitId = "bgs", roles = new[] { Roles.Supervisor, Roles.SecurityAdmin } }));
        Assert.Contains("管理员", demoted["roles"].Single());
        var listed = await TestUsers.ListedAsync(fixture, id);
        Assert.True(listed["isActive"]!.GetValue<bool>());
        Assert.Equal([Roles.Admin, Roles.SecurityAdmin], listed["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        // Another administrator may do both.
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, me, isActive: false)).StatusCode);
    }

    [Fact]
    public async Task Resetting_a_password_checks_it_renews_the_security_stamp_and_needs_an_administrator()
    {
        var admin = await fixture.As("admin");
        var user = await TestUsers.CreateAsync(fixture, Roles.Liaison);
        var id = user["id"]!.GetValue<string>();
        var stamp = await StampAsync(id);

        var weak = await FieldErrorsAsync(await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { password = "123" }));
        Assert.Contains("密码至少 10 位", weak["password"]);
        var empty = await FieldErrorsAsync(await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { password = "" }));
        Assert.Contains("新密码", empty["password"].Single());
        Assert.Equal(stamp, await StampAsync(id));

        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("ducha")).PostAsJsonAsync($"/api/users/{id}/reset-password", new { password = "Reset@2026x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/users/nobody/reset-password", new { password = "Reset@2026x" })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsJsonAsync($"/api/users/{id}/reset-password", new { password = "Reset@2026x" })).StatusCode);
        // A new stamp: sessions signed in with the old password end at their next request (decision 036).
        Assert.NotEqual(stamp, await StampAsync(id));
        var old = await fixture.Anonymous().PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, old.StatusCode);
        var login = await fixture.Anonymous().PostAsJsonAsync("/api/auth/login", new { userName = user["userName"]!.GetValue<string>(), password = "Reset@2026x" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    private Task<string?> StampAsync(string id) =>
        fixture.Factory.WithScopeAsync(sp => sp.GetRequiredService<DubanDbContext>().Users.AsNoTracking()
            .Where(u => u.Id == id).Select(u => u.SecurityStamp).SingleAsync());

    [Fact]
    public async Task Only_administrators_change_units()
    {
        var ducha = await fixture.As("ducha");
        var fzc = await UnitAsync("fzc");
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PutAsJsonAsync("/api/units/fzc", Save(fzc, name: "改名"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync("/api/units", new { id = NewId("x"), name = "新单位" })).StatusCode);
        await fixture.Factory.WithDbAsync(async db => Assert.Equal("法制处", (await db.Units.AsNoTracking().SingleAsync(u => u.Id == "fzc")).Name));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteOrganizationAdminTests(SqliteFixture fixture) : OrganizationAdminTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOrganizationAdminTests(PostgresFixture fixture) : OrganizationAdminTests<PostgresFixture>(fixture);
