using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Schedules;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;

namespace Duban.Data.Calendar.Admin;

/// <summary>
/// An administrator makes one day a holiday (with its name), a make-up working day (a Saturday or Sunday worked), or
/// ordinary again (<see cref="Normal"/>). A year the organization has no arrangement for starts as an edited one, from
/// the statutory days off (<see cref="StatutoryHolidays"/>). Open deadlines from that year on are worked out again.
/// </summary>
public sealed record SetCalendarDay(CurrentUser User, DateOnly Date, string? Kind, string? Name) : IWrite<bool>, IRetryOnDuplicateKey
{
    /// <summary>The kind that undoes a change: the day follows the weekly rhythm again.</summary>
    public const string Normal = "normal";

    public string Operation => "calendar-day";
    public string Subject => $"{User.UnitId}:{Date:yyyy-MM-dd}";
}

internal sealed class SetCalendarDayHandler(OrganizationCache organizationCache, ItemWriter items) : IWriteHandler<SetCalendarDay, bool>
{
    public async Task<bool> HandleAsync(SetCalendarDay write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        var (date, kind) = (write.Date, write.Kind);
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        var name = string.IsNullOrWhiteSpace(write.Name) ? null : write.Name.Trim();
        switch (kind)
        {
            case CalendarDayKinds.Holiday when string.IsNullOrEmpty(name):
                throw new WorkflowInputException("name", "请填写节假日名称（如 春节）");
            case CalendarDayKinds.Workday when !weekend:
                throw new WorkflowInputException("kind", $"{date:yyyy-MM-dd} 是{CalendarYear.Weekday(date)}，本来就是工作日；要取消假期请选择“恢复正常”");
            case CalendarDayKinds.Holiday or CalendarDayKinds.Workday or SetCalendarDay.Normal:
                break;
            default:
                throw new WorkflowInputException("kind", "类型只能是 holiday（放假）、workday（调休上班）或 normal（恢复正常）");
        }
        if (name?.Length > 100) throw new WorkflowInputException("name", "名称不能超过 100 字");
        if (date.Year is < 2000 or > 2100) throw new WorkflowInputException("date", "日期超出范围");

        var db = context.Db;
        var now = context.Now;
        var organizationId = OrganizationScope.Require(write.User);
        await CalendarRows.EnsureShippedAsync(db, organizationId, now, ct);
        // Find looks among the rows just added for a new organization before it asks the database.
        var years = db.Set<CalendarYearRecord>();
        var year = await years.FindAsync([organizationId, date.Year], ct);
        var days = db.Set<CalendarDayRecord>();
        var before = context.Organization.CalendarFor(organizationId);
        var yearDays = before.Days.Where(d => d.Date.Year == date.Year).ToList();
        if (year is null)
        {
            // A year not loaded had the statutory days off: they stay when the administrator starts keeping it by hand.
            yearDays = StatutoryHolidays.For(date.Year).ToList();
            foreach (var statutory in yearDays.Where(d => d.Date != date))
                days.Add(new CalendarDayRecord { OrganizationId = organizationId, Date = statutory.Date, Kind = CalendarDayKinds.Holiday, Name = statutory.Name ?? "节假日" });
            year = new CalendarYearRecord
            {
                OrganizationId = organizationId, Year = date.Year, Origin = CalendarOrigins.Manual, LoadedAt = now, LoadedByName = write.User.DisplayName,
                SourceNote = "管理员逐日维护",
            };
            years.Add(year);
        }
        year.EditedAt = now;
        year.EditedByName = write.User.DisplayName;
        var day = await days.FindAsync([organizationId, date], ct);
        if (kind == SetCalendarDay.Normal)
        {
            if (day is not null) days.Remove(day);
        }
        else if (day is null)
            days.Add(new CalendarDayRecord { OrganizationId = organizationId, Date = date, Kind = kind!, Name = name ?? "调休上班" });
        else
        {
            day.Kind = kind!;
            day.Name = name ?? "调休上班";
        }
        yearDays.RemoveAll(d => d.Date == date);
        if (kind != SetCalendarDay.Normal) yearDays.Add(new CalendarDay(date, CalendarDayKinds.Parse(kind!), name ?? "调休上班"));
        var calendar = DeadlineRecalculator.Replacing(before, date.Year, yearDays);
        await DeadlineRecalculator.RunAsync(context, items, organizationId, calendar, date.Year, write.User.ToActor(), ct);
        await Scheduling.ReplanAsync(context.Db, organizationId, calendar, context.Now, ct);
        context.AfterCommit(organizationCache.Invalidate);
        return true;
    }
}
