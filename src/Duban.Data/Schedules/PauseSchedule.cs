using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Schedules;

/// <summary>
/// An administrator pauses or resumes a 定期任务. Occurrences while paused are not started and not recorded; a resumed
/// schedule goes on from the first occurrence after today.
/// </summary>
public sealed record PauseSchedule(CurrentUser User, Guid Id, bool Paused) : IWrite<ScheduleRecord>
{
    public string Operation => "schedule-pause";
    public string Subject => Id.ToString();
}

internal sealed class PauseScheduleHandler : IWriteHandler<PauseSchedule, ScheduleRecord>
{
    public async Task<ScheduleRecord> HandleAsync(PauseSchedule write, WriteContext context, CancellationToken ct)
    {
        var row = await Scheduling.FindAsync(context, write.User, write.Id, ct);
        if (row.Paused == write.Paused) return row;
        row.Paused = write.Paused;
        if (!write.Paused) row.HandledThrough = ChinaTime.DateOf(context.Now);
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        Scheduling.Release(row);
        Scheduling.PlanNext(row, Scheduling.CalendarOf(context.Organization, row));
        return row;
    }
}

/// <summary>An administrator deletes a 定期任务 with its record of runs; the items it started stay.</summary>
public sealed record DeleteSchedule(CurrentUser User, Guid Id) : IWrite<bool>
{
    public string Operation => "schedule-delete";
    public string Subject => Id.ToString();
}

internal sealed class DeleteScheduleHandler : IWriteHandler<DeleteSchedule, bool>
{
    public async Task<bool> HandleAsync(DeleteSchedule write, WriteContext context, CancellationToken ct)
    {
        var row = await Scheduling.FindAsync(context, write.User, write.Id, ct);
        var runs = await context.Db.Set<ScheduleRunRecord>().Where(r => r.ScheduleId == row.Id).ToListAsync(ct);
        context.Db.Set<ScheduleRunRecord>().RemoveRange(runs);
        context.Db.Set<ScheduleRecord>().Remove(row);
        return true;
    }
}
