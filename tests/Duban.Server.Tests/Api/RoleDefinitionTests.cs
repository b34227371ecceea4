using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Startup;
using Duban.Engine.Directory;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// Roles are the organization's data (decision 049): its own roles (特约督查员, 督查联络员) carry the permissions its
/// security administrator gives them, built-in roles' permissions change, steps name its own roles, and 三员分立 keeps
/// people and units (管理员) apart from roles and policies (安全管理员).
/// </summary>
public abstract class RoleDefinitionTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpResponseMessage> SaveRoleAsync(string name, string[] permissions, bool create = false, long? version = null, HttpClient? as_ = null)
    {
        var client = as_ ?? await fixture.As("admin");
        return create
            ? await client.PostAsJsonAsync("/api/role-definitions", new { name, permissions })
            : await client.PutAsJsonAsync($"/api/role-definitions/{Uri.EscapeDataString(name)}", new { permissions, version });
    }

    private async Task<JsonObject> RoleAsync(string name) =>
        (await (await fixture.As("admin")).GetFromJsonAsync<JsonObject>("/api/role-definitions"))!["roles"]!.AsArray()
            .Single(r => r!["name"]!.GetValue<string>() == name)!.AsObject();

    private static async Task<string[]> PermissionsAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["permissions"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray();

    [Fact]
    public async Task An_organizations_own_role_carries_the_permissions_its_security_administrator_gives_it()
    {
        Assert.Equal(HttpStatusCode.Created, (await SaveRoleAsync("特约督查员", ["seeAllItems"], create: true)).StatusCode);
        var special = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, "特约督查员", unitId: "jinan", displayName: "特约督查员甲"));
        var item = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData("fzc"));

        // 001 第二十五条: a 特约督查员 looks at every item, though his unit (济南) is not the one handling it.
        Assert.Equal(HttpStatusCode.OK, (await special.GetAsync($"/api/instances/{item}")).StatusCode);
        Assert.Equal(["seeAllItems"], await PermissionsAsync(special));
        Assert.Contains("特约督查员", (await special.GetFromJsonAsync<string[]>("/api/roles"))!);

        // The permission taken away, he reads his unit's items only — from his next request on.
        var role = await RoleAsync("特约督查员");
        Assert.Equal(1, role["holders"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await SaveRoleAsync("特约督查员", [], version: role["version"]!.GetValue<long>())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await special.GetAsync($"/api/instances/{item}")).StatusCode);
        Assert.Empty(await PermissionsAsync(special));

        // A save based on the version before that one lost the race: 409, and the role keeps what the winner saved.
        Assert.Equal(HttpStatusCode.Conflict, (await SaveRoleAsync("特约督查员", ["seeAllItems"], version: role["version"]!.GetValue<long>())).StatusCode);
        Assert.Empty((await RoleAsync("特约督查员"))["permissions"]!.AsArray());
    }

    [Fact]
    public async Task A_step_for_an_organizations_own_role_reaches_its_holders_and_a_design_naming_a_role_it_lacks_is_not_published()
    {
        var admin = await fixture.As("admin");
        var flow = Flow("liaison-role-flow", "联络员核实", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject { ["id"] = "check", ["type"] = "Duban.UserTask", ["name"] = "核实", ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查联络员" }) },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "check"), Connection("check", "提交", "end")]);

        var refused = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.False(refused.IsSuccessStatusCode);
        Assert.Contains("角色「督查联络员」不是本组织的角色", await refused.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Created, (await SaveRoleAsync("督查联络员", ["handleUnitTasks"], create: true)).StatusCode);
        await ImportAsync(admin, flow);
        var holder = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, "督查联络员", unitId: "qingdao", displayName: "联络员乙"));
        var item = await StartAsync(await fixture.As("ducha"), "liaison-role-flow", new JsonObject());
        await CompleteOkAsync(holder, await TaskOfAsync(holder, item, "核实"), "提交");
        Assert.Equal("completed", (await InstanceAsync(await fixture.As("ducha"), item))["instance"]!["status"]!.GetValue<string>());

        // HandleUnitTasks makes him one of his unit's liaisons: a task offered to 青岛 is his too.
        Assert.Contains("handleUnitTasks", await PermissionsAsync(holder));
    }

    [Fact]
    public async Task People_and_units_are_the_administrators_roles_and_policies_the_security_administrators()
    {
        var adminOnly = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Admin, unitId: "bgs", displayName: "系统管理员乙"));
        var securityOnly = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.SecurityAdmin, unitId: "bgs", displayName: "安全管理员乙"));
        var item = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData("fzc"));

        // 管理员 alone: units and people yes; roles, grants and the security policy no.
        Assert.Equal(HttpStatusCode.Forbidden, (await adminOnly.PutAsJsonAsync("/api/security-policy", new { secondFactorRoles = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SaveRoleAsync("巡查员", [], create: true, as_: adminOnly)).StatusCode);
        var userName = "p" + Guid.NewGuid().ToString("N")[..10];
        Assert.Equal(HttpStatusCode.Forbidden, (await adminOnly.PostAsJsonAsync("/api/users",
            new { userName, displayName = "新人", unitId = "fzc", roles = new[] { Roles.Supervisor }, password = TestUsers.Password })).StatusCode);
        var created = await adminOnly.PostAsJsonAsync("/api/users", new { userName, displayName = "新人", unitId = "fzc", password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var person = (await created.Content.ReadFromJsonAsync<JsonObject>())!;

        // 安全管理员 alone: grants the role the administrator could not, sets the policy; no units, no people's details, no items.
        var granted = await securityOnly.PutAsJsonAsync($"/api/users/{person["id"]}", new { displayName = "新人", unitId = "fzc", roles = new[] { Roles.Liaison } });
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await securityOnly.PutAsJsonAsync($"/api/users/{person["id"]}",
            new { displayName = "改名", unitId = "fzc", roles = new[] { Roles.Liaison } })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await securityOnly.PostAsJsonAsync("/api/units", new { id = "x" + Guid.NewGuid().ToString("N")[..6], name = "新单位", parentId = "sft" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await securityOnly.PutAsJsonAsync("/api/security-policy", new { secondFactorRoles = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await securityOnly.GetAsync($"/api/instances/{item}")).StatusCode);
        Assert.True((await securityOnly.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["outsideBusiness"]!.GetValue<bool>());
        Assert.False((await adminOnly.GetFromJsonAsync<JsonObject>("/api/auth/me"))!["outsideBusiness"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_built_in_roles_permissions_change_but_the_last_security_administrator_and_held_roles_stay()
    {
        var ducha = await fixture.As("ducha");
        var bulletin = new { unitId = "fzc", title = "通报样例", issuedOn = "2026-12-01" };
        var supervisor = await RoleAsync(Roles.Supervisor);
        Assert.True(supervisor["builtIn"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.OK, (await SaveRoleAsync(Roles.Supervisor, ["seeAllItems", "supervise"])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PostAsJsonAsync("/api/scoring/bulletins", bulletin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SaveRoleAsync(Roles.Supervisor, ["seeAllItems", "supervise", "score"])).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ducha.PostAsJsonAsync("/api/scoring/bulletins", bulletin)).StatusCode);

        // Taking the permission from the only role anyone holds it by would leave nobody to give it back.
        var locked = await FieldErrorsAsync(await SaveRoleAsync(Roles.SecurityAdmin, []));
        Assert.Contains("安全管理员", locked["permissions"].Single());
        Assert.Contains("manageRolesAndSecurity", (await RoleAsync(Roles.SecurityAdmin))["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));

        // Unknown permissions and names are 400s naming the field; a built-in role is not removed, a held one neither.
        Assert.Contains("permissions", (await FieldErrorsAsync(await SaveRoleAsync("督查专员", ["readEverything"], create: true))).Keys);
        Assert.Contains("name", (await FieldErrorsAsync(await SaveRoleAsync("督查员", [], create: true))).Keys);
        Assert.Contains("name", (await FieldErrorsAsync(await SaveRoleAsync("甲，乙", [], create: true))).Keys);
        var admin = await fixture.As("admin");
        Assert.Contains("name", (await FieldErrorsAsync(await admin.DeleteAsync($"/api/role-definitions/{Uri.EscapeDataString(Roles.Leader)}"))).Keys);
        Assert.Equal(HttpStatusCode.Created, (await SaveRoleAsync("督查专员", ["supervise"], create: true)).StatusCode);
        var holder = await TestUsers.CreateAsync(fixture, "督查专员", unitId: "bgs");
        Assert.Contains("仍有人员担任", (await FieldErrorsAsync(await admin.DeleteAsync($"/api/role-definitions/{Uri.EscapeDataString("督查专员")}")))["name"].Single());
        Assert.Equal(HttpStatusCode.OK, (await TestUsers.UpdateAsync(fixture, holder, roles: [])).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/role-definitions/{Uri.EscapeDataString("督查专员")}")).StatusCode);
        Assert.DoesNotContain("督查专员", (await admin.GetFromJsonAsync<string[]>("/api/roles"))!);
    }

    [Fact]
    public async Task A_chase_rung_is_given_to_an_organizations_own_business_role_and_not_to_one_outside_the_business()
    {
        Assert.Equal(HttpStatusCode.Created, (await SaveRoleAsync("督查联络员", ["seeAllItems", "supervise"], create: true)).StatusCode);
        var admin = await fixture.As("admin");
        var ladder = (await admin.GetFromJsonAsync<JsonObject>("/api/chasing/ladder"))!;
        var actors = ladder["actors"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("督查联络员", actors);
        Assert.Contains(Roles.Supervisor, actors);
        Assert.DoesNotContain(Roles.Auditor, actors);
        Assert.DoesNotContain(Roles.SecurityAdmin, actors);

        async Task<HttpResponseMessage> SaveWithActorAsync(string actor)
        {
            var rungs = ladder["rungs"]!.DeepClone().AsArray();
            rungs[0]!["actor"] = actor;
            return await admin.PutAsJsonAsync("/api/chasing/ladder", new JsonObject { ["rungs"] = rungs });
        }
        Assert.Equal(HttpStatusCode.OK, (await SaveWithActorAsync("督查联络员")).StatusCode);
        Assert.Equal("督查联络员", (await admin.GetFromJsonAsync<JsonObject>("/api/chasing/ladder"))!["rungs"]![0]!["actor"]!.GetValue<string>());
        Assert.Contains("不是本组织参与业务的角色", (await FieldErrorsAsync(await SaveWithActorAsync(Roles.Auditor)))["rungs"].Single());
        Assert.Contains("rungs", (await FieldErrorsAsync(await SaveWithActorAsync("主任"))).Keys);

        // A procedure's own ladder names roles too: publishing checks them against the organization's.
        var definition = (await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision"))!["definition"]!.AsObject();
        var own = ladder["rungs"]!.DeepClone().AsArray();
        own[0]!["actor"] = "督查联络员";
        definition["options"] ??= new JsonObject();
        definition["options"]!["ladder"] = own;
        Assert.True((await (await admin.PostAsJsonAsync("/api/definitions/validate", definition)).Content.ReadFromJsonAsync<JsonObject>())!["valid"]!.GetValue<bool>());
        own[0]!["actor"] = "主任";
        var report = (await (await admin.PostAsJsonAsync("/api/definitions/validate", definition)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(report["valid"]!.GetValue<bool>());
        Assert.Contains(report["errors"]!.AsArray(), e => e!["message"]!.GetValue<string>().Contains("办理角色「主任」不是本组织的角色", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_administrator_reads_no_item_unless_his_organization_chose_so_and_one_from_before_keeps_what_he_had()
    {
        var item = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData("fzc"));
        var adminOnly = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Admin, unitId: "bgs", displayName: "系统管理员丙"));
        string[] Keys(JsonObject role) => [.. role["permissions"]!.AsArray().Select(p => p!.GetValue<string>())];

        // The small demo office chose it: its 管理员 role, stored, also reads and supervises the items.
        var demo = await RoleAsync(Roles.Admin);
        Assert.Contains("seeAllItems", Keys(demo));
        Assert.Equal(HttpStatusCode.OK, (await adminOnly.GetAsync($"/api/instances/{item}")).StatusCode);

        // The built-in default (三员分立): units, people and configuration, and no item — 404 as to any outsider, no task.
        Assert.Equal(HttpStatusCode.OK, (await SaveRoleAsync(Roles.Admin, ["manageUnitsAndPeople", "designProcedures", "configureSupervision"],
            version: demo["version"]!.GetValue<long>())).StatusCode);
        var me = (await adminOnly.GetFromJsonAsync<JsonObject>("/api/auth/me"))!;
        Assert.True(me["outsideBusiness"]!.GetValue<bool>());
        Assert.DoesNotContain("seeAllItems", me["permissions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await adminOnly.GetAsync($"/api/instances/{item}")).StatusCode);
        Assert.DoesNotContain(item.ToString(), await (await adminOnly.GetAsync("/api/ledger?pageSize=100")).Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await adminOnly.GetAsync("/api/definitions")).StatusCode);

        // An organization from before, whose 管理员 was never changed (no stored row), keeps what its administrators had.
        await fixture.Factory.WithDbAsync(db => db.Set<Duban.Data.Organization.RoleDefinitionRecord>().Where(r => r.Name == Roles.Admin).ExecuteDeleteAsync());
        await using (var scope = fixture.Factory.Services.CreateAsyncScope())
            Assert.Equal(StepResult.Done, await scope.ServiceProvider.GetRequiredService<BaselineSetup>().AdministratorsKeepItemsAsync(CancellationToken.None));
        fixture.Factory.Services.GetRequiredService<Duban.Data.Organization.OrganizationCache>().Invalidate();
        Assert.Equal(["seeAllItems", "supervise", "designProcedures", "configureSupervision", "manageUnitsAndPeople"], Keys(await RoleAsync(Roles.Admin)));
        Assert.Equal(HttpStatusCode.OK, (await adminOnly.GetAsync($"/api/instances/{item}")).StatusCode);
    }

    [Fact]
    public async Task An_organization_from_before_the_split_gives_its_administrators_the_security_role_once()
    {
        // As before decision 049: nobody holds a role that may manage roles; the administrator holds 管理员 only.
        await fixture.Factory.WithDbAsync(async db =>
        {
            var security = await db.Roles.Where(r => r.Name == Roles.SecurityAdmin).Select(r => r.Id).SingleAsync();
            await db.UserRoles.Where(ur => ur.RoleId == security).ExecuteDeleteAsync();
            // An installation from before has no 安全管理员 role at all: the every-start roles pass runs after the steps.
            await db.Roles.Where(r => r.Id == security).ExecuteDeleteAsync();
        });
        async Task<List<string>> HoldersAsync()
        {
            List<string> names = [];
            await fixture.Factory.WithDbAsync(async db => names = await (from ur in db.UserRoles
                                                                         join r in db.Roles on ur.RoleId equals r.Id
                                                                         join u in db.Users on ur.UserId equals u.Id
                                                                         where r.Name == Roles.SecurityAdmin
                                                                         select u.UserName!).OrderBy(n => n).ToListAsync());
            return names;
        }
        Assert.Empty(await HoldersAsync());

        async Task RunStepAsync()
        {
            await using var scope = fixture.Factory.Services.CreateAsyncScope();
            Assert.Equal(StepResult.Done, await scope.ServiceProvider.GetRequiredService<BaselineSetup>().SecurityAdministratorsAsync(CancellationToken.None));
        }
        await RunStepAsync();
        // What the administrator could do stays his: roles and the security policy, now through 安全管理员.
        Assert.Equal(["admin"], await HoldersAsync());
        // Where someone holds it, nothing more is given.
        await RunStepAsync();
        Assert.Equal(["admin"], await HoldersAsync());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteRoleDefinitionTests(SqliteFixture fixture) : RoleDefinitionTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresRoleDefinitionTests(PostgresFixture fixture) : RoleDefinitionTests<PostgresFixture>(fixture);
