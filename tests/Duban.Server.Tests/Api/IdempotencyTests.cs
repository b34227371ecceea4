using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Writes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Api;

/// <summary>
/// A start or a completion whose answer was lost can be sent again with the same <c>Idempotency-Key</c>: the repeat gets
/// the first answer, and the work is done once.
/// </summary>
public abstract class IdempotencyTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static HttpRequestMessage Start(string key, JsonObject data) => new(HttpMethod.Post, "/api/instances")
    {
        Content = JsonContent.Create(new { definitionId = "demo-supervision", data }),
        Headers = { { "Idempotency-Key", key } },
    };

    private static HttpRequestMessage Complete(Guid taskId, string key, string outcome, JsonObject data) => new(HttpMethod.Post, $"/api/tasks/{taskId}/complete")
    {
        Content = JsonContent.Create(new { outcome, data }),
        Headers = { { "Idempotency-Key", key } },
    };

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
    }

    [Fact]
    public async Task A_start_sent_again_with_its_key_answers_the_first_item_and_starts_no_other()
    {
        var ducha = await fixture.As("ducha");
        var first = await IdOf(await ducha.SendAsync(Start("start-1", DemoStartData())));
        var again = await IdOf(await ducha.SendAsync(Start("start-1", DemoStartData())));
        Assert.Equal(first, again);
        await fixture.Factory.WithDbAsync(async db => Assert.Equal(1, await db.Instances.CountAsync()));

        // Without a key (or with another) a second item is a second item.
        Assert.NotEqual(first, await IdOf(await ducha.SendAsync(Start("start-2", DemoStartData()))));
    }

    [Fact]
    public async Task A_completion_sent_again_with_its_key_answers_as_the_first_did()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var task = await TaskOfAsync(lingdao, id);
        var opinion = new JsonObject { ["leaderOpinion"] = "同意" };
        Assert.Equal(HttpStatusCode.NoContent, (await lingdao.SendAsync(Complete(task, "c-1", "同意", opinion))).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await lingdao.SendAsync(Complete(task, "c-1", "同意", opinion))).StatusCode);
        // The same completion without the key is a second completion of a done task.
        Assert.Equal(HttpStatusCode.Conflict, (await CompleteAsync(lingdao, task, "同意", opinion)).StatusCode);
        await fixture.Factory.WithDbAsync(async db =>
            Assert.Equal(1, await db.Tasks.CountAsync(t => t.InstanceId == id && t.ActivityId == "handle")));
    }

    [Fact]
    public async Task A_key_used_again_for_another_request_is_refused_and_changes_nothing()
    {
        var ducha = await fixture.As("ducha");
        await IdOf(await ducha.SendAsync(Start("k", DemoStartData("fzc"))));
        var reused = await ducha.SendAsync(Start("k", DemoStartData("jinan")));
        Assert.Contains("Idempotency-Key", (await FieldErrorsAsync(reused)).Keys);
        await fixture.Factory.WithDbAsync(async db => Assert.Equal(1, await db.Instances.CountAsync()));

        var tooLong = await ducha.SendAsync(Start(new string('x', 101), DemoStartData()));
        Assert.Contains("Idempotency-Key", (await FieldErrorsAsync(tooLong)).Keys);
    }

    [Fact]
    public async Task Keys_are_per_user_another_user_with_the_same_key_starts_their_own_item()
    {
        var ducha = await fixture.As("ducha");
        var admin = await fixture.As("admin");
        var mine = await IdOf(await ducha.SendAsync(Start("shared", DemoStartData())));
        var theirs = await IdOf(await admin.SendAsync(Start("shared", DemoStartData())));
        Assert.NotEqual(mine, theirs);
    }

    [Fact]
    public async Task Answers_are_forgotten_after_their_retention_and_a_late_repeat_is_a_new_request()
    {
        var ducha = await fixture.As("ducha");
        var first = await IdOf(await ducha.SendAsync(Start("old", DemoStartData())));
        await IdOf(await ducha.SendAsync(Start("recent", DemoStartData())));
        await fixture.Factory.WithDbAsync(async db =>
            await db.Set<IdempotencyRecord>().Where(r => r.Key == "old").ExecuteUpdateAsync(s => s.SetProperty(r => r.CreatedAt, DateTimeOffset.UtcNow.AddDays(-2))));

        Assert.True(await fixture.Factory.Services.GetRequiredService<IdempotencyCleanup>().RunOnceAsync(CancellationToken.None) >= 1);
        await fixture.Factory.WithDbAsync(async db =>
        {
            var kept = await db.Set<IdempotencyRecord>().Select(r => r.Key).ToListAsync();
            Assert.DoesNotContain("old", kept);
            Assert.Contains("recent", kept);
        });
        Assert.NotEqual(first, await IdOf(await ducha.SendAsync(Start("old", DemoStartData()))));
    }

    [Fact]
    public async Task Twins_sent_at_once_with_one_key_start_one_item_and_both_get_it()
    {
        var ducha = await fixture.As("ducha");
        fixture.Factory.Gate.HoldUntil(2, "start");
        var answers = await Task.WhenAll(ducha.SendAsync(Start("twin", DemoStartData())), ducha.SendAsync(Start("twin", DemoStartData())));
        fixture.Factory.Gate.Open();
        var ids = await Task.WhenAll(answers.Select(IdOf));
        Assert.Equal(ids[0], ids[1]);
        await fixture.Factory.WithDbAsync(async db => Assert.Equal(1, await db.Instances.CountAsync()));
    }
}

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyTests<SqliteFixture>(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresIdempotencyTests(PostgresFixture fixture) : IdempotencyTests<PostgresFixture>(fixture), IClassFixture<PostgresFixture>;
