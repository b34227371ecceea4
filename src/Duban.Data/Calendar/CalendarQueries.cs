using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Calendar;

public sealed record CalendarYearInfo(
    int Year, string Origin, CalendarSource Source, DateTimeOffset LoadedAt, string? LoadedByName,
    DateTimeOffset? EditedAt, string? EditedByName, int Holidays, int Workdays);

/// <summary>An organization's calendar at a glance: loaded years with their sources, what ships, and warnings for the UI.</summary>
public sealed record CalendarStatus(string OrganizationId, IReadOnlyList<CalendarYearInfo> Years, IReadOnlyList<int> ShippedYears, IReadOnlyList<string> Warnings);

public static class CalendarOrigins
{
    public const string Shipped = "shipped";
    public const string Imported = "imported";
    /// <summary>A year an administrator started by editing single days.</summary>
    public const string Manual = "manual";
}

/// <summary>Reads of an organization's work calendar for the administrators' page: its years, their days, what is missing.</summary>
public sealed class CalendarQueries(DubanDbContext db, TimeProvider clock)
{
    public async Task<CalendarStatus> StatusAsync(string organizationId, CancellationToken ct)
    {
        var years = await db.Set<CalendarYearRecord>().AsNoTracking().Where(y => y.OrganizationId == organizationId).OrderBy(y => y.Year).ToListAsync(ct);
        var days = await db.Set<CalendarDayRecord>().AsNoTracking().Where(d => d.OrganizationId == organizationId)
            .Select(d => new { d.Date, d.Kind }).ToListAsync(ct);
        var counts = days.GroupBy(d => d.Date.Year).ToDictionary(g => g.Key, g => (Holidays: g.Count(d => d.Kind == CalendarDayKinds.Holiday), Workdays: g.Count(d => d.Kind == CalendarDayKinds.Workday)));
        var infos = years.Select(y => new CalendarYearInfo(y.Year, y.Origin,
            new CalendarSource { Title = y.SourceTitle, Number = y.SourceNumber, Date = y.SourceDate, Note = y.SourceNote },
            y.LoadedAt, y.LoadedByName, y.EditedAt, y.EditedByName,
            counts.GetValueOrDefault(y.Year).Holidays, counts.GetValueOrDefault(y.Year).Workdays)).ToList();
        return new CalendarStatus(organizationId, infos, ShippedCalendars.Years.Keys.ToList(), Warnings(years.Select(y => y.Year).ToList(), clock.GetUtcNow()));
    }

    /// <summary>
    /// What an administrator should be told: the current year missing (counted on the statutory days alone), and from
    /// November on, next year missing (the State Council usually publishes it in October or November).
    /// </summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyCollection<int> years, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        var warnings = new List<string>();
        if (!years.Contains(today.Year))
            warnings.Add($"尚未导入{today.Year}年节假日安排，目前只按法定节假日（不含调休）计算工作日，相关办理时限为暂定，请尽快导入或逐日维护。");
        if (today.Month >= 11 && !years.Contains(today.Year + 1))
            warnings.Add($"尚未导入{today.Year + 1}年节假日安排。国务院办公厅通常在每年10月至11月发布下一年度的放假安排，发布后请及时导入，否则{today.Year + 1}年的办理时限只按法定节假日（不含调休）暂定，导入后自动重新计算。");
        return warnings;
    }

    /// <summary>The days of a year that differ from the weekly rhythm.</summary>
    public async Task<IReadOnlyList<CalendarDayRecord>> DaysAsync(string organizationId, int year, CancellationToken ct)
    {
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        return await db.Set<CalendarDayRecord>().AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.Date >= first && d.Date <= last).OrderBy(d => d.Date).ToListAsync(ct);
    }
}
