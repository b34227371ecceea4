using Duban.Data.Organization;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Duban.Server.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record CurrentUserDto(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles);

/// <summary>Sign-in with a user name and password; the web app then rides on the cookie.</summary>
internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/auth").WithTags("登录");

        group.MapPost("/login", async Task<Results<Ok<CurrentUserDto>, ProblemHttpResult>> (
            LoginRequest request, SignInManager<DubanUser> signIn, UserManager<DubanUser> users, HttpContext http) =>
        {
            var errors = new List<Duban.Engine.Forms.FieldError>();
            if (string.IsNullOrWhiteSpace(request.UserName)) errors.Add(new("userName", "请输入用户名"));
            if (string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "请输入密码"));
            if (errors.Count > 0) throw new WorkflowInputException("请输入用户名和密码", errors);

            var user = await users.FindByNameAsync(request.UserName!);
            if (user is null || !user.IsActive)
                return TypedResults.Problem(title: "登录失败", detail: "用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
            var result = await signIn.PasswordSignInAsync(user, request.Password!, isPersistent: true, lockoutOnFailure: true);
            if (result.IsLockedOut)
                return TypedResults.Problem(title: "登录失败", detail: "密码错误次数过多，账号已暂时锁定，请 5 分钟后再试", statusCode: StatusCodes.Status401Unauthorized);
            if (!result.Succeeded)
                return TypedResults.Problem(title: "登录失败", detail: "用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);

            http.User = await signIn.CreateUserPrincipalAsync(user);
            return TypedResults.Ok(ToDto(await http.GetCurrentUserAsync()));
        }).AllowAnonymous().WithSummary("登录");

        group.MapPost("/logout", async (SignInManager<DubanUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        }).WithSummary("退出登录");

        // Typed return: a lambda of HttpContext alone returning Task would bind as a RequestDelegate and drop its result.
        group.MapGet("/me", async Task<Ok<CurrentUserDto>> (HttpContext http, CancellationToken ct) => TypedResults.Ok(ToDto(await http.GetCurrentUserAsync())))
            .RequireAuthorization().WithSummary("当前用户");

        return group;
    }

    private static CurrentUserDto ToDto(Duban.Data.Organization.CurrentUser user) =>
        new(user.Id, user.UserName, user.DisplayName, user.UnitId, user.UnitName, user.Roles);
}
