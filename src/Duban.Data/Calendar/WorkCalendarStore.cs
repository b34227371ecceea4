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

/// <summary>Reads and writes organizations' work calendars.</summary>
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

    /// <summary>
    /// Gives every organization without a calendar the shipped years (first start, or a new organization). Safe to
    /// run from two processes at once: a duplicate insert loses and is ignored.
    /// </summary>
    public static async Task<int> EnsureShippedAsync(DubanDbContext db, IEnumerable<string> organizationIds, DateTimeOffset now, CancellationToken ct)
    {
        var loaded = 0;
        foreach (var organizationId in organizationIds.Distinct())
        {
            if (await db.Set<CalendarYearRecord>().AnyAsync(y => y.OrganizationId == organizationId, ct)) continue;
            foreach (var year in ShippedCalendars.Years.Values) Put(db, organizationId, year, "shipped", null, now);
            try
            {
                await db.SaveChangesAsync(ct);
                loaded++;
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear(); // another process loaded it first
            }
        }
        return loaded;
    }

    /// <summary>Replaces one year of an organization's calendar with <paramref name="year"/> (already checked). Not saved.</summary>
    public static async Task ReplaceYearAsync(DubanDbContext db, string organizationId, CalendarYear year, string origin, string? byName, DateTimeOffset now, CancellationToken ct)
    {
        var first = new DateOnly(year.Year, 1, 1);
        var last = new DateOnly(year.Year, 12, 31);
        db.Set<CalendarDayRecord>().RemoveRange(await db.Set<CalendarDayRecord>()
            .Where(d => d.OrganizationId == organizationId && d.Date >= first && d.Date <= last).ToListAsync(ct));
        if (await db.Set<CalendarYearRecord>().FirstOrDefaultAsync(y => y.OrganizationId == organizationId && y.Year == year.Year, ct) is { } existing)
            db.Set<CalendarYearRecord>().Remove(existing);
        await db.SaveChangesAsync(ct);
        Put(db, organizationId, year, origin, byName, now);
    }

    private static void Put(DubanDbContext db, string organizationId, CalendarYear year, string origin, string? byName, DateTimeOffset now)
    {
        db.Set<CalendarYearRecord>().Add(new CalendarYearRecord
        {
            OrganizationId = organizationId,
            Year = year.Year,
            SourceTitle = year.Source?.Title,
            SourceNumber = year.Source?.Number,
            SourceDate = year.Source?.Date,
            SourceNote = year.Source?.Note,
            Origin = origin,
            LoadedAt = now,
            LoadedByName = byName,
        });
        foreach (var day in year.Days())
            db.Set<CalendarDayRecord>().Add(new CalendarDayRecord
            {
                OrganizationId = organizationId, Date = day.Date, Kind = CalendarDayKinds.Of(day.Kind), Name = day.Name,
            });
    }
}
