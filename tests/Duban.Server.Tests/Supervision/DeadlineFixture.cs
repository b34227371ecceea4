using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Supervision.Chasing;
using Duban.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// The real host on a real database with a controllable clock (starting Monday 2026-03-02 09:00 Beijing time, when the
/// database was seeded, without demo items: their deadlines would be chased too) and the chase worker stopped, so a test runs it when it has moved the clock.
/// The fixture imports a procedure of its own (<see cref="FlowId"/>) before the state a reset returns to is captured.
/// Sign-in cookies follow the clock, so clients sign in again after it moves.
/// </summary>
public abstract class DeadlineFixture(string provider) : HostFixture(provider, Variant)
{
    public static readonly DateTimeOffset Start = Beijing(2026, 3, 2, 9);
    public static readonly SeedVariant Variant = new(DemoItems: false, Clock: Start);

    private readonly ConcurrentDictionary<string, (HttpClient Client, DateTimeOffset At)> _clients = new();

    public TestClock Clock { get; } = new(Start);
    protected override TimeProvider HostClock => Clock;

    public static DateTimeOffset Beijing(int year, int month, int day, int hour = 9, int minute = 0) => TestClock.Beijing(year, month, day, hour, minute);

    protected override Task PrepareAsync() => ImportFlowAsync();

    /// <summary>A client signed in as a demo user, signed in again when the clock has moved since.</summary>
    public async Task<HttpClient> As(string userName)
    {
        var now = Clock.GetUtcNow();
        if (_clients.TryGetValue(userName, out var known) && known.At == now) return known.Client;
        var client = known.Client ?? Factory.CreateDefaultClient(new CookieJar());
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = "Duban@2026" });
        Assert.True(response.IsSuccessStatusCode, $"login {userName}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        _clients[userName] = (client, now);
        return client;
    }

    public Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> work) => Factory.WithScopeAsync(work);

    public Task WithDbAsync(Func<DubanDbContext, Task> work) => Factory.WithDbAsync(work);

    /// <summary>One round of the chase worker at the current time; returns the rungs raised.</summary>
    public Task<int> RunChasesAsync() => Factory.Services.GetRequiredService<ChaseWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>The data as the fixture left it after importing its procedure, and the start time again.</summary>
    public override Task ResetAsync()
    {
        Clock.Set(Start);
        return base.ResetAsync();
    }

    public const string FlowId = "sv-deadline-flow";

    /// <summary>
    /// 登记 (title, unit, optional 完成时限) → 承办 (the unit, until the item's deadline) → 审核 (督查员, 1 working day;
    /// 通过 / 退回) → 办结. The item's deadline is the date given, else 5 working days from registration.
    /// </summary>
    public async Task ImportFlowAsync(JsonObject? extraOptions = null)
    {
        var options = new JsonObject
        {
            ["deadlines"] = new JsonObject
            {
                ["item"] = new JsonObject
                {
                    ["kind"] = "field", ["field"] = "dueDate",
                    ["fallback"] = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 },
                },
            },
            ["lights"] = new JsonObject { ["yellowWorkingDays"] = 2 },
        };
        foreach (var (key, value) in extraOptions ?? []) options[key] = value?.DeepClone();
        var flow = Flow(FlowId, "时限测试流程", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "handle", ["type"] = "Duban.UserTask", ["name"] = "承办", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "field", ["field"] = "unit" }),
                ["outcomes"] = Literal(new JsonArray("提交")), ["deadline"] = Literal("itemDue"),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核", ["form"] = Literal("f"),
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过", "退回")), ["deadline"] = Literal(1),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "handle"), Connection("handle", "提交", "review"), Connection("review", "通过", "end"), Connection("review", "退回", "handle")]);
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督办单", "fields": [
                { "key": "title", "label": "事项名称", "type": "text", "required": true },
                { "key": "unit", "label": "承办单位", "type": "unit", "required": true },
                { "key": "dueDate", "label": "完成时限", "type": "date" },
                { "key": "report", "label": "办理情况", "type": "textarea" } ] }]
            """);
        flow["options"] = options;
        var admin = await As("admin");
        var response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.True(response.IsSuccessStatusCode, $"import failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public async Task<Guid> StartItemAsync(string unit = "fzc", string? dueDate = null, string title = "推进行政复议体制改革")
    {
        var data = new JsonObject { ["title"] = title, ["unit"] = unit };
        if (dueDate is not null) data["dueDate"] = dueDate;
        return await Infrastructure.Api.StartAsync(await As("ducha"), FlowId, data);
    }

    public override async Task DisposeAsync()
    {
        foreach (var (client, _) in _clients.Values) client.Dispose();
        await base.DisposeAsync();
    }
}

/// <summary>
/// Keeps cookies whatever their expiry says: the host's clock is not the client's, so the ordinary cookie container
/// would drop a cookie the (earlier) test clock still considers fresh. The server checks the ticket's own expiry.
/// </summary>
internal sealed class CookieJar : DelegatingHandler
{
    private readonly ConcurrentDictionary<string, string> _cookies = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_cookies.IsEmpty) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
            foreach (var value in values)
            {
                var pair = value.Split(';', 2)[0];
                var eq = pair.IndexOf('=');
                if (eq <= 0) continue;
                var (name, content) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
                if (content.Length == 0) _cookies.TryRemove(name, out _);
                else _cookies[name] = content;
            }
        return response;
    }
}

public sealed class SqliteDeadlineFixture() : DeadlineFixture("Sqlite")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the SQLite deadline host";
}

[CollectionDefinition(SqliteDeadlineFixture.Collection)]
public sealed class SqliteDeadlineFixtureCollection : ICollectionFixture<SqliteDeadlineFixture>;

public sealed class PostgresDeadlineFixture() : DeadlineFixture("Postgres")
{
    /// <summary>The test classes that share this fixture's host, one after another.</summary>
    public const string Collection = "the PostgreSQL deadline host";
}

[CollectionDefinition(PostgresDeadlineFixture.Collection)]
public sealed class PostgresDeadlineFixtureCollection : ICollectionFixture<PostgresDeadlineFixture>;

internal static class Json
{
    public static async Task<JsonObject> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> GetAsync(HttpClient client, string url) => await OkAsync(await client.GetAsync(url));

    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["detail"]?.GetValue<string>() ?? body;
    }
}
