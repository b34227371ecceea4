using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;

namespace Duban.Server.Tests.Tenancy;

/// <summary>
/// Two organizations on one installation, as a province would run it (decision 035): the demo 山东省司法厅 (sft) and a
/// 江苏省政府办公厅 (jsgov) the platform administrator adds through the API, whose administrator then builds its units and
/// people by the API too. One item in each, waiting for its organization's 领导 (a step offered to a role with no unit).
/// </summary>
public abstract class TwoOrganizationsFixture(string provider) : HostFixture(provider, DubanFixture.Variant)
{
    public const string Password = "Duban@2026";
    public const string Other = "jsgov";
    /// <summary>Words that appear only in the demo organization's item: no answer to the other organization may hold them.</summary>
    public const string SftMarker = "司法厅独有事项甲";
    public const string GovMarker = "省府独有事项乙";

    /// <summary>The other organization's people: user name → (name, unit, role).</summary>
    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Unit, string Role)> GovPeople =
    [
        ("gov-ducha", "钱督查", "gov-dcs", "督查员"),
        ("gov-lingdao", "孙秘书长", Other, "领导"),
        ("gov-nj", "周联络", "gov-nj", "承办单位联络员"),
    ];

    private readonly ConcurrentDictionary<string, HttpClient> _clients = new();

    public Guid SftItem { get; private set; }
    public Guid GovItem { get; private set; }

    public async Task<HttpClient> As(string userName)
    {
        if (_clients.TryGetValue(userName, out var existing)) return existing;
        var client = Factory.NewClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = Password });
        Assert.True(response.IsSuccessStatusCode, $"login {userName}: {(int)response.StatusCode}");
        return _clients.GetOrAdd(userName, client);
    }

    public HttpClient Anonymous() => Factory.NewClient();

    protected override async Task PrepareAsync()
    {
        var platform = await As("platform");
        await Ok(await platform.PostAsJsonAsync("/api/platform/organizations", new
        {
            id = Other, name = "江苏省政府办公厅（测试）", adminUserName = "gov-admin", adminDisplayName = "省府管理员", adminPassword = Password,
        }));
        await Auth.TestUsers.AdoptPasswordAsync(this, "gov-admin");
        var admin = await As("gov-admin");
        await Ok(await admin.PostAsJsonAsync("/api/units", new { id = "gov-dcs", name = "督查室", parentId = Other, kind = "督查部门" }));
        await Ok(await admin.PostAsJsonAsync("/api/units", new { id = "gov-nj", name = "南京市人民政府", parentId = Other, kind = "承办单位" }));
        foreach (var (userName, displayName, unit, role) in GovPeople)
        {
            await Ok(await admin.PostAsJsonAsync("/api/users", new { userName, displayName, unitId = unit, roles = new[] { role }, password = Password }));
            await Auth.TestUsers.AdoptPasswordAsync(this, userName);
        }

        SftItem = await Infrastructure.Api.StartAsync(await As("ducha"), "demo-supervision", Data(SftMarker, "fzc"));
        GovItem = await Infrastructure.Api.StartAsync(await As("gov-ducha"), "demo-supervision", Data(GovMarker, "gov-nj"));
        // Sessions are not part of the captured state: clients signed in now stay valid after a reset.
    }

    /// <summary>A procedure only the demo organization has (its administrator imports it where a test needs it).</summary>
    public static JsonObject SftOnlyProcedure() => TestDefinitions.Flow("sft-only", "司法厅专用流程", [
        new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
        new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
    ], [TestDefinitions.Connection("start", "Done", "end")]);

    public static JsonObject Data(string title, string unit) => new()
    {
        ["title"] = title, ["source"] = "meeting", ["content"] = title + "：按期报送办理情况", ["handlingUnit"] = unit, ["dueDate"] = "2026-12-31",
    };

    private static async Task Ok(HttpResponseMessage response) =>
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.NoContent,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");

    public override async Task DisposeAsync()
    {
        foreach (var client in _clients.Values) client.Dispose();
        await base.DisposeAsync();
    }
}

public sealed class SqliteTwoOrganizationsFixture() : TwoOrganizationsFixture("Sqlite")
{
    public const string Collection = "two organizations, SQLite";
}

[CollectionDefinition(SqliteTwoOrganizationsFixture.Collection)]
public sealed class SqliteTwoOrganizationsCollection : ICollectionFixture<SqliteTwoOrganizationsFixture>;

public sealed class PostgresTwoOrganizationsFixture() : TwoOrganizationsFixture("Postgres")
{
    public const string Collection = "two organizations, PostgreSQL";
}

[CollectionDefinition(PostgresTwoOrganizationsFixture.Collection)]
public sealed class PostgresTwoOrganizationsCollection : ICollectionFixture<PostgresTwoOrganizationsFixture>;
