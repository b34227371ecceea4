using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Extensions;

/// <summary>What a unit may do about its deadline on an item right now, for the item page's 申请延期 button.</summary>
/// <param name="Deadline">The deadline an extension would move (the unit's nearest open step, else the item's).</param>
/// <param name="CanRequest">False with <paramref name="Reason"/> when the button should be disabled.</param>
/// <param name="Pending">The unit already has a request waiting for a decision.</param>
public sealed record ExtensionEligibility(string? UnitId, string? UnitName, DateTimeOffset? Deadline, bool CanRequest, string? Reason, bool Late, bool Pending = false)
{
    /// <summary>
    /// Who may ask: a handling unit's liaison or head, while the unit has an open step with a deadline and no request
    /// waiting; after the deadline only when the organization's setting or the procedure allows late requests.
    /// </summary>
    internal static async Task<ExtensionEligibility> OfAsync(DubanDbContext db, SupervisionSettings settings, InstanceRecord instance,
        WorkflowDefinition definition, CurrentUser user, OrganizationSnapshot org, DateTimeOffset now, CancellationToken ct)
    {
        ExtensionEligibility No(string reason, DateTimeOffset? deadline = null, bool late = false) =>
            new(user.UnitId, user.UnitId is { } u ? HandlingUnits.NameOf(org, u) : null, deadline, false, reason, late);

        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled) return No("事项已结束，不能申请延期");
        var unitId = user.UnitId;
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        if (unitId is null || !HandlingUnits.IsHandlingUnit(org, unitId, kinds)) return No("只有承办单位可以申请延期");
        if (!user.Has(Permission.HandleUnitTasks) && org.FindUnit(unitId)?.LeaderUserId != user.Id)
            return No("只有承办单位的联络员或负责人可以申请延期");
        var open = await db.Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
            .ToListAsync(ct);
        var mine = open.Where(t => HandlingUnits.UnitOf(t, org) == unitId).ToList();
        if (mine.Count == 0) return No("你单位在该事项中没有在办的环节，无需申请延期");
        var deadline = mine.Select(t => t.DueAt).Where(d => d is not null).Min() ?? instance.DueAt;
        if (deadline is null) return No("该事项没有办理时限，无需申请延期");
        if (await db.Set<ExtensionRecord>().AnyAsync(e => e.InstanceId == instance.Id && e.UnitId == unitId && e.Status == ExtensionStatus.Pending, ct))
            return No("你单位已有待审批的延期申请", deadline) with { Pending = true };
        var late = now > deadline.Value;
        var organizationId = OrganizationScope.OrganizationOf(org, unitId) ?? unitId;
        if (late && !await settings.AllowLateAsync(organizationId, definition, ct))
            return No($"已超过办理时限（{StepDeadline.Describe(deadline.Value)}），不能再申请延期；确需延期请联系督查部门", deadline, late: true);
        return new ExtensionEligibility(unitId, HandlingUnits.NameOf(org, unitId), deadline, true, null, late);
    }
}
