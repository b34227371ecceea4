using System.Data.Common;
using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Storage;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Tasks;
using Duban.Data.Timers;
using Duban.Engine.Execution;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Concurrency;

/// <summary>
/// <see cref="PostgresEventWriter"/> writes an event's rows without EF Core's update pipeline. What it writes must be
/// exactly what EF Core would have written, what the database generates must come back into the tracked entities, and a
/// save it cannot take must be left to EF Core untouched.
/// </summary>
[Collection(PostgresFixture.Collection)]
public sealed class PostgresEventWriterTests(PostgresFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly DateTimeOffset Instant = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero).AddTicks(1_234_560);

    /// <summary>Sets every written property of a new row to a value that is not the default, so a column left out,
    /// swapped or converted differently shows up.</summary>
    private static T Filled<T>(DubanDbContext db, int seed) where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        var row = (T)System.Runtime.CompilerServices.RuntimeHelpers.GetUninitializedObject(typeof(T));
        foreach (var p in type.GetProperties())
        {
            if (p.PropertyInfo is null || p.ValueGenerated == ValueGenerated.OnAddOrUpdate) continue;
            if (p.IsPrimaryKey() && p.ClrType == typeof(long)) continue; // the database's identity
            var clr = Nullable.GetUnderlyingType(p.ClrType) ?? p.ClrType;
            var text = $"写入器{seed}-{p.Name}";
            object value = clr switch
            {
                _ when clr == typeof(string) => text[..Math.Min(p.GetMaxLength() ?? text.Length, text.Length)],
                _ when clr == typeof(Guid) => Guid.NewGuid(),
                _ when clr == typeof(int) => 7 + seed,
                _ when clr == typeof(long) => 70L + seed,
                _ when clr == typeof(bool) => true,
                _ when clr == typeof(DateTimeOffset) => Instant.AddMinutes(seed),
                _ when clr.IsEnum => Enum.GetValues(clr).Cast<object>().Last(),
                _ => throw new NotSupportedException($"{typeof(T).Name}.{p.Name}: {clr.Name}"),
            };
            p.PropertyInfo.SetValue(row, value);
        }
        return row;
    }

    private static void AssertSameColumns<T>(DubanDbContext db, T expected, T actual, params string[] except)
    {
        foreach (var p in db.Model.FindEntityType(typeof(T))!.GetProperties())
        {
            if (p.PropertyInfo is null || p.ValueGenerated == ValueGenerated.OnAddOrUpdate || except.Contains(p.Name)) continue;
            var (want, got) = (p.PropertyInfo.GetValue(expected), p.PropertyInfo.GetValue(actual));
            Assert.True(Equals(want, got), $"{typeof(T).Name}.{p.Name}: expected {Show(want)}, read {Show(got)}");
        }
    }

    private static string? Show(object? value) => value is DateTimeOffset d ? d.ToString("O") : value?.ToString();

    private static T Copy<T>(T row) where T : class =>
        (T)typeof(T).GetMethod("MemberwiseClone", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.Invoke(row, null)!;

    [Fact]
    public async Task New_rows_read_back_column_for_column_as_EF_Core_writes_them()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var task = Filled<TaskRecord>(db, 1);
        var timer = Filled<TimerRecord>(db, 2);
        var unit = Filled<InstanceUnitRecord>(db, 3);
        var journal = Filled<JournalEntryRecord>(db, 4);

        // The same values through EF Core's own SaveChanges, under other keys.
        var (efTask, efTimer, efUnit, efJournal) = (Copy(task), Copy(timer), Copy(unit), Copy(journal));
        (efTask.Id, efTimer.Id, efUnit.InstanceId) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await fixture.Factory.WithDbAsync(async ef =>
        {
            ef.AddRange(efTask, efTimer, efUnit, efJournal);
            await ef.SaveChangesAsync();
        });

        db.AddRange(task, timer, unit, journal);
        db.ChangeTracker.DetectChanges();
        Assert.True(await PostgresEventWriter.TrySaveAsync(db, EventSave.MaxStatements, CancellationToken.None));
        Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));

        await fixture.Factory.WithDbAsync(async fresh =>
        {
            AssertSameColumns(fresh, await fresh.Tasks.AsNoTracking().SingleAsync(t => t.Id == efTask.Id), await fresh.Tasks.AsNoTracking().SingleAsync(t => t.Id == task.Id), "Id");
            AssertSameColumns(fresh, await fresh.Timers.AsNoTracking().SingleAsync(t => t.Id == efTimer.Id), await fresh.Timers.AsNoTracking().SingleAsync(t => t.Id == timer.Id), "Id");
            Assert.True(await fresh.InstanceUnits.AnyAsync(u => u.InstanceId == unit.InstanceId && u.UnitId == unit.UnitId));
            AssertSameColumns(fresh, await fresh.Journal.AsNoTracking().SingleAsync(j => j.Id == efJournal.Id), await fresh.Journal.AsNoTracking().SingleAsync(j => j.Id == journal.Id), "Id");
            // And the values as set, not only as EF Core would have mangled them too.
            AssertSameColumns(fresh, task, await fresh.Tasks.AsNoTracking().SingleAsync(t => t.Id == task.Id));
            AssertSameColumns(fresh, journal, await fresh.Journal.AsNoTracking().SingleAsync(j => j.Id == journal.Id));
        });
    }

    [Fact]
    public async Task Generated_keys_and_row_versions_come_back_to_the_right_rows()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var instanceId = Guid.NewGuid();
        var entries = Enumerable.Range(1, 12).Select(i => new JournalEntryRecord
        {
            InstanceId = instanceId, Kind = JournalKind.ActivityStarted, At = Instant, Round = i, Comment = $"第{i}条",
        }).ToList();
        var tasks = Enumerable.Range(1, 3).Select(_ => Filled<TaskRecord>(db, 5)).ToList();
        db.Journal.AddRange(entries);
        db.Tasks.AddRange(tasks);
        db.ChangeTracker.DetectChanges();
        Assert.True(await PostgresEventWriter.TrySaveAsync(db, EventSave.MaxStatements, CancellationToken.None));

        // Keys in the order the rows were added, each the key of the row with that content.
        Assert.Equal(entries.Select(e => e.Id).Order(), entries.Select(e => e.Id));
        await fixture.Factory.WithDbAsync(async fresh =>
        {
            var stored = await fresh.Journal.Where(j => j.InstanceId == instanceId).ToDictionaryAsync(j => j.Id, j => j.Comment);
            Assert.All(entries, e => Assert.Equal(e.Comment, stored[e.Id]));
        });

        // The row version read back on insert is the row's: the new task can be changed and saved at once, twice.
        foreach (var round in new[] { "一改", "二改" })
        {
            tasks[1].Comment = round;
            db.ChangeTracker.DetectChanges();
            Assert.True(await PostgresEventWriter.TrySaveAsync(db, EventSave.MaxStatements, CancellationToken.None));
        }
        await fixture.Factory.WithDbAsync(async fresh =>
            Assert.Equal("二改", (await fresh.Tasks.SingleAsync(t => t.Id == tasks[1].Id)).Comment));
    }

    [Fact]
    public async Task A_stale_row_fails_the_batch_as_a_concurrency_conflict_and_a_failed_insert_as_an_update_error()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var id = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData());
        var task = await db.Tasks.SingleAsync(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open);
        var timer = Filled<TimerRecord>(db, 6);
        await fixture.Factory.WithDbAsync(async other =>
        {
            other.Timers.Add(Copy(timer));
            await other.SaveChangesAsync();
        });

        // A timer with a key that exists: the insert fails, and the journal row and the task change with it.
        db.Timers.Add(timer);
        db.Journal.Add(new JournalEntryRecord { InstanceId = id, Kind = JournalKind.TaskCompleted, At = Instant, Comment = "随失败回滚" });
        task.Comment = "随失败回滚";
        db.ChangeTracker.DetectChanges();
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => PostgresEventWriter.TrySaveAsync(db, EventSave.MaxStatements, CancellationToken.None));
        Assert.IsNotType<DbUpdateConcurrencyException>(error);
        Assert.Equal("23505", Assert.IsType<Npgsql.PostgresException>(error.InnerException).SqlState);
        await fixture.Factory.WithDbAsync(async fresh =>
        {
            Assert.False(await fresh.Journal.AnyAsync(j => j.Comment == "随失败回滚"));
            Assert.NotEqual("随失败回滚", (await fresh.Tasks.SingleAsync(t => t.Id == task.Id)).Comment);
        });
        db.Timers.Remove(timer);
    }

    [Fact]
    public async Task Saves_it_cannot_take_are_left_to_EF_Core_with_nothing_sent()
    {
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var id = await StartAsync(await fixture.As("ducha"), "demo-supervision", DemoStartData());
        var sent = 0;
        void Count(DbBatch batch, TimeSpan _)
        {
            if (batch.BatchCommands.Cast<DbBatchCommand>().Any(c => c.Parameters.Cast<DbParameter>().Any(p => Equals(p.Value, "不应由写入器写"))))
                Interlocked.Increment(ref sent);
        }
        PostgresEventWriter.BatchExecuted += Count;
        try
        {
            async Task Declines()
            {
                db.ChangeTracker.DetectChanges();
                Assert.False(await PostgresEventWriter.TrySaveAsync(db, EventSave.MaxStatements, CancellationToken.None));
                Assert.Contains(db.ChangeTracker.Entries(), e => e.State != EntityState.Unchanged);
                db.ChangeTracker.Clear();
            }
            var journal = new JournalEntryRecord { InstanceId = id, Kind = JournalKind.TaskCompleted, At = Instant, Comment = "不应由写入器写" };

            // A new item may need its running number, which EF Core's SaveChanges gives it.
            db.Journal.Add(journal);
            db.Instances.Add(Filled<InstanceRecord>(db, 9));
            await Declines();

            // A delete, and an update of a row without a row version.
            db.Journal.Add(journal);
            db.Timers.Remove(await db.Timers.FirstOrDefaultAsync() ?? Filled<TimerRecord>(db, 7));
            await Declines();
            var timer = Filled<TimerRecord>(db, 8);
            await fixture.Factory.WithDbAsync(async other => { other.Timers.Add(timer); await other.SaveChangesAsync(); });
            db.Journal.Add(journal);
            (await db.Timers.SingleAsync(t => t.Id == timer.Id)).Attempts = 99;
            await Declines();

            // A table with a unique index (statement order could matter).
            db.Journal.Add(journal);
            db.Set<ChaseCaseRecord>().Add(Filled<ChaseCaseRecord>(db, 10));
            await Declines();

            // More rows than one batch should carry, and a transaction someone else opened.
            for (var i = 0; i < 3; i++) db.Journal.Add(new JournalEntryRecord { InstanceId = id, Kind = JournalKind.TaskCompleted, At = Instant, Comment = "不应由写入器写" });
            db.ChangeTracker.DetectChanges();
            Assert.False(await PostgresEventWriter.TrySaveAsync(db, 2, CancellationToken.None));
            db.ChangeTracker.Clear();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                db.Journal.Add(journal);
                await Declines();
            }
        }
        finally
        {
            PostgresEventWriter.BatchExecuted -= Count;
        }
        Assert.Equal(0, sent);
        await fixture.Factory.WithDbAsync(async fresh => Assert.False(await fresh.Journal.AnyAsync(j => j.Comment == "不应由写入器写")));
    }
}
