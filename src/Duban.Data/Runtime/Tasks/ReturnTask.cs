using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>退回: along the step's 退回 port, or (with <paramref name="TargetActivityId"/>) to a chosen earlier step.</summary>
/// <param name="Data">What was typed into the step's form: the opinions in it go with the send-back (docs/decisions/032).</param>
public sealed record ReturnTask(Guid TaskId, CurrentUser User, string? TargetActivityId, string? Comment, System.Text.Json.Nodes.JsonObject? Data = null) : IWrite<bool>
{
    public string Operation => "return";
    public string Subject => TaskId.ToString();
}

internal sealed class ReturnTaskHandler(ItemWriter items) : IWriteHandler<ReturnTask, bool>
{
    public async Task<bool> HandleAsync(ReturnTask write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct);
        if (task.Kind == TaskKind.Notice)
            throw new WorkflowInputException("taskId", "阅知事项不能退回");
        if (task.BookmarkId is null)
            throw new WorkflowInputException("taskId", "该待办不在流程中，不能退回");
        var actor = write.User.ToActor();
        var before = ItemWriter.StateOf(instance);
        var result = items.Runner.Return(await items.DefinitionOfAsync(context.Db, instance, ct), instance.Id, before, task.BookmarkId,
            task.Id, write.TargetActivityId, write.Comment, actor, context.OrganizationOf(instance), write.Data);
        context.Close(task, write.User, HumanTaskStatus.Completed, "退回", write.Comment);
        await items.ApplyAsync(context, instance, result, actor, ct, before, task.Id);
        return true;
    }
}
