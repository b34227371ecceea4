using Duban.Data;
using System.Text.Json;
using Duban.Data.Definitions;
using Duban.Data.Definitions.Admin;
using Duban.Data.Organization;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Duban.Data.Writes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

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
            .WithTags("流程定义").RequireAuthorization().RequirePermission(Permission.DesignProcedures)
            .WithSummary("模拟运行：在本单位日历、催办阶梯和计分规则的副本上按情形逐日运行流程（默认最新草稿），不写入真实数据，返回时间线")
            .ProducesValidationProblem();

        var scenarios = app.MapGroup("/api/definitions/{definitionId}/scenarios").WithTags("流程定义").RequireAuthorization().RequirePermission(Permission.DesignProcedures);
        scenarios.MapGet("/", async Task<Ok<List<SavedScenarioView>>> (string definitionId, HttpContext http, DubanDbContext db, DefinitionStore store, CancellationToken ct) =>
            TypedResults.Ok((await SavedAsync(await http.GetCurrentUserAsync(), definitionId, db, store, ct)).Select(SavedScenarioView.Of).ToList()))
            .WithSummary("流程保存的模拟场景").ProducesProblem(403).ProducesProblem(404);
        scenarios.MapPost("/", async Task<Ok<SavedScenarioView>> (string definitionId, SaveScenarioRequest request, HttpContext http, DubanDbContext db,
                DefinitionStore store, OrganizationCache orgCache, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(await SaveAsync(await http.GetCurrentUserAsync(), definitionId, null, request, db, store, orgCache, door, ct)))
            .WithSummary("保存模拟场景：在最新草稿上运行一次，记下其结果，供以后修改流程时对比")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
        scenarios.MapPut("/{scenarioId:guid}", async Task<Ok<SavedScenarioView>> (string definitionId, Guid scenarioId, SaveScenarioRequest request, HttpContext http,
                DubanDbContext db, DefinitionStore store, OrganizationCache orgCache, WriteDoor door, CancellationToken ct) =>
            TypedResults.Ok(await SaveAsync(await http.GetCurrentUserAsync(), definitionId, scenarioId, request, db, store, orgCache, door, ct)))
            .WithSummary("修改模拟场景或接受其在最新草稿上的新结果（重新运行并记下）")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404).ProducesProblem(409);
        scenarios.MapDelete("/{scenarioId:guid}", async Task<NoContent> (string definitionId, Guid scenarioId, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new DeleteScenario(await http.GetCurrentUserAsync(), definitionId, scenarioId), ct);
            return TypedResults.NoContent();
        }).WithSummary("删除模拟场景").ProducesProblem(403).ProducesProblem(404);
        scenarios.MapPost("/check", async Task<Ok<List<ScenarioCheck>>> (string definitionId, HttpContext http, DubanDbContext db, DefinitionStore store,
                OrganizationCache orgCache, CancellationToken ct) =>
            TypedResults.Ok(await CheckAsync(await http.GetCurrentUserAsync(), definitionId, db, store, orgCache, ct)))
            .WithSummary("在最新草稿上重新运行每个保存的模拟场景，列出结果与保存时不同的地方（发布前检查）")
            .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<List<SavedScenarioRecord>> SavedAsync(CurrentUser user, string definitionId, DubanDbContext db, DefinitionStore store, CancellationToken ct)
    {
        var organizationId = ScenarioKeepers.OrganizationOf(user);
        _ = await store.LatestAsync(organizationId, definitionId, ct) ?? throw new NotFoundException($"流程「{definitionId}」不存在");
        return await db.Set<SavedScenarioRecord>().AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && s.DefinitionId == definitionId)
            .OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>Runs the scenario on the latest version (a saved scenario always follows the draft) and keeps it with that result.</summary>
    private static async Task<SavedScenarioView> SaveAsync(CurrentUser user, string definitionId, Guid? id, SaveScenarioRequest request, DubanDbContext db,
        DefinitionStore store, OrganizationCache orgCache, WriteDoor door, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Name)) throw new WorkflowInputException("name", "请填写场景名称");
        if (request.Scenario is null) throw new WorkflowInputException("scenario", "请填写模拟情形");
        var scenario = request.Scenario with { Version = null };
        var result = await RunAsync(user, definitionId, scenario, db, store, orgCache, ct);
        var record = await door.RunAsync(new SaveScenario(user, definitionId, id, request.Name, JsonSerializer.Serialize(scenario, Json),
            JsonSerializer.Serialize(SimulationFigures.Of(result), Json), result.Version, request.Version), ct);
        return SavedScenarioView.Of(record);
    }

    /// <summary>Each saved scenario run again on the latest version, with what changed since it was saved.</summary>
    private static async Task<List<ScenarioCheck>> CheckAsync(CurrentUser user, string definitionId, DubanDbContext db, DefinitionStore store,
        OrganizationCache orgCache, CancellationToken ct)
    {
        var checks = new List<ScenarioCheck>();
        foreach (var saved in await SavedAsync(user, definitionId, db, store, ct))
        {
            var scenario = JsonSerializer.Deserialize<SimulationScenario>(saved.ScenarioJson, Json)!;
            var before = JsonSerializer.Deserialize<SimulationFigures>(saved.FiguresJson, Json)!;
            try
            {
                var result = await RunAsync(user, definitionId, scenario, db, store, orgCache, ct);
                var changes = SimulationFigures.Differences(before, SimulationFigures.Of(result));
                checks.Add(new ScenarioCheck(saved.Id, saved.Name, saved.Version, result.Version, changes.Count > 0, changes, null));
            }
            catch (WorkflowInputException e) when (e.Errors.All(f => f.Field != "definition"))
            {
                // The scenario no longer fits the organization (a unit it names was removed): a change to show, not a failure.
                checks.Add(new ScenarioCheck(saved.Id, saved.Name, saved.Version, null, true, [], string.Join("；", e.Errors.Select(f => f.Message))));
            }
        }
        return checks;
    }

    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public static async Task<SimulationResult> RunAsync(CurrentUser user, string definitionId, SimulationScenario scenario, DubanDbContext db,
        DefinitionStore store, OrganizationCache orgCache, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(scenario);
        if (!user.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有可以设计流程的人员（管理员）可以模拟运行");
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

/// <summary>A scenario to keep with a procedure; <paramref name="Version"/>: the saved scenario's version the change is based on (409 if it moved).</summary>
public sealed record SaveScenarioRequest(string? Name, SimulationScenario? Scenario, long? Version = null);

/// <summary>A scenario kept with a procedure, and the version of the procedure its figures came from.</summary>
public sealed record SavedScenarioView(Guid Id, string Name, SimulationScenario Scenario, int ProcedureVersion, DateTimeOffset SavedAt, string? SavedBy, long Version)
{
    public static SavedScenarioView Of(SavedScenarioRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Name, JsonSerializer.Deserialize<SimulationScenario>(record.ScenarioJson, JsonSerializerOptions.Web)!, record.Version,
            record.SavedAt, record.SavedBy, record.ConcurrencyToken);
    }
}

/// <summary>
/// A saved scenario run again on the latest version: <paramref name="Changed"/> when its figures differ from those saved
/// (each difference one sentence) or it no longer runs (<paramref name="Error"/>).
/// </summary>
public sealed record ScenarioCheck(Guid Id, string Name, int SavedOnVersion, int? Version, bool Changed, IReadOnlyList<string> Differences, string? Error);
