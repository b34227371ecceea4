using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Schedules;
using Duban.Engine.Calendar;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Schedules;

/// <summary>Test hosts on the virtual clock for 定期任务, and the procedures the scenarios start.</summary>
internal static class ScheduleHosts
{
    /// <summary>Monday 14 September 2026, 09:00 China time: the week before the county's Q3 window opens (17 Sep).</summary>
    public static readonly DateTimeOffset Start = new(2026, 9, 14, 9, 0, 0, TimeSpan.FromHours(8));

    /// <summary>A copy of the database first set up at <see cref="Start"/>.</summary>
    public static Task<DatabaseTarget> DatabaseAsync(string provider) => VirtualClockHosts.DatabaseAsync(provider, Start);

    /// <summary>The host on that copy, before the virtual clock is set (<see cref="Virtual"/>).</summary>
    public static DubanFactory Plain(DatabaseTarget database) => VirtualClockHosts.Plain(database, Start);

    /// <summary>The host on the virtual clock; its own schedule poller is off, the test polls (unless <paramref name="poll"/>).</summary>
    public static WebApplicationFactory<Program> Virtual(DubanFactory host, bool poll = false) => VirtualClockHosts.Virtual(host, Start, b =>
    {
        b.UseSetting("Duban:Clock:RefreshInterval", "00:00:00.100");
        b.UseSetting("Duban:Schedules:Enabled", poll ? "true" : "false");
    });

    public static async Task<HttpClient> SignedIn(WebApplicationFactory<Program> host, string user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
        return client;
    }

    /// <summary>
    /// A recurring procedure: a start form with a required 标题 and an optional 说明, then the office's 汇总 step.
    /// </summary>
    public static JsonObject Recurring(string id, string name)
    {
        var flow = Flow(id, name, [
            new JsonObject
            {
                ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始",
                ["form"] = new JsonObject { ["typeName"] = "String", ["expression"] = new JsonObject { ["type"] = "Literal", ["value"] = "f" } },
            },
            new JsonObject
            {
                ["id"] = "collect", ["type"] = "Duban.UserTask", ["name"] = "汇总",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("完成")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [Connection("start", "Done", "collect"), Connection("collect", "完成", "end")]);
        flow["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "f",
            ["name"] = name,
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "标题", ["type"] = "text", ["required"] = true, ["maxLength"] = 200 },
                new JsonObject { ["key"] = "note", ["label"] = "说明", ["type"] = "textarea" }),
        });
        return flow;
    }

    public static async Task<JsonObject> CreateAsync(HttpClient admin, string name, string definitionId, JsonObject rule, string title, string user = "ducha")
    {
        var userId = await UserIdAsync(admin, user);
        var response = await admin.PostAsJsonAsync("/api/schedules", new
        {
            name,
            definitionId,
            rule,
            defaults = new JsonObject { ["title"] = title },
            startAsUserId = userId,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"create failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public static async Task<string> UserIdAsync(HttpClient admin, string userName)
    {
        var users = (await admin.GetFromJsonAsync<JsonNode>("/api/users"))!;
        var list = users is JsonArray a ? a : users["items"]!.AsArray();
        return list.Single(u => u!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<string>();
    }

    public static async Task AdvanceAsync(HttpClient admin, double days)
    {
        var moved = await admin.PostAsJsonAsync("/api/clock/advance", new { days });
        Assert.True(moved.StatusCode == HttpStatusCode.OK, $"advance failed: {await moved.Content.ReadAsStringAsync()}");
    }

    public static Task<int> PollAsync(WebApplicationFactory<Program> host) =>
        host.Services.GetRequiredService<ScheduleWorker>().RunOnceAsync(CancellationToken.None);

    /// <summary>The items of <paramref name="definitionId"/> by the China date they were started on.</summary>
    public static async Task<List<string>> StartedOnAsync(WebApplicationFactory<Program> host, string definitionId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var created = await db.Instances.AsNoTracking().Where(i => i.DefinitionId == definitionId).Select(i => i.CreatedAt).ToListAsync();
        return created.Select(c => ChinaTime.DateOf(c).ToString("yyyy-MM-dd")).Order().ToList();
    }
}
