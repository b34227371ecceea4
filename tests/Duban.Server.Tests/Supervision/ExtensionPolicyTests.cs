using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Tasks;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.TestDefinitions;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// Which units an approved extension moves (the procedure's <c>extensions.units</c>) and what happens to a new date on a
/// rest day (<c>extensions.restDay</c>). The clock starts Monday 2026-03-02 09:00 (Beijing).
/// </summary>
public abstract class ExtensionPolicyTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string FlowId = "sv-extension-units";

    private static DateTimeOffset EndOf(int y, int m, int d) => Beijing(y, m, d, 23, 59).AddSeconds(59);

    /// <summary>
    /// 登记 (title, 主办, 协办, 完成时限) → 交办 (主办 until the item's deadline, 协办 5 working days) → 审核 → 办结, with the
    /// given <c>options.extensions</c>.
    /// </summary>
    private async Task ImportAsync(JsonObject? extensions)
    {
        var flow = Flow(FlowId, "延期范围测试", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记", ["form"] = Literal("f") },
            new JsonObject
            {
                ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办",
                ["lead"] = Script("item.lead"), ["co"] = Script("item.co"),
                ["form"] = Literal("f"), ["deadline"] = Literal("itemDue"), ["coDeadline"] = Literal(5),
            },
            new JsonObject
            {
                ["id"] = "review", ["type"] = "Duban.UserTask", ["name"] = "审核",
                ["assignee"] = Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["outcomes"] = Literal(new JsonArray("通过")),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
        ], [Connection("start", "Done", "assign"), Connection("assign", "提交", "review"), Connection("review", "通过", "end")]);
        flow["forms"] = JsonNode.Parse("""
            [{ "id": "f", "name": "督办单", "fields": [
                { "key": "title", "label": "事项名称", "type": "text", "required": true },
                { "key": "lead", "label": "主办单位", "type": "unit", "required": true },
                { "key": "co", "label": "协办单位", "type": "unit", "multiple": true },
                { "key": "dueDate", "label": "完成时限", "type": "date" },
                { "key": "report", "label": "办理情况", "type": "textarea" } ] }]
            """);
        var options = new JsonObject
        {
            ["deadlines"] = new JsonObject { ["item"] = new JsonObject { ["kind"] = "field", ["field"] = "dueDate" } },
        };
        if (extensions is not null) options["extensions"] = extensions;
        flow["options"] = options;
        await ApiHelpers.ImportAsync(await fixture.As("admin"), flow);
    }

    /// <summary>fzc 主办 until Friday 3/13; jinan 协办 5 working days from Monday 3/2: 3/3, 3/4, 3/5, 3/6, 3/9 → Monday 3/9.</summary>
    private async Task<Guid> StartAsync() =>
        await ApiHelpers.StartAsync(await fixture.As("ducha"), FlowId, new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["lead"] = "fzc", ["co"] = new JsonArray("jinan"), ["dueDate"] = "2026-03-13",
        });

    private async Task<JsonObject> AskAsync(string user, Guid item, string newDueDate, HttpStatusCode expected = HttpStatusCode.Created) =>
        await Json.OkAsync(await (await fixture.As(user)).PostAsJsonAsync($"/api/instances/{item}/extensions",
            new { reason = "需要会同财政部门核实数据", newDueDate }), expected);

    private async Task ApproveAsync(JsonObject asked) =>
        await Json.OkAsync(await (await fixture.As("ducha")).PostAsJsonAsync($"/api/extensions/{asked["id"]}/decide", new { approve = true, opinion = "同意" }));

    private Task<Dictionary<string, DateTimeOffset?>> DueByUnitAsync(Guid item) =>
        fixture.WithScopeAsync(async sp =>
        {
            var db = sp.GetService(typeof(Duban.Data.DubanDbContext)) as Duban.Data.DubanDbContext;
            var open = await db!.Tasks.Where(t => t.InstanceId == item && t.Status == HumanTaskStatus.Open && t.ActivityId == "assign").ToListAsync();
            return open.ToDictionary(t => t.CandidateUnitId!, t => t.DueAt);
        });

    [Fact]
    public async Task By_default_the_leads_extension_moves_its_co_units_too_each_step_journaled_and_the_co_unit_is_not_chased_on_the_old_date()
    {
        await ImportAsync(null);
        var id = await StartAsync();
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["fzc"] = EndOf(2026, 3, 13), ["jinan"] = EndOf(2026, 3, 9) }, await DueByUnitAsync(id));

        await ApproveAsync(await AskAsync("fazhi", id, "2026-03-20"));

        // Both the 主办's and the 协办's steps are due Friday 3/20 now.
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["fzc"] = EndOf(2026, 3, 20), ["jinan"] = EndOf(2026, 3, 20) }, await DueByUnitAsync(id));
        var timeline = (await ApiHelpers.InstanceAsync(await fixture.As("ducha"), id))["timeline"]!.AsArray()
            .Where(e => e!["kind"]!.GetValue<string>() == "deadlineExtended").ToList();
        Assert.Equal(["fzc", "jinan"], timeline.Select(e => e!["data"]!["unitId"]!.GetValue<string>()).Order());
        var jinanLine = timeline.Single(e => e!["data"]!["unitId"]!.GetValue<string>() == "jinan")!;
        Assert.Equal(EndOf(2026, 3, 9), jinanLine["data"]!["from"]!.GetValue<DateTimeOffset>());
        Assert.Equal(EndOf(2026, 3, 20), jinanLine["data"]!["to"]!.GetValue<DateTimeOffset>());

        // Wednesday 3/11: two days past the 协办's old date (3/9) — on the old date the ladder's 电话催办 (1 working day
        // overdue) would be due. On the new one (3/20) nothing is: the 到期提醒 comes 2 working days before, on 3/18.
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));
        await fixture.RunChasesAsync();
        await fixture.WithDbAsync(async db =>
        {
            Assert.Empty(await db.Set<ChaseRecord>().Where(c => c.InstanceId == id).ToListAsync());
            var jinan = await db.Set<ChaseCaseRecord>().SingleAsync(c => c.InstanceId == id && c.UnitId == "jinan");
            Assert.Equal(EndOf(2026, 3, 20), jinan.DueAt);
        });
    }

    [Fact]
    public async Task With_units_lead_only_the_asking_units_step_moves()
    {
        await ImportAsync(new JsonObject { ["units"] = "lead" });
        var id = await StartAsync();
        await ApproveAsync(await AskAsync("fazhi", id, "2026-03-20"));
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["fzc"] = EndOf(2026, 3, 20), ["jinan"] = EndOf(2026, 3, 9) }, await DueByUnitAsync(id));
    }

    [Fact]
    public async Task With_units_all_a_co_units_extension_moves_every_unit_of_the_item()
    {
        await ImportAsync(new JsonObject { ["units"] = "all" });
        var id = await StartAsync();
        await ApproveAsync(await AskAsync("jinan", id, "2026-03-20"));
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["fzc"] = EndOf(2026, 3, 20), ["jinan"] = EndOf(2026, 3, 20) }, await DueByUnitAsync(id));
    }

    [Fact]
    public async Task By_default_a_co_units_extension_moves_only_its_own_step()
    {
        await ImportAsync(null);
        var id = await StartAsync();
        await ApproveAsync(await AskAsync("jinan", id, "2026-03-12"));
        Assert.Equal(new Dictionary<string, DateTimeOffset?> { ["fzc"] = EndOf(2026, 3, 13), ["jinan"] = EndOf(2026, 3, 12) }, await DueByUnitAsync(id));
    }

    [Fact]
    public async Task By_default_a_new_date_on_a_rest_day_is_kept_as_typed_and_the_approver_is_warned()
    {
        await ImportAsync(null);
        var id = await StartAsync();
        // Saturday 3/21 is a rest day; the next working day is Monday 3/23.
        var asked = await AskAsync("fazhi", id, "2026-03-21");
        Assert.Equal(EndOf(2026, 3, 21), asked["requestedDueAt"]!.GetValue<DateTimeOffset>());
        const string warning = "新的完成时限2026年3月21日（周六）是休息日，下一个工作日是2026年3月23日（周一）";
        Assert.Equal(warning, asked["warning"]!.GetValue<string>());
        var ducha = await fixture.As("ducha");
        var approval = (await ApiHelpers.InboxAsync(ducha)).Single(t => t!["id"]!.GetValue<Guid>() == asked["approvalTaskId"]!.GetValue<Guid>())!;
        var message = (await Json.GetAsync(ducha, $"/api/tasks/{approval["id"]}"))["message"]!.GetValue<string>();
        Assert.Contains(warning, message);
        Assert.Equal(warning, (await Json.GetAsync(ducha, $"/api/instances/{id}/extensions"))["requests"]![0]!["warning"]!.GetValue<string>());
        await ApproveAsync(asked);
        Assert.Equal(EndOf(2026, 3, 21), (await DueByUnitAsync(id))["fzc"]);
    }

    [Fact]
    public async Task With_rest_day_move_a_holiday_becomes_the_next_working_day()
    {
        await ImportAsync(new JsonObject { ["restDay"] = "move" });
        var id = await StartAsync();
        // 清明节 2026-04-04 … 04-06 (国办发明电〔2025〕7号): Saturday 4/4 moves to Tuesday 4/7.
        var asked = await AskAsync("fazhi", id, "2026-04-04");
        Assert.Equal(EndOf(2026, 4, 7), asked["requestedDueAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(asked["warning"]);
        var requested = (await ApiHelpers.InstanceAsync(await fixture.As("ducha"), id))["timeline"]!.AsArray()
            .Single(e => e!["kind"]!.GetValue<string>() == "extensionRequested")!;
        Assert.Equal("2026-04-04", requested["data"]!["typedDate"]!.GetValue<string>());
        await ApproveAsync(asked);
        Assert.Equal(EndOf(2026, 4, 7), (await DueByUnitAsync(id))["fzc"]);
    }

    [Fact]
    public async Task With_rest_day_refuse_the_unit_is_told_the_next_working_day()
    {
        await ImportAsync(new JsonObject { ["restDay"] = "refuse" });
        var id = await StartAsync();
        var errors = await ApiHelpers.FieldErrorsAsync(await (await fixture.As("fazhi")).PostAsJsonAsync($"/api/instances/{id}/extensions",
            new { reason = "需要会同财政部门核实数据", newDueDate = "2026-04-05" }));
        Assert.Equal("新的完成时限2026年4月5日（周日）是休息日，请选择工作日，如2026年4月7日（周二）", errors["newDueDate"].Single());
        // A working day is accepted as typed.
        Assert.Equal(EndOf(2026, 4, 7), (await AskAsync("fazhi", id, "2026-04-07"))["requestedDueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task An_unknown_units_policy_cannot_be_published()
    {
        var admin = await fixture.As("admin");
        var flow = Flow("sv-extension-bad", "延期范围无效", [new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" }], []);
        flow["options"] = new JsonObject { ["extensions"] = new JsonObject { ["units"] = "everyone" } };
        var response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("延期适用范围", await response.Content.ReadAsStringAsync());
        flow["options"] = new JsonObject { ["extensions"] = new JsonObject { ["restDay"] = "ignore" } };
        response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains("延期至休息日", await response.Content.ReadAsStringAsync());
    }
}

public sealed class SqliteExtensionPolicyTests(SqliteDeadlineFixture fixture) : ExtensionPolicyTests<SqliteDeadlineFixture>(fixture), IClassFixture<SqliteDeadlineFixture>;

public sealed class PostgresExtensionPolicyTests(PostgresDeadlineFixture fixture) : ExtensionPolicyTests<PostgresDeadlineFixture>(fixture), IClassFixture<PostgresDeadlineFixture>;
