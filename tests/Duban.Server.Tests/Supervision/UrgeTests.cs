using System.Net;
using System.Text.Json.Nodes;
using static Duban.Server.Tests.Supervision.DeadlineFixture;
using ApiHelpers = Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Supervision;

/// <summary>
/// 一键催办 (issue 16, docs/decisions/032): the initiator presses 催办 on an overdue step and the organization's first rung
/// for an overdue unit is raised — once, whether the press or the ladder job gets there first.
/// </summary>
public abstract class UrgeTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DeadlineFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An item the leader 李厅长 registers for 法制处, due Monday 3/9 (5 working days).</summary>
    private async Task<(Guid Item, Guid Task)> LeadersItemAsync()
    {
        var item = await ApiHelpers.StartAsync(await fixture.As("lingdao"), FlowId, new JsonObject { ["title"] = "推进行政复议体制改革", ["unit"] = "fzc" });
        return (item, await ApiHelpers.TaskOfAsync(await fixture.As("fazhi"), item, "承办"));
    }

    private async Task<List<JsonNode>> ChasesAsync(Guid item) =>
        (await Json.GetAsync(await fixture.As("ducha"), $"/api/instances/{item}/chases"))["chases"]!.AsArray().Select(c => c!).ToList();

    [Fact]
    public async Task The_initiator_urges_an_overdue_step_once_and_the_ladder_does_not_raise_that_rung_again()
    {
        var (item, task) = await LeadersItemAsync();
        var refused = await Json.ProblemAsync(await (await fixture.As("lingdao")).PostAsync($"/api/tasks/{task}/urge", null), HttpStatusCode.Conflict);
        Assert.Contains("尚未超期", refused);

        fixture.Clock.Set(Beijing(2026, 3, 10, 15));
        var lingdao = await fixture.As("lingdao");
        var urged = await Json.OkAsync(await lingdao.PostAsync($"/api/tasks/{task}/urge", null));
        Assert.Equal(("电话催办", "法制处"), (urged["rungName"]!.GetValue<string>(), urged["unitName"]!.GetValue<string>()));

        // The unit holding the step may not urge it; someone who cannot see the item finds nothing; a second press is refused.
        Assert.Equal(HttpStatusCode.Forbidden, (await (await fixture.As("fazhi")).PostAsync($"/api/tasks/{task}/urge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await fixture.As("jinan")).PostAsync($"/api/tasks/{task}/urge", null)).StatusCode);
        Assert.Contains("不再重复催办", await Json.ProblemAsync(await (await fixture.As("ducha")).PostAsync($"/api/tasks/{task}/urge", null), HttpStatusCode.Conflict));

        // The ladder job, a working day later, does not raise 电话催办 a second time.
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));
        Assert.Equal(0, await fixture.RunChasesAsync());
        var chases = await ChasesAsync(item);
        var chase = Assert.Single(chases);
        Assert.Equal("电话催办", chase["rungName"]!.GetValue<string>());
        var timeline = (await ApiHelpers.InstanceAsync(await fixture.As("ducha"), item))["timeline"]!.AsArray();
        var line = Assert.Single(timeline, e => e!["kind"]!.GetValue<string>() == "chased")!;
        Assert.Equal("李厅长", line["actorName"]!.GetValue<string>());
        Assert.Contains("发起人一键催办", line["comment"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_press_after_the_ladder_raised_the_rung_is_refused()
    {
        var (item, task) = await LeadersItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 11, 9));
        Assert.Equal(1, await fixture.RunChasesAsync());        // 电话催办 (the 到期提醒 before the deadline is passed)

        var refused = await Json.ProblemAsync(await (await fixture.As("lingdao")).PostAsync($"/api/tasks/{task}/urge", null), HttpStatusCode.Conflict);

        Assert.Contains("电话催办", refused);
        Assert.Single(await ChasesAsync(item));
    }

    [Fact]
    public async Task Two_presses_at_the_same_moment_raise_the_rung_once()
    {
        var (item, task) = await LeadersItemAsync();
        fixture.Clock.Set(Beijing(2026, 3, 10, 15));
        var (lingdao, ducha) = (await fixture.As("lingdao"), await fixture.As("ducha"));

        fixture.Gate.HoldUntil(2, "urge");
        var first = lingdao.PostAsync($"/api/tasks/{task}/urge", null);
        var second = ducha.PostAsync($"/api/tasks/{task}/urge", null);
        await Task.WhenAll(first, second);
        fixture.Gate.Open();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], new[] { (await first).StatusCode, (await second).StatusCode }.Order());
        Assert.Single(await ChasesAsync(item));
    }
}

[Collection(SqliteDeadlineFixture.Collection)]
public sealed class SqliteUrgeTests(SqliteDeadlineFixture fixture) : UrgeTests<SqliteDeadlineFixture>(fixture);

[Collection(PostgresDeadlineFixture.Collection)]
public sealed class PostgresUrgeTests(PostgresDeadlineFixture fixture) : UrgeTests<PostgresDeadlineFixture>(fixture);
