using Duban.Data.Organization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Authorization against the organization snapshot, not the cookie: a signed-in user must still be present and
/// active (else 401 and the cookie is dropped), and a required role must be one they hold now (else 403). A role
/// taken away or an account deactivated counts from the next request, whatever the cookie was issued with.
/// </summary>
internal static class SnapshotAuthorization
{
    /// <summary>The default policy: signed in, and still an active user.</summary>
    public static AuthorizationPolicy ActiveUser { get; } = Policy(role: null);

    public static AuthorizationPolicy Policy(string? role, Permission? permission = null) =>
        new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ActiveUserRequirement(role, permission)).Build();

    public static IServiceCollection AddSnapshotAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder().SetDefaultPolicy(ActiveUser);
        services.AddSingleton<IAuthorizationHandler, ActiveUserHandler>();
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InactiveUserResultHandler>();
        return services;
    }

    /// <summary>Only users who hold <paramref name="role"/> now, according to the organization snapshot.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, string role) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(role));

    /// <summary>
    /// Only users whose roles carry <paramref name="permission"/> now, in their organization (decision 049: roles are the
    /// organization's data, so a door names what it needs, not who).
    /// </summary>
    public static TBuilder RequirePermission<TBuilder>(this TBuilder builder, Permission permission) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(role: null, permission));
}

/// <summary>
/// The user is in the organization snapshot (present and active) and, if <see cref="Role"/> is set, holds it; if
/// <see cref="Permission"/> is set, one of his roles carries it.
/// </summary>
internal sealed class ActiveUserRequirement(string? role, Permission? permission = null) : IAuthorizationRequirement
{
    public string? Role { get; } = role;
    public Permission? Permission { get; } = permission;
}

internal sealed class ActiveUserHandler(IHttpContextAccessor accessor) : AuthorizationHandler<ActiveUserRequirement>
{
    public const string NoLongerActive = "账号已停用或已删除";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveUserRequirement requirement)
    {
        // Not signed in: the policy's authenticated-user requirement answers that with a 401.
        if (context.User.Identity?.IsAuthenticated != true) return;
        var http = context.Resource as HttpContext ?? accessor.HttpContext;
        if (http is null) { context.Fail(); return; }
        var user = await http.FindCurrentUserAsync();
        if (user is null)
            context.Fail(new AuthorizationFailureReason(this, NoLongerActive));
        else if (requirement.Role is { } role && !user.IsInRole(role))
            context.Fail(new AuthorizationFailureReason(this, $"需要「{role}」角色"));
        else if (requirement.Permission is { } permission && !user.Has(permission))
            context.Fail(new AuthorizationFailureReason(this, $"需要「{PermissionCatalog.NameOf(permission)}」权限"));
        else
            context.Succeed(requirement);
    }
}

/// <summary>A cookie of a user who is no longer active is a lapsed session: 401 (not 403), and the cookie is removed.</summary>
internal sealed class InactiveUserResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var inactive = authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailureReasons
            .Any(r => r.Handler is ActiveUserHandler && r.Message == ActiveUserHandler.NoLongerActive) == true;
        if (!inactive)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }
        await context.SignOutAsync(IdentityConstants.ApplicationScheme);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = ProblemTitles.For(StatusCodes.Status401Unauthorized),
                Detail = "账号已停用或已删除，请联系管理员",
            },
        });
    }
}
