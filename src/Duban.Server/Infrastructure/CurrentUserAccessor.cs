using System.Security.Claims;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime;

namespace Duban.Server.Infrastructure;

/// <summary>Resolves the signed-in user (with unit and roles) from the cookie's claims and the organization snapshot.</summary>
internal static class CurrentUserAccessor
{
    public static async Task<CurrentUser> GetCurrentUserAsync(this HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(CurrentUser), out var cached) && cached is CurrentUser user) return user;
        var id = http.User.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new UnauthorizedAccessException();
        var org = await http.RequestServices.GetRequiredService<OrganizationCache>().GetAsync(http.RequestAborted);
        var info = org.FindUser(id) ?? throw new UnauthorizedAccessException();
        var unit = info.UnitId is { } unitId ? org.FindUnit(unitId) : null;
        user = new CurrentUser(id, http.User.Identity?.Name ?? id, info.DisplayName, info.UnitId, unit?.Name, info.Roles);
        http.Items[typeof(CurrentUser)] = user;
        return user;
    }
}
