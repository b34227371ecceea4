using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// The chased unit answers a 《督查督办通知单》 in writing (reasons, progress, measures) by completing the notice's task
/// in its inbox (提交回复).
/// </summary>
internal sealed class ReplyToChaseNotice : IDetachedTaskHandler
{
    public IReadOnlyCollection<string> ActivityIds { get; } = [Chases.ReplyActivity];

    public async Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct)
    {
        var replied = await context.Db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.NoticeTaskId == task.Id, ct)
            ?? throw new WorkflowConflictException("该催办已撤销");
        if (submission.Outcome is not (null or Chases.ReplyOutcome)) throw new WorkflowInputException("outcome", $"请选择办理结果（{Chases.ReplyOutcome}）");
        var values = Chases.ValidateRecord(ChaseRecords.Reply, submission.Data ?? new JsonObject(), prefix: "");
        var now = context.Now;
        context.Close(task, user, HumanTaskStatus.Completed, Chases.ReplyOutcome, submission.Comment);
        replied.ReplyJson = values.ToJsonString(DefinitionJson.Options);
        replied.RepliedAt = now;
        replied.RepliedByName = user.DisplayName;
        replied.Status = Chases.Outstanding(replied) ? ChaseStatus.Open : ChaseStatus.Done;
        instance.UpdatedAt = now;
        context.Journal(instance.Id, JournalKind.ChaseReplied, user.ToActor(), Chases.ActionActivity, replied.NoticeTitle ?? replied.RungName,
            Chases.ReplyOutcome, submission.Comment,
            new JsonObject { ["chaseId"] = replied.Id.ToString(), ["unitId"] = replied.UnitId, ["reply"] = values.DeepClone() }, task.Id);
    }
}
