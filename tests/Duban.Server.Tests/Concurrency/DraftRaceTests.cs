using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Tasks;
using Duban.Server.Tests.Infrastructure;
using Duban.Server.Tests.Supervision;
using Microsoft.EntityFrameworkCore;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// 暂存 and the completion of the same task committing at once (docs/decisions/032), forced with the commit gate: whichever
/// commits first, the completion stands, no draft outlives the completed task, and the save either committed before it
/// (and was dropped with the task) or is told 409.
/// </summary>
public abstract class DraftRaceTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>济南's 协办 task of a 交办 item, claimed by its liaison (a draft belongs to whoever holds the task).</summary>
    private async Task<(HttpClient Jinan, Guid Task)> ClaimedAsync()
    {
        await ImportAsync(await fixture.As("admin"), AssignmentApiTests<TFixture>.Definition());
        var id = await StartAsync(await fixture.As("ducha"), "assign-test", new JsonObject
        {
            ["title"] = "推进行政复议体制改革", ["leadUnit"] = "fzc", ["coUnits"] = new JsonArray("jinan"),
        });
        var jinan = await fixture.As("jinan");
        var task = await TaskOfAsync(jinan, id, "交办（协办）");
        Assert.Equal(HttpStatusCode.NoContent, (await jinan.PostAsync($"/api/tasks/{task}/claim", null)).StatusCode);
        return (jinan, task);
    }

    private static Task<HttpResponseMessage> SaveAsync(HttpClient client, Guid task, string text) =>
        client.PutAsJsonAsync($"/api/tasks/{task}/draft", new { data = new JsonObject { ["coContact"] = text }, comment = text });

    private async Task RaceAsync(HttpClient jinan, Guid task)
    {
        fixture.Gate.HoldUntil(2, "draft", "complete");
        var save = SaveAsync(jinan, task, "刚输入的联系人");
        var complete = CompleteAsync(jinan, task, "提交", new JsonObject { ["coOpinion"] = "同意", ["coContact"] = "王五" });
        await Task.WhenAll(save, complete);
        fixture.Gate.Open();

        // The completion always stands: a save that committed first only set the draft it then drops; a save that comes
        // second finds the task (first save) or the draft row (later save) changed, runs again and finds the task closed.
        Assert.Equal(HttpStatusCode.NoContent, (await complete).StatusCode);
        var saved = (await save).StatusCode;
        Assert.True(saved is HttpStatusCode.OK or HttpStatusCode.Conflict, $"draft save answered {(int)saved}");
        if (saved == HttpStatusCode.Conflict) Assert.Contains("该待办已办理", await (await save).Content.ReadAsStringAsync());
        await fixture.Factory.WithDbAsync(async db =>
        {
            var row = await db.Tasks.SingleAsync(t => t.Id == task);
            Assert.Equal((HumanTaskStatus.Completed, false), (row.Status, row.HasDraft));
            Assert.False(await db.Set<TaskDraftRecord>().AnyAsync(d => d.TaskId == task));
        });
        // Nothing to restore and nothing to save into.
        Assert.False((await jinan.GetFromJsonAsync<JsonObject>($"/api/tasks/{task}/draft"))!["exists"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await SaveAsync(jinan, task, "再存一次")).StatusCode);
    }

    [Fact]
    public async Task The_first_save_and_the_completion_at_once_leave_the_task_completed_without_a_draft()
    {
        var (jinan, task) = await ClaimedAsync();
        await RaceAsync(jinan, task);
    }

    [Fact]
    public async Task A_later_save_and_the_completion_at_once_leave_the_task_completed_without_a_draft()
    {
        var (jinan, task) = await ClaimedAsync();
        Assert.Equal(HttpStatusCode.OK, (await SaveAsync(jinan, task, "先存的联系人")).StatusCode);
        await RaceAsync(jinan, task);
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteDraftRaceTests(SqliteFixture fixture) : DraftRaceTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresDraftRaceTests(PostgresFixture fixture) : DraftRaceTests<PostgresFixture>(fixture);
