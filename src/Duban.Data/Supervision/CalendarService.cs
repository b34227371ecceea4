using Duban.Data.Calendar;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Duban.Data.Supervision;

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

/// <summary>The administrators' side of the work calendar: load a year (shipped or a file), change a day.</summary>
public sealed class CalendarService(DubanDbContext db, OrganizationCache organizationCache, ICommitGate gate, TimeProvider clock)
{
    public const string Normal = "normal";

    public async Task<CalendarStatus> StatusAsync(string organizationId, CancellationToken ct)
    {
        await EnsureAsync(organizationId, ct);
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
    /// What an administrator should be told: the current year missing (working days are weekdays only), and from
    /// November on, next year missing (the State Council usually publishes it in October or November).
    /// </summary>
    public static IReadOnlyList<string> Warnings(IReadOnlyCollection<int> years, DateTimeOffset now)
    {
        var today = ChinaTime.DateOf(now);
        var warnings = new List<string>();
        if (!years.Contains(today.Year))
            warnings.Add($"尚未导入{today.Year}年节假日安排，目前工作日只按周一至周五计算，请尽快导入或逐日维护。");
        if (today.Month >= 11 && !years.Contains(today.Year + 1))
            warnings.Add($"尚未导入{today.Year + 1}年节假日安排。国务院办公厅通常在每年10月至11月发布下一年度的放假安排，发布后请及时导入，否则{today.Year + 1}年的办理时限只按周末计算。");
        return warnings;
    }

    /// <summary>The days of a year that differ from the weekly rhythm.</summary>
    public async Task<IReadOnlyList<CalendarDayRecord>> DaysAsync(string organizationId, int year, CancellationToken ct)
    {
        await EnsureAsync(organizationId, ct);
        var first = new DateOnly(year, 1, 1);
        var last = new DateOnly(year, 12, 31);
        return await db.Set<CalendarDayRecord>().AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.Date >= first && d.Date <= last).OrderBy(d => d.Date).ToListAsync(ct);
    }

    /// <summary>Loads a year (the shipped one, or a file) in place of what the organization had for it.</summary>
    public async Task LoadYearAsync(string organizationId, CalendarYear year, string origin, CurrentUser user, CancellationToken ct)
    {
        var problems = year.Problems();
        if (problems.Count > 0)
            throw new WorkflowInputException("节假日安排有误", problems.Select(p => new FieldError("days", p)).ToList());
        await EnsureAsync(organizationId, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await WorkCalendarStore.ReplaceYearAsync(db, organizationId, year, origin, user.DisplayName, clock.GetUtcNow(), ct);
        await gate.BeforeCommitAsync("calendar-load", organizationId, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        organizationCache.Invalidate();
    }

    /// <summary>Makes one day a holiday, a make-up working day, or ordinary again (<c>normal</c>).</summary>
    public async Task SetDayAsync(string organizationId, DateOnly date, string? kind, string? name, CurrentUser user, CancellationToken ct)
    {
        var weekend = date.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        switch (kind)
        {
            case CalendarDayKinds.Holiday when string.IsNullOrEmpty(name):
                throw new WorkflowInputException("name", "请填写节假日名称（如 春节）");
            case CalendarDayKinds.Workday when !weekend:
                throw new WorkflowInputException("kind", $"{date:yyyy-MM-dd} 是{CalendarYear.Weekday(date)}，本来就是工作日；要取消假期请选择“恢复正常”");
            case CalendarDayKinds.Holiday or CalendarDayKinds.Workday or Normal:
                break;
            default:
                throw new WorkflowInputException("kind", "类型只能是 holiday（放假）、workday（调休上班）或 normal（恢复正常）");
        }
        if (name?.Length > 100) throw new WorkflowInputException("name", "名称不能超过 100 字");
        if (date.Year is < 2000 or > 2100) throw new WorkflowInputException("date", "日期超出范围");
        await EnsureAsync(organizationId, ct);

        await Supervise.CommitAsync(db, gate, "calendar-day", Guid.Empty, async () =>
        {
            var now = clock.GetUtcNow();
            var year = await db.Set<CalendarYearRecord>().FirstOrDefaultAsync(y => y.OrganizationId == organizationId && y.Year == date.Year, ct);
            if (year is null)
            {
                year = new CalendarYearRecord
                {
                    OrganizationId = organizationId, Year = date.Year, Origin = CalendarOrigins.Manual, LoadedAt = now, LoadedByName = user.DisplayName,
                    SourceNote = "管理员逐日维护",
                };
                db.Set<CalendarYearRecord>().Add(year);
            }
            year.EditedAt = now;
            year.EditedByName = user.DisplayName;
            var day = await db.Set<CalendarDayRecord>().FirstOrDefaultAsync(d => d.OrganizationId == organizationId && d.Date == date, ct);
            if (kind == Normal)
            {
                if (day is not null) db.Set<CalendarDayRecord>().Remove(day);
            }
            else if (day is null)
                db.Set<CalendarDayRecord>().Add(new CalendarDayRecord { OrganizationId = organizationId, Date = date, Kind = kind!, Name = name ?? "调休上班" });
            else
            {
                day.Kind = kind!;
                day.Name = name ?? "调休上班";
            }
            return 0;
        }, ct);
        organizationCache.Invalidate();
    }

    /// <summary>An organization seen for the first time gets the shipped years.</summary>
    public async Task EnsureAsync(string organizationId, CancellationToken ct)
    {
        if (await WorkCalendarStore.EnsureShippedAsync(db, [organizationId], clock.GetUtcNow(), ct) > 0) organizationCache.Invalidate();
    }
}

/// <summary>On start: every organization without a calendar gets the shipped years (first start included).</summary>
internal sealed class SupervisionStartup(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var roots = await db.Units.AsNoTracking().Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(cancellationToken);
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        if (await WorkCalendarStore.EnsureShippedAsync(db, roots, clock.GetUtcNow(), cancellationToken) > 0)
            scope.ServiceProvider.GetRequiredService<OrganizationCache>().Invalidate();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
