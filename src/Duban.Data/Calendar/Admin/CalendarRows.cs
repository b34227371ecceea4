using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Calendar.Admin;

/// <summary>How the calendar writes change an organization's year and day rows (tracked; the door saves them).</summary>
internal static class CalendarRows
{
    /// <summary>
    /// An organization without a calendar gets the shipped years — all but <paramref name="except"/>, which the caller
    /// is about to put itself. Answers whether it had none.
    /// </summary>
    public static async Task<bool> EnsureShippedAsync(DubanDbContext db, string organizationId, DateTimeOffset now, CancellationToken ct, int? except = null)
    {
        if (await db.Set<CalendarYearRecord>().AnyAsync(y => y.OrganizationId == organizationId, ct)) return false;
        foreach (var year in ShippedCalendars.Years.Values.Where(y => y.Year != except))
            Put(db, organizationId, year, CalendarOrigins.Shipped, null, now);
        return true;
    }

    /// <summary>A year the organization does not have yet: its row and its days.</summary>
    public static void Put(DubanDbContext db, string organizationId, CalendarYear year, string origin, string? byName, DateTimeOffset now)
    {
        var row = new CalendarYearRecord { OrganizationId = organizationId, Year = year.Year, Origin = origin };
        Stamp(row, year, origin, byName, now);
        db.Set<CalendarYearRecord>().Add(row);
        foreach (var day in year.Days())
            db.Set<CalendarDayRecord>().Add(new CalendarDayRecord
            {
                OrganizationId = organizationId, Date = day.Date, Kind = CalendarDayKinds.Of(day.Kind), Name = day.Name,
            });
    }

    /// <summary>
    /// <paramref name="year"/> (already checked) in place of what the organization had for it: the year row takes the new
    /// source (and forgets its edits), days that stay are updated, the others removed, new ones added — rows changed in
    /// place rather than deleted and added again, so the whole change is one save.
    /// </summary>
    public static async Task ReplaceAsync(DubanDbContext db, string organizationId, CalendarYear year, string origin, string? byName, DateTimeOffset now,
        CancellationToken ct)
    {
        var row = await db.Set<CalendarYearRecord>().FirstOrDefaultAsync(y => y.OrganizationId == organizationId && y.Year == year.Year, ct);
        if (row is null)
        {
            row = new CalendarYearRecord { OrganizationId = organizationId, Year = year.Year, Origin = origin };
            db.Set<CalendarYearRecord>().Add(row);
        }
        Stamp(row, year, origin, byName, now);

        var first = new DateOnly(year.Year, 1, 1);
        var last = new DateOnly(year.Year, 12, 31);
        var wanted = year.Days().ToDictionary(d => d.Date);
        foreach (var stored in await db.Set<CalendarDayRecord>().Where(d => d.OrganizationId == organizationId && d.Date >= first && d.Date <= last).ToListAsync(ct))
        {
            if (wanted.Remove(stored.Date, out var day))
            {
                stored.Kind = CalendarDayKinds.Of(day.Kind);
                stored.Name = day.Name;
            }
            else
                db.Set<CalendarDayRecord>().Remove(stored);
        }
        foreach (var day in wanted.Values)
            db.Set<CalendarDayRecord>().Add(new CalendarDayRecord
            {
                OrganizationId = organizationId, Date = day.Date, Kind = CalendarDayKinds.Of(day.Kind), Name = day.Name,
            });
    }

    private static void Stamp(CalendarYearRecord row, CalendarYear year, string origin, string? byName, DateTimeOffset now)
    {
        row.SourceTitle = year.Source?.Title;
        row.SourceNumber = year.Source?.Number;
        row.SourceDate = year.Source?.Date;
        row.SourceNote = year.Source?.Note;
        row.Origin = origin;
        row.LoadedAt = now;
        row.LoadedByName = byName;
        row.EditedAt = null;
        row.EditedByName = null;
    }
}
