using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Tenancy;

/// <summary>
/// Each root organization is a tenant (decision 035): the faults issue 17 found with two organizations on one
/// installation, one test each, and what the platform administrator may and may not do.
/// </summary>
public abstract class TenancyTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : TwoOrganizationsFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> Text(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task A_step_for_a_role_reaches_that_role_in_the_items_organization_only()
    {
        // Both items wait for 领导 (a role, no unit): each organization's leader receives his own.
        var sftTodo = await InboxAsync(await fixture.As("lingdao"));
        var govTodo = await InboxAsync(await fixture.As("gov-lingdao"));
        Assert.Contains(sftTodo, t => t!["instanceId"]!.GetValue<Guid>() == fixture.SftItem);
        Assert.DoesNotContain(sftTodo, t => t!["instanceId"]!.GetValue<Guid>() == fixture.GovItem);
        Assert.Contains(govTodo, t => t!["instanceId"]!.GetValue<Guid>() == fixture.GovItem);
        Assert.DoesNotContain(govTodo, t => t!["instanceId"]!.GetValue<Guid>() == fixture.SftItem);

        // Nor can he open or act on the other's task by its id.
        var sftTask = await TaskOfAsync(await fixture.As("lingdao"), fixture.SftItem);
        var gov = await fixture.As("gov-lingdao");
        Assert.Equal(HttpStatusCode.NotFound, (await gov.GetAsync($"/api/tasks/{sftTask}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CompleteAsync(gov, sftTask, "同意", new JsonObject { ["leaderOpinion"] = "越权" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("gov-ducha")).PostAsJsonAsync($"/api/tasks/{sftTask}/transfer",
            new { toUserId = "x", comment = "越权转办" })).StatusCode);
        var still = await InboxAsync(await fixture.As("lingdao"));
        Assert.Contains(still, t => t!["id"]!.GetValue<Guid>() == sftTask);
    }

    [Fact]
    public async Task The_office_and_leaders_see_every_item_of_their_own_organization_and_none_of_the_other()
    {
        foreach (var (user, own, other, ownMarker, otherMarker) in new[]
                 {
                     ("ducha", fixture.SftItem, fixture.GovItem, TwoOrganizationsFixture.SftMarker, TwoOrganizationsFixture.GovMarker),
                     ("gov-ducha", fixture.GovItem, fixture.SftItem, TwoOrganizationsFixture.GovMarker, TwoOrganizationsFixture.SftMarker),
                     ("gov-lingdao", fixture.GovItem, fixture.SftItem, TwoOrganizationsFixture.GovMarker, TwoOrganizationsFixture.SftMarker),
                 })
        {
            var client = await fixture.As(user);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/instances/{own}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/instances/{other}")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/instances/{other}/journal")).StatusCode);
            var ledger = await Text(client, "/api/ledger?pageSize=100");
            Assert.Contains(ownMarker, ledger, StringComparison.Ordinal);
            Assert.DoesNotContain(otherMarker, ledger, StringComparison.Ordinal);
            var export = await client.GetAsync("/api/ledger/export");
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        }
    }

    [Fact]
    public async Task Procedures_are_each_organizations_own()
    {
        var admin = await fixture.As("admin");
        var govAdmin = await fixture.As("gov-admin");
        // The new organization got the shipped templates, as records of its own.
        var govList = (await govAdmin.GetFromJsonAsync<JsonArray>("/api/definitions"))!;
        Assert.Equal(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json").Length, govList.Count);

        // One organization's new procedure is not offered to the other, nor readable, nor startable.
        await ImportAsync(admin, TwoOrganizationsFixture.SftOnlyProcedure());
        Assert.Contains((await admin.GetFromJsonAsync<JsonArray>("/api/definitions"))!, d => d!["definitionId"]!.GetValue<string>() == "sft-only");
        Assert.DoesNotContain((await govAdmin.GetFromJsonAsync<JsonArray>("/api/definitions"))!, d => d!["definitionId"]!.GetValue<string>() == "sft-only");
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.GetAsync("/api/definitions/sft-only")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.GetAsync("/api/definitions/sft-only/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.PostAsync("/api/definitions/sft-only/publish", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("gov-ducha")).PostAsJsonAsync("/api/instances",
            new { definitionId = "sft-only", data = new JsonObject() })).StatusCode);

        // The same procedure id in both is two procedures: a new version in one leaves the other's as it was.
        var document = (await govAdmin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision"))!;
        var definition = document["definition"]!.AsObject();
        definition["name"] = "省府督办事项（改）";
        Assert.Equal(HttpStatusCode.OK, (await govAdmin.PutAsJsonAsync("/api/definitions/demo-supervision", definition)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await govAdmin.PostAsync("/api/definitions/demo-supervision/publish", null)).StatusCode);
        var sftDocument = (await admin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision"))!;
        Assert.NotEqual("省府督办事项（改）", sftDocument["definition"]!["name"]!.GetValue<string>());
        Assert.Equal(1, sftDocument["meta"]!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_administrator_administers_his_own_organization_alone()
    {
        var govAdmin = await fixture.As("gov-admin");
        var units = (await govAdmin.GetFromJsonAsync<JsonArray>("/api/units"))!.Select(u => u!["id"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["gov-dcs", "gov-nj", "jsgov"], units);
        var users = (await govAdmin.GetFromJsonAsync<JsonArray>("/api/users"))!.Select(u => u!["userName"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["gov-admin", "gov-ducha", "gov-lingdao", "gov-nj"], users);

        // 三员分立: a new organization's 管理员 reads no item, not even his own organization's (decision 049).
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.GetAsync($"/api/instances/{fixture.GovItem}")).StatusCode);
        // The other organization's unit and people do not exist for him …
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.PutAsJsonAsync("/api/units/fzc", new { name = "被改名的法制处", parentId = "sft" })).StatusCode);
        var ducha = await UserIdAsync(await fixture.As("admin"), "ducha");
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.PutAsJsonAsync($"/api/users/{ducha}", new { displayName = "被改名", roles = Array.Empty<string>() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await govAdmin.PostAsJsonAsync($"/api/users/{ducha}/reset-password", new { password = "Other@2026x" })).StatusCode);
        // … nor can he hang units or people on it, or hand out the platform's role.
        var unitErrors = await FieldErrorsAsync(await govAdmin.PostAsJsonAsync("/api/units", new { id = "gov-x", name = "越界单位", parentId = "fzc" }));
        Assert.Contains("parentId", unitErrors.Keys);
        var rootErrors = await FieldErrorsAsync(await govAdmin.PostAsJsonAsync("/api/units", new { id = "gov-root2", name = "另一个组织" }));
        Assert.Contains("parentId", rootErrors.Keys);
        var userErrors = await FieldErrorsAsync(await govAdmin.PostAsJsonAsync("/api/users",
            new { userName = "gov-x", displayName = "越界人员", unitId = "fzc", roles = new[] { "督查员" }, password = TwoOrganizationsFixture.Password }));
        Assert.Contains("unitId", userErrors.Keys);
        var roleErrors = await FieldErrorsAsync(await govAdmin.PostAsJsonAsync("/api/users",
            new { userName = "gov-y", displayName = "冒充平台", unitId = "gov-dcs", roles = new[] { "平台管理员" }, password = TwoOrganizationsFixture.Password }));
        Assert.Contains("roles", roleErrors.Keys);
        var leaderErrors = await FieldErrorsAsync(await govAdmin.PutAsJsonAsync("/api/units/gov-nj",
            new { name = "南京市人民政府", parentId = "jsgov", leaderUserId = ducha }));
        Assert.Contains("leaderUserId", leaderErrors.Keys);

        // Untouched: the demo organization's unit and person.
        var fzc = (await (await fixture.As("admin")).GetFromJsonAsync<JsonArray>("/api/units"))!.Single(u => u!["id"]!.GetValue<string>() == "fzc")!;
        Assert.Equal("法制处", fzc["name"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await fixture.Anonymous().PostAsJsonAsync("/api/auth/login", new { userName = "ducha", password = TwoOrganizationsFixture.Password })).StatusCode);
    }

    [Fact]
    public async Task A_procedure_naming_another_organizations_unit_or_person_is_not_published()
    {
        var govAdmin = await fixture.As("gov-admin");
        var ducha = await UserIdAsync(await fixture.As("admin"), "ducha");
        var definition = (await govAdmin.GetFromJsonAsync<JsonObject>("/api/definitions/demo-supervision"))!["definition"]!.AsObject();
        JsonObject Step(string id) => definition["root"]!["activities"]!.AsArray().Single(a => a!["id"]!.GetValue<string>() == id)!.AsObject();
        JsonObject Rule(JsonObject value) => new() { ["typeName"] = "Object", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = value } };

        // A design copied from the justice department: its 审定 goes to 法制处, its 审核 to that department's 督查员.
        Step("approve")["assignee"] = Rule(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("fzc") });
        Step("review")["assignee"] = Rule(new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(ducha) });
        Assert.Equal(HttpStatusCode.OK, (await govAdmin.PutAsJsonAsync("/api/definitions/demo-supervision", definition)).StatusCode);

        var report = (await (await govAdmin.PostAsJsonAsync("/api/definitions/validate", definition)).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False(report["valid"]!.GetValue<bool>());
        var errors = report["errors"]!.AsArray().Select(e => (Node: e!["activityId"]?.GetValue<string>(), Message: e["message"]!.GetValue<string>())).ToList();
        Assert.Contains(errors, e => e.Node == "approve" && e.Message.Contains("单位「fzc」不是本组织的单位", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Node == "review" && e.Message.Contains($"人员「{ducha}」不是本组织的人员", StringComparison.Ordinal));
        // Publishing refuses it, naming the nodes; the published version stays the one before.
        var refused = await FieldErrorsAsync(await govAdmin.PostAsync("/api/definitions/demo-supervision/publish", null));
        Assert.Contains("approve", refused.Keys);
        Assert.Contains("review", refused.Keys);
        async Task<JsonNode> SummaryAsync() => (await govAdmin.GetFromJsonAsync<JsonArray>("/api/definitions"))!
            .Single(d => d!["definitionId"]!.GetValue<string>() == "demo-supervision")!;
        Assert.Equal(1, (await SummaryAsync())["publishedVersion"]!.GetValue<int>());
        Assert.True((await SummaryAsync())["hasDraft"]!.GetValue<bool>());

        // Its own unit and person: published.
        var govDucha = await UserIdAsync(govAdmin, "gov-ducha");
        Step("approve")["assignee"] = Rule(new JsonObject { ["type"] = "unit", ["unitIds"] = new JsonArray("gov-dcs") });
        Step("review")["assignee"] = Rule(new JsonObject { ["type"] = "users", ["userIds"] = new JsonArray(govDucha) });
        Assert.Equal(HttpStatusCode.OK, (await govAdmin.PutAsJsonAsync("/api/definitions/demo-supervision", definition)).StatusCode);
        var published = await govAdmin.PostAsync("/api/definitions/demo-supervision/publish", null);
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        Assert.Equal(2, (await SummaryAsync())["publishedVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_item_cannot_name_a_unit_of_another_organization()
    {
        // 法制处 does not exist for the provincial government's items: the start form refuses it, naming the field.
        var response = await (await fixture.As("gov-ducha")).PostAsJsonAsync("/api/instances",
            new { definitionId = "demo-supervision", data = TwoOrganizationsFixture.Data("越界交办", "fzc") });
        Assert.Contains("handlingUnit", (await FieldErrorsAsync(response)).Keys);
    }

    [Fact]
    public async Task The_platform_administrator_adds_organizations_and_reads_none_of_their_business()
    {
        var platform = await fixture.As("platform");
        var list = (await platform.GetFromJsonAsync<JsonArray>("/api/platform/organizations"))!;
        Assert.Equal(["jsgov", "sft"], list.Select(o => o!["id"]!.GetValue<string>()).Order().ToList());
        var gov = list.Single(o => o!["id"]!.GetValue<string>() == "jsgov")!;
        Assert.Equal(3, gov["units"]!.GetValue<int>());
        Assert.Equal(4, gov["people"]!.GetValue<int>());

        // No item, task, person or setting of any organization.
        Assert.Equal(HttpStatusCode.NotFound, (await platform.GetAsync($"/api/instances/{fixture.SftItem}")).StatusCode);
        Assert.Empty(await InboxAsync(platform));
        Assert.DoesNotContain(TwoOrganizationsFixture.SftMarker, await Text(platform, "/api/ledger?pageSize=100"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.GetAsync("/api/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.GetAsync("/api/definitions")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await platform.GetAsync("/api/calendar")).StatusCode);

        // An organization's administrator cannot add organizations; a code taken or a blank name is named.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("admin")).PostAsJsonAsync("/api/platform/organizations",
            new { id = "x", name = "x", adminUserName = "x-admin", adminDisplayName = "x", adminPassword = TwoOrganizationsFixture.Password })).StatusCode);
        var errors = await FieldErrorsAsync(await platform.PostAsJsonAsync("/api/platform/organizations",
            new { id = "fzc", name = " ", adminUserName = "ducha", adminDisplayName = "x", adminPassword = "1" }));
        Assert.Equal(["adminPassword", "adminUserName", "id", "name"], errors.Keys.Order().ToList());

        // A third one gets its calendar and templates, and its administrator signs in, sets his own password (the platform
        // administrator's works once, decision 046) and works at once.
        var created = await platform.PostAsJsonAsync("/api/platform/organizations",
            new { id = "dajq", name = "大安区委督查室（测试）", adminUserName = "dajq-admin", adminDisplayName = "区委管理员", adminPassword = TwoOrganizationsFixture.Password });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var third = fixture.Anonymous();
        (await third.PostAsJsonAsync("/api/auth/login", new { userName = "dajq-admin", password = TwoOrganizationsFixture.Password })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Forbidden, (await third.GetAsync("/api/calendar")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await third.PostAsJsonAsync("/api/auth/password",
            new { currentPassword = TwoOrganizationsFixture.Password, newPassword = "Daan#2026xyz" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await third.GetAsync("/api/calendar")).StatusCode);
        Assert.Contains((await third.GetFromJsonAsync<JsonArray>("/api/definitions"))!, d => d!["definitionId"]!.GetValue<string>() == "demo-supervision");
        Assert.DoesNotContain(TwoOrganizationsFixture.SftMarker, await Text(third, "/api/ledger?pageSize=100"), StringComparison.Ordinal);
    }

    private static async Task<string> UserIdAsync(HttpClient admin, string userName) =>
        (await admin.GetFromJsonAsync<JsonArray>("/api/users"))!.Single(u => u!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<string>();
}

[Collection(SqliteTwoOrganizationsFixture.Collection)]
public sealed class SqliteTenancyTests(SqliteTwoOrganizationsFixture fixture) : TenancyTests<SqliteTwoOrganizationsFixture>(fixture);

[Collection(PostgresTwoOrganizationsFixture.Collection)]
public sealed class PostgresTenancyTests(PostgresTwoOrganizationsFixture fixture) : TenancyTests<PostgresTwoOrganizationsFixture>(fixture);
