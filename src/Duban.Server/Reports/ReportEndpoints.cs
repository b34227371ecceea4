using System.Globalization;
using System.Text.Json;
using Duban.Data;
using Duban.Data.Attachments;
using Duban.Data.Documents;
using Duban.Data.Organization;
using Duban.Data.Reports;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Documents;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Reports;

/// <summary>生成督查专报: a template and a period — <c>preset</c> (week 本周, month 本月, quarter 本季度) or <c>from</c>/<c>to</c> (yyyy-MM-dd).</summary>
public sealed record GenerateReportRequest(string? TemplateKey, string? Preset, string? From, string? To);

public sealed record ReportView(Guid Id, string TemplateKey, string TemplateName, string PeriodFrom, string PeriodTo, string? Number, string FileName,
    long Size, bool Scheduled, string? CreatedByName, DateTimeOffset CreatedAt);

/// <summary>A weekly (<c>day</c> 1 = Monday … 7), monthly or quarterly (<c>day</c> 1 … 28 of the month, of the quarter's first month) report.</summary>
public sealed record SaveReportScheduleRequest(string? TemplateKey, string? Frequency, int? Day, bool? Paused);

public sealed record ReportScheduleView(Guid Id, string TemplateKey, string Frequency, int Day, bool Paused, DateTimeOffset? NextRunAt,
    DateTimeOffset? LastRunAt, string? LastError, string? UpdatedByName, DateTimeOffset UpdatedAt);

/// <summary>督查专报 from the ledger for a period (docs/decisions/048): generate, list, download; weekly or monthly schedules.</summary>
internal static class ReportEndpoints
{
    public static IServiceCollection AddDubanReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<ReportValues>().AddScoped<LedgerTimeNow>();
        services.Configure<ReportScheduleOptions>(configuration.GetSection("Duban:Reports"));
        services.AddSingleton<ReportScheduleWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ReportScheduleWorker>());
        return services;
    }

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports").WithTags("督查专报").RequireAuthorization();

        reports.MapGet("/", async Task<Ok<List<ReportView>>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await OfficeAsync(http);
            var rows = await db.Set<ReportRecord>().AsNoTracking().Where(r => r.OrganizationId == user.OrganizationId)
                .OrderByDescending(r => r.CreatedAt).Take(200).ToListAsync(ct);
            var seen = await SeenRestrictedAsync(db, user, ct);
            return TypedResults.Ok(rows.Where(r => MayRead(r, seen)).Select(View).ToList());
        }).WithSummary("本单位生成的督查专报（只列出本人能看到其全部统计事项的）").ProducesProblem(403);

        reports.MapPost("/", async Task<Created<ReportView>> (GenerateReportRequest request, HttpContext http, ReportValues values, WriteDoor door,
            LedgerTimeNow now, CancellationToken ct) =>
        {
            var user = await OfficeAsync(http);
            if (string.IsNullOrWhiteSpace(request.TemplateKey)) throw new WorkflowInputException("templateKey", "请选择文书模板");
            var (from, to) = Period(request, now.Today());
            var content = await values.BuildAsync(user, from, to, ct);
            var report = await door.RunAsync(new StoreReport(user.OrganizationId!, request.TemplateKey.Trim(), content, user.ToActor(), user, null), ct);
            return TypedResults.Created($"/api/reports/{report!.Id}", View(report));
        }).WithSummary("生成督查专报：按期间汇总台账（各状态与亮灯数、各单位超期、本期办结、催办、延期、考核得分）填入模板")
        .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        reports.MapGet("/{id:guid}", async (Guid id, string? format, HttpContext http, DubanDbContext db, AttachmentStorage storage, PdfConverter pdf,
            CancellationToken ct) =>
        {
            var user = await OfficeAsync(http);
            var report = await db.Set<ReportRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.OrganizationId == user.OrganizationId, ct);
            if (report is null || !MayRead(report, await SeenRestrictedAsync(db, user, ct))) throw new NotFoundException("督查专报不存在");
            await using var stream = storage.OpenRead(report.StorageKey) ?? throw new NotFoundException("专报文件已丢失，请联系管理员");
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return await DocumentEndpoints.FileAsync(buffer.ToArray(), Path.GetFileNameWithoutExtension(report.FileName), format, pdf, ct);
        }).WithSummary("下载督查专报（.docx；format=pdf 时为 PDF，需服务器安装 LibreOffice）").ProducesProblem(403).ProducesProblem(404);

        var schedules = app.MapGroup("/api/report-schedules").WithTags("督查专报").RequireAuthorization();

        schedules.MapGet("/", async Task<Ok<List<ReportScheduleView>>> (HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await OfficeAsync(http);
            var rows = await db.Set<ReportScheduleRecord>().AsNoTracking().Where(s => s.OrganizationId == user.OrganizationId).ToListAsync(ct);
            return TypedResults.Ok(rows.OrderBy(s => s.CreatedAt).Select(View).ToList());
        }).WithSummary("定期专报（每周、每月、每季度自动生成）").ProducesProblem(403);

        schedules.MapPost("/", async Task<Created<ReportScheduleView>> (SaveReportScheduleRequest request, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var saved = await door.RunAsync(new SaveReportSchedule(user, null, request.TemplateKey, request.Frequency, request.Day, request.Paused ?? false), ct);
            return TypedResults.Created($"/api/report-schedules/{saved.Id}", View(saved));
        }).WithSummary("新增定期专报（管理员）").ProducesValidationProblem().ProducesProblem(403);

        schedules.MapPut("/{id:guid}", async Task<Ok<ReportScheduleView>> (Guid id, SaveReportScheduleRequest request, HttpContext http, WriteDoor door,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var saved = await door.RunAsync(new SaveReportSchedule(user, id, request.TemplateKey, request.Frequency, request.Day, request.Paused ?? false), ct);
            return TypedResults.Ok(View(saved));
        }).WithSummary("修改定期专报（管理员）").ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        schedules.MapDelete("/{id:guid}", async (Guid id, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            await door.RunAsync(new DeleteReportSchedule(await http.GetCurrentUserAsync(), id), ct);
            return TypedResults.NoContent();
        }).WithSummary("删除定期专报（管理员；已生成的专报保留）").ProducesProblem(403).ProducesProblem(404);

        return app;
    }

    /// <summary>The office: 督查员 and administrators of an organization read and make reports.</summary>
    private static async Task<CurrentUser> OfficeAsync(HttpContext http)
    {
        var user = await http.GetCurrentUserAsync();
        if (!DocumentRoles.MayGenerate(user)) throw new ForbiddenException("只有督查员或管理员可以查看和生成督查专报");
        OrganizationScope.Require(user);
        return user;
    }

    /// <summary>The confidential items the user sees: a report that counted others is not his to read.</summary>
    private static async Task<HashSet<Guid>> SeenRestrictedAsync(DubanDbContext db, CurrentUser user, CancellationToken ct) =>
        (await ItemVisibility.Visible(db, user).Where(i => i.IsRestricted).Select(i => i.Id).ToListAsync(ct)).ToHashSet();

    private static bool MayRead(ReportRecord report, HashSet<Guid> seen) =>
        (JsonSerializer.Deserialize<List<Guid>>(report.RestrictedItemIdsJson) ?? []).All(seen.Contains);

    private static (DateOnly From, DateOnly To) Period(GenerateReportRequest request, DateOnly today)
    {
        if (!string.IsNullOrWhiteSpace(request.Preset))
            return ReportPeriods.Preset(request.Preset.Trim(), today)
                ?? throw new WorkflowInputException("preset", "期间只能是 week（本周）、month（本月）或 quarter（本季度）");
        var errors = new List<FieldError>();
        DateOnly? Date(string? text, string field, string label)
        {
            if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add(new(field, $"请填写{label}（yyyy-MM-dd）"));
            return null;
        }
        var from = Date(request.From, "from", "开始日期");
        var to = Date(request.To, "to", "结束日期");
        if (from > to) errors.Add(new("to", "结束日期不能早于开始日期"));
        else if (from is { } f && to is { } t && t.DayNumber - f.DayNumber > 366) errors.Add(new("to", "期间不超过一年"));
        if (errors.Count > 0) throw new WorkflowInputException("期间有误", errors);
        return (from!.Value, to!.Value);
    }

    private static ReportView View(ReportRecord r) => new(r.Id, r.TemplateKey, r.TemplateName,
        r.PeriodFrom.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.PeriodTo.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        r.Number, r.FileName, r.Size, r.ScheduleId is not null, r.CreatedByName, r.CreatedAt);

    private static ReportScheduleView View(ReportScheduleRecord s) =>
        new(s.Id, s.TemplateKey, s.Frequency, s.Day, s.Paused, s.NextRunAt, s.LastRunAt, s.LastError, s.UpdatedByName, s.UpdatedAt);
}

/// <summary>Today in China time, on the host's clock (the virtual clock in a demo).</summary>
internal sealed class LedgerTimeNow(TimeProvider clock)
{
    public DateOnly Today() => ChinaTime.DateOf(clock.GetUtcNow());
}
