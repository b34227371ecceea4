using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Infrastructure.Api;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;

namespace Duban.Server.Tests.ProcedureSettings;

/// <summary>
/// The procedure settings 流程设置 edits as forms (decision 029), through the API: who may start, the item's title and
/// number, a deadline previewed on the organization's calendar, and a human step that passes by itself.
/// </summary>
public abstract class ProcedureSettingsApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// 登记 (a start form whose title field is text2, not "title") → 审核 (the 分管领导 of 政策研究室, who has none:
    /// <paramref name="noAssignee"/>) → 办结.
    /// </summary>
    private static JsonObject Procedure(string id, JsonObject? options, string? noAssignee = null)
    {
        var review = new JsonObject
        {
            ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
            ["assignee"] = Literal(new JsonObject { ["type"] = "unitLeader", ["unitIds"] = new JsonArray("yjs") }),
            ["outcomes"] = Literal(new JsonArray("同意", "不同意")),
        };
        if (noAssignee is not null) review["noAssignee"] = Literal(noAssignee);
        var flow = Flow(id, "专项督查", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            review,
            new JsonObject { ["id"] = "archive", ["type"] = "Duban.UserTask", ["name"] = "归档", ["assignee"] = Literal(new JsonObject { ["type"] = "initiator" }) },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "review"), Connection("review", "同意", "archive"), Connection("review", "不同意", "end"), Connection("archive", "提交", "end")]);
        flow["forms"] = new JsonArray(new JsonObject
        {
            ["id"] = "f", ["name"] = "登记表",
            ["fields"] = new JsonArray(
                new JsonObject { ["key"] = "text1", ["label"] = "来文单位", ["type"] = "text" },
                new JsonObject { ["key"] = "text2", ["label"] = "事项名称", ["type"] = "text", ["required"] = true }),
            ["itemFields"] = new JsonObject { ["title"] = "text2" },
        });
        if (options is not null) flow["options"] = options;
        return flow;
    }

    private static JsonObject OnlySupervisors() => new() { ["starters"] = new JsonObject { ["roles"] = new JsonArray("督查员") } };

    [Fact]
    public async Task Only_the_people_a_procedure_names_may_start_it_and_the_list_says_who_may()
    {
        await ImportAsync(await fixture.As("admin"), Procedure("only-office", OnlySupervisors()));
        var fazhi = await fixture.As("fazhi");
        var ducha = await fixture.As("ducha");

        var refused = await fazhi.PostAsJsonAsync("/api/instances", new { definitionId = "only-office", data = new JsonObject { ["text2"] = "甲" } });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("您不能发起「专项督查」：该流程仅限 督查员 发起", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, (await fazhi.GetFromJsonAsync<JsonObject>("/api/instances?definitionId=only-office"))!["total"]!.GetValue<int>());

        static async Task<bool> CanStart(HttpClient client, string id) =>
            (await client.GetFromJsonAsync<JsonArray>("/api/definitions"))!.Single(d => d!["definitionId"]!.GetValue<string>() == id)!["canStart"]!.GetValue<bool>();
        Assert.False(await CanStart(fazhi, "only-office"));
        Assert.True(await CanStart(ducha, "only-office"));
        Assert.True(await CanStart(fazhi, "demo-supervision")); // a procedure without the setting: everyone, as before

        await StartAsync(ducha, "only-office", new JsonObject { ["text2"] = "甲" });
    }

    [Fact]
    public async Task The_item_is_named_by_the_marked_field_numbered_and_due_as_the_deadline_preview_says()
    {
        var item = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 };
        await ImportAsync(await fixture.As("admin"), Procedure("titled", new JsonObject
        {
            ["numbering"] = new JsonObject { ["pattern"] = "专督〔{year}〕{seq:3}号" },
            ["deadlines"] = new JsonObject { ["item"] = item.DeepClone() },
        }));
        var admin = await fixture.As("admin");
        var preview = await (await admin.PostAsJsonAsync("/api/definitions/deadline-preview", new { deadline = item })).Content.ReadFromJsonAsync<JsonObject>();

        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "titled", new JsonObject { ["text1"] = "省政府办公厅", ["text2"] = "整治违规收费" });
        var instance = (await InstanceAsync(ducha, id))["instance"]!;

        Assert.Equal("整治违规收费", instance["title"]!.GetValue<string>());
        Assert.Matches(@"^专督〔\d{4}〕001号$", instance["number"]!.GetValue<string>());
        var due = DateOnly.FromDateTime(instance["dueAt"]!.GetValue<DateTimeOffset>().ToOffset(TimeSpan.FromHours(8)).DateTime);
        Assert.Equal(preview!["date"]!.GetValue<string>(), due.ToString("yyyy-MM-dd"));
        Assert.StartsWith("从今天起算：", preview["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_single_line_text_longer_than_its_default_limit_is_a_400_naming_the_field_and_nothing_is_kept()
    {
        await ImportAsync(await fixture.As("admin"), Procedure("long-text", null));
        var ducha = await fixture.As("ducha");

        var errors = await FieldErrorsAsync(await ducha.PostAsJsonAsync("/api/instances",
            new { definitionId = "long-text", data = new JsonObject { ["text2"] = new string('办', 201) } }));

        Assert.Equal(["「事项名称」不能超过200个字"], errors["text2"]);
        Assert.Equal(0, (await ducha.GetFromJsonAsync<JsonObject>("/api/instances?definitionId=long-text"))!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_deadline_preview_counts_working_days_on_the_organizations_calendar()
    {
        var admin = await fixture.As("admin");
        // From Wednesday 2026-09-30: 国庆 10-01..10-07 off, Saturday 10-10 a make-up working day —
        // 10-08 (1), 10-09 (2), 10-10 (3), 10-12 (4), 10-13 (5).
        var response = await admin.PostAsJsonAsync("/api/definitions/deadline-preview",
            new { deadline = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 }, from = "2026-09-30" });
        var preview = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2026-10-13", preview["date"]!.GetValue<string>());
        Assert.Equal("从 2026-09-30（周三） 起算：2026-10-13（周二）", preview["text"]!.GetValue<string>());

        // Counted from a date field: no date of its own, so the example day is said as such (decision 033).
        var fromField = (await (await admin.PostAsJsonAsync("/api/definitions/deadline-preview",
            new { deadline = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5, ["from"] = "field:received" }, from = "2026-09-30" }))
            .Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("2026-10-13", fromField["date"]!.GetValue<string>());
        Assert.Equal("从该字段的日期起算，例如该日期为2026-09-30（周三）时：2026-10-13（周二）", fromField["text"]!.GetValue<string>());

        var bad = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/definitions/deadline-preview",
            new { deadline = new JsonObject { ["kind"] = "workingDays", ["amount"] = -2 } }));
        Assert.Contains(bad["deadline"], m => m.Contains("工作日", StringComparison.Ordinal) || m.Contains("数量", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PostAsJsonAsync("/api/definitions/deadline-preview",
            new { deadline = new JsonObject { ["kind"] = "workingDays", ["amount"] = 5 } })).StatusCode);
    }

    [Fact]
    public async Task A_step_with_nobody_to_do_it_passes_by_itself_when_set_to_and_the_timeline_says_why()
    {
        await ImportAsync(await fixture.As("admin"), Procedure("auto-pass", null, noAssignee: "autoPass"));
        var ducha = await fixture.As("ducha");
        var id = await StartAsync(ducha, "auto-pass", new JsonObject { ["text2"] = "甲" });

        var item = await InstanceAsync(ducha, id);
        var passed = item["timeline"]!.AsArray().Single(e => e!["kind"]!.GetValue<string>() == "stepAutoPassed")!;
        Assert.Equal(("审核", "同意"), (passed["activityName"]!.GetValue<string>(), passed["outcome"]!.GetValue<string>()));
        Assert.Contains("找不到办理人", passed["comment"]!.GetValue<string>());
        await TaskOfAsync(ducha, id, "归档");

        // The same procedure without the setting stops on an incident, as before.
        await ImportAsync(await fixture.As("admin"), Procedure("no-one", null));
        var stopped = await InstanceAsync(ducha, await StartAsync(ducha, "no-one", new JsonObject { ["text2"] = "乙" }));
        Assert.Contains(stopped["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "activityFaulted");
        Assert.DoesNotContain(stopped["timeline"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "stepAutoPassed");
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteProcedureSettingsApiTests(SqliteFixture fixture) : ProcedureSettingsApiTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresProcedureSettingsApiTests(PostgresFixture fixture) : ProcedureSettingsApiTests<PostgresFixture>(fixture);
