using System.Net;
using System.Text.Json.Nodes;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// Two people act on the same task at once. The commit gate holds both requests after they have read the same
/// state and lets them race at commit together, so the interleaving is forced on every run.
/// </summary>
public abstract class ConcurrencyTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_liaisons_completing_the_same_task_at_once_one_wins_and_the_other_gets_409()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");
        var fzcz = await fixture.As("fzcz");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "同意");
        var task = await TaskOfAsync(fazhi, id);
        Assert.Equal(task, await TaskOfAsync(fzcz, id));

        fixture.Factory.Gate.HoldUntil(2, "complete");
        var first = CompleteAsync(fazhi, task, "提交", new JsonObject { ["report"] = "张联络的办理情况" });
        var second = CompleteAsync(fzcz, task, "提交", new JsonObject { ["report"] = "赵处长的办理情况" });
        var responses = await Task.WhenAll(first, second);
        fixture.Factory.Gate.Open();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var loser = responses.Single(r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Contains("已由他人办理", await loser.Content.ReadAsStringAsync());

        await fixture.Factory.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.Journal.CountAsync(j => j.TaskId == task && j.Kind == JournalKind.TaskCompleted));
            var reviews = await db.Tasks.Where(t => t.InstanceId == id && t.ActivityId == "review").ToListAsync();
            Assert.Single(reviews);
            Assert.Equal(HumanTaskStatus.Open, reviews[0].Status);
            var completed = await db.Tasks.SingleAsync(t => t.Id == task);
            var report = (await InstanceAsync(ducha, id))["data"]!["report"]!.GetValue<string>();
            Assert.Equal(completed.CompletedByName == "张联络" ? "张联络的办理情况" : "赵处长的办理情况", report);
        });
    }

    [Fact]
    public async Task Two_claims_of_the_same_unit_task_at_once_give_one_holder()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var fazhi = await fixture.As("fazhi");
        var fzcz = await fixture.As("fzcz");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        await CompleteOkAsync(lingdao, await TaskOfAsync(lingdao, id), "同意");
        var task = await TaskOfAsync(fazhi, id);

        fixture.Factory.Gate.HoldUntil(2, "claim");
        var responses = await Task.WhenAll(fazhi.PostAsync($"/api/tasks/{task}/claim", null), fzcz.PostAsync($"/api/tasks/{task}/claim", null));
        fixture.Factory.Gate.Open();

        Assert.Equal([HttpStatusCode.NoContent, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await fixture.Factory.WithDbAsync(async db =>
            Assert.Equal(1, await db.Journal.CountAsync(j => j.TaskId == task && j.Kind == JournalKind.TaskClaimed)));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteConcurrencyTests(SqliteFixture fixture) : ConcurrencyTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresConcurrencyTests(PostgresFixture fixture) : ConcurrencyTests<PostgresFixture>(fixture);
