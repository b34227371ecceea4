using Duban.Data.Organization;
using Duban.Data.Tasks;

namespace Duban.Data.Notifications;

public static class NotificationHolders
{
    /// <summary>
    /// Who is told about an open task: its holder by name; else a unit's liaisons and its head (those who may take it,
    /// <see cref="CurrentUser.IsCandidate"/>); else the role's holders in the item's organization.
    /// </summary>
    public static IEnumerable<(string UserId, bool Candidate, bool Role)> HoldersOf(TaskRecord task, OrganizationSnapshot org)
    {
        if (task.AssigneeUserId is { } person) return [(person, false, false)];
        var within = org.Within(task.OrganizationId);
        if (task.CandidateUnitId is { } unitId)
            return within.FindUnit(unitId) is { } unit
                ? unit.LiaisonUserIds.Append(unit.LeaderUserId).OfType<string>().Distinct().Select(u => (u, true, false))
                : [];
        return task.CandidateRole is { } role ? within.UsersInRole(role).Select(u => (u.Id, true, true)) : [];
    }

}
