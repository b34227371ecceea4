using Duban.Data.Organization;
using Duban.Engine.Directory;
using Duban.Engine.Execution;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// Who may act on a chase as a named person (a rung's person, an item's 专人): someone of the organization who sees every
/// item — a 督查员, a leader or an administrator — so the chase and its item are in front of them (docs/decisions/027).
/// </summary>
public static class ChasePeople
{
    /// <summary>The person, or a 400 naming <paramref name="field"/> in Chinese.</summary>
    public static UserInfo Require(OrganizationSnapshot org, string organizationId, string? userId, string field, string what)
    {
        if (string.IsNullOrWhiteSpace(userId)) throw new WorkflowInputException(field, $"请选择{what}");
        var user = org.FindUser(userId);
        if (user is null || user.OrganizationId != organizationId)
            throw new WorkflowInputException(field, $"{what}应是本组织在职的人员，「{user?.DisplayName ?? userId}」不是");
        if (!org.PermissionsOf(user).Contains(Permission.SeeAllItems))
            throw new WorkflowInputException(field, $"{what}应是督查员或领导（能看到全部督办事项），「{user.DisplayName}」不是");
        return user;
    }
}
