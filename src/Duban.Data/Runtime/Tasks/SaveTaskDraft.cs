using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 暂存: keeps what the holder of an open task has typed so far — the form's values, with the references of files
/// already uploaded, and the comment — until they submit. Saved by the 暂存 button and, debounced, while typing.
/// Answers when it was saved. docs/decisions/032.
/// </summary>
public sealed record SaveTaskDraft(Guid TaskId, CurrentUser User, JsonObject? Data, string? Comment) : IWrite<DateTimeOffset>, IRetryOnDuplicateKey
{
    public string Operation => "draft";
    public string Subject => TaskId.ToString();

    /// <summary>Largest draft kept (the form's values as JSON), in characters.</summary>
    public const int MaxLength = 200_000;
}

/// <remarks>
/// The first save sets <see cref="TaskRecord.HasDraft"/> on the task, so it races a completion on the task's row: one of
/// the two runs again and finds the other's work (the task closed: 409; or the draft there: dropped with the task).
/// Later saves change only the draft row; a completion that commits first deletes it, and the save then finds no row
/// to update and runs again — to find the task closed.
/// </remarks>
internal sealed class SaveTaskDraftHandler(ItemWriter items) : IWriteHandler<SaveTaskDraft, DateTimeOffset>
{
    public async Task<DateTimeOffset> HandleAsync(SaveTaskDraft write, WriteContext context, CancellationToken ct)
    {
        var (task, instance) = await OpenTasks.LoadAsync(context, write.TaskId, write.User, ct);
        if (task.Kind == TaskKind.Notice)
            throw new WorkflowInputException("taskId", "阅知事项不需要暂存");
        if (task.AssigneeUserId != write.User.Id)
            throw new WorkflowConflictException("该待办尚未签收，请先签收再暂存");
        if (write.Comment?.Length > 2000)
            throw new WorkflowInputException("comment", "办理说明不能超过 2000 字");
        var data = (JsonObject?)write.Data?.DeepClone() ?? new JsonObject();
        var json = data.ToJsonString(DefinitionJson.Options);
        if (json.Length > SaveTaskDraft.MaxLength)
            throw new WorkflowInputException("data", "暂存内容过大，请精简后再保存");
        if (task.FormId is not null && AttachmentClaims.MayHaveAttachments(data))
        {
            var definition = await items.DefinitionOfAsync(context.Db, instance, ct);
            await AttachmentClaims.CheckAsync(context.Db, write.User, definition.FindForm(task.FormId), data, instance.Id, ct, definition);
            json = data.ToJsonString(DefinitionJson.Options);
        }

        var drafts = context.Db.Set<TaskDraftRecord>();
        var draft = task.HasDraft ? await drafts.FirstOrDefaultAsync(d => d.TaskId == task.Id, ct) : null;
        if (draft is null)
        {
            draft = new TaskDraftRecord { TaskId = task.Id, UserId = write.User.Id };
            drafts.Add(draft);
            task.HasDraft = true;
        }
        // A task handed to someone else keeps no trace of the previous holder's typing: the new holder's save replaces it.
        draft.UserId = write.User.Id;
        draft.DataJson = json;
        draft.Comment = string.IsNullOrWhiteSpace(write.Comment) ? null : write.Comment;
        draft.SavedAt = context.Now;
        return context.Now;
    }
}
