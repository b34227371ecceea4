using Duban.Data.Attachments;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 办理: a person completes a task with an outcome, form data and a comment (and, for the next step, the assignees they
/// chose). Answers the flow tasks the completion opened.
/// </summary>
/// <param name="ThroughLink">The answer came through a 在线征询 link the server has checked (decision 009): the respondent
/// may complete the task whoever claimed it, while it is open.</param>
public sealed record CompleteTask(Guid TaskId, CurrentUser User, TaskSubmission Submission, bool ThroughLink = false) : IWrite<IReadOnlyList<OpenedTask>>
{
    public string Operation => "complete";
    public string Subject => TaskId.ToString();
}

internal sealed class CompleteTaskHandler(ItemWriter items, IEnumerable<IDetachedTaskHandler> detached) : IWriteHandler<CompleteTask, IReadOnlyList<OpenedTask>>
{
    public async Task<IReadOnlyList<OpenedTask>> HandleAsync(CompleteTask write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct, throughLink: write.ThroughLink);
        var submission = write.Submission;
        if (task.Kind == TaskKind.Notice)
            throw new WorkflowInputException("taskId", "阅知事项只需确认已阅");
        if (task.BookmarkId is null)
        {
            // A task outside the flow (a chase to record, a notice to answer, an extension to decide).
            var handler = detached.FirstOrDefault(h => h.ActivityIds.Contains(task.ActivityId))
                ?? throw new WorkflowConflictException("该待办不在流程中，无法办理");
            await handler.CompleteAsync(context, task, instance, write.User, submission, ct);
            return [];
        }
        var definition = await items.DefinitionOfAsync(context.Db, instance, ct);
        var data = (System.Text.Json.Nodes.JsonObject?)submission.Data?.DeepClone();
        await AttachmentClaims.ClaimAsync(context.Db, write.User, definition.FindForm(task.FormId), data, instance.Id, ct, definition);
        var actor = context.ActorOf(write.User); // a deputy signs 「张三（代李四）」
        var before = ItemWriter.StateOf(instance);
        var result = items.Runner.Resume(definition, instance.Id, before, task.BookmarkId,
            new ResumeRequest(actor)
            {
                TaskId = task.Id,
                Outcome = submission.Outcome,
                Data = data,
                Comment = submission.Comment,
                NextAssignees = submission.NextAssignees,
                TaskDueAt = task.DueAt,
            }, context.OrganizationOf(instance));
        var done = result.Effects.Journal.FirstOrDefault(j => j.Kind == JournalKind.TaskCompleted && j.TaskId == task.Id);
        context.Close(task, write.User, HumanTaskStatus.Completed, done?.Outcome ?? submission.Outcome, submission.Comment);
        await items.ApplyAsync(context, instance, result, actor, ct, before, task.Id);
        return ItemWriter.Opened(context);
    }
}
