using System.Text.Json.Nodes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Engine.Activities;

/// <summary>
/// Who does a step. <c>users</c>: named people; <c>role</c>: holders of a role (optionally within units);
/// <c>unit</c>: the units' liaisons; <c>unitLeader</c>: the leader of the named units, or of the initiator's unit;
/// <c>unitSupervisor</c>, <c>fieldUnitSupervisor</c>, <c>assignLeadSupervisor</c>: the 分管领导 (<see cref="UnitDirectory.SupervisorOf"/>)
/// of the named units or the initiator's, of the units picked in a field, of the 交办's 主办 unit;
/// <c>initiator</c>; <c>field</c>: the units or people picked in a form field; <c>previous</c>: chosen by whoever
/// completed the previous step.
/// </summary>
public sealed record AssigneeRule
{
    public required string Type { get; init; }
    public List<string>? UserIds { get; init; }
    public string? Role { get; init; }
    public List<string>? UnitIds { get; init; }
    public string? Field { get; init; }

    public static readonly IReadOnlySet<string> Types = new HashSet<string> { "users", "role", "unit", "unitLeader", "initiator", "field", "previous", "fieldUnitLeader", "assignLeadLeader",
        "unitSupervisor", "fieldUnitSupervisor", "assignLeadSupervisor" };

    public string? Problem(WorkflowDefinition definition, IReadOnlyCollection<string> formFieldKeys) => Type switch
    {
        _ when !Types.Contains(Type) => $"办理人规则类型「{Type}」无效",
        "users" when UserIds is not { Count: > 0 } => "办理人规则“指定人员”未选择人员",
        "role" when string.IsNullOrWhiteSpace(Role) => "办理人规则“按角色”未选择角色",
        "unit" when UnitIds is not { Count: > 0 } => "办理人规则“按单位”未选择单位",
        "field" when string.IsNullOrWhiteSpace(Field) => "办理人规则“取表单字段”未选择字段",
        "field" when !formFieldKeys.Contains(Field!) => $"办理人规则引用的表单字段「{Field}」不存在",
        "fieldUnitLeader" when string.IsNullOrWhiteSpace(Field) => "办理人规则“表单字段所选单位的负责人”未选择字段",
        "fieldUnitLeader" when !formFieldKeys.Contains(Field!) => $"办理人规则引用的表单字段「{Field}」不存在",
        "fieldUnitSupervisor" when string.IsNullOrWhiteSpace(Field) => "办理人规则“表单字段所选单位的分管领导”未选择字段",
        "fieldUnitSupervisor" when !formFieldKeys.Contains(Field!) => $"办理人规则引用的表单字段「{Field}」不存在",
        _ => null,
    };
}

internal static class Assignees
{
    /// <summary>
    /// Resolves a rule to task assignees. A role stays one claimable group unless every holder must act
    /// (<paramref name="individually"/>: 会签 and 依次), in which case each holder gets a task.
    /// </summary>
    public static List<TaskAssignee> Resolve(ActivityContext context, AssigneeRule rule, bool individually)
    {
        var org = context.Organization;
        var state = context.State;
        // An administrator handed this stuck step to someone (转办 from the incident view): that person, once.
        if (state.AssigneeOverrides.Remove(context.Node.Id, out var handedTo) && org.FindUser(handedTo) is not null)
            return [TaskAssignee.User(handedTo)];
        IEnumerable<TaskAssignee> result = rule.Type switch
        {
            "users" => (rule.UserIds ?? []).Where(id => org.FindUser(id) is not null).Select(TaskAssignee.User),
            "role" when rule.UnitIds is { Count: > 0 } || individually =>
                (rule.UnitIds is { Count: > 0 } units ? units.SelectMany(u => org.UsersInRole(rule.Role!, u)) : org.UsersInRole(rule.Role!))
                .Select(u => TaskAssignee.User(u.Id)),
            "role" => org.UsersInRole(rule.Role!).Count > 0 ? [TaskAssignee.ForRole(rule.Role!)] : [],
            "unit" => (rule.UnitIds ?? []).Where(id => org.FindUnit(id) is not null).Select(TaskAssignee.Unit),
            "unitLeader" => LeaderUnits(context, rule).Select(u => org.FindUnit(u)?.LeaderUserId).OfType<string>().Select(TaskAssignee.User),
            "initiator" => state.InitiatorId is { } initiator ? [TaskAssignee.User(initiator)] : [],
            "field" => FromField(context, rule.Field!),
            "previous" => state.ChosenAssignees.GetValueOrDefault(context.Node.Id, []).Select(TaskAssignee.Parse).OfType<TaskAssignee>(),
            "fieldUnitLeader" => FromField(context, rule.Field!).Select(a => a.UnitId).OfType<string>()
                .Select(u => org.FindUnit(u)?.LeaderUserId).OfType<string>().Select(TaskAssignee.User),
            "assignLeadLeader" => state.AssignedUnits?.Lead is { } lead && org.FindUnit(lead)?.LeaderUserId is { } head ? [TaskAssignee.User(head)] : [],
            "unitSupervisor" => LeaderUnits(context, rule).Select(u => org.SupervisorOf(u)).OfType<string>().Select(TaskAssignee.User),
            "fieldUnitSupervisor" => FromField(context, rule.Field!).Select(a => a.UnitId).OfType<string>()
                .Select(u => org.SupervisorOf(u)).OfType<string>().Select(TaskAssignee.User),
            "assignLeadSupervisor" => state.AssignedUnits?.Lead is { } charged && org.SupervisorOf(charged) is { } inCharge ? [TaskAssignee.User(inCharge)] : [],
            _ => [],
        };
        return result.Distinct().ToList();
    }

    private static IEnumerable<string> LeaderUnits(ActivityContext context, AssigneeRule rule) =>
        rule.UnitIds is { Count: > 0 } units ? units
        : context.State.InitiatorUnitId is { } unit ? [unit]
        : [];

    private static IEnumerable<TaskAssignee> FromField(ActivityContext context, string key)
    {
        var field = context.Definition.Forms.SelectMany(f => f.Fields).FirstOrDefault(f => f.Key == key);
        var ids = context.ReadStrings(context.State.Data[key]).ToList();
        foreach (var id in ids)
        {
            if (field?.Type == FieldTypes.Unit || (field?.Type != FieldTypes.Person && context.Organization.FindUnit(id) is not null))
            {
                if (context.Organization.FindUnit(id) is not null) yield return TaskAssignee.Unit(id);
            }
            else if (context.Organization.FindUser(id) is not null)
            {
                yield return TaskAssignee.User(id);
            }
        }
    }

    public static string Describe(IOrganization org, TaskAssignee assignee) =>
        assignee.UserId is { } u ? org.FindUser(u)?.DisplayName ?? u
        : assignee.UnitId is { } unit ? org.FindUnit(unit)?.Name ?? unit
        : $"角色：{assignee.Role}";

    public static JsonObject ToJson(IOrganization org, TaskAssignee assignee) => new()
    {
        ["assignee"] = assignee.ToString(),
        ["assigneeName"] = Describe(org, assignee),
    };
}
