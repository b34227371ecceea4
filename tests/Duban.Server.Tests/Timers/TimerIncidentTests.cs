using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Duban.Data.Jobs;
using Duban.Data.Runtime.Timers;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Timers;

/// <summary>
/// A timer and an incident: a timer that keeps failing to fire stops its item on an incident an administrator sees; while
/// the item is stopped its timer is held (not claimed over and over towards giving up); retrying the item releases it.
/// </summary>
public abstract class TimerIncidentTests(string provider)
{
    [Fact]
    public async Task A_timer_that_keeps_failing_raises_an_incident_is_held_and_fires_after_the_retry()
    {
        await using var database = await DatabaseTarget.SeededAsync(provider);
        await using var host = new DubanFactory(database);
        var admin = host.NewClient();
        await LoginAsync(admin, "admin");
        await ImportAsync(admin, TestDefinitions.Timer("due-now", new JsonObject { ["until"] = TestDefinitions.Literal("2020-01-01T00:00:00Z") }));
        var ducha = host.NewClient();
        await LoginAsync(ducha, "ducha");
        var id = await StartAsync(ducha, "due-now", null);
        var worker = host.Services.GetRequiredService<TimerWorker>();

        // The item's procedure version cannot be read: firing fails. Nine failures are on record already.
        var definitionRecordId = Guid.Empty;
        await host.WithDbAsync(async db =>
        {
            var instance = await db.Instances.SingleAsync(i => i.Id == id);
            definitionRecordId = instance.DefinitionRecordId;
            instance.DefinitionRecordId = Guid.CreateVersion7();
            var timer = await db.Timers.SingleAsync(t => t.InstanceId == id);
            timer.Attempts = LeaseClaimer.MaxAttempts - 1;
            await db.SaveChangesAsync();
        });
        Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));

        await host.WithDbAsync(async db =>
        {
            var instance = await db.Instances.AsNoTracking().SingleAsync(i => i.Id == id);
            Assert.Equal(WorkflowStatus.Faulted, instance.Status);
            Assert.Contains($"定时器连续 {LeaseClaimer.MaxAttempts} 次触发失败", instance.IncidentMessage);
            var timer = await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == id);
            Assert.True(timer.Suspended, "the timer of an item in an incident is held");
            Assert.Equal(LeaseClaimer.MaxAttempts, timer.Attempts);
            Assert.True(await db.Journal.AnyAsync(j => j.InstanceId == id && j.Kind == JournalKind.ActivityFaulted && j.ActivityId == "wait"));
        });

        // Polls while the item is stopped neither claim nor count it.
        await host.WithDbAsync(async db =>
            await db.Timers.Where(t => t.InstanceId == id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LeaseUntil, (DateTimeOffset?)null)));
        for (var i = 0; i < 3; i++) Assert.Equal(0, await worker.RunOnceAsync(CancellationToken.None));
        await host.WithDbAsync(async db =>
            Assert.Equal(LeaseClaimer.MaxAttempts, (await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == id)).Attempts));

        // Repaired and retried: the timer is released with its failures forgotten, and fires.
        await host.WithDbAsync(async db =>
            await db.Instances.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.DefinitionRecordId, definitionRecordId)));
        Assert.Contains("定时器连续", (await InstanceAsync(admin, id))["incident"]!.GetValue<string>());
        var retry = await admin.PostAsync($"/api/instances/{id}/retry", null);
        Assert.Equal(HttpStatusCode.NoContent, retry.StatusCode);
        await host.WithDbAsync(async db =>
        {
            var timer = await db.Timers.AsNoTracking().SingleAsync(t => t.InstanceId == id);
            Assert.Equal((false, 0, (string?)null), (timer.Suspended, timer.Attempts, timer.LastError));
        });
        Assert.Equal(1, await worker.RunOnceAsync(CancellationToken.None));
        Assert.Equal("completed", (await InstanceAsync(admin, id))["instance"]!["status"]!.GetValue<string>());
        await host.WithDbAsync(async db => Assert.False(await db.Timers.AnyAsync(t => t.InstanceId == id)));
    }

    private static async Task LoginAsync(HttpClient client, string user) =>
        (await client.PostAsJsonAsync("/api/auth/login", new { userName = user, password = "Duban@2026" })).EnsureSuccessStatusCode();
}

public sealed class SqliteTimerIncidentTests() : TimerIncidentTests("Sqlite");

public sealed class PostgresTimerIncidentTests() : TimerIncidentTests("Postgres");
