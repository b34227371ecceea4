using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Chasing;

/// <summary>
/// 撤销催办 (督查员): a chase raised by mistake is withdrawn with a reason — its open tasks close, it no longer counts in
/// the unit's score, and the ladder goes back to just above the highest rung still standing in its cycle.
/// </summary>
public sealed record WithdrawChase(Guid ChaseId, CurrentUser User, string? Reason) : IWrite<bool>
{
    public string Operation => "chase-cancel";
    public string Subject => ChaseId.ToString();
}

internal sealed class WithdrawChaseHandler : IWriteHandler<WithdrawChase, bool>
{
    public async Task<bool> HandleAsync(WithdrawChase write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.Supervise)) throw new ForbiddenException("只有督查员可以撤销催办");
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销理由");
        if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销理由不能超过 500 字");
        var db = context.Db;
        var chase = await Chases.FindVisibleAsync(db, write.ChaseId, user, ct);
        if (chase.Status == ChaseStatus.Cancelled) throw new WorkflowConflictException("该催办已撤销");
        var now = context.Now;
        chase.Status = ChaseStatus.Cancelled;
        chase.CancelReason = reason;
        // The withdrawal's own journal line below says why; its tasks close with the reason.
        foreach (var id in new[] { chase.ActionTaskId, chase.NoticeTaskId }.OfType<Guid>())
            if (await db.Tasks.FirstOrDefaultAsync(t => t.Id == id && t.Status == HumanTaskStatus.Open, ct) is { } task)
                context.Close(task, null, HumanTaskStatus.Cancelled, null, reason);
        if (chase.CaseId is { } caseId && await db.Set<ChaseCaseRecord>().FirstOrDefaultAsync(c => c.Id == caseId, ct) is { } chaseCase
            && chaseCase.Cycle == chase.Cycle && chaseCase.DueAt is not null)
        {
            var standing = await db.Set<ChaseRecord>()
                .Where(c => c.CaseId == caseId && c.Cycle == chase.Cycle && c.Id != chase.Id && c.Status != ChaseStatus.Cancelled)
                .Select(c => (int?)c.RungIndex).MaxAsync(ct);
            chaseCase.NextRung = (standing ?? -1) + 1;
            chaseCase.NextCheckAt = now;
            chaseCase.UpdatedAt = now;
        }
        var instance = await db.Instances.FirstAsync(i => i.Id == chase.InstanceId, ct);
        instance.UpdatedAt = now;
        context.Journal(instance.Id, JournalKind.ChaseCancelled, user.ToActor(), Chases.ActionActivity, chase.RungName, null, reason,
            new JsonObject { ["chaseId"] = chase.Id.ToString(), ["unitId"] = chase.UnitId });
        return true;
    }
}
