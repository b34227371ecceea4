using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// What 加签 and 减签 share: the step is named by one of its open tasks, which the caller holds (or the supervision office
/// acts on); a 交办 step changes its 协办 units only from the 主办's task or by the office (decision 031).
/// </summary>
internal static class SignerChange
{
    public sealed record Step(TaskRecord Task, InstanceRecord Instance, WorkflowState State, Bookmark Bookmark, bool IsAssign, Actor Actor);

    public static async Task<Step> LoadAsync(WriteContext context, Guid taskId, CurrentUser user, string? reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
            throw new WorkflowInputException("reason", "请填写理由");
        var (task, instance) = await OpenTasks.LoadAsync(context, taskId, user, ct, allowOffice: true);
        if (task.BookmarkId is null || task.Kind == TaskKind.Notice)
            throw new WorkflowInputException("taskId", "该待办不在流程的办理环节中，不能加签或减签");
        var state = ItemWriter.StateOf(instance);
        var bookmark = state.FindBookmark(task.BookmarkId) ?? throw new WorkflowConflictException("该环节已办理完毕，请刷新后查看");
        var isAssign = bookmark.Payload["step"] is not null;
        if (isAssign)
        {
            var office = user.Has(Permission.Supervise);
            if (!office && bookmark.Payload["role"]?.GetValue<string>() != AssignActivity.Lead)
                throw new ForbiddenException("只有主办单位或督查室可以增减协办单位");
            bookmark = state.FindBookmark(bookmark.Payload["step"]!.GetValue<string>())
                ?? throw new WorkflowConflictException("该交办环节已办理完毕，请刷新后查看");
        }
        return new Step(task, instance, state, bookmark, isAssign, context.ActorOf(user));
    }

    /// <summary>The open tasks of the step's signers (for 会签: who already has one).</summary>
    public static Task<List<TaskRecord>> OpenTasksOfAsync(WriteContext context, Step step, CancellationToken ct) =>
        context.Db.Tasks.Where(t => t.InstanceId == step.Instance.Id && t.BookmarkId == step.Bookmark.Id && t.Status == HumanTaskStatus.Open)
            .ToListAsync(ct);
}
