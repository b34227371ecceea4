using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Timers;

/// <summary>
/// A claimed timer fires: its bookmark is resumed and the row deleted, in one transaction. A timer whose bookmark is gone
/// is deleted; one whose item is in an incident is held (see <see cref="ItemWriter"/>). A worker whose lease ran out
/// leaves the timer to whoever holds it now. Answers whether it fired.
/// </summary>
public sealed record FireTimer(Guid TimerId, string Owner) : IWrite<bool>
{
    public string Operation => "timer";
    public string Subject => TimerId.ToString();
}

internal sealed class FireTimerHandler(ItemWriter items) : IWriteHandler<FireTimer, bool>
{
    public async Task<bool> HandleAsync(FireTimer write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == write.TimerId, ct);
        if (timer is null || timer.LeaseOwner != write.Owner) return false;
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == timer.InstanceId, ct);
        var state = instance is null ? null : ItemWriter.StateOf(instance);
        if (instance is null || state!.FindBookmark(timer.BookmarkId) is null || state.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
        {
            db.Timers.Remove(timer);
            return false;
        }
        if (state.Status == WorkflowStatus.Faulted)
        {
            timer.Suspended = true;
            timer.LeaseOwner = null;
            timer.LeaseUntil = null;
            return false;
        }
        db.Timers.Remove(timer);
        var result = items.Runner.Resume(await items.DefinitionOfAsync(db, instance, ct), instance.Id, state, timer.BookmarkId,
            new ResumeRequest(Actor.System), context.OrganizationOf(instance));
        await items.ApplyAsync(context, instance, result, Actor.System, ct, state);
        return true;
    }
}

/// <summary>
/// A timer failed to fire <see cref="Jobs.LeaseClaimer.MaxAttempts"/> times in a row: its item stops on an incident that
/// says so, where an administrator finds it; retrying the item releases the timer with its failures forgotten.
/// </summary>
public sealed record TimerGaveUp(Guid TimerId, string Error) : IWrite<bool>
{
    public string Operation => "timer-gave-up";
    public string Subject => TimerId.ToString();
}

internal sealed class TimerGaveUpHandler(ItemWriter items) : IWriteHandler<TimerGaveUp, bool>
{
    public async Task<bool> HandleAsync(TimerGaveUp write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var timer = await db.Timers.FirstOrDefaultAsync(t => t.Id == write.TimerId, ct);
        if (timer is null) return false;
        var instance = await db.Instances.FirstOrDefaultAsync(i => i.Id == timer.InstanceId, ct);
        if (instance is null || instance.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled or WorkflowStatus.Faulted) return false;
        var state = ItemWriter.StateOf(instance);
        // The step's name as its own journal lines gave it: the definition may be what cannot be read.
        var name = await db.Journal.Where(j => j.InstanceId == instance.Id && j.ActivityId == timer.ActivityId && j.ActivityName != null)
            .OrderByDescending(j => j.Id).Select(j => j.ActivityName).FirstOrDefaultAsync(ct);
        var result = items.Runner.RaiseIncident(state, timer.ActivityId, name,
            $"定时器连续 {Jobs.LeaseClaimer.MaxAttempts} 次触发失败：{write.Error}", Actor.System);
        await items.ApplyAsync(context, instance, result, Actor.System, ct, state);
        return true;
    }
}
