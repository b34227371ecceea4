using System.Globalization;
using Duban.Data;
using Duban.Data.Calendar;
using Duban.Data.Calendar.Admin;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Duban.Server.Supervision;

/// <summary>A day that differs from Monday–Friday work: <c>holiday</c> (放假) or <c>workday</c> (调休上班).</summary>
public sealed record CalendarDayView(string Date, string Kind, string? Name, string Weekday);

/// <summary>One year of the organization's calendar.</summary>
/// <param name="Loaded">
/// False when the year has no arrangement: it is counted on the statutory days off alone (<c>Days</c> lists them), and
/// deadlines in it are provisional until its notice is loaded.
/// </param>
/// <param name="WorkingDays">How many working days the year has under this calendar.</param>
public sealed record CalendarYearView(string OrganizationId, int Year, bool Loaded, string? Origin, CalendarSource? Source,
    IReadOnlyList<CalendarDayView> Days, int WorkingDays, IReadOnlyList<string> Warnings);

/// <summary>Change one day: <c>kind</c> holiday (with a name), workday (a Saturday or Sunday worked) or normal (undo).</summary>
public sealed record SetCalendarDayRequest(string? Kind, string? Name);

/// <param name="Date">The <c>workingDays</c>-th working day after <c>from</c> (yyyy-MM-dd).</param>
/// <param name="DueAt">The end of that day in China time: when a deadline on it falls due.</param>
public sealed record WorkingDaysAnswer(string From, int WorkingDays, string Date, string Weekday, DateTimeOffset DueAt);

/// <summary>
/// 工作日历: China's statutory holidays and 调休 make-up days per organization (shipped for 2024–2026 from the State
/// Council General Office's notices); administrators load a year and change single days. An organization seen for the
/// first time gets the shipped years before its calendar is shown (<see cref="EnsureShippedCalendars"/>).
/// </summary>
internal static class CalendarEndpoints
{
    public static RouteGroupBuilder MapCalendarApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/calendar").WithTags("工作日历").RequireAuthorization();

        group.MapGet("/", async Task<Ok<CalendarStatus>> (HttpContext http, OrganizationCache orgCache, WriteDoor door, CalendarQueries calendars, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(user);
            await door.RunAsync(new EnsureShippedCalendars([organizationId]), ct);
            return TypedResults.Ok(await calendars.StatusAsync(organizationId, ct));
        }).WithSummary("本单位工作日历概况：已导入年份及来源、随系统提供的年份、提醒（11月起缺下一年时提醒）");

        group.MapGet("/{year:int}", async Task<Ok<CalendarYearView>> (int year, HttpContext http, OrganizationCache orgCache, WriteDoor door,
            CalendarQueries calendars, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            CheckYear(year);
            var organizationId = OrganizationScope.Require(user);
            return TypedResults.Ok(await YearViewAsync(organizationId, year, door, calendars, orgCache, ct));
        }).WithSummary("某年的节假日与调休上班日");

        group.MapPost("/{year:int}/load-shipped", async Task<Ok<CalendarYearView>> (int year, HttpContext http, OrganizationCache orgCache,
            WriteDoor door, CalendarQueries calendars, CancellationToken ct) =>
        {
            var user = await AdminAsync(http);
            CheckYear(year);
            var shipped = ShippedCalendars.Find(year)
                ?? throw new WorkflowInputException("year", $"系统未提供{year}年的节假日安排，可选：{string.Join("、", ShippedCalendars.Years.Keys)}；其他年份请导入或逐日维护");
            var organizationId = OrganizationScope.Require(user);
            await door.RunAsync(new LoadCalendarYear(user, shipped, CalendarOrigins.Shipped), ct);
            return TypedResults.Ok(await YearViewAsync(organizationId, year, door, calendars, orgCache, ct));
        }).WithSummary("重新载入系统提供的某年安排（覆盖本单位对该年的修改）").ProducesProblem(403);

        group.MapPut("/{year:int}", async Task<Ok<CalendarYearView>> (int year, CalendarYear body, HttpContext http, OrganizationCache orgCache,
            WriteDoor door, CalendarQueries calendars, CancellationToken ct) =>
        {
            var user = await AdminAsync(http);
            CheckYear(year);
            if (body.Year != 0 && body.Year != year) throw new WorkflowInputException("year", $"文件中的年份（{body.Year}）与地址中的年份（{year}）不一致");
            var organizationId = OrganizationScope.Require(user);
            await door.RunAsync(new LoadCalendarYear(user, body with { Year = year }, CalendarOrigins.Imported), ct);
            return TypedResults.Ok(await YearViewAsync(organizationId, year, door, calendars, orgCache, ct));
        }).WithSummary("导入某年的节假日安排（与随系统提供的年份文件格式相同），替换该年原有安排").ProducesValidationProblem().ProducesProblem(403);

        group.MapPut("/days/{date}", async Task<Ok<CalendarDayView>> (string date, SetCalendarDayRequest request, HttpContext http,
            OrganizationCache orgCache, WriteDoor door, CancellationToken ct) =>
        {
            var user = await AdminAsync(http);
            if (!CalendarYear.TryDate(date, out var day)) throw new WorkflowInputException("date", "日期应为 yyyy-MM-dd 格式");
            await door.RunAsync(new SetCalendarDay(user, day, request.Kind, request.Name), ct);
            var calendar = (await orgCache.GetAsync(ct)).CalendarFor(user.UnitId);
            var entry = calendar.Find(day);
            return TypedResults.Ok(new CalendarDayView(date, entry is null ? SetCalendarDay.Normal : CalendarDayKinds.Of(entry.Kind), entry?.Name, CalendarYear.Weekday(day)));
        }).WithSummary("修改某一天：放假（holiday）、调休上班（workday）或恢复正常（normal）").ProducesValidationProblem().ProducesProblem(403);

        group.MapGet("/working-days", async Task<Ok<WorkingDaysAnswer>> (string? from, int? days, HttpContext http, OrganizationCache orgCache,
            TimeProvider clock, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            DateOnly start;
            if (string.IsNullOrWhiteSpace(from)) start = ChinaTime.DateOf(clock.GetUtcNow());
            else if (!CalendarYear.TryDate(from, out start)) throw new WorkflowInputException("from", "起始日期应为 yyyy-MM-dd 格式");
            if (days is not { } count || count < 0 || count > DeadlineCalculator.MaxAmount)
                throw new WorkflowInputException("days", $"工作日数应在 0 到 {DeadlineCalculator.MaxAmount} 之间");
            var calendar = (await orgCache.GetAsync(ct)).CalendarFor(user.UnitId);
            var date = calendar.AddWorkingDays(start, count);
            return TypedResults.Ok(new WorkingDaysAnswer(Text(start), count, Text(date), CalendarYear.Weekday(date), ChinaTime.EndOf(date)));
        }).WithSummary("推算：某日起第 N 个工作日（按本单位日历）").ProducesValidationProblem();

        return group;
    }

    private static async Task<CalendarYearView> YearViewAsync(string organizationId, int year, WriteDoor door, CalendarQueries calendars,
        OrganizationCache orgCache, CancellationToken ct)
    {
        await door.RunAsync(new EnsureShippedCalendars([organizationId]), ct);
        var status = await calendars.StatusAsync(organizationId, ct);
        var info = status.Years.FirstOrDefault(y => y.Year == year);
        var days = await calendars.DaysAsync(organizationId, year, ct);
        var org = await orgCache.GetAsync(ct);
        var calendar = org.Calendars.GetValueOrDefault(organizationId) ?? ShippedCalendars.Default;
        var workingDays = 0;
        for (var d = new DateOnly(year, 1, 1); d.Year == year; d = d.AddDays(1))
            if (calendar.IsWorkingDay(d)) workingDays++;
        // A year not loaded shows the statutory days off it is counted on for now (provisional, without the 调休).
        var shown = info is not null
            ? days.Select(d => new CalendarDayView(Text(d.Date), d.Kind, d.Name, CalendarYear.Weekday(d.Date)))
            : StatutoryHolidays.For(year).Select(d => new CalendarDayView(Text(d.Date), CalendarDayKinds.Holiday, d.Name, CalendarYear.Weekday(d.Date)));
        return new CalendarYearView(organizationId, year, info is not null, info?.Origin, info?.Source, shown.ToList(),
            workingDays, status.Warnings);
    }

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void CheckYear(int year)
    {
        if (year is < 2000 or > 2100) throw new WorkflowInputException("year", "年份应在 2000 到 2100 之间");
    }

    internal static async Task<CurrentUser> AdminAsync(HttpContext http)
    {
        var user = await http.GetCurrentUserAsync();
        if (!user.Has(Permission.ConfigureSupervision)) throw new ForbiddenException("只有管理员可以维护工作日历、催办阶梯和考核规则");
        return user;
    }
}
