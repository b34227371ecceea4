using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Calendar;

public static class CalendarDayKinds
{
    public const string Holiday = "holiday";
    public const string Workday = "workday";

    public static DayKind Parse(string kind) => kind == Workday ? DayKind.Workday : DayKind.Holiday;
    public static string Of(DayKind kind) => kind == DayKind.Workday ? Workday : Holiday;
}

/// <summary>Reads organizations' work calendars for the organization snapshot; administrators change them through <c>Calendar.Admin</c>.</summary>
public static class WorkCalendarStore
{
    /// <summary>Every organization's calendar, for the organization snapshot.</summary>
    public static async Task<IReadOnlyDictionary<string, WorkCalendar>> LoadAllAsync(DubanDbContext db, CancellationToken ct)
    {
        var years = await db.Set<CalendarYearRecord>().AsNoTracking().Select(y => new { y.OrganizationId, y.Year }).ToListAsync(ct);
        var days = await db.Set<CalendarDayRecord>().AsNoTracking().ToListAsync(ct);
        var byOrg = days.GroupBy(d => d.OrganizationId).ToDictionary(g => g.Key, g => g.ToList());
        return years.GroupBy(y => y.OrganizationId).ToDictionary(
            g => g.Key,
            g => new WorkCalendar(
                (byOrg.GetValueOrDefault(g.Key) ?? []).Select(d => new CalendarDay(d.Date, CalendarDayKinds.Parse(d.Kind), d.Name)),
                g.Select(y => y.Year)));
    }
}
