using Duban.Data.Tasks;
using Duban.Engine.Directory;

namespace Duban.Data.Organization;

/// <summary>The signed-in user as the runtime sees it: who acts, and what they may see.</summary>
public sealed record CurrentUser(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    /// <summary>
    /// The organization (root unit) this person belongs to (decision 035): everything he reads or changes is of this
    /// organization. Null only for a platform administrator.
    /// </summary>
    public string? OrganizationId { get; init; }

    /// <summary>
    /// Whom this user stands in for today (代理, decision 031), as far as what they wait for goes; empty for most people.
    /// Set when the user is resolved for a request.
    /// </summary>
    public StandIn StandsInFor { get; init; } = StandIn.Nobody;

    /// <summary>
    /// What his roles let him do in his organization (decision 049). Resolved from the organization's role definitions
    /// when the user is read for a request (<see cref="OrganizationSnapshot.CurrentUserOf"/>); left unset, the built-in
    /// roles' defaults.
    /// </summary>
    public IReadOnlySet<Permission> Permissions
    {
        get => _permissions ??= PermissionCatalog.DefaultsOf(Roles);
        init => _permissions = value;
    }

    private IReadOnlySet<Permission>? _permissions;

    public bool Has(Permission permission) => Permissions.Contains(permission);

    /// <summary>Whoever holds 查看全部事项 (the office, leaders by default) sees every item; a unit's people see their unit's.</summary>
    public bool SeesAllItems => Has(Permission.SeeAllItems);

    /// <summary>
    /// Holds only roles outside the business (三员分立, decisions 044 and 049): 平台管理员, or roles whose permissions are all
    /// administrative (审计员, 安全管理员 by default). He sees no item, whatever his unit, and is offered no task (unit tasks
    /// go to liaisons and the unit's head). A role with no permission at all is a business role: steps are given to it.
    /// </summary>
    public bool OutsideBusiness
    {
        get => _outsideBusiness ??= PermissionCatalog.OutsideBusiness(Roles, role => PermissionCatalog.BuiltIn.GetValueOrDefault(role));
        init => _outsideBusiness = value;
    }

    private bool? _outsideBusiness;

    public Actor ToActor() => new(Id, DisplayName, UnitId, UnitName, Roles);

    /// <summary>May this user act on the task: it is theirs, or it waits for their unit (liaisons) or a role they hold.</summary>
    public bool CanAct(TaskRecord task, IOrganization organization) =>
        task.AssigneeUserId is { } assignee ? assignee == Id : IsCandidate(task, organization);

    /// <summary>
    /// The task was offered to this user's unit or role, whether or not someone has taken it since — in his own
    /// organization: a step for 督查员 reaches the 督查员 of the item's organization only.
    /// </summary>
    public bool IsCandidate(TaskRecord task, IOrganization organization) =>
        task.OrganizationId == OrganizationId && ((task.CandidateUnitId is { } unit && unit == UnitId &&
         (Has(Permission.HandleUnitTasks) || organization.FindUnit(unit)?.LeaderUserId == Id))
        || (task.CandidateRole is { } role && IsInRole(role)));
}

/// <summary>
/// The principals a deputy stands in for today: their own tasks (<see cref="UserIds"/>), and what is offered to the units
/// they take tasks for and the roles they hold — what their inboxes would show.
/// </summary>
public sealed record StandIn(IReadOnlyList<string> UserIds, IReadOnlyList<string> UnitIds, IReadOnlyList<string> Roles)
{
    public static readonly StandIn Nobody = new([], [], []);

    /// <summary>The organization the principals belong to: what is offered to their roles is of this organization only.</summary>
    public string? OrganizationId { get; init; }

    public bool IsEmpty => UserIds.Count == 0;

    /// <summary>What <paramref name="people"/> wait for together: their tasks, their units' (liaisons, a unit's head) and roles'.</summary>
    public static StandIn Of(IEnumerable<CurrentUser> people, IOrganization organization)
    {
        var list = people.ToList();
        return new StandIn(
            [.. list.Select(p => p.Id).Distinct()],
            [.. list.Where(p => p.UnitId is not null && (p.Has(Permission.HandleUnitTasks) || organization.FindUnit(p.UnitId)?.LeaderUserId == p.Id))
                .Select(p => p.UnitId!).Distinct()],
            [.. list.SelectMany(p => p.Roles).Distinct()])
        { OrganizationId = list.Select(p => p.OrganizationId).FirstOrDefault() };
    }

    /// <summary>The open tasks these people may act on.</summary>
    public IQueryable<TaskRecord> OpenTasks(IQueryable<TaskRecord> tasks)
    {
        List<string> ids = [.. UserIds], units = [.. UnitIds], roles = [.. Roles];
        if (OrganizationId is not { } organizationId) return tasks.Where(t => false);
        return tasks.Where(t => t.Status == HumanTaskStatus.Open && t.OrganizationId == organizationId && (
            (t.AssigneeUserId != null && ids.Contains(t.AssigneeUserId)) ||
            (t.AssigneeUserId == null && ((t.CandidateUnitId != null && units.Contains(t.CandidateUnitId)) || (t.CandidateRole != null && roles.Contains(t.CandidateRole))))));
    }
}
