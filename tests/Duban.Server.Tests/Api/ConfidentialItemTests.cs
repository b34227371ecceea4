using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Engine.Directory;
using Duban.Server.Tests.Auth;
using Duban.Server.Tests.Infrastructure;
using Duban.Server.Tests.Supervision;
using MiniExcelLibs;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// 限定知悉范围 (issue 17, docs/decisions/037; 004 第三篇 不宜公开的批示): a confidential item is known only to the people and units
/// named on it. Everyone else — an unnamed 督查员, leader or administrator, another unit's liaison — gets 404 or nothing on
/// every read path, and no count gives it away; a step given to a unit names it; the office changes the list, journalled, and
/// a person taken off loses the item at once.
/// </summary>
public abstract class ConfidentialItemTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string DefinitionId = "conf-test";
    private const string Title = "关于某专项问题的批示";

    /// <summary>登记 (office) → 交办 to the unit in 主办单位 → 审核 by the 督查员 role → 办结; a manual 电话催办 on its ladder.</summary>
    private static JsonObject Definition(bool restrictedByDefault = false)
    {
        var definition = Flow(DefinitionId, "保密测试", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("item") },
            new JsonObject
            {
                ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办",
                ["lead"] = Script("item.leadUnit"), ["co"] = Script("item.coUnits"), ["completion"] = Literal("all"),
                ["form"] = Literal("item"), ["deadline"] = Literal(10),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "assign"), Connection("assign", "提交", "review"), Connection("review", "通过", "end")]);
        definition["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "item", ["name"] = "督办事项",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "title", ["label"] = "事项名称", ["type"] = "text" },
                new JsonObject { ["key"] = "original", ["label"] = "批示原件", ["type"] = "attachments" },
                new JsonObject { ["key"] = "leadUnit", ["label"] = "主办单位", ["type"] = "unit" },
                new JsonObject { ["key"] = "coUnits", ["label"] = "协办单位", ["type"] = "unit", ["multiple"] = true },
                new JsonObject { ["key"] = "report", ["label"] = "办理情况", ["type"] = "textarea" }),
        });
        definition["options"] = new JsonObject
        {
            ["ladder"] = new JsonArray(new JsonObject
            {
                ["key"] = "remind", ["name"] = "到期提醒", ["trigger"] = new JsonObject { ["kind"] = "manual" },
                ["notice"] = new JsonObject { ["title"] = "督办事项即将到期提醒", ["text"] = "请抓紧办理「{item}」。", ["replyRequired"] = false },
            }),
        };
        if (restrictedByDefault) definition["options"]!["restricted"] = true;
        return definition;
    }

    private async Task<string> IdOfAsync(string userName) =>
        (await (await fixture.As("admin")).GetFromJsonAsync<JsonArray>("/api/users"))!
        .Single(u => u!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<string>();

    private static async Task<Guid> StartRestrictedAsync(HttpClient client, JsonObject data, string[] userIds, string[] unitIds)
    {
        var response = await client.PostAsJsonAsync("/api/instances", new
        {
            definitionId = DefinitionId, data, restriction = new { restricted = true, userIds, unitIds },
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"start: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var summary = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(summary["restricted"]!.GetValue<bool>());
        return summary["id"]!.GetValue<Guid>();
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, string name)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("%PDF-1.4 " + name));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        var response = await client.PostAsync("/api/attachments", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var uploaded = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    private static async Task<JsonObject> GetAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<int> ExportRowsAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/ledger/export?definitionId={DefinitionId}&columns=title");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"export: {(int)response.StatusCode}");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return stream.Query(useHeaderRow: true).Count();
    }

    /// <summary>The office registers a confidential item (李厅长 named; 法制处 is given the 交办 step) next to an ordinary one.</summary>
    private async Task<(Guid Secret, Guid Plain, string Original)> RegisterAsync()
    {
        await ImportAsync(await fixture.As("admin"), Definition());
        var ducha = await fixture.As("ducha");
        var original = await UploadAsync(ducha, "批示原件.pdf");
        var secret = await StartRestrictedAsync(ducha, new JsonObject
        {
            ["title"] = Title, ["original"] = new JsonArray(original), ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray(),
        }, [await IdOfAsync("lingdao")], []);
        var plain = await StartAsync(ducha, DefinitionId, new JsonObject { ["title"] = "一般事项", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray() });
        return (secret, plain, original["id"]!.GetValue<string>());
    }

    /// <summary>What one viewer got of the confidential item on each read path, and what the counts said.</summary>
    private sealed record Sight(string Paths, int ItemsTotal, int LedgerTotal, int ExportRows, int SearchHits, int InboxHits);

    private static readonly string[] ItemPaths =
        ["", "/chases", "/extensions", "/score-entries", "/readers", "/reads", "/assignments", "/breakdown"];

    private static async Task<Sight> WalkAsync(HttpClient client, Guid secret, string original, params Guid[] tasks)
    {
        var codes = new List<string>();
        foreach (var path in ItemPaths) codes.Add($"item{path}:{(int)(await client.GetAsync($"/api/instances/{secret}{path}")).StatusCode}");
        codes.Add($"file:{(int)(await client.GetAsync($"/api/attachments/{original}")).StatusCode}");
        foreach (var task in tasks)
            foreach (var path in new[] { "", "/operations", "/draft", "/sent-back" })
                codes.Add($"task{path}:{(int)(await client.GetAsync($"/api/tasks/{task}{path}")).StatusCode}");
        var items = await GetAsync(client, $"/api/instances?definitionId={DefinitionId}");
        var ledger = await GetAsync(client, $"/api/ledger?definitionId={DefinitionId}");
        var search = await GetAsync(client, $"/api/ledger?q={Uri.EscapeDataString("专项问题")}");
        var inbox = await GetAsync(client, "/api/tasks?box=todo&pageSize=100");
        return new Sight(
            string.Join(" ", codes.Select(c => c.Split(':')[1]).Distinct().Order()),
            items["total"]!.GetValue<int>(),
            ledger["total"]!.GetValue<int>(),
            await ExportRowsAsync(client),
            search["total"]!.GetValue<int>(),
            inbox["items"]!.AsArray().Count(t => t!["instanceId"]!.GetValue<Guid>() == secret));
    }

    [Fact]
    public async Task Everyone_not_named_gets_404_on_every_read_path_and_no_count_gives_the_item_away()
    {
        var (secret, plain, original) = await RegisterAsync();
        var fazhi = await fixture.As("fazhi");
        var leadTask = await TaskOfAsync(fazhi, secret, "交办（主办）");
        var ducha2 = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Supervisor, "bgs", "另一督查员"));
        var leader2 = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Leader, "sft", "另一领导"));

        // The unnamed: an office colleague, another leader, the administrator, another unit. 404 everywhere, counted nowhere:
        // one item (the ordinary one) where the named see two.
        var hidden = new Sight("404", 1, 1, 1, 0, 0);
        foreach (var (who, client) in new[] { ("督查员", ducha2), ("领导", leader2), ("管理员", await fixture.As("admin")) })
            Assert.True(hidden == await WalkAsync(client, secret, original, leadTask), who);
        Assert.Equal(new Sight("404", 0, 0, 0, 0, 0), await WalkAsync(await fixture.As("qingdao"), secret, original, leadTask));

        // The named: the registrant, the leader he named, and the unit given the 交办 step (its liaison acts on it).
        var seen = await WalkAsync(await fixture.As("ducha"), secret, original, leadTask);
        Assert.Equal((2, 2, 2, 1, 0), (seen.ItemsTotal, seen.LedgerTotal, seen.ExportRows, seen.SearchHits, seen.InboxHits));
        Assert.DoesNotContain("404", seen.Paths);
        Assert.Equal((2, 2, 1), ((await WalkAsync(await fixture.As("lingdao"), secret, original)) is var l ? (l.LedgerTotal, l.ExportRows, l.SearchHits) : default));
        Assert.Equal(1, (await WalkAsync(fazhi, secret, original, leadTask)).InboxHits);
        Assert.Equal(HttpStatusCode.OK, (await fazhi.GetAsync($"/api/instances/{secret}")).StatusCode);

        // The 审核 step is offered to the 督查员 role: on the ordinary item it reaches every 督查员; on the confidential one the
        // named 督查员 only — inbox, badge count (the list's total) and the task itself.
        await CompleteOkAsync(fazhi, leadTask, "提交", new JsonObject { ["report"] = "已办理" });
        await CompleteOkAsync(fazhi, await TaskOfAsync(fazhi, plain, "交办（主办）"), "提交", new JsonObject { ["report"] = "已办理" });
        var review = await TaskOfAsync(await fixture.As("ducha"), secret, "审核");
        var inbox2 = await GetAsync(ducha2, "/api/tasks?box=todo&pageSize=100");
        Assert.Equal([plain], inbox2["items"]!.AsArray().Select(t => t!["instanceId"]!.GetValue<Guid>()));
        Assert.Equal(1, inbox2["total"]!.GetValue<int>());
        Assert.Equal(2, (await GetAsync(await fixture.As("ducha"), "/api/tasks?box=todo&pageSize=100"))["total"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.NotFound, (await ducha2.GetAsync($"/api/tasks/{review}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await CompleteAsync(ducha2, review, "通过")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ducha2.PostAsync($"/api/tasks/{review}/claim", null)).StatusCode);
        await CompleteOkAsync(await fixture.As("ducha"), review, "通过");
    }

    private static async Task<HttpResponseMessage> PutReadersAsync(HttpClient client, Guid item, bool restricted, string[] userIds, string[] unitIds) =>
        await client.PutAsJsonAsync($"/api/instances/{item}/readers", new { restricted, userIds, unitIds });

    private static List<string> Names(JsonObject readers, string list) =>
        readers[list]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task A_step_given_to_a_unit_names_it_and_the_office_changes_the_list_journalled_a_person_taken_off_losing_it_at_once()
    {
        var (secret, _, _) = await RegisterAsync();
        var ducha = await fixture.As("ducha");

        // 法制处 was given the 交办 step: named by it, and held on the list while its task is open.
        var readers = await GetAsync(ducha, $"/api/instances/{secret}/readers");
        Assert.True(readers["restricted"]!.GetValue<bool>());
        Assert.True(readers["canChange"]!.GetValue<bool>());
        Assert.Equal(["李厅长", "王督查"], Names(readers, "users"));
        var fzc = readers["units"]!.AsArray().Single()!;
        Assert.Equal(("法制处", "task", true, "有未办结的待办"),
            (fzc["name"]!.GetValue<string>(), fzc["reason"]!.GetValue<string>(), fzc["fixed"]!.GetValue<bool>(), fzc["fixedWhy"]!.GetValue<string>()));

        // The office adds a colleague: he sees it at once.
        var colleague = await TestUsers.CreateAsync(fixture, Roles.Supervisor, "bgs", "赵督查");
        var ducha2 = await TestUsers.SignInAsync(fixture, colleague);
        var colleagueId = colleague["id"]!.GetValue<string>();
        var lingdaoId = await IdOfAsync("lingdao");
        Assert.Equal(HttpStatusCode.NotFound, (await ducha2.GetAsync($"/api/instances/{secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PutReadersAsync(ducha, secret, true, [lingdaoId, colleagueId], ["fzc"])).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ducha2.GetAsync($"/api/instances/{secret}")).StatusCode);

        // … and takes him and the leader off again: both lose it at once, the ledger forgets it for them.
        var after = await Json.OkAsync(await PutReadersAsync(ducha, secret, true, [], ["fzc"]));
        Assert.Equal(["王督查"], Names(after, "users"));                            // the registrant stays, whatever is sent
        Assert.Equal(HttpStatusCode.NotFound, (await ducha2.GetAsync($"/api/instances/{secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("lingdao")).GetAsync($"/api/instances/{secret}")).StatusCode);
        Assert.Equal(1, (await GetAsync(ducha2, $"/api/ledger?definitionId={DefinitionId}"))["total"]!.GetValue<int>());
        // Neither may he change the list any more (404), nor may a unit's liaison (403).
        Assert.Equal(HttpStatusCode.NotFound, (await PutReadersAsync(ducha2, secret, true, [colleagueId], ["fzc"])).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await PutReadersAsync(await fixture.As("fazhi"), secret, true, [], ["fzc"])).StatusCode);

        // 法制处 holds the open 交办 task: it cannot be taken off (409), and nothing changed.
        var holding = await PutReadersAsync(ducha, secret, true, [], []);
        Assert.Equal(HttpStatusCode.Conflict, holding.StatusCode);
        Assert.Contains("法制处尚有本事项未办结的待办", await holding.Content.ReadAsStringAsync());
        Assert.Equal(["法制处"], Names(await GetAsync(ducha, $"/api/instances/{secret}/readers"), "units"));
        // A person who does not exist: 400 naming the field, in Chinese.
        var errors = await FieldErrorsAsync(await PutReadersAsync(ducha, secret, true, ["nobody"], ["fzc"]));
        Assert.Equal(["知悉范围中的人员「nobody」不存在"], errors["restriction.userIds"]);

        // Every change is on the item's record: who, when, whom added and removed.
        var lines = (await InstanceAsync(ducha, secret))["timeline"]!.AsArray().Where(l => l!["kind"]!.GetValue<string>() == "readersChanged").ToList();
        Assert.Equal(["登记为限定知悉范围事项", "调整知悉范围", "调整知悉范围"], lines.Select(l => l!["comment"]!.GetValue<string>()));
        Assert.All(lines, l => Assert.Equal("王督查", l!["actorName"]!.GetValue<string>()));
        Assert.Equal(["赵督查"], lines[1]!["data"]!["added"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()));
        Assert.Equal(["李厅长", "赵督查"], lines[2]!["data"]!["removed"]!.AsArray().Select(a => a!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        // Lifting the restriction: the item is an ordinary one again, for everyone the usual rule lets see it.
        await Json.OkAsync(await PutReadersAsync(ducha, secret, false, [], []));
        Assert.Equal(HttpStatusCode.OK, (await ducha2.GetAsync($"/api/instances/{secret}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("qingdao")).GetAsync($"/api/instances/{secret}")).StatusCode);
    }

    [Fact]
    public async Task The_procedure_default_restricts_the_offices_registrations_and_only_the_office_may_restrict()
    {
        await ImportAsync(await fixture.As("admin"), Definition(restrictedByDefault: true));
        var ducha = await fixture.As("ducha");
        var item = await StartAsync(ducha, DefinitionId, new JsonObject { ["title"] = Title, ["leadUnit"] = "jinan", ["coUnits"] = new JsonArray() });
        var readers = await GetAsync(ducha, $"/api/instances/{item}/readers");
        Assert.True(readers["restricted"]!.GetValue<bool>());
        Assert.Equal(["王督查"], Names(readers, "users"));
        Assert.Equal(["济南市司法局"], Names(readers, "units"));                     // given the 交办 step
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("lingdao")).GetAsync($"/api/instances/{item}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await fixture.As("jinan")).GetAsync($"/api/instances/{item}")).StatusCode);

        // The start form may say otherwise: not restricted.
        var open = await (await fixture.As("ducha")).PostAsJsonAsync("/api/instances", new
        {
            definitionId = DefinitionId, data = new JsonObject { ["title"] = "公开事项", ["leadUnit"] = "jinan", ["coUnits"] = new JsonArray() },
            restriction = new { restricted = false },
        });
        Assert.False((await Json.OkAsync(open, HttpStatusCode.Created))["restricted"]!.GetValue<bool>());

        // A unit's liaison asking for it: 400, nothing registered; the default does not apply to him.
        var refused = await FieldErrorsAsync(await (await fixture.As("fazhi")).PostAsJsonAsync("/api/instances", new
        {
            definitionId = DefinitionId, data = new JsonObject { ["title"] = "单位自报", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray() },
            restriction = new { restricted = true },
        }));
        Assert.Equal(["只有督查部门可以登记限定知悉范围的事项"], refused["restriction"]);
        var own = await StartAsync(await fixture.As("fazhi"), DefinitionId, new JsonObject { ["title"] = "单位自报", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray() });
        Assert.False((await GetAsync(ducha, $"/api/instances/{own}/readers"))["restricted"]!.GetValue<bool>());
        Assert.Equal(3, (await GetAsync(ducha, $"/api/ledger?definitionId={DefinitionId}"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_units_score_counts_the_confidential_item_but_its_detail_row_names_it_only_to_who_may_see_it()
    {
        var (secret, _, _) = await RegisterAsync();
        var year = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year;
        await Json.OkAsync(await (await fixture.As("admin")).PutAsJsonAsync($"/api/scoring/{year}/rules", new
        {
            startScore = 3m, floor = 0m, redoThreshold = 2, deductions = new Dictionary<string, decimal> { ["phone"] = 0.1m },
        }));
        var ducha = await fixture.As("ducha");
        await Json.OkAsync(await ducha.PostAsJsonAsync($"/api/instances/{secret}/score-entries", new { unitId = "fzc", eventKey = "phone", note = "电话询问进展" }),
            HttpStatusCode.Created);

        var named = await GetAsync(ducha, $"/api/scoring/{year}/units/fzc");
        var other = await TestUsers.SignInAsync(fixture, await TestUsers.CreateAsync(fixture, Roles.Supervisor, "bgs", "另一督查员"));
        var unnamed = await GetAsync(other, $"/api/scoring/{year}/units/fzc");
        Assert.Equal(2.9m, named["score"]!.GetValue<decimal>());
        Assert.Equal(2.9m, unnamed["score"]!.GetValue<decimal>());               // the unit's score is its business
        var shown = named["events"]!.AsArray().Single()!;
        Assert.Equal((Title, secret.ToString(), "电话询问进展"),
            (shown["itemTitle"]!.GetValue<string>(), shown["instanceId"]!.GetValue<string>(), shown["note"]!.GetValue<string>()));
        var masked = unnamed["events"]!.AsArray().Single()!;
        Assert.Equal("（限定知悉范围的事项）", masked["itemTitle"]!.GetValue<string>());
        Assert.Null(masked["instanceId"]);
        Assert.Null(masked["itemNumber"]);
        Assert.Null(masked["note"]);
        Assert.Equal(shown["applied"]!.GetValue<decimal>(), masked["applied"]!.GetValue<decimal>());
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteConfidentialItemTests(SqliteFixture fixture) : ConfidentialItemTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresConfidentialItemTests(PostgresFixture fixture) : ConfidentialItemTests<PostgresFixture>(fixture);
