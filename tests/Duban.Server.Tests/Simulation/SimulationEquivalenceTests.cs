using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Duban.Data.Clock;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Server.Simulation;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Simulation;

/// <summary>
/// What a simulation shows is what happens (issue 21, decision 045): the shipped 督办事项 template simulated on a scenario,
/// then the same scenario walked for real on the installation on the virtual clock — its deadlines, rungs, notices,
/// extension and deductions are the simulation's, event for event (times to the minute: the real clock runs on while
/// a simulated day's writes are made).
/// </summary>
public abstract class SimulationEquivalenceTests(string provider)
{
    /// <summary>The installation is set up Monday 2026-03-02; the scenario registers its item on Tuesday.</summary>
    private static readonly DateTimeOffset SetUp = new(2026, 3, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static readonly SimulationScenario Scenario = new(new DateOnly(2026, 3, 3), ["fzc"], new DateOnly(2026, 3, 20),
        [new UnitBehaviour("fzc", "handle", Behaviours.Extension, Days: 3, Approved: false)], MaxDays: 40);

    private static string Line(SimulationEvent e) =>
        $"{e.At.ToUniversalTime():yyyy-MM-dd HH:mm} {e.Kind} {e.Title} {e.Step} {e.UnitId} {e.DueAt?.ToUniversalTime():yyyy-MM-dd HH:mm} {e.Light} {e.Points} {e.Detail}";

    private static string Line(SimulationStep s) =>
        $"{s.StepId} {s.UnitId} {s.OpenedAt.ToUniversalTime():yyyy-MM-dd HH:mm} {s.DueAt?.ToUniversalTime():yyyy-MM-dd HH:mm} {s.DoneAt?.ToUniversalTime():yyyy-MM-dd HH:mm} {s.Outcome} {s.Light}";

    [Fact]
    public async Task The_simulation_of_a_shipped_template_equals_the_same_scenario_walked_for_real_on_the_virtual_clock()
    {
        await using var database = await VirtualClockHosts.DatabaseAsync(provider, SetUp);
        await using var plain = VirtualClockHosts.Plain(database, SetUp);
        await using var host = VirtualClockHosts.Virtual(plain, SetUp);
        var admin = host.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = true, AllowAutoRedirect = false });
        (await admin.PostAsJsonAsync("/api/auth/login", new { userName = "admin", password = "Duban@2026" })).EnsureSuccessStatusCode();

        var response = await admin.PostAsJsonAsync("/api/definitions/demo-supervision/simulations", Scenario);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var simulated = (await response.Content.ReadFromJsonAsync<SimulationResult>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;

        // The same walk on the installation itself: its write door, its jobs, its clock moved by an administrator.
        CurrentUser administrator;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var org = await scope.ServiceProvider.GetRequiredService<OrganizationCache>().GetAsync();
            var info = org.UsersInRole(Duban.Engine.Directory.Roles.Admin).First(u => u.OrganizationId == "sft");
            administrator = new CurrentUser(info.Id, "admin", info.DisplayName, info.UnitId, null, info.Roles) { OrganizationId = info.OrganizationId };
        }
        var clock = host.Services.GetRequiredService<TimeProvider>();
        var walker = new SimulationWalker(host.Services, "sft", "demo-supervision", Scenario, async (to, ct) =>
        {
            if (to <= clock.GetUtcNow()) return;
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new AdvanceClock(administrator, null, to), ct);
        });
        var walk = await walker.RunAsync(CancellationToken.None);
        var real = await SimulationReport.ReadAsync(host.Services, walk, simulated.Version, simulated.IsDraft, CancellationToken.None);

        // The scenario did what it says: an extension asked and refused, the work 3 working days late, the ladder climbing.
        Assert.Contains(simulated.Events, e => e.Kind == "extensionRejected");
        Assert.Contains(simulated.Events, e => e.Kind == "chased" && e.Step == "phone");
        Assert.Contains(simulated.Events, e => e.Kind == "deduction" && e.UnitId == "fzc");
        Assert.Equal(simulated.Stop, real.Stop);
        Assert.Equal(simulated.Number, real.Number);
        Assert.Equal(simulated.ItemDueAt, real.ItemDueAt);
        Assert.Equal(simulated.Events.Select(Line), real.Events.Select(Line));
        Assert.Equal(simulated.Steps.Select(Line), real.Steps.Select(Line));
        Assert.Equal(simulated.Scores.Select(s => (s.UnitId, s.Score, s.Deducted, string.Join("；", s.Deductions.Select(d => $"{d.Event} {d.Points} {d.Reason}")))),
            real.Scores.Select(s => (s.UnitId, s.Score, s.Deducted, string.Join("；", s.Deductions.Select(d => $"{d.Event} {d.Points} {d.Reason}")))));
    }
}

public sealed class SqliteSimulationEquivalenceTests() : SimulationEquivalenceTests("Sqlite");

public sealed class PostgresSimulationEquivalenceTests() : SimulationEquivalenceTests("Postgres");
