using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>签收: takes a task offered to a unit or a role, so that only this user sees and does it.</summary>
public sealed record ClaimTask(Guid TaskId, CurrentUser User) : IWrite<bool>
{
    public string Operation => "claim";
    public string Subject => TaskId.ToString();
}

internal sealed class ClaimTaskHandler : IWriteHandler<ClaimTask, bool>
{
    public async Task<bool> HandleAsync(ClaimTask write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct);
        if (task.AssigneeUserId is not null)
            throw new WorkflowConflictException(task.AssigneeUserId == write.User.Id ? "您已签收该待办" : "该待办已被他人签收");
        task.AssigneeUserId = write.User.Id;
        task.ClaimedAt = context.Now;
        context.Journal(task, JournalKind.TaskClaimed, write.User.ToActor());
        instance.UpdatedAt = context.Now;
        return true;
    }
}
