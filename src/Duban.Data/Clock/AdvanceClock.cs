using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Clock;

/// <summary>
/// An administrator moves the virtual clock forward: by <paramref name="By"/>, or to <paramref name="To"/>. Never back —
/// timers, chases and numbers already made at a later time would then lie in the future. Answers the new time.
/// </summary>
public sealed record AdvanceClock(CurrentUser User, TimeSpan? By, DateTimeOffset? To) : IWrite<DateTimeOffset>, IRetryOnDuplicateKey
{
    public string Operation => "clock-advance";
    public string Subject => "clock";

    /// <summary>The most one move may cover: a year, enough for any regulation's cycle.</summary>
    public static readonly TimeSpan MaxStep = TimeSpan.FromDays(366);
}

internal sealed class AdvanceClockHandler(VirtualClock clock) : IWriteHandler<AdvanceClock, DateTimeOffset>
{
    public async Task<DateTimeOffset> HandleAsync(AdvanceClock write, WriteContext context, CancellationToken ct)
    {
        if (!clock.IsVirtual) throw new WorkflowConflictException("本系统使用真实时间，不能调整时钟（虚拟时钟只用于培训、验收和演示环境）");
        if (!write.User.Has(Permission.ManageUnitsAndPeople)) throw new ForbiddenException("只有管理员可以调整虚拟时钟");
        if ((write.By is null) == (write.To is null)) throw new WorkflowInputException("by", "请填写要前进的时长，或要调到的时间（二选一）");
        var target = write.To ?? context.Now + write.By!.Value;
        if (target <= context.Now) throw new WorkflowInputException(write.To is null ? "by" : "to", "虚拟时钟只能向后调（调到当前时间之后）");
        if (target - context.Now > AdvanceClock.MaxStep) throw new WorkflowInputException(write.To is null ? "by" : "to", "一次最多向后调 366 天");

        var row = await context.Db.Set<ClockStateRecord>().FirstOrDefaultAsync(r => r.Id == ClockStateRecord.TheRow, ct);
        if (row is null) context.Db.Set<ClockStateRecord>().Add(row = new ClockStateRecord());
        var offset = clock.OffsetFor(target);
        row.OffsetTicks = offset.Ticks;
        row.UpdatedAt = target.ToUniversalTime();
        row.UpdatedByName = write.User.DisplayName;
        context.AfterCommit(() => clock.Use(offset));
        return target;
    }
}
