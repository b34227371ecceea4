using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Dashboards;

/// <summary>The 领导驾驶舱 / 督查室 dashboard (decision 041): the ledger's counts, each with the ledger filter behind it.</summary>
internal static class DashboardEndpoints
{
    public static IServiceCollection AddDubanDashboards(this IServiceCollection services) =>
        services.AddScoped<DashboardQuery>().AddScoped<EarlyWarningQuery>();

    public static void MapDashboardApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/dashboard").WithTags("驾驶舱").RequireAuthorization();

        group.MapGet("/", async Task<Ok<DashboardView>> (HttpContext http, DashboardQuery dashboard, CancellationToken ct) =>
                TypedResults.Ok(await dashboard.BuildAsync(await http.GetCurrentUserAsync(), http.Request.Query, ct)))
            .WithSummary("驾驶舱：按状态、状态灯、单位、来源、类型和月份统计我可见的事项（可带台账的 definitionId、unitId、source、from、to 筛选；每个数字附台账筛选条件）")
            .ProducesValidationProblem();

        group.MapGet("/warnings", async Task<Ok<EarlyWarningView>> (HttpContext http, EarlyWarningQuery warnings, CancellationToken ct) =>
                TypedResults.Ok(await warnings.BuildAsync(await http.GetCurrentUserAsync(), http.Request.Query, ct)))
            .WithSummary("预警（仅督查室）：一段时间内常申请延期、被退回或在最后一天报送的单位，及每个数字背后的事项")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
    }
}
