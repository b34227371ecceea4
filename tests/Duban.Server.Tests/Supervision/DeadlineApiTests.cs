using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Server.Tests.Infrastructure;
using static Duban.Server.Tests.Supervision.DeadlineFixture;

namespace Duban.Server.Tests.Supervision;

/// <summary>Deadlines and lights as the inbox, the item page and the item list show them, as a controlled clock moves.</summary>
public abstract class DeadlineApiTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static DateTimeOffset EndOf(int y, int m, int d) => Beijing(y, m, d, 23, 59).AddSeconds(59);

    private async Task<JsonObject> InboxRowAsync(string user, Guid item)
    {
        var inbox = await Infrastructure.Api.InboxAsync(await fixture.As(user));
        return inbox.Single(t => t!["instanceId"]!.GetValue<Guid>() == item)!.AsObject();
    }

    [Fact]
    public async Task The_item_and_its_step_are_due_in_five_working_days_and_the_light_turns_yellow_then_red()
    {
        var id = await fixture.StartItemAsync();
        var row = await InboxRowAsync("fazhi", id);
        Assert.Equal(EndOf(2026, 3, 9), row["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("green", row["light"]!.GetValue<string>());
        var item = await Infrastructure.Api.InstanceAsync(await fixture.As("ducha"), id);
        Assert.Equal(EndOf(2026, 3, 9), item["instance"]!["dueAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("green", item["instance"]!["light"]!.GetValue<string>());
        Assert.Equal("green", item["openTasks"]![0]!["light"]!.GetValue<string>());

        fixture.Clock.Set(Beijing(2026, 3, 5));   // two working days left (6th, 9th)
        Assert.Equal("yellow", (await InboxRowAsync("fazhi", id))["light"]!.GetValue<string>());
        var yellow = await Json.GetAsync(await fixture.As("fazhi"), "/api/tasks?light=yellow");
        Assert.Contains(yellow["items"]!.AsArray(), t => t!["instanceId"]!.GetValue<Guid>() == id);
        Assert.DoesNotContain((await Json.GetAsync(await fixture.As("fazhi"), "/api/tasks?light=green"))["items"]!.AsArray(),
            t => t!["instanceId"]!.GetValue<Guid>() == id);

        fixture.Clock.Set(Beijing(2026, 3, 10, 0, 1));
        Assert.Equal("red", (await InboxRowAsync("fazhi", id))["light"]!.GetValue<string>());
        var list = await Json.GetAsync(await fixture.As("ducha"), "/api/instances?pageSize=100");
        var listed = list["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!;
        Assert.Equal("red", listed["light"]!.GetValue<string>());
        Assert.Equal(EndOf(2026, 3, 9), listed["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_deadline_over_a_holiday_counts_only_working_days_and_the_given_date_wins()
    {
        fixture.Clock.Set(Beijing(2026, 9, 29));
        var fallback = await fixture.StartItemAsync(title: "国庆前交办");
        // Tue 9/29: 9/30, then the National Day holiday, Sat 10/10 (make-up), 10/8, 10/9, 10/12 → fifth is 10/12.
        Assert.Equal(EndOf(2026, 10, 12), (await InboxRowAsync("fazhi", fallback))["dueAt"]!.GetValue<DateTimeOffset>());

        var given = await fixture.StartItemAsync(dueDate: "2026-12-31", title: "年底前办结");
        Assert.Equal(EndOf(2026, 12, 31), (await InboxRowAsync("fazhi", given))["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task The_review_step_gets_one_working_day_and_a_redo_keeps_the_item_deadline()
    {
        var id = await fixture.StartItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 6, 17));     // Friday
        var fazhi = await fixture.As("fazhi");
        await Infrastructure.Api.CompleteOkAsync(fazhi, await Infrastructure.Api.TaskOfAsync(fazhi, id), "提交", new JsonObject { ["report"] = "已办理" });
        var review = await InboxRowAsync("ducha", id);
        Assert.Equal(EndOf(2026, 3, 9), review["dueAt"]!.GetValue<DateTimeOffset>());   // next working day: Monday
        var ducha = await fixture.As("ducha");
        await Infrastructure.Api.CompleteOkAsync(ducha, review["id"]!.GetValue<Guid>(), "退回", comment: "请补充数据");
        Assert.Equal(EndOf(2026, 3, 9), (await InboxRowAsync("fazhi", id))["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_procedure_can_set_its_own_light_rule()
    {
        await fixture.ImportFlowAsync(new JsonObject { ["lights"] = new JsonObject { ["yellowPercent"] = 50 } });
        var id = await fixture.StartItemAsync();
        // Two working days before (yellow under the default rule of the other version), but more than half the time left.
        fixture.Clock.Set(Beijing(2026, 3, 5, 12));
        Assert.Equal("green", (await InboxRowAsync("fazhi", id))["light"]!.GetValue<string>());
        fixture.Clock.Set(Beijing(2026, 3, 6, 12));   // less than half of the time left
        Assert.Equal("yellow", (await InboxRowAsync("fazhi", id))["light"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_bad_deadline_in_a_definition_is_refused_in_chinese_naming_the_step()
    {
        var admin = await fixture.As("admin");
        var flow = TestDefinitions.Flow("bad-deadline", "坏时限", [
            new JsonObject { ["id"] = "start", ["type"] = "Duban.Start", ["name"] = "开始" },
            new JsonObject
            {
                ["id"] = "t", ["type"] = "Duban.UserTask", ["name"] = "承办",
                ["assignee"] = TestDefinitions.Literal(new JsonObject { ["type"] = "role", ["role"] = "督查员" }),
                ["deadline"] = TestDefinitions.Literal(new JsonObject { ["kind"] = "fortnights", ["amount"] = 1 }),
            },
            new JsonObject { ["id"] = "end", ["type"] = "Duban.End", ["name"] = "结束" },
        ], [TestDefinitions.Connection("start", "Done", "t"), TestDefinitions.Connection("t", "提交", "end")]);
        var response = await admin.PostAsJsonAsync("/api/definitions/import?publish=true", flow);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("办理时限", body);
        Assert.Contains("fortnights", body);
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteDeadlineApiTests(SqliteDeadlineFixture fixture) : DeadlineApiTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresDeadlineApiTests(PostgresDeadlineFixture fixture) : DeadlineApiTests<PostgresDeadlineFixture>(fixture);
