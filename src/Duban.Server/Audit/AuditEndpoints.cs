using System.Data;
using System.Security.Claims;
using Duban.Data;
using Duban.Data.Audit;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

namespace Duban.Server.Audit;

public sealed record AuditEntryDto(long Id, DateTimeOffset At, string? UserName, string? Address, string Action, string ActionName,
    string? Subject, string Description, string Result, long? Sequence);

public sealed record AuditActionDto(string Action, string Name);

/// <summary>
/// 安全审计 (issue 18, decision 044): the organization's 审计员 reads its audit log, the platform administrator the
/// platform's own (organizations made, his sign-ins, sign-ins of unknown accounts); nobody else — the administrator whose
/// acts it records included. Rows are never changed or removed through the API; the chain is verified on demand.
/// </summary>
public static class AuditEndpoints
{
    public const int MaxExportRows = 50_000;

    /// <summary>Fills the scope's <see cref="AuditActor"/> from the sign-in and the connection (forwarded headers applied).</summary>
    public static IApplicationBuilder UseDubanAuditActor(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var actor = http.RequestServices.GetRequiredService<AuditActor>();
        if (http.User.Identity?.IsAuthenticated == true)
        {
            actor.UserId = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
            actor.UserName = http.User.Identity.Name;
        }
        actor.Address = http.Connection.RemoteIpAddress?.ToString();
        await next();
    });

    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("安全审计").RequireAuthorization();

        group.MapGet("", async (HttpContext http, DubanDbContext db, AuditSealer sealer, DateTimeOffset? from, DateTimeOffset? to, string? action,
            string? user, string? result, int? page, int? pageSize, CancellationToken ct) =>
        {
            var scope = await ScopeAsync(http);
            await sealer.SealAllAsync(ct);
            var (p, size) = Paging.Normalize(page, pageSize);
            var query = Filter(db, scope, from, to, action, user, result);
            var total = await query.CountAsync(ct);
            var rows = await query.OrderByDescending(r => r.Id).Skip((p - 1) * size).Take(size).ToListAsync(ct);
            return TypedResults.Ok(new PagedList<AuditEntryDto>(rows.Select(ToDto).ToList(), total, p, size));
        }).WithSummary("安全审计日志（审计员：本组织；平台管理员：平台）");

        group.MapGet("/actions", async (HttpContext http) =>
        {
            await ScopeAsync(http);
            return TypedResults.Ok(AuditedOperations.All.Select(a => new AuditActionDto(a.Key, a.Value)).ToList());
        }).WithSummary("审计日志记录的操作类型");

        group.MapGet("/verify", async (HttpContext http, DubanDbContext db, AuditSealer sealer, CancellationToken ct) =>
        {
            await ScopeAsync(http);
            await sealer.SealAllAsync(ct);
            return TypedResults.Ok(await AuditChain.VerifyAsync(db, ct));
        }).WithSummary("校验审计日志的哈希链（任何一条被改动、删除或调换顺序都会被发现）");

        group.MapGet("/export", async (HttpContext http, DubanDbContext db, AuditSealer sealer, WriteDoor door, DateTimeOffset? from, DateTimeOffset? to,
            string? action, string? user, string? result, CancellationToken ct) =>
        {
            var scope = await ScopeAsync(http);
            await sealer.SealAllAsync(ct);
            var query = Filter(db, scope, from, to, action, user, result);
            var total = await query.CountAsync(ct);
            if (total > MaxExportRows)
                throw new Duban.Engine.Execution.WorkflowInputException("export", $"符合条件的记录共 {total} 条，超过单次导出上限 {MaxExportRows} 条，请缩小时间范围后再导出");
            var rows = await query.OrderBy(r => r.Id).ToListAsync(ct);
            using var sheet = new DataTable("安全审计日志");
            foreach (var header in new[] { "序号", "时间", "账号", "地址", "操作", "对象", "说明", "结果", "链序号", "摘要" }) sheet.Columns.Add(header, typeof(string));
            var zone = LedgerTimeZone(http);
            foreach (var r in rows)
                sheet.Rows.Add(r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    TimeZoneInfo.ConvertTime(r.At, zone).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                    r.UserName, r.Address, AuditedOperations.NameOf(r.Action), r.Subject, r.Description, r.Result,
                    r.Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Hash);
            using var stream = new MemoryStream();
            await stream.SaveAsAsync(sheet, printHeader: true, sheetName: "安全审计日志", excelType: ExcelType.XLSX, cancellationToken: ct);
            await door.RunAsync(new RecordAuditEvent(AuditedOperations.Export, null, $"导出安全审计日志 {total} 条", AuditResults.Succeeded), ct);
            return TypedResults.File(stream.ToArray(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "安全审计日志.xlsx");
        }).WithSummary("导出安全审计日志为 Excel（与筛选条件一致）");

        return app;
    }

    /// <summary>Whose log the caller reads: his organization's (审计员) or the platform's (null; 平台管理员); else 403.</summary>
    private sealed record Scope(string? OrganizationId);

    private static async Task<Scope> ScopeAsync(HttpContext http)
    {
        var me = await http.GetCurrentUserAsync();
        if (me.Has(Permission.ReadAuditLog) && me.OrganizationId is { } organization) return new Scope(organization);
        if (me.IsInRole(Roles.Platform)) return new Scope(null);
        throw new ForbiddenException("只有审计员可以查看安全审计日志");
    }

    private static IQueryable<AuditRecord> Filter(DubanDbContext db, Scope scope, DateTimeOffset? from, DateTimeOffset? to, string? action,
        string? user, string? result)
    {
        var query = db.Set<AuditRecord>().AsNoTracking().Where(r => r.OrganizationId == scope.OrganizationId);
        if (from is { } f) query = query.Where(r => r.At >= f);
        if (to is { } t) query = query.Where(r => r.At < t);
        if (!string.IsNullOrWhiteSpace(action)) query = query.Where(r => r.Action == action);
        if (!string.IsNullOrWhiteSpace(user)) query = query.Where(r => r.UserName != null && r.UserName.Contains(user));
        if (!string.IsNullOrWhiteSpace(result)) query = query.Where(r => r.Result == result);
        return query;
    }

    private static TimeZoneInfo LedgerTimeZone(HttpContext http) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()["Duban:TimeZone"] is { Length: > 0 } id
            && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone
            : TimeZoneInfo.TryFindSystemTimeZoneById("Asia/Shanghai", out var shanghai) ? shanghai : TimeZoneInfo.Utc;

    private static AuditEntryDto ToDto(AuditRecord r) =>
        new(r.Id, r.At, r.UserName, r.Address, r.Action, AuditedOperations.NameOf(r.Action), r.Subject, r.Description, r.Result, r.Sequence);
}
