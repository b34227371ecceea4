using System.Text.Json.Nodes;
using System.Text.Json;
using Duban.Data;
using Duban.Data.Attachments;
using Duban.Data.Audit;
using Duban.Data.Organization;
using Duban.Data.Supervision;
using Duban.Data.Supervision.Referrals;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>An organization below the viewer's, to assign items to.</summary>
public sealed record SubordinateOrganizationDto(string Id, string Name);
/// <param name="SuperiorOrganizationId">None: the organization has no superior.</param>
public sealed record SetSuperiorOrganizationRequest(string? SuperiorOrganizationId);
/// <param name="TaskId">The item's open step the 交办 answers (its unit's task); left out: the report is only shown on the item.</param>
/// <param name="ReportField">The field of that step's form the report's text fills (one the step may edit).</param>
/// <param name="FileIds">Files of the item, ones the assigner may read, passed down with the notice.</param>
public sealed record AssignReferralRequest(string? SubordinateOrganizationId, string? Requirements, DateTimeOffset? DueAt, Guid? TaskId = null, string? ReportField = null,
    List<Guid>? FileIds = null);
/// <param name="Reason">撤回原因 (required, at most 500 characters): the subordinate's office reads it.</param>
public sealed record WithdrawReferralRequest(string? Reason);
public sealed record StartReferralRequest(string? DefinitionId, JsonObject? Data);
/// <param name="FileIds">Files of the office's own item to send up with the report (see GET /api/referrals/{id}/files).</param>
public sealed record ReportReferralRequest(string? Text, List<Guid>? FileIds = null);

/// <summary>The subordinate's item as the superior sees it: progress only.</summary>
/// <param name="Status">open (在办), completed (办结), cancelled (撤销) or faulted (运行异常: its procedure stopped on an error).</param>
/// <param name="CurrentSteps">The names of its open steps.</param>
/// <param name="Light">green / yellow / red while open.</param>
/// <param name="DueAt">Its 期限 as its own ledger shows it: the item's deadline, else its nearest open step's (decision 018).</param>
public sealed record ReferralProgressDto(string Status, IReadOnlyList<string> CurrentSteps, string? Light, DateTimeOffset? DueAt, DateTimeOffset? FinishedAt);

/// <summary>上级交办 as the superior sees it on its item: to whom, what was asked, the subordinate's progress and its report — nothing else.</summary>
/// <param name="StepName">The superior's step the 交办 answers, if any.</param>
/// <param name="CompletedStep">The report completed that step.</param>
/// <param name="PassedFiles">Files of this item passed down with the notice (download them as the item's attachments).</param>
public sealed record ReferralSummaryDto(Guid Id, string SubordinateOrganizationId, string SubordinateOrganizationName, ReferralStatus Status, string? Requirements,
    DateTimeOffset? DueAt, DateTimeOffset CreatedAt, string CreatedByName, Guid? TaskId, string? StepName, ReferralProgressDto? Progress, string? ReportText,
    DateTimeOffset? ReportedAt, bool CompletedStep, IReadOnlyList<ReportFile> ReportFiles, IReadOnlyList<ReportFile> PassedFiles, DateTimeOffset? WithdrawnAt,
    string? WithdrawnByName, string? WithdrawnReason);

/// <summary>上级交办 as the subordinate's office sees it: the superior's notice, its own item once started, what it reported.</summary>
/// <param name="ItemId">Its own item, once started.</param>
/// <param name="PassedFiles">The superior's files passed down with the notice (GET /api/referrals/{id}/passed-files/{fileId}).</param>
public sealed record IncomingReferralDto(Guid Id, string SuperiorOrganizationName, string Title, string? Requirements, DateTimeOffset? DueAt, DateTimeOffset CreatedAt,
    string CreatedByName, ReferralStatus Status, Guid? ItemId, WorkflowStatus? ItemStatus, string? ReportText, DateTimeOffset? ReportedAt,
    IReadOnlyList<ReportFile> ReportFiles, IReadOnlyList<ReportFile> PassedFiles, DateTimeOffset? WithdrawnAt, string? WithdrawnReason);

/// <summary>The 交办 an item of the viewer's organization was started for, as its item page shows it: the superior's notice and whether it was withdrawn.</summary>
/// <param name="Files">The superior's files, as this item's attachments (their ids here).</param>
public sealed record ReferralOriginDto(Guid Id, string SuperiorOrganizationName, string Title, string? Requirements, DateTimeOffset? DueAt, DateTimeOffset CreatedAt,
    ReferralStatus Status, DateTimeOffset? WithdrawnAt, string? WithdrawnReason, IReadOnlyList<ReportFile> Files);

/// <summary>
/// 上级交办 between organizations on one installation (decision 050): the platform administrator links an organization to
/// its superior; the superior's 督查室 assigns an item; the subordinate's 督查室 starts it with its own procedure and sends
/// the 办结报告 back; the superior reads progress and the report on its item.
/// </summary>
internal static class ReferralEndpoints
{
    public static void MapReferralsApi(this IEndpointRouteBuilder app)
    {
        app.MapPut("/api/platform/organizations/{id}/superior", async (string id, SetSuperiorOrganizationRequest request, HttpContext http, WriteDoor door,
            CancellationToken ct) =>
        {
            var superior = await door.RunAsync(new SetSuperiorOrganization(await http.GetCurrentUserAsync(), id, request.SuperiorOrganizationId), ct);
            return TypedResults.Ok(new SetSuperiorOrganizationRequest(superior));
        }).WithTags("平台").RequireAuthorization().RequireRole(Roles.Platform).WithSummary("设置组织的上级组织（上级交办；留空为无上级）").ProducesValidationProblem();

        var group = app.MapGroup("/api").WithTags("上级交办").RequireAuthorization();

        group.MapGet("/referral-targets", async Task<Ok<List<SubordinateOrganizationDto>>> (HttpContext http, DubanDbContext db, OrganizationCache cache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (user.OrganizationId is not { } organizationId || !user.Has(Permission.Supervise)) return TypedResults.Ok(new List<SubordinateOrganizationDto>());
            var org = await cache.GetAsync(ct);
            var ids = await db.Set<OrganizationLinkRecord>().AsNoTracking().Where(l => l.SuperiorOrganizationId == organizationId)
                .Select(l => l.OrganizationId).ToListAsync(ct);
            return TypedResults.Ok(ids.Order(StringComparer.Ordinal).Select(i => new SubordinateOrganizationDto(i, org.FindUnit(i)?.Name ?? i)).ToList());
        }).WithSummary("可交办的下级组织（督查部门）");

        group.MapGet("/instances/{id:guid}/referrals", async Task<Ok<List<ReferralSummaryDto>>> (Guid id, HttpContext http, DubanDbContext db,
            OrganizationCache cache, DeadlineLights lights, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            var referrals = await db.Set<ReferralRecord>().AsNoTracking().Where(r => r.SuperiorItemId == id).OrderBy(r => r.CreatedAt).ToListAsync(ct);
            return TypedResults.Ok(await SummariesAsync(db, await cache.GetAsync(ct), lights, referrals, ct));
        }).WithSummary("事项的上级交办：下级组织的办理进度与办结报告");

        group.MapPost("/instances/{id:guid}/referrals", async Task<Created<ReferralSummaryDto>> (Guid id, AssignReferralRequest request, HttpContext http,
            WriteDoor door, DubanDbContext db, OrganizationCache cache, DeadlineLights lights, CancellationToken ct) =>
        {
            var referral = await door.RunAsync(new AssignReferral(await http.GetCurrentUserAsync(), id, request.SubordinateOrganizationId, request.Requirements,
                request.DueAt, request.TaskId, request.ReportField, request.FileIds), ct);
            var summary = (await SummariesAsync(db, await cache.GetAsync(ct), lights, [referral], ct))[0];
            return TypedResults.Created($"/api/instances/{id}/referrals", summary);
        }).WithSummary("交办给下级组织（督查部门；可指定本事项正在办理的环节，由下级的办结报告完成该环节）").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/instances/{id:guid}/referrals/{referralId:guid}/withdraw", async Task<Ok<ReferralSummaryDto>> (Guid id, Guid referralId,
            WithdrawReferralRequest request, HttpContext http, WriteDoor door, DubanDbContext db, OrganizationCache cache, DeadlineLights lights, CancellationToken ct) =>
        {
            var referral = await door.RunAsync(new WithdrawReferral(await http.GetCurrentUserAsync(), id, referralId, request.Reason), ct);
            return TypedResults.Ok((await SummariesAsync(db, await cache.GetAsync(ct), lights, [referral], ct))[0]);
        }).WithSummary("撤回交办（督查部门；须填写原因；下级已报送办结报告的不能撤回）").ProducesValidationProblem().ProducesProblem(409);

        group.MapGet("/instances/{id:guid}/referred-by", async Task<Ok<List<ReferralOriginDto>>> (Guid id, HttpContext http, DubanDbContext db,
            OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            var org = await cache.GetAsync(ct);
            var referrals = await db.Set<ReferralRecord>().AsNoTracking().Where(r => r.SubordinateItemId == id && r.SubordinateOrganizationId == user.OrganizationId)
                .ToListAsync(ct);
            return TypedResults.Ok(referrals.Select(r => new ReferralOriginDto(r.Id, org.FindUnit(r.SuperiorOrganizationId)?.Name ?? r.SuperiorOrganizationId,
                r.Title, r.Requirements, r.DueAt, r.CreatedAt, r.Status, r.WithdrawnAt, r.WithdrawnReason,
                [.. PassedOf(r).Where(f => f.CopyId is not null).Select(f => new ReportFile(f.CopyId!.Value, f.Name, f.Size))])).ToList());
        }).WithSummary("本事项承接的上级交办：上级的交办通知及是否已撤回");

        group.MapGet("/referrals/incoming", async Task<Ok<List<IncomingReferralDto>>> (HttpContext http, DubanDbContext db, OrganizationCache cache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (user.OrganizationId is not { } organizationId || !user.Has(Permission.Supervise) || user.OutsideBusiness)
                return TypedResults.Ok(new List<IncomingReferralDto>());
            var referrals = await db.Set<ReferralRecord>().AsNoTracking().Where(r => r.SubordinateOrganizationId == organizationId)
                .OrderByDescending(r => r.CreatedAt).Take(500).ToListAsync(ct);
            return TypedResults.Ok(await IncomingAsync(db, await cache.GetAsync(ct), referrals, ct));
        }).WithSummary("上级交办：本组织收到的交办（督查部门）");

        group.MapGet("/referrals/{id:guid}", async Task<Ok<IncomingReferralDto>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache cache,
            CancellationToken ct) =>
        {
            var referral = await Referrals.IncomingAsync(db, await http.GetCurrentUserAsync(), id, ct);
            return TypedResults.Ok((await IncomingAsync(db, await cache.GetAsync(ct), [referral], ct))[0]);
        }).WithSummary("一件收到的上级交办（督查部门）");

        group.MapPost("/referrals/{id:guid}/start", async Task<Created<IncomingReferralDto>> (Guid id, StartReferralRequest request, HttpContext http,
            WriteDoor door, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var instance = await door.RunAsync(new StartReferral(user, id, request.DefinitionId, request.Data), ct);
            var referral = await Referrals.IncomingAsync(db, user, id, ct);
            return TypedResults.Created($"/api/instances/{instance.Id}", (await IncomingAsync(db, await cache.GetAsync(ct), [referral], ct))[0]);
        }).WithSummary("启动办理：以本组织的流程和单位新建事项（督查部门）").ProducesValidationProblem().ProducesProblem(409);

        group.MapPost("/referrals/{id:guid}/report", async Task<Ok<IncomingReferralDto>> (Guid id, ReportReferralRequest request,
            [FromHeader(Name = Idempotency.Header)] string? idempotencyKey, HttpContext http, WriteDoor door, DubanDbContext db, OrganizationCache cache,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            await door.RunAsync(new ReportReferral(user, id, request.Text, request.FileIds), Idempotency.KeyOf(idempotencyKey, user, "referral-report", id, request), ct);
            var referral = await Referrals.IncomingAsync(db, user, id, ct);
            return TypedResults.Ok((await IncomingAsync(db, await cache.GetAsync(ct), [referral], ct))[0]);
        }).WithSummary("上报办结报告：本组织的事项办结后报给上级（督查部门；可带 Idempotency-Key 头，重复上报被拒绝）")
            .ProducesValidationProblem().ProducesProblem(409);

        group.MapGet("/referrals/{id:guid}/files", async Task<Ok<List<ReportFile>>> (Guid id, HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var referral = await Referrals.IncomingAsync(db, await http.GetCurrentUserAsync(), id, ct);
            if (referral.SubordinateItemId is not { } own) return TypedResults.Ok(new List<ReportFile>());
            return TypedResults.Ok(await db.Attachments.AsNoTracking().Where(a => a.InstanceId == own).OrderBy(a => a.UploadedAt)
                .Select(a => new ReportFile(a.Id, a.FileName, a.Size)).ToListAsync(ct));
        }).WithSummary("本单位办理事项中可随办结报告上报的附件（督查部门）");

        group.MapGet("/referrals/{id:guid}/passed-files/{fileId:guid}", async (Guid id, Guid fileId, HttpContext http, DubanDbContext db,
            AttachmentStorage storage, WriteDoor door, CancellationToken ct) =>
        {
            var referral = await Referrals.IncomingAsync(db, await http.GetCurrentUserAsync(), id, ct);
            // Only a file the superior passed down, read through the 交办 (its item stays 404), while the 交办 stands.
            if (referral.Status == ReferralStatus.Withdrawn || !PassedOf(referral).Any(f => f.Id == fileId)) throw new NotFoundException("附件不存在");
            var record = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == fileId && a.InstanceId == referral.SuperiorItemId, ct)
                ?? throw new NotFoundException("附件不存在");
            return await DownloadAsync(http, storage, door, record, $"下载上级交办的附件「{record.FileName}」", ct);
        }).WithSummary("下载上级随交办下发的附件（督查部门）").ProducesProblem(404);

        group.MapGet("/instances/{id:guid}/referrals/{referralId:guid}/files/{fileId:guid}", async (Guid id, Guid referralId, Guid fileId, HttpContext http,
            DubanDbContext db, AttachmentStorage storage, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            var referral = await db.Set<ReferralRecord>().AsNoTracking().FirstOrDefaultAsync(r => r.Id == referralId && r.SuperiorItemId == id, ct);
            // Only a file the subordinate sent up with its report, read through the 交办 — never its item's other files.
            if (referral is null || !FilesOf(referral).Any(f => f.Id == fileId)) throw new NotFoundException("附件不存在");
            var record = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == fileId && a.InstanceId == referral.SubordinateItemId, ct)
                ?? throw new NotFoundException("附件不存在");
            return await DownloadAsync(http, storage, door, record, $"下载上级交办的报告附件「{record.FileName}」", ct);
        }).WithSummary("下载下级随办结报告上报的附件").ProducesProblem(404);
    }

    /// <summary>A file read through a 交办 (either way): its download audited, served as the attachments' own downloads are.</summary>
    private static async Task<FileStreamHttpResult> DownloadAsync(HttpContext http, AttachmentStorage storage, WriteDoor door, AttachmentRecord record,
        string audited, CancellationToken ct)
    {
        var stream = storage.OpenRead(record.StorageKey) ?? throw new NotFoundException("附件文件已丢失，请联系管理员");
        await door.RunAsync(new RecordAuditEvent(AuditedOperations.Download, record.Id.ToString(), audited, AuditResults.Succeeded), ct);
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.File(stream, record.ContentType, record.FileName, enableRangeProcessing: true);
    }

    private static async Task<List<ReferralSummaryDto>> SummariesAsync(DubanDbContext db, OrganizationSnapshot org, DeadlineLights lights,
        IReadOnlyList<ReferralRecord> referrals, CancellationToken ct)
    {
        var itemIds = referrals.Where(r => r.SubordinateItemId is not null).Select(r => r.SubordinateItemId!.Value).ToList();
        // The subordinate's items are read here for their progress only — never handed out whole (decision 050).
        var items = await db.Instances.AsNoTracking().Where(i => itemIds.Contains(i.Id))
            .Select(i => new { i.Id, i.DefinitionRecordId, i.Status, i.CreatedAt, DueAt = i.LedgerDueAt, i.FinishedAt, i.InitiatorUnitId }).ToDictionaryAsync(i => i.Id, ct);
        var steps = await db.Tasks.AsNoTracking().Where(t => itemIds.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open && t.BookmarkId != null)
            .Select(t => new { t.InstanceId, t.Name }).ToListAsync(ct);
        var taskIds = referrals.Where(r => r.SuperiorTaskId is not null).Select(r => r.SuperiorTaskId!.Value).ToList();
        var stepNames = await db.Tasks.AsNoTracking().Where(t => taskIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var judge = await lights.JudgeAsync(items.Values.Select(i => i.DefinitionRecordId), ct);
        return referrals.Select(r =>
        {
            ReferralProgressDto? progress = null;
            if (r.SubordinateItemId is { } own && items.TryGetValue(own, out var i))
            {
                var open = i.Status is not (WorkflowStatus.Completed or WorkflowStatus.Cancelled);
                progress = new ReferralProgressDto(i.Status switch
                {
                    WorkflowStatus.Completed => "completed",
                    WorkflowStatus.Cancelled => "cancelled",
                    WorkflowStatus.Faulted => "faulted",
                    _ => "open",
                },
                    [.. steps.Where(s => s.InstanceId == own).Select(s => s.Name).Distinct()],
                    open ? judge.Of(i.DefinitionRecordId, i.CreatedAt, i.DueAt, i.InitiatorUnitId) : null, i.DueAt, i.FinishedAt);
            }
            return new ReferralSummaryDto(r.Id, r.SubordinateOrganizationId, org.FindUnit(r.SubordinateOrganizationId)?.Name ?? r.SubordinateOrganizationId, r.Status,
                r.Requirements, r.DueAt, r.CreatedAt, r.CreatedByName, r.SuperiorTaskId, r.SuperiorTaskId is { } t ? stepNames.GetValueOrDefault(t) : null, progress,
                r.ReportText, r.ReportedAt, r.CompletedSuperiorStep, FilesOf(r), [.. PassedOf(r).Select(f => new ReportFile(f.Id, f.Name, f.Size))],
                r.WithdrawnAt, r.WithdrawnByName, r.WithdrawnReason);
        }).ToList();
    }

    private static async Task<List<IncomingReferralDto>> IncomingAsync(DubanDbContext db, OrganizationSnapshot org, IReadOnlyList<ReferralRecord> referrals,
        CancellationToken ct)
    {
        var itemIds = referrals.Where(r => r.SubordinateItemId is not null).Select(r => r.SubordinateItemId!.Value).ToList();
        var statuses = await db.Instances.AsNoTracking().Where(i => itemIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Status, ct);
        return referrals.Select(r => new IncomingReferralDto(r.Id, org.FindUnit(r.SuperiorOrganizationId)?.Name ?? r.SuperiorOrganizationId, r.Title, r.Requirements,
            r.DueAt, r.CreatedAt, r.CreatedByName, r.Status, r.SubordinateItemId,
            r.SubordinateItemId is { } own && statuses.TryGetValue(own, out var s) ? s : null, r.ReportText, r.ReportedAt, FilesOf(r),
            [.. PassedOf(r).Select(f => new ReportFile(f.Id, f.Name, f.Size))], r.WithdrawnAt, r.WithdrawnReason)).ToList();
    }

    private static List<ReportFile> FilesOf(ReferralRecord r) =>
        JsonSerializer.Deserialize<List<ReportFile>>(r.ReportFilesJson, DefinitionJson.Options) ?? [];

    private static List<PassedFile> PassedOf(ReferralRecord r) =>
        string.IsNullOrEmpty(r.PassedFilesJson) ? [] : JsonSerializer.Deserialize<List<PassedFile>>(r.PassedFilesJson, DefinitionJson.Options) ?? [];
}
