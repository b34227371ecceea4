using System.Text.Json.Nodes;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>The rung's actor records a chase the ladder raised (the call made, the visit paid …), from the item page.</summary>
public sealed record RecordChase(Guid ChaseId, CurrentUser User, JsonObject? Record) : IWrite<bool>
{
    public string Operation => "chase-record";
    public string Subject => ChaseId.ToString();
}

internal sealed class RecordChaseHandler : IWriteHandler<RecordChase, bool>
{
    public async Task<bool> HandleAsync(RecordChase write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var chase = await Chases.FindVisibleAsync(db, write.ChaseId, write.User, ct);
        if (chase.ActionTaskId is not { } taskId || await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId, ct) is not { } task)
            throw new WorkflowConflictException("该催办不需要登记或已登记");
        var instance = await db.Instances.FirstAsync(i => i.Id == chase.InstanceId, ct);
        ChaseRecording.Record(context, chase, task, instance, write.User, write.Record);
        return true;
    }
}

/// <summary>The same record made by completing the chase's task in the inbox (登记).</summary>
internal sealed class ChaseRecordTask : IDetachedTaskHandler
{
    public IReadOnlyCollection<string> ActivityIds { get; } = [Chases.ActionActivity];

    public async Task CompleteAsync(WriteContext context, TaskRecord task, InstanceRecord instance, CurrentUser user, TaskSubmission submission, CancellationToken ct)
    {
        var chase = await context.Db.Set<ChaseRecord>().FirstOrDefaultAsync(c => c.ActionTaskId == task.Id, ct)
            ?? throw new WorkflowConflictException("该催办已撤销");
        if (submission.Outcome is not (null or Chases.RecordOutcome)) throw new WorkflowInputException("outcome", $"请选择办理结果（{Chases.RecordOutcome}）");
        ChaseRecording.Record(context, chase, task, instance, user, submission.Data);
    }
}

internal static class ChaseRecording
{
    /// <summary>Checks the record against its form, closes the actor's task, keeps the record and journals it.</summary>
    public static void Record(WriteContext context, ChaseRecord chase, TaskRecord task, InstanceRecord instance, CurrentUser user, JsonObject? data)
    {
        if (task.Status != HumanTaskStatus.Open) throw new WorkflowConflictException("该催办已登记");
        if (!Chases.MayAct(user, chase.Actor, chase.ActorUserId))
            throw new ForbiddenException($"只有督查员、{chase.Actor}{(chase.ActorUserId is null ? "" : "或指定的办理人")}可以登记{chase.RungName}");
        var values = Chases.ValidateRecord(chase.RecordKind!, data ?? new JsonObject(), prefix: "");
        var now = context.Now;
        context.Close(task, user, HumanTaskStatus.Completed, Chases.RecordOutcome, null);
        chase.RecordJson = values.ToJsonString(DefinitionJson.Options);
        chase.RecordedAt = now;
        chase.RecordedByName = user.DisplayName;
        chase.Status = Chases.Outstanding(chase) ? ChaseStatus.Open : ChaseStatus.Done;
        instance.UpdatedAt = now;
        context.Journal(instance.Id, JournalKind.ChaseRecorded, user.ToActor(), Chases.ActionActivity, chase.RungName, Chases.RecordOutcome, null,
            new JsonObject
            {
                ["chaseId"] = chase.Id.ToString(), ["unitId"] = chase.UnitId, ["unitName"] = HandlingUnits.NameOf(context.Organization, chase.UnitId),
                ["record"] = values.DeepClone(),
            }, task.Id);
    }
}
