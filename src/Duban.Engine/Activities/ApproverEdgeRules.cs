using System.Text.Json.Nodes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Engine.Activities;

/// <summary>
/// What a human step does at the edges of its assignee rule (decision 029), set per step in the property panel:
/// <list type="bullet">
/// <item><c>noAssignee</c> — the rule finds nobody: <c>fault</c> (the default, as before: the item stops on an incident
/// the administrator sees), <c>autoPass</c> (the step passes with its first outcome that does not send back, and the
/// journal says why), <c>admin</c> (to the procedure's administrators, <c>options.administrators</c>, else the 管理员
/// role) or <c>user</c> (to the person named in <c>noAssigneeUser</c>).</item>
/// <item><c>initiatorAssignee</c> — the initiator is among the people found: <c>keep</c> (the default, as before),
/// <c>skip</c> (the initiator is left out; with nobody left the step passes) or <c>unitHead</c> (the head of the
/// initiator's unit acts instead; kept with the initiator when the initiator is that head).</item>
/// <item><c>dedupe</c> — people who already approved an earlier step of the item (completed it with an outcome that
/// does not send back) are left out; with nobody left the step passes.</item>
/// </list>
/// Only people are compared: a task offered to a role or a unit is not one person's, so it is kept as it is.
/// </summary>
internal static class ApproverEdgeRules
{
    public const string NoAssigneeInput = "noAssignee";
    public const string NoAssigneeUserInput = "noAssigneeUser";
    public const string InitiatorInput = "initiatorAssignee";
    public const string DedupeInput = "dedupe";

    public const string Fault = "fault";
    public const string AutoPass = "autoPass";
    public const string ToAdmin = "admin";
    public const string ToUser = "user";
    public const string Keep = "keep";
    public const string Skip = "skip";
    public const string UnitHead = "unitHead";

    /// <summary>The people (and groups) who get the step, after the edge rules; empty with a reason when the step passes by itself.</summary>
    public static (List<TaskAssignee> Assignees, string? PassReason, string? PassKind) Apply(ActivityContext context, List<TaskAssignee> found)
    {
        var node = context.Node;
        var org = context.Organization;
        var state = context.State;
        var assignees = found;

        var initiatorRule = node.LiteralString(InitiatorInput) ?? Keep;
        if (initiatorRule != Keep && state.InitiatorId is { } initiator && assignees.Any(a => a.UserId == initiator))
        {
            if (initiatorRule == Skip)
            {
                assignees = assignees.Where(a => a.UserId != initiator).ToList();
                if (assignees.Count == 0)
                    return ([], $"办理人是发起人（{org.FindUser(initiator)?.DisplayName ?? initiator}），按本环节规则自动跳过", "initiator");
            }
            else if (initiatorRule == UnitHead && state.InitiatorUnitId is { } unit && org.FindUnit(unit)?.LeaderUserId is { } head && head != initiator)
            {
                assignees = assignees.Select(a => a.UserId == initiator ? TaskAssignee.User(head) : a).Distinct().ToList();
            }
        }

        if (node.Literal<bool>(DedupeInput) && found.Count > 0)
        {
            var approved = state.Approvers;
            var left = assignees.Where(a => a.UserId is not { } user || !approved.Contains(user)).ToList();
            if (left.Count == 0 && assignees.Count > 0)
            {
                var names = string.Join("、", assignees.Select(a => org.FindUser(a.UserId!)?.DisplayName ?? a.UserId));
                return ([], $"办理人（{names}）已在前面环节审批同意，按本环节规则自动去重通过", "duplicate");
            }
            assignees = left;
        }

        if (assignees.Count > 0) return (assignees, null, null);
        switch (node.LiteralString(NoAssigneeInput) ?? Fault)
        {
            case AutoPass:
                return ([], "找不到办理人，按本环节规则自动通过", "noAssignee");
            case ToAdmin:
                var admins = Administrators(context).ToList();
                if (admins.Count > 0) return (admins, null, null);
                break;
            case ToUser when node.LiteralString(NoAssigneeUserInput) is { } user && org.FindUser(user) is not null:
                return ([TaskAssignee.User(user)], null, null);
        }
        throw new ActivityFaultException($"「{node.DisplayName}」找不到办理人，请检查办理人规则");
    }

    /// <summary>The procedure's administrators (<c>options.administrators</c>) who exist; else the 管理员 role when anyone holds it.</summary>
    private static IEnumerable<TaskAssignee> Administrators(ActivityContext context)
    {
        var org = context.Organization;
        var named = context.Definition.Options?["administrators"] is JsonArray list
            ? context.ReadStrings(list).Where(id => org.FindUser(id) is not null).Select(TaskAssignee.User).ToList()
            : [];
        if (named.Count > 0) return named;
        return org.UsersInRole(Roles.Admin).Count > 0 ? [TaskAssignee.ForRole(Roles.Admin)] : [];
    }

    /// <summary>The outcome a step passes with by itself: its first outcome that does not send back.</summary>
    public static string PassOutcome(Definitions.ActivityNode node, IReadOnlyList<string> outcomes) =>
        outcomes.FirstOrDefault(o => !UserTaskSendBack.SendsBack(node, o)) ?? outcomes[0];

    public static IEnumerable<string> Problems(Definitions.ActivityNode node)
    {
        var none = node.LiteralString(NoAssigneeInput);
        if (none is not (null or Fault or AutoPass or ToAdmin or ToUser))
            yield return $"找不到办理人时的处理「{none}」无效";
        if (none == ToUser && string.IsNullOrWhiteSpace(node.LiteralString(NoAssigneeUserInput)))
            yield return "找不到办理人时转交指定人员，请选择人员";
        var initiator = node.LiteralString(InitiatorInput);
        if (initiator is not (null or Keep or Skip or UnitHead))
            yield return $"办理人是发起人时的处理「{initiator}」无效";
    }
}
