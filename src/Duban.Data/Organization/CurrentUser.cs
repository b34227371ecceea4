using Duban.Data.Tasks;
using Duban.Engine.Directory;

namespace Duban.Data.Organization;

/// <summary>The signed-in user as the runtime sees it: who acts, and what they may see.</summary>
public sealed record CurrentUser(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>The supervision office, leaders and administrators see every item; a unit's people see their unit's.</summary>
    public bool SeesAllItems => IsInRole(Duban.Engine.Directory.Roles.Admin) || IsInRole(Duban.Engine.Directory.Roles.Supervisor) || IsInRole(Duban.Engine.Directory.Roles.Leader);

    public Actor ToActor() => new(Id, DisplayName, UnitId, UnitName, Roles);

    /// <summary>May this user act on the task: it is theirs, or it waits for their unit (liaisons) or a role they hold.</summary>
    public bool CanAct(TaskRecord task, IOrganization organization) =>
        task.AssigneeUserId is { } assignee ? assignee == Id : IsCandidate(task, organization);

    /// <summary>The task was offered to this user's unit or role, whether or not someone has taken it since.</summary>
    public bool IsCandidate(TaskRecord task, IOrganization organization) =>
        (task.CandidateUnitId is { } unit && unit == UnitId &&
         (IsInRole(Duban.Engine.Directory.Roles.Liaison) || organization.FindUnit(unit)?.LeaderUserId == Id))
        || (task.CandidateRole is { } role && IsInRole(role));
}
