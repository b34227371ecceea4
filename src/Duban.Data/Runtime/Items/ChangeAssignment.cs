using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Items;

/// <summary>
/// The supervision office changes a waiting 交办 step's units — adds a 协办, replaces or removes a unit — with a reason
/// (<paramref name="Data"/> carries the action and the units, as <see cref="AssignActivity"/> reads them).
/// </summary>
public sealed record ChangeAssignment(Guid InstanceId, string ActivityId, CurrentUser User, JsonObject Data, string Reason) : IWrite<bool>
{
    public string Operation => "assign-change";
    public string Subject => InstanceId.ToString();
}

internal sealed class ChangeAssignmentHandler(ItemWriter items) : IWriteHandler<ChangeAssignment, bool>
{
    public async Task<bool> HandleAsync(ChangeAssignment write, WriteContext context, CancellationToken ct)
    {
        var instance = await ItemVisibility.Visible(context.Db, write.User).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (!write.User.Has(Permission.Supervise))
            throw new ForbiddenException("只有督查员或管理员可以调整交办单位");
        var definition = await items.DefinitionOfAsync(context.Db, instance, ct);
        if (definition.Root.Find(write.ActivityId)?.Type != ActivityTypes.Assign)
            throw new NotFoundException($"该事项的流程中没有交办环节「{write.ActivityId}」");
        var before = ItemWriter.StateOf(instance);
        var step = before.Bookmarks.Where(b => b.Kind == AssignActivity.StepBookmark && b.ActivityId == write.ActivityId)
            .MaxBy(b => int.TryParse(b.ExecutionId[(b.ExecutionId.LastIndexOf('#') + 1)..], out var round) ? round : 0)
            ?? throw new WorkflowConflictException(before.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled
                ? "该事项已结束" : "该交办环节当前不在办理中，不能调整单位");
        var actor = write.User.ToActor();
        var result = items.Runner.Resume(definition, instance.Id, before, step.Id,
            new ResumeRequest(actor) { Outcome = AssignActivity.ChangeSignal, Data = (JsonObject)write.Data.DeepClone(), Comment = write.Reason.Trim() },
            context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, actor, ct, before);
        return true;
    }
}
