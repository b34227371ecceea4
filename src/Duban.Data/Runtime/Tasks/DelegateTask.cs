using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 委派: the holder hands his task to a person to act on — fill in the form, give an opinion — and it comes back to him,
/// who completes it. Unlike 转办 the task stays his (decision 031).
/// </summary>
public sealed record DelegateTask(Guid TaskId, CurrentUser User, string ToUserId, string? Comment) : IWrite<bool>
{
    public string Operation => "delegate";
    public string Subject => TaskId.ToString();
}

internal sealed class DelegateTaskHandler : IWriteHandler<DelegateTask, bool>
{
    public async Task<bool> HandleAsync(DelegateTask write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct);
        if (task.Kind == TaskKind.Notice || task.BookmarkId is null)
            throw new WorkflowInputException("taskId", "只有流程中的办理环节可以委派");
        if (task.AssigneeUserId is null)
            throw new WorkflowConflictException("请先签收再委派");
        var target = context.OrganizationOf(instance).FindUser(write.ToUserId)
            ?? throw new WorkflowInputException("toUserId", "委派对象不存在");
        if (target.Id == task.AssigneeUserId || target.Id == write.User.Id)
            throw new WorkflowInputException("toUserId", "不能委派给自己");
        task.DelegatorUserId = task.AssigneeUserId;
        task.AssigneeUserId = target.Id;
        context.Journal(task, JournalKind.TaskDelegated, write.User.ToActor(), comment: write.Comment,
            data: new() { ["from"] = task.DelegatorUserId, ["to"] = target.Id, ["toName"] = target.DisplayName });
        await context.AddParticipantAsync(instance.Id, target.UnitId, ct);
        instance.UpdatedAt = context.Now;
        return true;
    }
}
