using System.Security.Claims;
using Duban.Data;
using Duban.Data.Audit;
using Duban.Data.Organization;
using Duban.Data.Security;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Duban.Server.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

/// <param name="Permissions">What his roles let him do in his organization (decision 049), as permission keys: the web app shows
/// the screens they open.</param>
/// <param name="OutsideBusiness">Holds only roles outside the business (平台管理员, 管理员, 安全管理员, 审计员 by default): sees no item.</param>
public sealed record CurrentUserDto(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles,
    IReadOnlyList<string> Permissions, bool OutsideBusiness);

/// <summary>The password was right; the account has a second factor, and the code step follows.</summary>
public sealed record SecondFactorChallengeDto(bool SecondFactorRequired);

/// <summary>A six-digit code from the authenticator app, or one recovery code.</summary>
public sealed record SecondFactorCodeRequest(string? Code);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>The password policy in force, and its rules in one Chinese sentence.</summary>
/// <param name="PasswordExpired">The signed-in person's password must be changed before anything else — older than the
/// policy allows, or the installation's one-time initial password (the server answers nothing but <c>/api/auth/*</c> meanwhile). False when nobody is signed in.</param>
/// <param name="ChangeRequiredReason">Why the password must be changed first (expired, or the installation's one-time
/// initial password); null when it need not be.</param>
public sealed record PasswordPolicyDto(int MinLength, int RequiredClasses, int History, int ExpiryDays, string Description, bool PasswordExpired,
    string? ChangeRequiredReason);

/// <summary>Sign-in with a user name and password; the web app then rides on the cookie.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("登录");

        group.MapPost("/login", async Task<Results<Ok<CurrentUserDto>, Accepted<SecondFactorChallengeDto>, ProblemHttpResult>> (
            LoginRequest request, SignInManager<DubanUser> signIn, UserManager<DubanUser> users, SignInThrottle throttle, DummyPassword dummy,
            WriteDoor door, SecondFactorChallenge challenge, HttpContext http) =>
        {
            var errors = new List<Duban.Engine.Forms.FieldError>();
            if (string.IsNullOrWhiteSpace(request.UserName)) errors.Add(new("userName", "请输入用户名"));
            if (string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "请输入密码"));
            if (errors.Count > 0) throw new WorkflowInputException("请输入用户名和密码", errors);

            var key = throttle.KeyFor(http, request.UserName!);
            if (throttle.IsExhausted(key))
            {
                await door.RunAsync(new RecordAuditEvent(AuditedOperations.SignIn, null, "登录被暂停（失败次数过多）", AuditResults.Failed, request.UserName), CancellationToken.None);
                return TooManyFailures(http, throttle);
            }

            // An unknown account costs the same hash as a known one: the answer's time says nothing about who exists.
            var user = await users.FindByNameAsync(request.UserName!);
            var succeeded = false;
            if (user is null) dummy.Verify(users.PasswordHasher, request.Password!);
            else succeeded = (await signIn.CheckPasswordSignInAsync(user, request.Password!, lockoutOnFailure: false)).Succeeded && user.IsActive;
            // A person with a second factor has proved half of it: the code step follows (decision 046).
            var twoStep = succeeded && SecondFactorPolicy.IsEnrolled(user!);
            // Every attempt is in the audit log (decision 044): a known account's in its organization's, an unknown one's in the platform's.
            await door.RunAsync(new RecordAuditEvent(AuditedOperations.SignIn, user?.Id,
                twoStep ? "密码正确，待验证动态口令" : succeeded ? "登录成功（未使用两步验证）" : "登录失败：用户名或密码错误",
                succeeded ? AuditResults.Succeeded : AuditResults.Failed, request.UserName, user?.Id), CancellationToken.None);
            if (!succeeded)
            {
                throttle.Failed(key);
                return TypedResults.Problem(title: "登录失败", detail: "用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
            }
            if (twoStep)
            {
                challenge.Issue(http, user!);
                return TypedResults.Accepted((string?)null, new SecondFactorChallengeDto(true));
            }
            return TypedResults.Ok(await CompleteSignInAsync(signIn, throttle, user!, http));
        }).AllowAnonymous().RequireRateLimiting(SecuritySetup.SignInPolicy).WithSummary("登录")
            .WithDescription("同一客户端地址每分钟的登录次数有上限；同一账号连续登录失败过多时，在未曾登录过该账号的浏览器上暂停登录（429）。"
                + "已启用两步验证的账号密码正确时答 202，须再以 POST /api/auth/login/second-factor 提交动态口令。");

        group.MapPost("/login/second-factor", async Task<Results<Ok<CurrentUserDto>, ProblemHttpResult>> (
            SecondFactorCodeRequest request, SignInManager<DubanUser> signIn, UserManager<DubanUser> users, SignInThrottle throttle,
            WriteDoor door, SecondFactorChallenge challenge, HttpContext http) =>
        {
            if (string.IsNullOrWhiteSpace(request.Code)) throw new WorkflowInputException("code", "请输入动态口令");
            var user = await challenge.ReadAsync(http, users);
            if (user is null)
                return TypedResults.Problem(title: "登录已失效", detail: "请重新输入用户名和密码", statusCode: StatusCodes.Status401Unauthorized);
            var key = SignInThrottle.CodeKeyFor(user.Id);
            if (throttle.IsExhausted(key))
            {
                await door.RunAsync(new RecordAuditEvent(AuditedOperations.SignIn, user.Id, "登录被暂停（动态口令错误次数过多）", AuditResults.Failed, user.UserName, user.Id), CancellationToken.None);
                http.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                return TypedResults.Problem(title: "动态口令错误次数过多", detail: $"请 {(int)throttle.Window.TotalMinutes} 分钟后再试",
                    statusCode: StatusCodes.Status429TooManyRequests);
            }
            var used = await door.RunAsync(new UseSecondFactor(user.Id, request.Code), CancellationToken.None);
            await door.RunAsync(new RecordAuditEvent(AuditedOperations.SignIn, user.Id, used switch
            {
                SecondFactorUse.Code => "登录成功（两步验证：动态口令）",
                SecondFactorUse.RecoveryCode => "登录成功（两步验证：恢复码）",
                _ => "登录失败：动态口令错误或已使用",
            }, used == SecondFactorUse.Rejected ? AuditResults.Failed : AuditResults.Succeeded, user.UserName, user.Id), CancellationToken.None);
            if (used == SecondFactorUse.Rejected)
            {
                throttle.Failed(key);
                return TypedResults.Problem(title: "登录失败", detail: "动态口令不正确或已使用", statusCode: StatusCodes.Status401Unauthorized);
            }
            challenge.Clear(http);
            return TypedResults.Ok(await CompleteSignInAsync(signIn, throttle, (await users.FindByIdAsync(user.Id))!, http));
        }).AllowAnonymous().RequireRateLimiting(SecuritySetup.SignInPolicy).WithSummary("登录：提交两步验证动态口令")
            .WithDescription("密码步骤答 202 后 5 分钟内有效；6 位动态口令（同一口令不能重复使用）或一个未用过的恢复码。错误次数过多时答 429。");

        group.MapPost("/logout", async Task<NoContent> (SignInManager<DubanUser> signIn, WriteDoor door, HttpContext http, CancellationToken ct) =>
        {
            // Every session of the person ends, not only this browser's: the security stamp is renewed.
            if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } id && http.User.Identity?.IsAuthenticated == true)
            {
                try { await door.RunAsync(new EndSessions(id), ct); }
                catch (NotFoundException) { /* deleted meanwhile: nothing to end */ }
            }
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        }).WithSummary("退出登录").WithDescription("结束该用户的所有会话（所有浏览器上的登录均失效）。");

        group.MapPost("/password", async Task<NoContent> (ChangePasswordRequest request, SignInManager<DubanUser> signIn, WriteDoor door,
            HttpContext http, CancellationToken ct) =>
        {
            var me = await http.GetCurrentUserAsync();
            var user = await door.RunAsync(new ChangeOwnPassword(me.Id, request.CurrentPassword, request.NewPassword), ct);
            // The change ended every session; this browser goes on with a new cookie, its sign-in time kept.
            var signedInAt = SessionValidation.SignedInAtOf(http.User) ?? http.RequestServices.GetRequiredService<SessionClock>().Now;
            await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = true }, [SessionValidation.SignedInAt(signedInAt)]);
            return TypedResults.NoContent();
        }).RequireAuthorization().WithSummary("修改本人密码").WithDescription("需当前密码；新密码须符合密码策略。修改后该用户其他浏览器上的登录均失效。");

        group.MapGet("/password-policy", (PasswordPolicy policy, HttpContext http) =>
            TypedResults.Ok(new PasswordPolicyDto(policy.Options.MinLength, policy.Options.RequiredClasses, policy.Options.History, policy.Options.ExpiryDays,
                policy.Describe(), PasswordExpiry.IsExpired(http), PasswordExpiry.Reason(http))))
            .AllowAnonymous().WithSummary("密码策略");

        // Typed return: a lambda of HttpContext alone returning Task would bind as a RequestDelegate and drop its result.
        group.MapGet("/me", async Task<Ok<CurrentUserDto>> (HttpContext http, CancellationToken ct) => TypedResults.Ok(ToDto(await http.GetCurrentUserAsync())))
            .RequireAuthorization().WithSummary("当前用户");

        group.MapSecondFactorApi();
        return group;
    }

    private static async Task<CurrentUserDto> CompleteSignInAsync(SignInManager<DubanUser> signIn, SignInThrottle throttle, DubanUser user, HttpContext http)
    {
        await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = true }, [SessionValidation.SignedInAt(http.RequestServices.GetRequiredService<SessionClock>().Now)]);
        throttle.Remember(http, user.UserName!);
        http.User = await signIn.CreateUserPrincipalAsync(user);
        return ToDto(await http.GetCurrentUserAsync());
    }

    private static CurrentUserDto ToDto(Duban.Data.Organization.CurrentUser user) =>
        new(user.Id, user.UserName, user.DisplayName, user.UnitId, user.UnitName, user.Roles,
            [.. Duban.Data.Organization.PermissionCatalog.All.Where(e => user.Has(e.Permission)).Select(e => e.Key)], user.OutsideBusiness);

    private static ProblemHttpResult TooManyFailures(HttpContext http, SignInThrottle throttle)
    {
        http.Response.Headers.RetryAfter = ((int)throttle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(title: "登录失败次数过多",
            detail: $"该账号登录失败次数过多，请 {(int)throttle.Window.TotalMinutes} 分钟后再试，或在曾经登录过的浏览器上登录",
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
