using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>已阅 on a 阅知 notice. If the flow waits for read confirmations, this resumes it.</summary>
public sealed record ReadNotice(Guid TaskId, CurrentUser User, string? Comment) : IWrite<bool>
{
    public string Operation => "read";
    public string Subject => TaskId.ToString();
}

internal sealed class ReadNoticeHandler(ItemWriter items) : IWriteHandler<ReadNotice, bool>
{
    public async Task<bool> HandleAsync(ReadNotice write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct);
        if (task.Kind != TaskKind.Notice)
            throw new WorkflowInputException("taskId", "只有阅知事项可以确认已阅");
        var actor = write.User.ToActor();
        context.Close(task, write.User, HumanTaskStatus.Completed, "已阅", write.Comment);
        if (task.BookmarkId is not null)
        {
            var before = ItemWriter.StateOf(instance);
            var result = items.Runner.Resume(await items.DefinitionOfAsync(context.Db, instance, ct), instance.Id, before, task.BookmarkId,
                new ResumeRequest(actor) { TaskId = task.Id, Comment = write.Comment }, context.OrganizationOf(instance));
            await items.ApplyAsync(context, instance, result, actor, ct, before, task.Id);
        }
        else
        {
            context.Journal(task, JournalKind.NoticeRead, actor, "已阅", write.Comment);
            instance.UpdatedAt = context.Now;
        }
        return true;
    }
}
