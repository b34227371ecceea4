using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Simulation;

/// <summary>
/// 模拟运行 (docs/decisions/045): runs a version of a procedure — the draft by default — in a <see cref="SimulationSandbox"/> on
/// a copy of the organization, walking the scenario day by day, and answers the time line. Only those who may edit the
/// organization's procedures (管理员) may simulate them.
/// </summary>
public static class SimulationEndpoints
{
    /// <summary>Simulations running at once on this instance; more wait their turn (each holds a database file and a thread's work).</summary>
    public const int MostAtOnce = 2;

    private static readonly SemaphoreSlim Running = new(MostAtOnce, MostAtOnce);

    public static void MapSimulationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/definitions/{definitionId}/simulations", async Task<Ok<SimulationResult>> (string definitionId, SimulationScenario scenario,
                HttpContext http, DubanDbContext db, DefinitionStore store, OrganizationCache orgCache, CancellationToken ct) =>
            TypedResults.Ok(await RunAsync(await http.GetCurrentUserAsync(), definitionId, scenario, db, store, orgCache, ct)))
            .WithTags("流程定义").RequireAuthorization().RequireRole(Roles.Admin)
            .WithSummary("模拟运行：在本单位日历、催办阶梯和计分规则的副本上按情形逐日运行流程（默认最新草稿），不写入真实数据，返回时间线")
            .ProducesValidationProblem();
    }

    public static async Task<SimulationResult> RunAsync(CurrentUser user, string definitionId, SimulationScenario scenario, DubanDbContext db,
        DefinitionStore store, OrganizationCache orgCache, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(scenario);
        if (!user.IsInRole(Roles.Admin)) throw new ForbiddenException("只有可以编辑流程的人员（管理员）可以模拟运行");
        var organizationId = OrganizationScope.Require(user);
        var record = (scenario.Version is { } v ? await store.VersionAsync(organizationId, definitionId, v, ct) : await store.LatestAsync(organizationId, definitionId, ct))
            ?? throw new NotFoundException($"流程「{definitionId}」不存在");
        var org = (await orgCache.GetAsync(ct)).Within(organizationId);
        scenario.Check(unit => org.FindUnit(unit) is not null);
        var problems = await store.ValidateForPublishAsync(organizationId, org, store.Parse(record), ct);
        if (problems.Count > 0)
            throw new WorkflowInputException("流程有误，无法模拟", problems.Select(p => new FieldError("definition", p.Message)).ToList());

        await Running.WaitAsync(ct);
        try
        {
            var start = SimulationWalker.MorningOf(scenario.StartDate!.Value);
            await using var sandbox = await SimulationSandbox.CreateAsync(db, organizationId, record, start, ct);
            var walker = new SimulationWalker(sandbox.Services, organizationId, definitionId, scenario, (to, _) =>
            {
                if (to > sandbox.Clock.Now) sandbox.Clock.Now = to;
                return Task.CompletedTask;
            });
            var walk = await walker.RunAsync(ct);
            return await SimulationReport.ReadAsync(sandbox.Services, walk, record.Version, !record.IsPublished, ct);
        }
        finally
        {
            Running.Release();
        }
    }
}
