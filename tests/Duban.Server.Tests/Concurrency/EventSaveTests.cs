using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Storage;
using Duban.Data.Tasks;
using Duban.Data.Timers;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// An event's save (<see cref="EventSave"/>). On PostgreSQL it goes without BEGIN/COMMIT when every statement in it
/// either succeeds or aborts the batch, so a row changed by someone else must roll back everything the event wrote,
/// inserts before and after the stale update included. On SQLite the same save runs in a transaction.
/// </summary>
public abstract class EventSaveTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Starts a demo item and reads its open task and its instance, tracked, as an event would.</summary>
    private async Task<(Guid Id, TaskRecord Task, InstanceRecord Instance)> ReadNewItemAsync(DubanDbContext db)
    {
        var id = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData());
        return (id, await db.Tasks.SingleAsync(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open),
            await db.Instances.SingleAsync(i => i.Id == id));
    }

    [Fact]
    public async Task A_row_changed_since_it_was_read_rolls_back_every_row_of_the_event()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var (id, task, instance) = await ReadNewItemAsync(db);
        var title = instance.Title;

        // Someone else completes the step first.
        await fixture.Factory.WithDbAsync(async other =>
        {
            var same = await other.Tasks.SingleAsync(t => t.Id == task.Id);
            same.Comment = "他人先办";
            await other.SaveChangesAsync();
        });

        // This event read the task before that: rows in tables before and after "Tasks", and the stale update.
        db.Journal.Add(new JournalEntryRecord { InstanceId = id, Kind = JournalKind.TaskCompleted, At = DateTimeOffset.UtcNow, TaskId = task.Id, Comment = "不应留下" });
        db.InstanceUnits.Add(new InstanceUnitRecord { InstanceId = id, UnitId = "qingdao" });
        db.Timers.Add(new TimerRecord { Id = Guid.NewGuid(), InstanceId = id, BookmarkId = "b-stale", ActivityId = "stale", DueAt = DateTimeOffset.UtcNow });
        task.Comment = "后到的提交";
        instance.Title = "不应改名";
        db.ChangeTracker.DetectChanges();
        Assert.Equal(fixture.Database.IsPostgres, EventSave.OneBatchAllOrNothing(db.ChangeTracker));

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => EventSave.SaveAsync(db, CancellationToken.None));

        await fixture.Factory.WithDbAsync(async fresh =>
        {
            Assert.False(await fresh.Journal.AnyAsync(j => j.Comment == "不应留下"));
            Assert.False(await fresh.InstanceUnits.AnyAsync(u => u.InstanceId == id && u.UnitId == "qingdao"));
            Assert.False(await fresh.Timers.AnyAsync(t => t.InstanceId == id));
            Assert.Equal("他人先办", (await fresh.Tasks.SingleAsync(t => t.Id == task.Id)).Comment);
            Assert.Equal(title, (await fresh.Instances.SingleAsync(i => i.Id == id)).Title);
        });
    }

    [Fact]
    public async Task A_fresh_row_saves_with_everything_else()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var (id, task, instance) = await ReadNewItemAsync(db);
        db.Journal.Add(new JournalEntryRecord { InstanceId = id, Kind = JournalKind.TaskClaimed, At = DateTimeOffset.UtcNow, TaskId = task.Id, Comment = "留下" });
        task.Comment = "已写";
        instance.Title = "新标题";

        await EventSave.SaveAsync(db, CancellationToken.None);

        // The read-back token is the new one: a second change of the same rows in the same scope still saves.
        task.Comment = "再写";
        await EventSave.SaveAsync(db, CancellationToken.None);
        await fixture.Factory.WithDbAsync(async fresh =>
        {
            Assert.True(await fresh.Journal.AnyAsync(j => j.Comment == "留下"));
            Assert.Equal("再写", (await fresh.Tasks.SingleAsync(t => t.Id == task.Id)).Comment);
            Assert.Equal("新标题", (await fresh.Instances.SingleAsync(i => i.Id == id)).Title);
        });
    }

    [Fact]
    public async Task Deletes_unchecked_updates_and_very_large_saves_keep_their_transaction()
    {
        var id = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData());
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        db.Timers.Add(new TimerRecord { Id = Guid.NewGuid(), InstanceId = id, BookmarkId = "b1", ActivityId = "wait", DueAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        Assert.True(EventSave.OneBatchAllOrNothing(db.ChangeTracker)); // nothing pending

        var timer = await db.Timers.SingleAsync(t => t.InstanceId == id);
        timer.Attempts = 1; // timers have no concurrency token: "0 rows" would only show after the commit
        db.ChangeTracker.DetectChanges();
        Assert.False(EventSave.OneBatchAllOrNothing(db.ChangeTracker));

        db.ChangeTracker.Clear();
        db.Timers.Remove(await db.Timers.SingleAsync(t => t.InstanceId == id));
        Assert.False(EventSave.OneBatchAllOrNothing(db.ChangeTracker));

        db.ChangeTracker.Clear();
        for (var i = 0; i <= EventSave.MaxStatements; i++)
            db.Journal.Add(new JournalEntryRecord { InstanceId = id, Kind = JournalKind.ActivityStarted, At = DateTimeOffset.UtcNow, Comment = "批量" });
        Assert.False(EventSave.OneBatchAllOrNothing(db.ChangeTracker));
        await EventSave.SaveAsync(db, CancellationToken.None);
        await fixture.Factory.WithDbAsync(async fresh =>
            Assert.Equal(EventSave.MaxStatements + 1, await fresh.Journal.CountAsync(j => j.Comment == "批量")));
    }
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteEventSaveTests(SqliteFixture fixture) : EventSaveTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresEventSaveTests(PostgresFixture fixture) : EventSaveTests<PostgresFixture>(fixture);
