using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 撤回: whoever completed a step takes it back while the step(s) it led to have not been acted on — nobody has claimed,
/// completed or been delegated their task. The engine restores the step; its task opens again with the form values
/// (decision 031).
/// </summary>
public sealed record RecallTask(Guid TaskId, CurrentUser User) : IWrite<bool>
{
    public string Operation => "recall";
    public string Subject => TaskId.ToString();
}

internal sealed class RecallTaskHandler(ItemWriter items) : IWriteHandler<RecallTask, bool>
{
    public async Task<bool> HandleAsync(RecallTask write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == write.TaskId, ct) ?? throw new NotFoundException("待办不存在");
        if (task.CompletedById != write.User.Id)
        {
            if (!await ItemVisibility.CanSeeAsync(db, write.User, task.InstanceId, ct)) throw new NotFoundException("待办不存在");
            throw new ForbiddenException("只有办理该环节的人可以撤回");
        }
        if (task.Status != HumanTaskStatus.Completed || task.BookmarkId is null)
            throw new WorkflowConflictException(task.Status == HumanTaskStatus.Open ? "该待办尚未办理，无需撤回" : "该待办不能撤回");
        var instance = await db.Instances.FirstAsync(i => i.Id == task.InstanceId, ct);
        var before = ItemWriter.StateOf(instance);
        var actor = write.User.ToActor();
        var result = items.Runner.Recall(await items.DefinitionOfAsync(db, instance, ct), instance.Id, before, task.Id, actor, context.Organization);

        // The engine knows the next steps' waiting points are as made; whether a person has taken up their tasks is here.
        var removed = result.Effects.RemovedBookmarkIds;
        var next = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.BookmarkId != null && removed.Contains(t.BookmarkId)).ToListAsync(ct);
        if (next.FirstOrDefault(t => t.ClaimedAt is not null || t.DelegatorUserId is not null || t.Status == HumanTaskStatus.Completed) is { } taken)
            throw new WorkflowConflictException($"下一环节「{taken.Name}」已签收或办理，不能撤回");
        await items.ApplyAsync(context, instance, result, actor, ct, before);
        return true;
    }
}
