using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Units;

public static class SupervisionUnitKinds
{
    /// <summary>The supervision office's unit kind (as the demo and the unit editor name it).</summary>
    public const string Office = "督查部门";
}

/// <summary>
/// The units supervision deals with: the unit a task is for, and which units are handling units — those the ladder
/// chases, that may ask for extensions and that are scored.
/// </summary>
public static class HandlingUnits
{
    /// <summary>The unit a task is for: the unit it was offered to, or its holder's unit.</summary>
    public static string? UnitOf(TaskRecord task, IOrganization org) => UnitOf(task.CandidateUnitId, task.AssigneeUserId, org);

    public static string? UnitOf(string? candidateUnitId, string? assigneeUserId, IOrganization org) =>
        candidateUnitId ?? (assigneeUserId is { } user ? org.FindUser(user)?.UnitId : null);

    /// <summary>
    /// Not an organization's root (where its leaders sit) and not the supervision office itself.
    /// </summary>
    public static bool IsHandlingUnit(OrganizationSnapshot org, string? unitId, IReadOnlyDictionary<string, string?> kinds) =>
        unitId is not null && org.FindUnit(unitId) is { ParentId: not null } && kinds.GetValueOrDefault(unitId) != SupervisionUnitKinds.Office;

    /// <summary>Every unit's kind (the office is one), for <see cref="IsHandlingUnit"/>.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> KindsAsync(DubanDbContext db, CancellationToken ct) =>
        await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Kind, ct);

    public static string NameOf(IOrganization org, string unitId) => org.FindUnit(unitId)?.Name ?? unitId;
}
