using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 减签: a signer who has not acted taken off a countersign step (by his task, or his place in a 依次 line), or a 协办 unit
/// whose task is open taken off a 交办 step; the open task is cancelled and journaled. One who acted, or the last signer
/// who has not, stays (decision 031).
/// </summary>
public sealed record RemoveSigner(Guid TaskId, CurrentUser User, Guid? SignerTaskId, string? QueuedUserId, string? UnitId, string? Reason) : IWrite<bool>
{
    public string Operation => "remove-signer";
    public string Subject => TaskId.ToString();
}

internal sealed class RemoveSignerHandler(ItemWriter items) : IWriteHandler<RemoveSigner, bool>
{
    public async Task<bool> HandleAsync(RemoveSigner write, WriteContext context, CancellationToken ct)
    {
        var step = await SignerChange.LoadAsync(context, write.TaskId, write.User, write.Reason, ct);
        var definition = await items.DefinitionOfAsync(context.Db, step.Instance, ct);
        RunResult result;
        if (step.IsAssign)
        {
            if (string.IsNullOrWhiteSpace(write.UnitId)) throw new WorkflowInputException("unitId", "请选择要移除的协办单位");
            result = items.Runner.Resume(definition, step.Instance.Id, step.State, step.Bookmark.Id, new ResumeRequest(step.Actor)
            {
                Outcome = AssignActivity.ChangeSignal,
                Data = new JsonObject { ["action"] = AssignActivity.ActionRemove, ["unitId"] = write.UnitId },
                Comment = write.Reason!.Trim(),
            }, context.OrganizationOf(step.Instance));
        }
        else
        {
            if (write.SignerTaskId is null && string.IsNullOrWhiteSpace(write.QueuedUserId))
                throw new WorkflowInputException("signerTaskId", "请选择要减签的办理人");
            string? signerName = null;
            if (write.SignerTaskId is { } signer)
            {
                var row = await context.Db.Tasks.FirstOrDefaultAsync(t => t.Id == signer && t.InstanceId == step.Instance.Id, ct)
                    ?? throw new WorkflowInputException("signerTaskId", "该办理人不在本环节");
                if (row.BookmarkId != step.Bookmark.Id) throw new WorkflowInputException("signerTaskId", "该办理人不在本环节");
                if (row.Status == HumanTaskStatus.Completed) throw new WorkflowConflictException("该办理人已办理，不能减签");
                signerName = row.AssigneeUserId is { } holder ? context.OrganizationOf(step.Instance).FindUser(holder)?.DisplayName : null;
            }
            result = items.Runner.RemoveSigner(definition, step.Instance.Id, step.State, step.Bookmark.Id, write.SignerTaskId, write.QueuedUserId,
                write.Reason!.Trim(), step.Actor, context.OrganizationOf(step.Instance), signerName);
        }
        await items.ApplyAsync(context, step.Instance, result, step.Actor, ct, step.State);
        return true;
    }
}
