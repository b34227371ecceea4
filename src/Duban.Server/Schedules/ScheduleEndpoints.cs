using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Schedules;
using Duban.Data.Writes;
using Duban.Server.Supervision;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Schedules;

/// <param name="Name">What the schedule is called (e.g. 每周重大议定事项督查).</param>
/// <param name="DefinitionId">The published procedure to start.</param>
/// <param name="Rule">When: kind <c>weekly</c> (weekdays 1–7), <c>nthWorkingDay</c> (n), <c>quarterLastTwoWeeks</c>, <c>monthDays</c> (monthDays "MM-dd").</param>
/// <param name="Defaults">The start form's values, keyed by field.</param>
/// <param name="StartAsUserId">Who the item is started as: a 督查员, 领导 or 管理员 of the organization.</param>
public sealed record SaveScheduleRequest(string? Name, string? DefinitionId, ScheduleRule? Rule, JsonObject? Defaults, string? StartAsUserId);

/// <summary>定期任务: procedures an administrator set to start on a rule (docs/decisions/026-schedules.md).</summary>
internal static class ScheduleEndpoints
{
    public static void MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/schedules").WithTags("定期任务").RequireAuthorization();

        group.MapGet("/", async Task<Ok<IReadOnlyList<ScheduleView>>> (HttpContext http, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var org = await orgCache.GetAsync(ct);
            return TypedResults.Ok(await ScheduleQueries.ListAsync(db, org, OrganizationScope.Require(user), null, ct));
        }).WithSummary("定期任务：规则、接下来的发起日期、最近的运行（管理员）").ProducesProblem(403);

        group.MapPost("/", async Task<Created<ScheduleView>> (SaveScheduleRequest request, HttpContext http, WriteDoor door, DubanDbContext db,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var row = await door.RunAsync(new SaveSchedule(user, null, request.Name, request.DefinitionId, request.Rule, request.Defaults, request.StartAsUserId), ct);
            var view = await ViewAsync(db, orgCache, row, ct);
            return TypedResults.Created($"/api/schedules/{row.Id}", view);
        }).WithSummary("新建定期任务（管理员）").ProducesValidationProblem().ProducesProblem(403);

        group.MapPut("/{id:guid}", async Task<Ok<ScheduleView>> (Guid id, SaveScheduleRequest request, HttpContext http, WriteDoor door, DubanDbContext db,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var row = await door.RunAsync(new SaveSchedule(user, id, request.Name, request.DefinitionId, request.Rule, request.Defaults, request.StartAsUserId), ct);
            return TypedResults.Ok(await ViewAsync(db, orgCache, row, ct));
        }).WithSummary("修改定期任务（管理员）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        group.MapPost("/{id:guid}/pause", async Task<Ok<ScheduleView>> (Guid id, HttpContext http, WriteDoor door, DubanDbContext db,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            return TypedResults.Ok(await ViewAsync(db, orgCache, await door.RunAsync(new PauseSchedule(user, id, true), ct), ct));
        }).WithSummary("暂停定期任务（管理员）").ProducesProblem(403).ProducesProblem(404);

        group.MapPost("/{id:guid}/resume", async Task<Ok<ScheduleView>> (Guid id, HttpContext http, WriteDoor door, DubanDbContext db,
            OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            return TypedResults.Ok(await ViewAsync(db, orgCache, await door.RunAsync(new PauseSchedule(user, id, false), ct), ct));
        }).WithSummary("恢复定期任务（管理员；从明天起的下一次开始）").ProducesProblem(403).ProducesProblem(404);

        group.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new DeleteSchedule(await CalendarEndpoints.AdminAsync(http), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("删除定期任务（管理员；已发起的事项保留）").ProducesProblem(403).ProducesProblem(404);
    }

    private static async Task<ScheduleView> ViewAsync(DubanDbContext db, OrganizationCache orgCache, ScheduleRecord row, CancellationToken ct) =>
        (await ScheduleQueries.ListAsync(db, await orgCache.GetAsync(ct), row.OrganizationId, row.Id, ct)).Single();
}
