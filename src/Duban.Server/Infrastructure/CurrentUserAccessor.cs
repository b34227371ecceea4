using System.Security.Claims;
using Duban.Data.Organization;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Resolves the signed-in user (with unit and roles) from the organization snapshot. The cookie only says who the
/// user is: whether they are still active, and which roles they hold, always come from the snapshot.
/// </summary>
internal static class CurrentUserAccessor
{
    /// <summary>The signed-in user; 401 (<see cref="UnauthorizedAccessException"/>) when there is none or they are no longer active.</summary>
    public static async Task<CurrentUser> GetCurrentUserAsync(this HttpContext http) =>
        await http.FindCurrentUserAsync() ?? throw new UnauthorizedAccessException();

    /// <summary>The signed-in user, or null when not signed in, deactivated or deleted. Cached for the request.</summary>
    public static async Task<CurrentUser?> FindCurrentUserAsync(this HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(CurrentUser), out var cached) && cached is CurrentUser user) return user;
        if (http.User.Identity?.IsAuthenticated != true) return null;
        var id = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (id is null) return null;
        var org = await http.RequestServices.GetRequiredService<OrganizationCache>().GetAsync(http.RequestAborted);
        if (org.FindUser(id) is not { } info) return null;
        user = org.CurrentUserOf(info, http.User.Identity?.Name ?? id);
        // 代理 (decision 031): whom he stands in for today decides what else he sees and may act on.
        var clock = http.RequestServices.GetRequiredService<TimeProvider>();
        var db = http.RequestServices.GetRequiredService<Duban.Data.DubanDbContext>();
        var principals = await Deputies.PrincipalsOfAsync(db, id, clock.GetUtcNow(), http.RequestAborted);
        if (principals.Count > 0)
            user = user with { StandsInFor = StandIn.Of(principals.Select(p => Deputies.As(org, p)).OfType<CurrentUser>(), org) };
        http.Items[typeof(CurrentUser)] = user;
        return user;
    }
}
