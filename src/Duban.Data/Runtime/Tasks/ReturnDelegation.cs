using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// The delegate of a 委派 task has acted: his opinion and the values he filled in are journaled, and the task goes back
/// to the one who delegated it, who sees them and completes the task (decision 031).
/// </summary>
public sealed record ReturnDelegation(Guid TaskId, CurrentUser User, JsonObject? Data, string? Comment) : IWrite<bool>
{
    public string Operation => "delegate-return";
    public string Subject => TaskId.ToString();
}

internal sealed class ReturnDelegationHandler(ItemWriter items) : IWriteHandler<ReturnDelegation, bool>
{
    public async Task<bool> HandleAsync(ReturnDelegation write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct, delegated: true);
        if (task.DelegatorUserId is not { } delegator || task.AssigneeUserId != write.User.Id)
            throw new WorkflowConflictException("该待办不是委派给您的");
        // Only the fields this step may edit are kept; the delegator decides what goes into the item.
        var definition = await items.DefinitionOfAsync(context.Db, instance, ct);
        var form = definition.FindForm(task.FormId);
        var permissions = StepPermissions.Of(definition, task);
        var values = new JsonObject();
        foreach (var (key, value) in write.Data ?? [])
        {
            if (form?.Fields.Any(f => f.Key == key) != true) continue;
            if (permissions.TryGetValue(key, out var p) && p is FieldPermission.Hidden or FieldPermission.ReadOnly) continue;
            values[key] = value?.DeepClone();
        }
        if (values.Count == 0 && string.IsNullOrWhiteSpace(write.Comment))
            throw new WorkflowInputException("comment", "请填写办理意见后再交还");
        context.Journal(task, JournalKind.DelegationReturned, write.User.ToActor(), comment: write.Comment?.Trim(),
            data: new() { ["to"] = delegator, ["values"] = values });
        task.AssigneeUserId = delegator;
        task.DelegatorUserId = null;
        instance.UpdatedAt = context.Now;
        return true;
    }
}
