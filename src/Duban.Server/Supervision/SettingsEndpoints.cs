using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Supervision;

public sealed record SupervisionSettingsView(string OrganizationId, bool AllowLateExtensionRequests, DateTimeOffset? UpdatedAt, string? UpdatedByName);

public sealed record SaveSupervisionSettingsRequest(bool? AllowLateExtensionRequests);

/// <summary>督查设置: the organization's supervision settings besides the ladder (whether extensions may be asked late).</summary>
internal static class SettingsEndpoints
{
    public static void MapSupervisionSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/supervision/settings").WithTags("督查设置").RequireAuthorization();

        group.MapGet("/", async Task<Ok<SupervisionSettingsView>> (HttpContext http, OrganizationCache orgCache, SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(user);
            var row = await settings.FindAsync(organizationId, ct);
            return TypedResults.Ok(new SupervisionSettingsView(organizationId, row?.AllowLateExtensionRequests ?? false, row?.UpdatedAt, row?.UpdatedByName));
        }).WithSummary("督查设置（是否允许逾期后申请延期）");

        group.MapPut("/", async Task<Ok<SupervisionSettingsView>> (SaveSupervisionSettingsRequest request, HttpContext http, WriteDoor door,
            SupervisionSettings settings, CancellationToken ct) =>
        {
            var user = await CalendarEndpoints.AdminAsync(http);
            var organizationId = (await door.RunAsync(new SaveSupervisionSettings(user, request.AllowLateExtensionRequests), ct)).OrganizationId;
            var row = await settings.FindAsync(organizationId, ct);
            return TypedResults.Ok(new SupervisionSettingsView(organizationId, row!.AllowLateExtensionRequests, row.UpdatedAt, row.UpdatedByName));
        }).WithSummary("修改督查设置（管理员）").ProducesValidationProblem().ProducesProblem(403);
    }
}
