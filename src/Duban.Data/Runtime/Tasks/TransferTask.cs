using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>转办: hands a task to another person. The holder or the supervision office may do it.</summary>
public sealed record TransferTask(Guid TaskId, CurrentUser User, string ToUserId, string? Comment) : IWrite<bool>
{
    public string Operation => "transfer";
    public string Subject => TaskId.ToString();
}

internal sealed class TransferTaskHandler : IWriteHandler<TransferTask, bool>
{
    public async Task<bool> HandleAsync(TransferTask write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct, allowOffice: true);
        var target = context.OrganizationOf(instance).FindUser(write.ToUserId)
            ?? throw new WorkflowInputException("toUserId", "转办对象不存在");
        if (target.Id == task.AssigneeUserId)
            throw new WorkflowInputException("toUserId", "不能转办给当前办理人");
        var from = task.AssigneeUserId;
        task.AssigneeUserId = target.Id;
        task.CandidateUnitId = null;
        task.CandidateRole = null;
        context.Journal(task, JournalKind.TaskTransferred, write.User.ToActor(), comment: write.Comment,
            data: new() { ["from"] = from, ["to"] = target.Id, ["toName"] = target.DisplayName });
        await context.AddParticipantAsync(instance.Id, target.UnitId, ct);
        instance.UpdatedAt = context.Now;
        return true;
    }
}
