using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Security;
using Duban.Data.Writes;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Auth;

/// <param name="SecondFactorRoles">Roles whose holders must sign in with a second factor.</param>
public sealed record SecurityPolicyDto(IReadOnlyList<string> SecondFactorRoles, IReadOnlyList<string> Roles, DateTimeOffset? UpdatedAt, string? UpdatedByName);

public sealed record SaveSecurityPolicyRequest(List<string?>? SecondFactorRoles);

/// <summary>安全策略 of an organization, and an administrator's reset of a person's second factor (decision 046).</summary>
internal static class SecurityPolicyEndpoints
{
    public static void MapSecurityPolicyApi(this IEndpointRouteBuilder app)
    {
        var policy = app.MapGroup("/api/security-policy").WithTags("组织").RequireAuthorization().RequirePermission(Permission.ManageRolesAndSecurity);

        policy.MapGet("/", async Task<Ok<SecurityPolicyDto>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            var row = await db.Set<SecurityPolicyRecord>().FindAsync([organizationId], ct);
            return TypedResults.Ok(new SecurityPolicyDto(row?.Roles ?? [], await RoleNames.NamesAsync(db, organizationId, ct), row?.UpdatedAt, row?.UpdatedByName));
        }).WithSummary("安全策略（须使用两步验证的角色）");

        policy.MapPut("/", async Task<Ok<SecurityPolicyDto>> (SaveSecurityPolicyRequest request, HttpContext http, WriteDoor door, DubanDbContext db, CancellationToken ct) =>
        {
            var row = await door.RunAsync(new SaveSecurityPolicy(await http.GetCurrentUserAsync(), request.SecondFactorRoles), ct);
            return TypedResults.Ok(new SecurityPolicyDto(row.Roles, await RoleNames.NamesAsync(db, row.OrganizationId, ct), row.UpdatedAt, row.UpdatedByName));
        }).WithSummary("修改安全策略（安全管理员）").ProducesValidationProblem();

        app.MapPost("/api/users/{id}/second-factor/reset", async (string id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new ResetSecondFactor(OrganizationScope.Require(await http.GetCurrentUserAsync()), id), ct);
            return TypedResults.NoContent();
        }).WithTags("组织").RequireAuthorization().RequirePermission(Permission.ManageRolesAndSecurity).WithSummary("重置人员的两步验证（安全管理员）")
            .WithDescription("清除该人员的两步验证密钥与恢复码，并结束其全部会话；其角色须使用两步验证时，下次登录后须重新启用。");
    }
}
