using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Engine.Tests.Execution.Support;

/// <summary>
/// A small provincial justice department (省司法厅) held in memory: 厅办公室 (the supervision office itself),
/// 法制处, 济南市局 and 青岛市局, each with a leader and a liaison; the office also has two supervisors and an admin.
/// </summary>
public sealed class TestOrganization : IOrganization
{
    // Units
    public const string Department = "sft";
    public const string Office = "office";
    public const string Legal = "legal";
    public const string Jinan = "jinan";
    public const string Qingdao = "qingdao";

    // Users
    public const string Admin = "admin";
    public const string Wang = "wang";          // 督查员, 厅办公室
    public const string Zhao = "zhao";          // 督查员, 厅办公室
    public const string Liu = "liu";            // 领导, leader of 厅办公室
    public const string Chen = "chen";          // 领导, leader of 法制处
    public const string LegalLiaison = "legal_liaison";
    public const string JinanLeader = "jn_leader";
    public const string JinanLiaison = "jn_liaison";
    public const string QingdaoLeader = "qd_leader";
    public const string QingdaoLiaison = "qd_liaison";

    private readonly Dictionary<string, UnitInfo> _units = new();
    private readonly Dictionary<string, UserInfo> _users = new();

    public TestOrganization()
    {
        AddUnit(Department, "山东省司法厅", null, null, []);
        AddUnit(Office, "厅办公室", Department, Liu, []);
        AddUnit(Legal, "法制处", Department, Chen, [LegalLiaison]);
        AddUnit(Jinan, "济南市局", Department, JinanLeader, [JinanLiaison]);
        AddUnit(Qingdao, "青岛市局", Department, QingdaoLeader, [QingdaoLiaison]);

        AddUser(Admin, "系统管理员", Office, Roles.Admin);
        AddUser(Wang, "王督查", Office, Roles.Supervisor);
        AddUser(Zhao, "赵督查", Office, Roles.Supervisor);
        AddUser(Liu, "刘主任", Office, Roles.Leader);
        AddUser(Chen, "陈处长", Legal, Roles.Leader);
        AddUser(LegalLiaison, "法制处联络员", Legal, Roles.Liaison);
        AddUser(JinanLeader, "济南局长", Jinan, Roles.Leader);
        AddUser(JinanLiaison, "济南联络员", Jinan, Roles.Liaison);
        AddUser(QingdaoLeader, "青岛局长", Qingdao, Roles.Leader);
        AddUser(QingdaoLiaison, "青岛联络员", Qingdao, Roles.Liaison);
    }

    public UserInfo? FindUser(string id) => _users.GetValueOrDefault(id);

    /// <summary>The work calendar steps count working days in; weekends only unless a test sets one.</summary>
    public Duban.Engine.Calendar.WorkCalendar Calendar { get; set; } = Duban.Engine.Calendar.WorkCalendar.WeekendsOnly;

    public Duban.Engine.Calendar.WorkCalendar CalendarFor(string? unitId) => Calendar;

    public UnitInfo? FindUnit(string id) => _units.GetValueOrDefault(id);

    public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null) =>
        _users.Values.Where(u => u.IsInRole(role) && (unitId is null || u.UnitId == unitId)).OrderBy(u => u.Id, StringComparer.Ordinal).ToList();

    /// <summary>The actor for a signed-in user, with unit name and roles as the host would fill them in.</summary>
    public Actor ActorOf(string userId)
    {
        var user = FindUser(userId) ?? throw new ArgumentException($"unknown test user {userId}", nameof(userId));
        return new Actor(user.Id, user.DisplayName, user.UnitId, user.UnitId is { } u ? FindUnit(u)?.Name : null, user.Roles);
    }

    /// <summary>Whether the user may take a task with this assignee: named, a liaison of the unit, or a holder of the role.</summary>
    public bool CanTake(string userId, TaskAssignee assignee) => assignee switch
    {
        { UserId: { } id } => id == userId,
        { UnitId: { } unit } => FindUnit(unit)?.LiaisonUserIds.Contains(userId) == true,
        { Role: { } role } => FindUser(userId)?.IsInRole(role) == true,
        _ => false,
    };

    /// <summary>Names <paramref name="userId"/> 分管领导 of <paramref name="unitId"/> (null: none).</summary>
    public void SetSupervisor(string unitId, string? userId) => _units[unitId] = _units[unitId] with { SupervisorUserId = userId };

    private void AddUnit(string id, string name, string? parent, string? leader, IReadOnlyList<string> liaisons) =>
        _units[id] = new UnitInfo(id, name, parent, leader, liaisons);

    private void AddUser(string id, string name, string unit, params string[] roles) =>
        _users[id] = new UserInfo(id, name, unit, roles);
}
