using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 撤回: whoever completed a step takes it back while the step(s) it led to have not been acted on — nobody has claimed,
/// completed or been delegated their task. The engine restores the step; its task opens again with the form values
/// (decision 031). On a 交办 step: the 主办 takes its report back while the next step has not acted (the whole step waits
/// again, the 协办 tasks the report cancelled reopen), a 协办 its input while the 主办 has not submitted.
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
        if (instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new WorkflowConflictException("该事项已结束，不能撤回");
        var before = ItemWriter.StateOf(instance);
        var actor = write.User.ToActor();
        // A 交办 unit's task: what it submitted goes back to it as a draft (below), since a 协办's input is not in the item's data.
        var assignment = await db.Set<AssignmentRecord>().FindAsync([task.Id], ct);
        if (assignment is { Role: AssignActivity.Co } && !AssignActivity.IsWaitingCo(before, task.Id))
            throw new WorkflowConflictException("主办单位已汇总上报，协办意见不能撤回");
        var (submitted, comment) = (assignment?.InputJson, task.Comment);
        var definition = await items.DefinitionOfAsync(db, instance, ct);
        var result = items.Runner.Recall(definition, instance.Id, before, task.Id, actor, context.OrganizationOf(instance));

        // The engine knows the next steps' waiting points are as made; whether a person has taken up their tasks is here.
        var removed = result.Effects.RemovedBookmarkIds;
        var next = await db.Tasks.Where(t => t.InstanceId == instance.Id && t.BookmarkId != null && removed.Contains(t.BookmarkId)).ToListAsync(ct);
        if (next.FirstOrDefault(t => t.ClaimedAt is not null || t.DelegatorUserId is not null || t.Status == HumanTaskStatus.Completed) is { } taken)
            throw new WorkflowConflictException($"下一环节「{taken.Name}」已签收或办理，不能撤回");
        await items.ApplyAsync(context, instance, result, actor, ct, before);
        if (assignment is not null && result.Effects.ReopenedTaskIds.Contains(task.Id) && (submitted is not null || comment is not null))
        {
            // The task opens with what the unit submitted — the 协办's input, the 主办's report and comment — kept for its
            // holder as a 暂存 draft is (decision 032), so the web app's form restores it as it restores any draft.
            db.Set<TaskDraftRecord>().Add(new TaskDraftRecord
            {
                TaskId = task.Id, UserId = write.User.Id, DataJson = AsTyped(submitted, definition.FindForm(task.FormId)), Comment = comment,
                SavedAt = context.Now,
            });
            task.HasDraft = true;
        }
        return true;
    }

    /// <summary>
    /// The values as the form holds them while typing: a 协办's input keeps its opinions stamped (who, when — the list the
    /// 主办 reads); the form edits one opinion as its text, so each goes back as the text last given.
    /// </summary>
    private static string AsTyped(string? submitted, FormDefinition? form)
    {
        if (submitted is null || JsonNode.Parse(submitted) is not JsonObject values) return "{}";
        foreach (var field in form?.Fields.Where(f => f.Type == FieldTypes.Opinion) ?? [])
            if (values[field.Key] is JsonArray stamped)
                values[field.Key] = stamped.LastOrDefault()?["text"]?.DeepClone();
        return values.ToJsonString(DefinitionJson.Options);
    }
}
