using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using MiniExcelLibs;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.Api;

/// <summary>
/// One visibility rule inside an organization (docs/decisions/034): what each viewer reads of an item — its fields in the
/// item page, the task page, the ledger's columns, filters and export, its timeline lines and its files — comes from
/// <c>ItemAccess</c>. One test per leak found by probing every endpoint with every role, and a walk of one item's read
/// paths for each demo role.
/// </summary>
public abstract class ItemAccessTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string DefinitionId = "vis-test";
    private const string Proposal = "拟办：建议法制处牵头、济南市司法局协办，月底前报送";

    private static JsonObject Field(string key, string label, string type, bool multiple = false, JsonArray? options = null)
    {
        var field = new JsonObject { ["key"] = key, ["label"] = label, ["type"] = type, ["multiple"] = multiple };
        if (options is not null) field["options"] = options;
        return field;
    }

    /// <summary>
    /// 登记 by the office (with its 拟办, a 类别 and the 批示原件) → 交办 (主办, 协办; the units' step hides 拟办, 类别 and the
    /// original) → 审核. Its ladder has a 到期提醒 notice and a 电话催办 the office raises by hand.
    /// </summary>
    private static JsonObject Definition()
    {
        var definition = Flow(DefinitionId, "可见性测试", [
            new JsonObject
            {
                ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("item"),
                ["fieldPermissions"] = Literal(new JsonObject { ["report"] = "hidden" }),
            },
            new JsonObject
            {
                ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办",
                ["lead"] = Script("item.leadUnit"),
                ["co"] = Script("item.coUnits"),
                ["completion"] = Literal("all"),
                ["form"] = Literal("item"),
                ["fieldPermissions"] = Literal(new JsonObject
                {
                    ["title"] = "readOnly", ["leadUnit"] = "readOnly", ["coUnits"] = "readOnly", ["report"] = "editable",
                    ["category"] = "hidden", ["proposal"] = "hidden", ["original"] = "hidden",
                }),
                ["coForm"] = Literal("co"),
                ["deadline"] = Literal(10),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "assign"), Connection("assign", "提交", "review"), Connection("review", "通过", "end")]);
        definition["forms"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "item", ["name"] = "督办事项",
                ["fields"] = new JsonArray(
                    Field("title", "事项名称", "text"),
                    Field("category", "类别", "radio", options: new JsonArray(
                        new JsonObject { ["value"] = "key", ["label"] = "重点" }, new JsonObject { ["value"] = "normal", ["label"] = "一般" })),
                    Field("proposal", "拟办意见", "textarea"),
                    Field("original", "批示原件", "attachments"),
                    Field("leadUnit", "主办单位", "unit"),
                    Field("coUnits", "协办单位", "unit", multiple: true),
                    Field("report", "办理情况", "textarea")),
            },
            new JsonObject
            {
                ["id"] = "co", ["name"] = "协办意见",
                ["fields"] = new JsonArray(Field("coOpinion", "协办意见", "textarea"), Field("coFiles", "协办材料", "attachments")),
            });
        definition["options"] = new JsonObject
        {
            ["ladder"] = new JsonArray(
                new JsonObject
                {
                    ["key"] = "remind", ["name"] = "到期提醒", ["trigger"] = new JsonObject { ["kind"] = "manual" },
                    ["notice"] = new JsonObject { ["title"] = "督办事项即将到期提醒", ["text"] = "请抓紧办理「{item}」。", ["replyRequired"] = false },
                },
                new JsonObject
                {
                    ["key"] = "phone", ["name"] = "电话催办", ["trigger"] = new JsonObject { ["kind"] = "manual" }, ["record"] = "phoneLog",
                }),
        };
        return definition;
    }

    private static async Task<JsonObject> UploadAsync(HttpClient client, string name, Guid? instanceId = null)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("%PDF-1.4 " + name));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "file", name);
        var response = await client.PostAsync(instanceId is { } i ? $"/api/attachments?instanceId={i}" : "/api/attachments", form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"upload: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var uploaded = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new JsonObject { ["id"] = uploaded["id"]!.GetValue<string>(), ["name"] = uploaded["name"]!.GetValue<string>() };
    }

    /// <summary>The office registers an item handled by 法制处 (主办) with the given 协办 units; returns it and the original's id.</summary>
    private async Task<(Guid Item, string Original)> RegisterAsync(params string[] co)
    {
        await ImportAsync(await fixture.As("admin"), Definition());
        var ducha = await fixture.As("ducha");
        var original = await UploadAsync(ducha, "批示原件.pdf");
        var item = await StartAsync(ducha, DefinitionId, new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["category"] = "key", ["proposal"] = Proposal, ["original"] = new JsonArray(original),
            ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray(co.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        });
        return (item, original["id"]!.GetValue<string>());
    }

    private static async Task RaiseAsync(HttpClient ducha, Guid item, string unit, string rung)
    {
        var record = rung == "phone" ? new JsonObject { ["calledAt"] = "2026-03-02 10:30", ["personReached"] = "联络员", ["summary"] = "请抓紧办理" } : null;
        var response = await ducha.PostAsJsonAsync($"/api/instances/{item}/chases", new JsonObject { ["unitId"] = unit, ["rungKey"] = rung, ["record"] = record });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"chase: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<JsonObject> JsonAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonArray> LedgerAsync(HttpClient client, string query = "") =>
        (await JsonAsync(client, $"/api/ledger?definitionId={DefinitionId}&fields=title,category,proposal{query}"))["items"]!.AsArray();

    private static async Task<List<IDictionary<string, object?>>> ExportAsync(HttpClient client)
    {
        var response = await client.GetAsync($"/api/ledger/export?definitionId={DefinitionId}&columns=title,f.category,f.proposal");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"export: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }

    private static List<string> Keys(JsonNode? data) => data!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Timeline lines as (kind, unit) — the unit a line names, else its task's.</summary>
    private static List<(string Kind, string? Unit)> Lines(JsonObject item) =>
        item["timeline"]!.AsArray().Select(l => (l!["kind"]!.GetValue<string>(), l["data"]?["unitId"]?.GetValue<string>())).ToList();

    [Fact]
    public async Task The_ledger_columns_filters_and_export_leave_out_fields_hidden_from_the_viewer()
    {
        var (item, _) = await RegisterAsync("jinan");
        var ducha = await fixture.As("ducha");
        var fazhi = await fixture.As("fazhi");

        var officeRow = (await LedgerAsync(ducha)).Single()!;
        Assert.Equal(Proposal, officeRow["fields"]!["proposal"]!.GetValue<string>());
        Assert.Equal("重点", officeRow["fields"]!["category"]!.GetValue<string>());

        // 法制处 handles the item: its row, with the title its step shows and neither the 拟办 nor the 类别 it hides.
        var unitRow = (await LedgerAsync(fazhi)).Single()!;
        Assert.Equal(item, unitRow["id"]!.GetValue<Guid>());
        Assert.Equal("推进行政复议体制改革", unitRow["fields"]!["title"]!.GetValue<string>());
        Assert.Null(unitRow["fields"]!["proposal"]);
        Assert.Null(unitRow["fields"]!["category"]);

        // Filtering on a hidden field tells nothing: the hidden value counts as empty (any value matches no item).
        Assert.Single(await LedgerAsync(ducha, "&f.category=key"));
        Assert.Empty(await LedgerAsync(fazhi, "&f.category=key"));
        Assert.Empty(await LedgerAsync(fazhi, "&f.category=normal"));
        Assert.Single(await LedgerAsync(fazhi, "&f.title=" + Uri.EscapeDataString("推进行政复议体制改革")));

        var officeSheet = (await ExportAsync(ducha)).Single();
        Assert.Equal(Proposal, officeSheet["proposal"]); // not a column type: headed by its key
        var unitSheet = (await ExportAsync(fazhi)).Single();
        Assert.Equal("推进行政复议体制改革", unitSheet["事项名称"]);
        Assert.Null(unitSheet["proposal"]);
        // The 类别 column (headed by whichever procedure's label for the key came first) is as empty.
        Assert.Contains("重点", officeSheet.Values);
        Assert.DoesNotContain("重点", unitSheet.Values);
        Assert.Equal(3, unitSheet.Count);
    }

    [Fact]
    public async Task The_ledger_meta_offers_a_viewer_only_the_fields_he_reads_on_some_item()
    {
        static IEnumerable<string> OptionLabels(JsonObject meta) =>
            meta["fields"]!.AsArray().SelectMany(f => f!["options"]!.AsArray().Select(o => o!["label"]!.GetValue<string>()));
        await RegisterAsync("jinan");

        // The office reads every field: the 类别 of this procedure is a column with its options.
        Assert.Contains("重点", OptionLabels(await JsonAsync(await fixture.As("ducha"), "/api/ledger/meta")));
        // 法制处's step hides the 类别: not even its name or options are offered to it; the title it sees is.
        var unitMeta = await JsonAsync(await fixture.As("fazhi"), "/api/ledger/meta");
        Assert.DoesNotContain("重点", OptionLabels(unitMeta));
        Assert.Contains(unitMeta["fields"]!.AsArray(), f => f!["key"]!.GetValue<string>() == "title");
        // 济南市司法局 (协办) works on its own 协办意见 form only: the item's form gives it no column at all.
        Assert.DoesNotContain("重点", OptionLabels(await JsonAsync(await fixture.As("jinan"), "/api/ledger/meta")));
    }

    [Fact]
    public async Task A_notice_task_shows_only_what_its_step_may_see()
    {
        var (item, _) = await RegisterAsync("jinan");
        await RaiseAsync(await fixture.As("ducha"), item, "fzc", "remind");
        var fazhi = await fixture.As("fazhi");
        var notice = (await InboxAsync(fazhi, "notice")).Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!;
        Assert.Equal("督办事项即将到期提醒", notice["activityName"]!.GetValue<string>());

        var detail = await JsonAsync(fazhi, $"/api/tasks/{notice["id"]}");
        Assert.Equal("notice", detail["task"]!["kind"]!.GetValue<string>());
        Assert.Contains("推进行政复议体制改革", detail["message"]!.GetValue<string>());
        // A reminder is no step of the procedure: it carries no field of the item (the item page shows the unit's own).
        Assert.Empty(Keys(detail["data"]));
    }

    [Fact]
    public async Task Being_chased_does_not_widen_a_units_item_page()
    {
        var (item, _) = await RegisterAsync("jinan");
        var fazhi = await fixture.As("fazhi");
        var before = await InstanceAsync(fazhi, item);
        Assert.DoesNotContain("proposal", Keys(before["data"]));

        await RaiseAsync(await fixture.As("ducha"), item, "fzc", "remind");
        var after = await InstanceAsync(fazhi, item);
        Assert.Equal(Keys(before["data"]), Keys(after["data"]));
        Assert.DoesNotContain("proposal", Keys(after["data"]));
        Assert.DoesNotContain("category", Keys(after["data"]));
        Assert.Equal("hidden", after["permissions"]!["proposal"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_timeline_shows_a_unit_its_own_lines_and_the_lead_its_co_units_input()
    {
        var (item, _) = await RegisterAsync("jinan", "qingdao");
        var ducha = await fixture.As("ducha");
        var jinan = await fixture.As("jinan");
        var qingdao = await fixture.As("qingdao");
        var fazhi = await fixture.As("fazhi");
        await RaiseAsync(ducha, item, "jinan", "phone");
        await RaiseAsync(ducha, item, "fzc", "phone");
        await CompleteOkAsync(jinan, await TaskOfAsync(jinan, item, "交办（协办）"), "提交", new JsonObject { ["coOpinion"] = "济南已完成摸底" }, "济南的意见");
        await CompleteOkAsync(qingdao, await TaskOfAsync(qingdao, item, "交办（协办）"), "提交", new JsonObject { ["coOpinion"] = "青岛无意见" }, "青岛的意见");

        static List<string?> Chased(JsonObject detail) => Lines(detail).Where(l => l.Kind == "chased").Select(l => l.Unit).Order().ToList();
        static List<string?> CoInput(JsonObject detail) =>
            Lines(detail).Where(l => l.Kind == "taskCompleted" && l.Unit is "jinan" or "qingdao").Select(l => l.Unit).Order().ToList();

        var office = await InstanceAsync(ducha, item);
        Assert.Equal(["fzc", "jinan"], Chased(office));
        Assert.Equal(["jinan", "qingdao"], CoInput(office));

        // The 主办 consolidates: both 协办 inputs, and only the chase on itself.
        var lead = await InstanceAsync(fazhi, item);
        Assert.Equal(["fzc"], Chased(lead));
        Assert.Equal(["jinan", "qingdao"], CoInput(lead));
        Assert.Contains(lead["timeline"]!.AsArray(), l => l!["comment"]?.GetValue<string>() == "济南的意见");

        // A 协办 sees its own input and chases, not the other 协办's nor the chase on the 主办.
        var co = await InstanceAsync(qingdao, item);
        Assert.Empty(Chased(co));
        Assert.Equal(["qingdao"], CoInput(co));
        Assert.DoesNotContain(co["timeline"]!.AsArray(), l => l!["comment"]?.GetValue<string>() == "济南的意见");
        Assert.DoesNotContain(co["timeline"]!.AsArray(), l => l!["data"]?["unitId"]?.GetValue<string>() is "jinan" or "fzc");
        var jinanView = await InstanceAsync(jinan, item);
        Assert.Equal(["jinan"], Chased(jinanView));
        Assert.Equal(["jinan"], CoInput(jinanView));
    }

    [Fact]
    public async Task A_validation_message_never_names_another_units_file_nor_lets_it_be_used()
    {
        var (item, _) = await RegisterAsync("jinan", "qingdao");
        var jinan = await fixture.As("jinan");
        var qingdao = await fixture.As("qingdao");
        var theirs = await UploadAsync(jinan, "济南内部摸底表.pdf", item);
        await CompleteOkAsync(jinan, await TaskOfAsync(jinan, item, "交办（协办）"), "提交",
            new JsonObject { ["coOpinion"] = "见附件", ["coFiles"] = new JsonArray(theirs.DeepClone()) });

        // 青岛 names 济南's file on the same item under a made-up name: refused, and the message names only what 青岛 sent.
        var response = await CompleteAsync(qingdao, await TaskOfAsync(qingdao, item, "交办（协办）"), "提交",
            new JsonObject { ["coOpinion"] = "同上", ["coFiles"] = new JsonArray(new JsonObject { ["id"] = theirs["id"]!.GetValue<string>(), ["name"] = "猜的.pdf" }) });
        var errors = await FieldErrorsAsync(response);
        Assert.Equal(["附件「猜的.pdf」不属于本事项，请重新上传"], errors["coFiles[0]"]);
        Assert.DoesNotContain(errors.Values.SelectMany(v => v), m => m.Contains("济南内部摸底表"));

        // Nor may 青岛 download it; 济南 (the uploader) and the 主办 who consolidates may.
        var url = $"/api/attachments/{theirs["id"]}";
        Assert.Equal(HttpStatusCode.NotFound, (await qingdao.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await jinan.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await fixture.As("fazhi")).GetAsync(url)).StatusCode);

        // A file of another item is named by what was sent too, never by its stored name.
        var other = await StartAsync(await fixture.As("ducha"), DefinitionId, new JsonObject { ["title"] = "另一事项", ["leadUnit"] = "qingdao" });
        var elsewhere = await UploadAsync(await fixture.As("ducha"), "另一事项的内部文件.pdf", other);
        var foreign = await CompleteAsync(qingdao, await TaskOfAsync(qingdao, item, "交办（协办）"), "提交",
            new JsonObject { ["coFiles"] = new JsonArray(new JsonObject { ["id"] = elsewhere["id"]!.GetValue<string>(), ["name"] = "随便.pdf" }) });
        Assert.Equal(["附件「随便.pdf」不属于本事项，请重新上传"], (await FieldErrorsAsync(foreign))["coFiles[0]"]);
    }

    /// <summary>What one viewer got on each read path of the item.</summary>
    private sealed record Sight(HttpStatusCode Item, string? Fields, int? ChaseLines, int LedgerRows, string? LedgerProposal, int CategoryMatches,
        HttpStatusCode LeadTask, string? LeadTaskFields, HttpStatusCode Original);

    private async Task<Sight> WalkAsync(HttpClient client, Guid item, Guid leadTask, string original)
    {
        var itemResponse = await client.GetAsync($"/api/instances/{item}");
        var detail = itemResponse.IsSuccessStatusCode ? await itemResponse.Content.ReadFromJsonAsync<JsonObject>() : null;
        var rows = await LedgerAsync(client);
        var taskResponse = await client.GetAsync($"/api/tasks/{leadTask}");
        var task = taskResponse.IsSuccessStatusCode ? await taskResponse.Content.ReadFromJsonAsync<JsonObject>() : null;
        return new Sight(
            itemResponse.StatusCode,
            detail is null ? null : string.Join(",", Keys(detail["data"])),
            detail is null ? null : Lines(detail).Count(l => l.Kind == "chased"),
            rows.Count,
            rows.SingleOrDefault()?["fields"]?["proposal"]?.GetValue<string>(),
            (await LedgerAsync(client, "&f.category=key")).Count,
            taskResponse.StatusCode,
            task is null ? null : string.Join(",", Keys(task["data"])),
            (await client.GetAsync($"/api/attachments/{original}")).StatusCode);
    }

    [Fact]
    public async Task Each_demo_role_reads_one_item_through_every_read_path_as_the_rule_says()
    {
        var (item, original) = await RegisterAsync("jinan");
        var ducha = await fixture.As("ducha");
        await RaiseAsync(ducha, item, "jinan", "phone");
        var fazhi = await fixture.As("fazhi");
        var leadTask = await TaskOfAsync(fazhi, item, "交办（主办）");
        const string all = "category,coUnits,leadUnit,original,proposal,title";
        const string unitStep = "coUnits,leadUnit,title";

        // The office, leaders and administrators: every field, every line, every file.
        foreach (var overseer in new[] { "admin", "ducha", "lingdao" })
            Assert.Equal(new Sight(HttpStatusCode.OK, all, 1, 1, Proposal, 1, HttpStatusCode.OK, unitStep, HttpStatusCode.OK),
                await WalkAsync(await fixture.As(overseer), item, leadTask, original));
        // The 主办's liaison: what its 交办 step shows; not the chase on the 协办; not the original its step hides.
        Assert.Equal(new Sight(HttpStatusCode.OK, unitStep, 0, 1, null, 0, HttpStatusCode.OK, unitStep, HttpStatusCode.NotFound),
            await WalkAsync(fazhi, item, leadTask, original));
        // The 协办's liaison: its own form is the 协办 form, so none of the item's fields; the chase on itself; the 主办's
        // task seen from outside shows no more than it may see of the item.
        Assert.Equal(new Sight(HttpStatusCode.OK, "", 1, 1, null, 0, HttpStatusCode.OK, "", HttpStatusCode.NotFound),
            await WalkAsync(await fixture.As("jinan"), item, leadTask, original));
        // A unit not on the item: it does not exist for them.
        Assert.Equal(new Sight(HttpStatusCode.NotFound, null, null, 0, null, 0, HttpStatusCode.NotFound, null, HttpStatusCode.NotFound),
            await WalkAsync(await fixture.As("qingdao"), item, leadTask, original));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteItemAccessTests(SqliteFixture fixture) : ItemAccessTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresItemAccessTests(PostgresFixture fixture) : ItemAccessTests<PostgresFixture>(fixture);
