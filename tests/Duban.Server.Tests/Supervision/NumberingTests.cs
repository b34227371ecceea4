using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Numbering;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>Running numbers (统一编号): consecutive under concurrency, given back when a registration fails, adjustable only forward.</summary>
public abstract partial class NumberingTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string Pattern = "督〔{year}〕{seq}号";

    [GeneratedRegex(@"^督〔(?<year>\d{4})〕(?<seq>\d+)号$")]
    private static partial Regex DemoNumber();

    private static long Seq(string number)
    {
        var match = DemoNumber().Match(number);
        Assert.True(match.Success, $"「{number}」不是 督〔年〕N号");
        return long.Parse(match.Groups["seq"].Value);
    }

    private static string Year => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).Year.ToString();

    private Task<long> LastAsync() => fixture.Factory.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<DubanDbContext>();
        return await db.Set<NumberSequenceRecord>().Where(r => r.Sequence == Pattern && r.Period == Year)
            .Select(r => (long?)r.LastNumber).FirstOrDefaultAsync() ?? 0;
    });

    private async Task<string> RegisterAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/instances", new { definitionId = "demo-supervision", data = DemoStartData() });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["number"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_hundred_concurrent_registrations_get_a_hundred_distinct_consecutive_numbers()
    {
        var ducha = await fixture.As("ducha");
        var before = await LastAsync();

        var numbers = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => RegisterAsync(ducha)));

        Assert.Equal(100, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.StartsWith($"督〔{Year}〕", n));
        Assert.Equal(Enumerable.Range(1, 100).Select(i => before + i), numbers.Select(Seq).Order());
        Assert.Equal(before + 100, await LastAsync());
        await fixture.Factory.WithDbAsync(async db =>
            Assert.Equal(100, await db.Instances.CountAsync(i => numbers.Contains(i.Number!))));
    }

    [Fact]
    public async Task A_registration_that_fails_gives_its_number_back()
    {
        var ducha = await fixture.As("ducha");
        var first = Seq(await RegisterAsync(ducha));

        // Refused before anything is written: no number is taken.
        var refused = await ducha.PostAsJsonAsync("/api/instances", new { definitionId = "demo-supervision", data = new JsonObject { ["title"] = "缺少必填项" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        // Fails while saving, after the number was taken: the number goes back with the item.
        await fixture.Factory.WithDbAsync(async db =>
        {
            var existing = await db.Instances.AsNoTracking().OrderByDescending(i => i.CreatedAt).FirstAsync();
            var participant = await db.InstanceUnits.AsNoTracking().FirstAsync(u => u.InstanceId == existing.Id);
            var doomed = new InstanceRecord
            {
                Id = Guid.CreateVersion7(), DefinitionRecordId = existing.DefinitionRecordId, DefinitionId = existing.DefinitionId,
                DefinitionVersion = existing.DefinitionVersion, DefinitionName = existing.DefinitionName, Title = "不会保存的事项",
                Status = WorkflowStatus.Suspended, StateJson = "{}", InitiatorId = existing.InitiatorId,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            };
            db.Instances.Add(doomed);
            db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = participant.InstanceId, UnitId = participant.UnitId }); // a duplicate key
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            Assert.NotNull(doomed.Number); // it had taken one …
            Assert.Null(db.Database.CurrentTransaction);
        });
        Assert.Equal(first, await LastAsync()); // … and gave it back

        Assert.Equal(first + 1, Seq(await RegisterAsync(ducha)));
    }

    /// <summary>
    /// 登记 → 领导审定 (同意 / 不同意) → 交办 (fzc) → 办结; 不同意 ends the item. Numbered as <paramref name="numbering"/> says.
    /// </summary>
    private static JsonObject ApprovedFirst(string id, JsonObject numbering) =>
        new JsonObject
        {
            ["definitionId"] = id, ["name"] = "审定后编号",
            ["options"] = new JsonObject { ["numbering"] = numbering },
            ["root"] = new JsonObject
            {
                ["type"] = "Duban.Flowchart", ["id"] = "flowchart",
                ["activities"] = new JsonArray(
                    new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "登记" },
                    new JsonObject
                    {
                        ["id"] = "approve", ["type"] = "Duban.UserTask", ["name"] = "领导审定",
                        ["assignee"] = TestDefinitions.Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                        ["outcomes"] = TestDefinitions.Literal(new JsonArray("同意", "不同意")),
                    },
                    new JsonObject { ["id"] = "assign", ["type"] = "Duban.Assign", ["name"] = "交办", ["lead"] = TestDefinitions.Literal("fzc") },
                    new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "办结" },
                    new JsonObject { ["id"] = "rejected", ["type"] = "Duban.End", ["name"] = "不予立项" }),
                ["connections"] = new JsonArray(
                    TestDefinitions.Connection("start", "Done", "approve"), TestDefinitions.Connection("approve", "同意", "assign"),
                    TestDefinitions.Connection("approve", "不同意", "rejected"), TestDefinitions.Connection("assign", "提交", "end")),
            },
        };

    private static async Task<string?> NumberOfAsync(HttpClient client, Guid id) =>
        (await InstanceAsync(client, id))["instance"]!["number"]?.GetValue<string>();

    [Fact]
    public async Task Numbered_on_approval_a_rejected_item_consumes_no_number()
    {
        // 000 第十三条（一）「报领导审定后及时进行登记」: the number is given when 领导审定 says 同意.
        await ImportAsync(await fixture.As("admin"), ApprovedFirst("number-on-approval",
            new JsonObject { ["pattern"] = "鲁司督〔{year}〕{seq}号", ["assignAt"] = "approval", ["step"] = "approve" }));
        var ducha = await fixture.As("ducha");
        var first = await Infrastructure.Api.StartAsync(ducha, "number-on-approval", null);
        var second = await Infrastructure.Api.StartAsync(ducha, "number-on-approval", null);
        Assert.Null(await NumberOfAsync(ducha, first));
        Assert.Null(await NumberOfAsync(ducha, second));

        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, first, "领导审定"), "不同意", comment: "不予立项");
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, second, "领导审定"), "同意");
        Assert.Null(await NumberOfAsync(ducha, first));
        Assert.Equal($"鲁司督〔{Year}〕1号", await NumberOfAsync(ducha, second));
        var third = await Infrastructure.Api.StartAsync(ducha, "number-on-approval", null);
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, third, "领导审定"), "同意");
        Assert.Equal($"鲁司督〔{Year}〕2号", await NumberOfAsync(ducha, third));
    }

    [Fact]
    public async Task Numbered_at_the_first_assignment()
    {
        await ImportAsync(await fixture.As("admin"), ApprovedFirst("number-on-assign",
            new JsonObject { ["pattern"] = "交〔{year}〕{seq}号", ["assignAt"] = "firstAssign" }));
        var ducha = await fixture.As("ducha");
        var id = await Infrastructure.Api.StartAsync(ducha, "number-on-assign", null);
        Assert.Null(await NumberOfAsync(ducha, id));
        await CompleteOkAsync(ducha, await TaskOfAsync(ducha, id, "领导审定"), "同意");
        Assert.Equal($"交〔{Year}〕1号", await NumberOfAsync(ducha, id));
    }

    [Fact]
    public async Task A_rule_numbering_on_approval_needs_a_step_of_the_procedure()
    {
        var admin = await fixture.As("admin");
        var noStep = await admin.PostAsJsonAsync("/api/definitions/import?publish=true",
            ApprovedFirst("number-bad", new JsonObject { ["pattern"] = "督{seq}", ["assignAt"] = "approval" }));
        Assert.Contains("审定环节", await noStep.Content.ReadAsStringAsync());
        var unknown = await admin.PostAsJsonAsync("/api/definitions/import?publish=true",
            ApprovedFirst("number-bad", new JsonObject { ["pattern"] = "督{seq}", ["assignAt"] = "approval", ["step"] = "nowhere" }));
        Assert.Contains("nowhere", await unknown.Content.ReadAsStringAsync());
        Assert.False(unknown.IsSuccessStatusCode);
    }

    [Fact]
    public async Task The_number_shows_in_the_inbox_and_the_item_and_can_be_searched()
    {
        var ducha = await fixture.As("ducha");
        var number = await RegisterAsync(ducha);
        var task = (await InboxAsync(await fixture.As("lingdao"))).Single(t => t!["itemNumber"]?.GetValue<string>() == number);
        var id = task!["instanceId"]!.GetValue<Guid>();
        Assert.Equal(number, (await InstanceAsync(ducha, id))["instance"]!["number"]!.GetValue<string>());
        var found = await ducha.GetFromJsonAsync<JsonObject>("/api/instances?q=" + Uri.EscapeDataString(number));
        Assert.Equal(id, found!["items"]!.AsArray().Single()!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task Counters_are_listed_for_the_office_and_adjusted_only_forward_by_an_administrator()
    {
        var ducha = await fixture.As("ducha");
        var admin = await fixture.As("admin");
        var last = Seq(await RegisterAsync(ducha));

        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).GetAsync("/api/numbering/sequences")).StatusCode);
        var counters = (await ducha.GetFromJsonAsync<JsonArray>("/api/numbering/sequences"))!;
        var counter = counters.Single(c => c!["sequence"]!.GetValue<string>() == Pattern && c["period"]!.GetValue<string>() == Year)!;
        Assert.Equal(last, counter["lastNumber"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.Forbidden, (await ducha.PutAsJsonAsync("/api/numbering/sequences", new { sequence = Pattern, period = Year, lastNumber = last + 10 })).StatusCode);
        var backwards = await FieldErrorsAsync(await admin.PutAsJsonAsync("/api/numbering/sequences", new { sequence = Pattern, period = Year, lastNumber = last - 1 }));
        Assert.Contains("只能调大", backwards["lastNumber"].Single());
        var bad = await FieldErrorsAsync(await admin.PutAsJsonAsync("/api/numbering/sequences", new { sequence = "", period = "2026-13", lastNumber = -1 }));
        Assert.Equal(["lastNumber", "period", "sequence"], bad.Keys.Order(StringComparer.Ordinal));

        var moved = await admin.PutAsJsonAsync("/api/numbering/sequences", new { sequence = Pattern, period = Year, lastNumber = last + 36 });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal("系统管理员", (await moved.Content.ReadFromJsonAsync<JsonObject>())!["adjustedBy"]!.GetValue<string>());
        Assert.Equal(last + 37, Seq(await RegisterAsync(ducha)));
    }

    [Fact]
    public async Task The_designer_tries_a_rule_and_a_bad_rule_is_refused_on_publish()
    {
        var admin = await fixture.As("admin");
        var preview = await admin.PostAsJsonAsync("/api/numbering/preview", new
        {
            numbering = new { pattern = "建提〔{year}〕{seq:3}号", sequence = "建议提案" },
            at = "2026-03-05T10:00:00+08:00",
        });
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var body = (await preview.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("建提〔2026〕001号", body["first"]!.GetValue<string>());
        Assert.Equal(("建议提案", "2026"), (body["sequence"]!.GetValue<string>(), body["period"]!.GetValue<string>()));

        var wrong = await FieldErrorsAsync(await admin.PostAsJsonAsync("/api/numbering/preview", new { numbering = new { pattern = "建提〔{year}〕号" } }));
        Assert.Contains("{seq}", wrong["numbering"].Single());

        var definition = TestDefinitions.Script("numbered-bad", "编号有误", "vars.x = 1");
        definition["options"] = new JsonObject { ["numbering"] = new JsonObject { ["pattern"] = "第{seq}号", ["reset"] = "year" } };
        var import = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", definition);
        var errors = await FieldErrorsAsync(import);
        Assert.Contains(errors["definition"], e => e.Contains("{year}"));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteNumberingTests(SqliteFixture fixture) : NumberingTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresNumberingTests(PostgresFixture fixture) : NumberingTests<PostgresFixture>(fixture);
