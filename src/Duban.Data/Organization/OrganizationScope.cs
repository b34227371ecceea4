using Duban.Engine.Directory;

namespace Duban.Data.Organization;

/// <summary>
/// Which organization a unit belongs to: the root of its unit tree. Calendars, ladders and scoring rules are kept per
/// organization, since regions and 制度 differ.
/// </summary>
public static class OrganizationScope
{
    /// <summary>The root unit above <paramref name="unitId"/>; for no unit (or an unknown one), the first root.</summary>
    public static string? OrganizationOf(IReadOnlyCollection<UnitInfo> units, Func<string, UnitInfo?> find, string? unitId)
    {
        if (unitId is not null && find(unitId) is { } unit)
        {
            for (var hops = 0; hops < 64; hops++)
            {
                if (unit.ParentId is null || find(unit.ParentId) is not { } parent) return unit.Id;
                unit = parent;
            }
            return unit.Id;
        }
        return units.Where(u => u.ParentId is null).Select(u => u.Id).Order(StringComparer.Ordinal).FirstOrDefault();
    }

    public static string? OrganizationOf(OrganizationSnapshot org, string? unitId) =>
        org.OrganizationOfUnit(unitId) ?? OrganizationOf(org.Units, org.FindUnit, unitId);

    /// <summary>The organization of a signed-in user, or a problem when there is none (no units at all).</summary>
    public static string Require(OrganizationSnapshot org, string? unitId) =>
        OrganizationOf(org, unitId) ?? throw new Engine.Execution.WorkflowInputException("organizationId", "尚未建立组织机构");

    /// <summary>
    /// The organization a signed-in user acts in (decision 035); a platform administrator, who belongs to none, is
    /// refused (403): he manages organizations, not their business.
    /// </summary>
    public static string Require(CurrentUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.OrganizationId ?? throw new ForbiddenException("平台管理员不属于任何组织，不能办理组织内的业务");
    }
}
