using Duban.Data;
using Duban.Data.Security;
using Duban.Data.Writes;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Auth;

/// <param name="Enabled">A second factor is in effect for the signed-in person.</param>
/// <param name="Required">A role of his requires one by the organization's security policy (then it cannot be turned off).</param>
/// <param name="EnrolmentRequired">Required and not enabled: nothing but <c>/api/auth/*</c> answers until he enrols.</param>
/// <param name="RecoveryCodesLeft">Unused recovery codes.</param>
public sealed record SecondFactorStatusDto(bool Enabled, bool Required, bool EnrolmentRequired, DateTimeOffset? EnabledAt, int RecoveryCodesLeft);

public sealed record SecondFactorSetupDto(string Secret, string Uri);

/// <summary>The ten recovery codes, shown this once.</summary>
public sealed record SecondFactorEnrolledDto(IReadOnlyList<string> RecoveryCodes);

public sealed record DisableSecondFactorRequest(string? Password, string? Code);

/// <summary>两步验证 on the person's own account (decision 046): see, enrol, turn off.</summary>
internal static class SecondFactorEndpoints
{
    public static void MapSecondFactorApi(this RouteGroupBuilder auth)
    {
        var group = auth.MapGroup("/second-factor").RequireAuthorization();

        group.MapGet("/", async Task<Ok<SecondFactorStatusDto>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var me = await http.GetCurrentUserAsync();
            var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == me.Id, ct);
            var enabled = SecondFactorPolicy.IsEnrolled(user);
            var required = await SecondFactorPolicy.RequiredForAsync(db, user.Id, user.OrganizationId, ct);
            return TypedResults.Ok(new SecondFactorStatusDto(enabled, required, required && !enabled, user.TotpEnabledAt,
                enabled ? SecondFactor.RecoveryHashes(user).Count : 0));
        }).WithSummary("本人两步验证状态");

        group.MapPost("/setup", async Task<Ok<SecondFactorSetupDto>> (HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var setup = await door.RunAsync(new BeginSecondFactor((await http.GetCurrentUserAsync()).Id), ct);
            return TypedResults.Ok(new SecondFactorSetupDto(setup.Secret, setup.Uri));
        }).WithSummary("生成两步验证密钥（待验证）").WithDescription("返回密钥与 otpauth:// 地址；须提交一次动态口令后才生效。").ProducesProblem(409);

        group.MapPost("/confirm", async Task<Ok<SecondFactorEnrolledDto>> (SecondFactorCodeRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var codes = await door.RunAsync(new ConfirmSecondFactor((await http.GetCurrentUserAsync()).Id, request.Code), ct);
            return TypedResults.Ok(new SecondFactorEnrolledDto(codes));
        }).WithSummary("验证动态口令并启用两步验证").WithDescription("返回 10 个恢复码，仅显示这一次。").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/disable", async Task<NoContent> (DisableSecondFactorRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new DisableSecondFactor((await http.GetCurrentUserAsync()).Id, request.Password, request.Code), ct);
            return TypedResults.NoContent();
        }).WithSummary("关闭两步验证").WithDescription("需密码与当前动态口令；角色按安全策略须使用两步验证时不能关闭。").ProducesValidationProblem().ProducesProblem(409);
    }
}
