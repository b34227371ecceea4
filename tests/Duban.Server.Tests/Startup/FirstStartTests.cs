using Duban.Data.Startup;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Tests.Startup;

/// <summary>
/// Several instances started together on one empty database, and a first start that crashes half-way
/// (docs/decisions/020). The interleavings are forced with the start-up hook, not hoped for.
/// </summary>
public sealed class FirstStartTests
{
    /// <summary>How long a host waits at the door for the other; generous, since it is only spent when something is broken.</summary>
    private static readonly TimeSpan BarrierTimeout = TimeSpan.FromSeconds(60);
    /// <summary>How long the host inside the lock waits for the other one to join it there; with the lock it never can.</summary>
    private static readonly TimeSpan InsideWait = TimeSpan.FromSeconds(3);

    [Theory]
    [InlineData("Postgres")]
    [InlineData("Sqlite")]
    public async Task Two_hosts_started_together_on_an_empty_database_take_turns_and_set_it_up_once(string provider)
    {
        await using var database = await DatabaseTarget.EmptyAsync(provider);
        var timeline = new StartupTimeline();
        // Both ask for the lock at the same moment; the first one in then waits inside for the other to join it, which
        // only a missing lock would allow.
        var atTheDoor = new PointBarrier(2, BarrierTimeout);
        var inside = new PointBarrier(2, InsideWait);
        var hooks = new[] { "A", "B" }.Select(name => new ScriptedHook(name, timeline)
        {
            Barriers = { [SetupPoints.BeforeLock] = atTheDoor, [SetupPoints.Migrated] = inside },
        }).ToList();
        await using var a = StartupHosts.Create(database, hooks[0]);
        await using var b = StartupHosts.Create(database, hooks[1]);

        var failures = await Task.WhenAll(StartupHosts.StartAsync(a), StartupHosts.StartAsync(b));

        Assert.All(failures, f => Assert.Null(f));
        Assert.True(atTheDoor.Met, "the two hosts did not ask for the lock together");
        Assert.False(inside.Met, "both hosts were inside the start-up lock at once");
        var (first, second) = timeline.At("A", SetupPoints.Locked) < timeline.At("B", SetupPoints.Locked) ? ("A", "B") : ("B", "A");
        Assert.True(timeline.At(second, SetupPoints.Locked) > timeline.At(first, SetupPoints.Unlocking), "the second host got the lock before the first let go");
        // The first host did every step; the second found them done.
        Assert.Equal(FirstStartSetup.AllSteps.Select(s => SetupPoints.Before(s.Name)),
            timeline.PointsOf(first).Where(p => p.StartsWith("before:", StringComparison.Ordinal)));
        Assert.DoesNotContain(timeline.PointsOf(second), p => p.StartsWith("before:", StringComparison.Ordinal));
        await SetupChecks.AssertWholeAsync(a);
        await SetupChecks.AssertWholeAsync(b);
    }

    /// <summary>
    /// The same forced interleaving without the lock: both hosts run the setup at once, and one of them crashes, as in
    /// the trials (42P07, 42701 or 42710 in a migration, or 23505 on a row the other inserted). This is what the test above would
    /// see if the lock went missing.
    /// </summary>
    [Fact]
    public async Task Without_the_lock_the_same_interleaving_crashes_a_host()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        var timeline = new StartupTimeline();
        var atTheDoor = new PointBarrier(2, BarrierTimeout);
        // A host that crashed in a migration never comes here; the other one waits for it only so long.
        var firstStep = new PointBarrier(2, TimeSpan.FromSeconds(8));
        var hooks = new[] { "A", "B" }.Select(name => new ScriptedHook(name, timeline)
        {
            Barriers = { [SetupPoints.BeforeLock] = atTheDoor, [SetupPoints.Before(BaselineSetup.RolesStep)] = firstStep },
        }).ToList();
        await using var a = StartupHosts.Create(database, hooks[0], new NoStartupLock());
        await using var b = StartupHosts.Create(database, hooks[1], new NoStartupLock());

        var failures = await Task.WhenAll(StartupHosts.StartAsync(a), StartupHosts.StartAsync(b));

        var crashed = failures.Where(f => f is not null).Select(f => StartupHosts.Root(f!)).ToList();
        Assert.NotEmpty(crashed);
        // Where the two collide depends on which migration each is in: a table (42P07), a column (42701) or another
        // object such as an index (42710) the other created first, or a row it inserted (23505).
        Assert.All(crashed, e => Assert.Contains((e as Npgsql.PostgresException)?.SqlState, new[] { "42P07", "42701", "42710", "23505" }));
    }

    /// <summary>Where a first start is made to fail: between steps, and inside each step after its work.</summary>
    public static TheoryData<string, string> CrashPoints => new()
    {
        { "Postgres", SetupPoints.After(BaselineSetup.RolesStep) },
        { "Postgres", SetupPoints.After(BaselineSetup.TemplatesStep) },
        { "Postgres", $"{DemoData.OrganizationStep}:users" },
        { "Postgres", SetupPoints.After(DemoData.OrganizationStep) },
        { "Postgres", SetupPoints.Before(BaselineSetup.CalendarStep) },
        { "Postgres", $"{DemoData.ItemsStep}:3:started" },
        { "Postgres", $"{DemoData.ItemsStep}:3:approve" },
        { "Postgres", SetupPoints.After(DemoData.ItemsStep) },
        { "Sqlite", $"{DemoData.OrganizationStep}:users" },
        { "Sqlite", $"{DemoData.ItemsStep}:2:approve" },
    };

    /// <summary>The table each transactional step fills first.</summary>
    private static readonly Dictionary<string, string> WrittenBy = new()
    {
        [BaselineSetup.RolesStep] = "AspNetRoles",
        [BaselineSetup.TemplatesStep] = "WorkflowDefinitions",
        [DemoData.OrganizationStep] = "Units",
        [BaselineSetup.CalendarStep] = "CalendarYears",
    };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task A_first_start_that_crashes_is_completed_by_the_next_start(string provider, string crashAt)
    {
        await using var database = await DatabaseTarget.EmptyAsync(provider);
        var timeline = new StartupTimeline();

        await using (var crashing = StartupHosts.Create(database, new ScriptedHook("crashing", timeline) { FailAt = crashAt }))
        {
            var failure = await StartupHosts.StartAsync(crashing);
            Assert.NotNull(failure);
            Assert.Equal(crashAt, Assert.IsType<InjectedFailureException>(StartupHosts.Root(failure)).Point);
        }
        await using (var inspect = new NpgsqlOrSqlite(database))
        {
            var step = FirstStartSetup.AllSteps.First(s => crashAt == SetupPoints.After(s.Name) || crashAt == SetupPoints.Before(s.Name)
                || crashAt.StartsWith(s.Name + ":", StringComparison.Ordinal));
            Assert.DoesNotContain(step.Name, await inspect.FinishedStepsAsync());
            // A step that failed inside its transaction left nothing — no users without a role, no half of the templates.
            if (step.InOneTransaction && crashAt != SetupPoints.Before(step.Name))
                Assert.Equal(0, await inspect.CountAsync(WrittenBy[step.Name]));
            Assert.Equal(await inspect.CountAsync("AspNetUsers"), await inspect.CountRoleHoldersAsync());
        }

        await using var next = StartupHosts.Create(database, new ScriptedHook("next", timeline));
        Assert.Null(await StartupHosts.StartAsync(next));
        await SetupChecks.AssertWholeAsync(next);
    }

    /// <summary>
    /// A database the old start left half-seeded — users, some without a role, no procedures, and no record of steps —
    /// is completed by the next start instead of being taken for set up.
    /// </summary>
    [Fact]
    public async Task A_database_half_seeded_before_steps_were_recorded_is_completed()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        var timeline = new StartupTimeline();
        await using (var old = StartupHosts.Create(database, new ScriptedHook("old", timeline) { FailAt = SetupPoints.Before(BaselineSetup.CalendarStep) }))
            Assert.NotNull(await StartupHosts.StartAsync(old));
        await using (var inspect = new NpgsqlOrSqlite(database))
        {
            await inspect.ExecuteAsync("""DELETE FROM "SetupSteps" """);
            await inspect.ExecuteAsync("""DELETE FROM "WorkflowDefinitions" """);
            await inspect.ExecuteAsync("""DELETE FROM "AspNetUserRoles" WHERE "UserId" IN (SELECT "Id" FROM "AspNetUsers" WHERE "UserName" IN ('jinan', 'qingdao'))""");
            Assert.Equal(8, await inspect.CountAsync("AspNetUsers")); // the seven demo people and the platform administrator
            Assert.Equal(6 + DemoData.ExtraRoles.Count, await inspect.CountAsync("AspNetUserRoles"));
        }

        await using var next = StartupHosts.Create(database, new ScriptedHook("next", timeline));
        Assert.Null(await StartupHosts.StartAsync(next));
        await SetupChecks.AssertWholeAsync(next);
    }

    /// <summary>A restart after a complete setup runs no step again, even with the demo items gone (an administrator's doing).</summary>
    [Fact]
    public async Task A_finished_step_is_not_run_again()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        var timeline = new StartupTimeline();
        await using (var first = StartupHosts.Create(database, new ScriptedHook("first", timeline)))
        {
            Assert.Null(await StartupHosts.StartAsync(first));
            await SetupChecks.AssertWholeAsync(first);
        }
        await using (var inspect = new NpgsqlOrSqlite(database))
        {
            foreach (var table in new[] { "Timers", "JournalEntries", "Tasks", "Assignments", "ChaseCases", "InstanceUnits", "WorkflowInstances" })
                await inspect.ExecuteAsync($"""DELETE FROM "{table}" """);
        }

        await using var second = StartupHosts.Create(database, new ScriptedHook("second", timeline));
        Assert.Null(await StartupHosts.StartAsync(second));
        Assert.DoesNotContain(timeline.PointsOf("second"), p => p.StartsWith("before:", StringComparison.Ordinal));
        Assert.Equal(0, await SetupChecks.WithDbAsync(second, db => db.Instances.CountAsync()));
        Assert.Equal(SetupChecks.TemplateIds.Count, await SetupChecks.WithDbAsync(second, db => db.Definitions.CountAsync()));
    }

    /// <summary>
    /// The demo items are redone after a crash, but one that is not where its script expects it (its open step gone) is
    /// left as it is, and the start goes on: a demo item is not worth a server that cannot start.
    /// </summary>
    [Fact]
    public async Task A_demo_item_off_its_script_is_left_alone_when_the_items_are_redone()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        var timeline = new StartupTimeline();
        await using (var first = StartupHosts.Create(database, new ScriptedHook("first", timeline)))
            Assert.Null(await StartupHosts.StartAsync(first));
        await using (var inspect = new NpgsqlOrSqlite(database))
        {
            await inspect.ExecuteAsync($"""DELETE FROM "SetupSteps" WHERE "Name" = '{DemoData.ItemsStep}'""");
            await inspect.ExecuteAsync("""
                DELETE FROM "Tasks" WHERE "Status" = 'Open' AND "ActivityId" = 'handle'
                  AND "InstanceId" = (SELECT "Id" FROM "WorkflowInstances" WHERE "Title" = '全省律师行业党建工作推进情况')
                """);
        }

        await using var second = StartupHosts.Create(database, new ScriptedHook("second", timeline));
        Assert.Null(await StartupHosts.StartAsync(second));
        Assert.Contains(DemoData.ItemsStep, await SetupChecks.FinishedStepsAsync(second));
        Assert.Equal(3, await SetupChecks.WithDbAsync(second, db => db.Instances.CountAsync()));
        Assert.Equal(["approve", "review"], await SetupChecks.WithDbAsync(second, db => db.Tasks
            .Where(t => t.Status == Data.Tasks.HumanTaskStatus.Open).OrderBy(t => t.ActivityId).Select(t => t.ActivityId).ToListAsync()));
    }

    /// <summary>
    /// Demo data off: the roles are set up; the demo steps are not run or recorded. Templates and calendar are each
    /// organization's (decision 035), so with no organization yet they wait for one. The one person is the initial
    /// platform administrator (decision 043).
    /// </summary>
    [Fact]
    public async Task Without_demo_data_only_the_baseline_is_set_up()
    {
        await using var database = await DatabaseTarget.EmptyAsync("Postgres");
        await using var host = StartupHosts.Create(database, new ScriptedHook("host", new StartupTimeline()),
            settings: new Dictionary<string, string> { ["Duban:Seed:Enabled"] = "false" });
        Assert.Null(await StartupHosts.StartAsync(host));

        Assert.Equal([BaselineSetup.AdministratorsKeepItemsStep, BaselineSetup.ItemSourcesStep, BaselineSetup.RolesStep, BaselineSetup.SecurityAdministratorsStep],
            await SetupChecks.FinishedStepsAsync(host));
        // A fresh installation has no organization from before: nothing kept, every new organization gets the default.
        Assert.Equal(0, await SetupChecks.WithDbAsync(host, db => db.Set<Data.Organization.RoleDefinitionRecord>().CountAsync()));
        Assert.Equal([InitialAdministrator.DefaultUserName], await SetupChecks.WithDbAsync(host, db => db.Users.Select(u => u.UserName!).ToListAsync()));
        Assert.True(await SetupChecks.WithDbAsync(host, db => db.Users.AllAsync(u => u.MustChangePassword && u.OrganizationId == null)));
        Assert.Equal(Engine.Directory.Roles.Assignable.Count + 1, await SetupChecks.WithDbAsync(host, db => db.Roles.CountAsync()));
        Assert.Equal(0, await SetupChecks.WithDbAsync(host, db => db.Definitions.CountAsync()));
    }
}

/// <summary>Reads and changes a test database directly, behind the hosts' backs.</summary>
internal sealed class NpgsqlOrSqlite(DatabaseTarget database) : IAsyncDisposable
{
    private readonly System.Data.Common.DbConnection _connection = database.IsPostgres
        ? new Npgsql.NpgsqlConnection(database.ConnectionString)
        : new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(database.DataDir, "duban.db")}");

    private async Task<System.Data.Common.DbCommand> CommandAsync(string sql)
    {
        if (_connection.State != System.Data.ConnectionState.Open) await _connection.OpenAsync();
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    public async Task<int> CountAsync(string table)
    {
        await using var command = await CommandAsync($"""SELECT COUNT(*) FROM "{table}" """);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>People holding at least one role (a demo person may hold several).</summary>
    public async Task<int> CountRoleHoldersAsync()
    {
        await using var command = await CommandAsync("""SELECT COUNT(DISTINCT "UserId") FROM "AspNetUserRoles" """);
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var command = await CommandAsync(sql);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<string>> FinishedStepsAsync()
    {
        await using var command = await CommandAsync("""SELECT "Name" FROM "SetupSteps" """);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        if (_connection is Microsoft.Data.Sqlite.SqliteConnection) Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
