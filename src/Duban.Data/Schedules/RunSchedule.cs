using Duban.Data.Instances;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Items;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Schedules;

/// <summary>
/// The schedule worker handles the occurrences of one schedule it claimed that have fallen due: the most recent starts
/// its item as the schedule's user, through the same start as by hand (<see cref="StartItem"/>); older ones — missed while
/// the app was down — are recorded as skipped. Answers how many items were started (0 or 1).
/// </summary>
public sealed record RunSchedule(Guid ScheduleId, string Owner) : IWrite<int>, IRetryOnDuplicateKey
{
    public string Operation => "schedule-run";
    public string Subject => ScheduleId.ToString();
}

/// <remarks>
/// Each occurrence has one <see cref="ScheduleRunRecord"/>, unique per (schedule, occurrence), added in the same transaction
/// as the item. Should another process handle the occurrence first (its lease ran out under a slow worker), this insert
/// loses and the door runs the write again on what that process left: the run is there, and nothing starts twice.
/// </remarks>
internal sealed class RunScheduleHandler(ItemWriter items, IWriteHandler<StartItem, InstanceRecord> start) : IWriteHandler<RunSchedule, int>
{
    public async Task<int> HandleAsync(RunSchedule write, WriteContext context, CancellationToken ct)
    {
        var schedule = await context.Db.Set<ScheduleRecord>().FirstOrDefaultAsync(s => s.Id == write.ScheduleId, ct);
        if (schedule is null || schedule.LeaseOwner != write.Owner) return 0;
        var today = ChinaTime.DateOf(context.Now);
        var calendar = Scheduling.CalendarOf(context.Organization, schedule);
        var due = schedule.Paused ? [] : Scheduling.RuleOf(schedule).Occurrences(schedule.HandledThrough.AddDays(1), calendar).TakeWhile(d => d <= today).ToList();
        if (due.Count == 0)
        {
            Finish(schedule, today, calendar, context);
            return 0;
        }

        var (first, latest) = (due[0], due[^1]);
        var known = (await context.Db.Set<ScheduleRunRecord>().AsNoTracking()
            .Where(r => r.ScheduleId == schedule.Id && r.Occurrence >= first && r.Occurrence <= latest)
            .Select(r => r.Occurrence).ToListAsync(ct)).ToHashSet();

        ScheduleRunRecord? run = null;
        if (!known.Contains(latest))
        {
            var outcome = await StartAsync(schedule, latest, context, ct);
            run = NewRun(schedule, latest, outcome.Failure is null ? ScheduleRunStatus.Started : ScheduleRunStatus.Failed, outcome.InstanceId, outcome.Failure, context);
        }
        foreach (var missed in due.Take(due.Count - 1).Where(d => !known.Contains(d)))
            NewRun(schedule, missed, ScheduleRunStatus.Skipped, null, $"系统未运行期间错过；只补发最近的一次（{latest:yyyy-MM-dd}）", context);
        Finish(schedule, today, calendar, context);
        return run?.Status == ScheduleRunStatus.Started ? 1 : 0;
    }

    private sealed record Outcome(Guid? InstanceId, string? Failure);

    private async Task<Outcome> StartAsync(ScheduleRecord schedule, DateOnly occurrence, WriteContext context, CancellationToken ct)
    {
        if (Scheduling.StarterProblem(context.Organization, schedule.OrganizationId, schedule.UserId) is { } problem)
            return new(null, "发起人：" + problem);
        var user = await Scheduling.StarterAsync(context.Db, context.Organization, schedule.UserId, ct);
        if (user is null) return new(null, "发起人：该用户不存在或已停用");
        if (await ItemWriter.PublishedAsync(context.Db, schedule.OrganizationId, schedule.DefinitionId, ct) is not { } definition)
            return new(null, $"流程「{schedule.DefinitionId}」不存在或尚未发布");
        if (StartPermission.Refusal(items.Parse(definition), user, context.Organization.Within(schedule.OrganizationId)) is { } refused)
            return new(null, "发起人：" + refused);
        // What the procedure refuses (its start form changed since the schedule was set) is found by a start in the engine
        // alone, which does no I/O and keeps nothing; the real start below then changes rows only when it will succeed.
        try
        {
            items.Runner.Start(items.Parse(definition), Guid.CreateVersion7(), new StartRequest(user.ToActor(), Scheduling.DefaultsOf(schedule)), context.Organization.Within(schedule.OrganizationId));
        }
        catch (WorkflowInputException e)
        {
            return new(null, e.Errors.Count > 0 ? e.Message + "：" + string.Join("；", e.Errors.Select(f => $"{f.Field} {f.Message}")) : e.Message);
        }

        var instance = await start.HandleAsync(new StartItem(schedule.DefinitionId, user, Scheduling.DefaultsOf(schedule)), context, ct);
        // The start's own journal line says so: the item reads as started by the schedule's user, on the schedule's word.
        var note = $"由定期任务「{schedule.Name}」按计划发起（{occurrence:yyyy-MM-dd}，{Scheduling.RuleOf(schedule).Describe()}）";
        foreach (var line in context.Db.Journal.Local.Where(j => j.InstanceId == instance.Id && j.Kind == JournalKind.InstanceStarted))
            line.Comment = note;
        return new(instance.Id, null);
    }

    private static ScheduleRunRecord NewRun(ScheduleRecord schedule, DateOnly occurrence, string status, Guid? instanceId, string? reason, WriteContext context)
    {
        var run = new ScheduleRunRecord
        {
            Id = Guid.CreateVersion7(),
            ScheduleId = schedule.Id,
            Occurrence = occurrence,
            Status = status,
            InstanceId = instanceId,
            Reason = reason is { Length: > 2000 } ? reason[..2000] : reason,
            At = context.Now,
        };
        context.Db.Set<ScheduleRunRecord>().Add(run);
        return run;
    }

    private static void Finish(ScheduleRecord schedule, DateOnly today, WorkCalendar calendar, WriteContext context)
    {
        Scheduling.Release(schedule);
        if (schedule.HandledThrough < today) schedule.HandledThrough = today;
        schedule.UpdatedAt = context.Now;
        Scheduling.PlanNext(schedule, calendar);
    }
}

/// <summary>
/// A schedule's start kept failing for reasons outside it (the database, a bug): its due occurrence is recorded as failed
/// with the error, and the schedule goes on to the next one instead of being stuck.
/// </summary>
public sealed record ScheduleGaveUp(Guid ScheduleId, string Error) : IWrite<bool>, IRetryOnDuplicateKey
{
    public string Operation => "schedule-gave-up";
    public string Subject => ScheduleId.ToString();
}

internal sealed class ScheduleGaveUpHandler : IWriteHandler<ScheduleGaveUp, bool>
{
    public async Task<bool> HandleAsync(ScheduleGaveUp write, WriteContext context, CancellationToken ct)
    {
        var schedule = await context.Db.Set<ScheduleRecord>().FirstOrDefaultAsync(s => s.Id == write.ScheduleId, ct);
        if (schedule is null) return false;
        var today = ChinaTime.DateOf(context.Now);
        var calendar = Scheduling.CalendarOf(context.Organization, schedule);
        var latest = Scheduling.RuleOf(schedule).Occurrences(schedule.HandledThrough.AddDays(1), calendar).TakeWhile(d => d <= today).Cast<DateOnly?>().LastOrDefault();
        if (latest is { } date && !await context.Db.Set<ScheduleRunRecord>().AnyAsync(r => r.ScheduleId == schedule.Id && r.Occurrence == date, ct))
            context.Db.Set<ScheduleRunRecord>().Add(new ScheduleRunRecord
            {
                Id = Guid.CreateVersion7(),
                ScheduleId = schedule.Id,
                Occurrence = date,
                Status = ScheduleRunStatus.Failed,
                Reason = Clip("多次尝试发起均失败：" + write.Error),
                At = context.Now,
            });
        Scheduling.Release(schedule);
        schedule.LastError = Clip(write.Error);
        if (schedule.HandledThrough < today) schedule.HandledThrough = today;
        schedule.UpdatedAt = context.Now;
        Scheduling.PlanNext(schedule, calendar);
        return true;
    }

    private static string Clip(string text) => text.Length > 2000 ? text[..2000] : text;
}
