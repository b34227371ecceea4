using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 加签: a person added to a countersign step (he gets a task due when the step's are), or a 协办 unit added to a 交办
/// step. The step's holder or the supervision office may; a reason is required (decision 031).
/// </summary>
public sealed record AddSigner(Guid TaskId, CurrentUser User, string? UserId, string? UnitId, string? Reason) : IWrite<bool>
{
    public string Operation => "add-signer";
    public string Subject => TaskId.ToString();
}

internal sealed class AddSignerHandler(ItemWriter items) : IWriteHandler<AddSigner, bool>
{
    public async Task<bool> HandleAsync(AddSigner write, WriteContext context, CancellationToken ct)
    {
        var step = await SignerChange.LoadAsync(context, write.TaskId, write.User, write.Reason, ct);
        var definition = await items.DefinitionOfAsync(context.Db, step.Instance, ct);
        RunResult result;
        if (step.IsAssign)
        {
            if (string.IsNullOrWhiteSpace(write.UnitId)) throw new WorkflowInputException("unitId", "请选择要增加的协办单位");
            result = items.Runner.Resume(definition, step.Instance.Id, step.State, step.Bookmark.Id, new ResumeRequest(step.Actor)
            {
                Outcome = AssignActivity.ChangeSignal,
                Data = new JsonObject { ["action"] = AssignActivity.ActionAdd, ["unitId"] = write.UnitId, ["role"] = AssignActivity.Co },
                Comment = write.Reason!.Trim(),
            }, context.OrganizationOf(step.Instance));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(write.UserId)) throw new WorkflowInputException("userId", "请选择加签人员");
            var open = await SignerChange.OpenTasksOfAsync(context, step, ct);
            if (open.Any(t => t.AssigneeUserId == write.UserId))
                throw new WorkflowInputException("userId", $"「{context.OrganizationOf(step.Instance).FindUser(write.UserId)?.DisplayName ?? write.UserId}」已是本环节的办理人");
            // The step's deadline as the host keeps it (an approved extension may have moved it).
            result = items.Runner.AddSigner(definition, step.Instance.Id, step.State, step.Bookmark.Id, write.UserId, step.Task.DueAt,
                write.Reason!.Trim(), step.Actor, context.OrganizationOf(step.Instance));
        }
        await items.ApplyAsync(context, step.Instance, result, step.Actor, ct, step.State);
        return true;
    }
}
