using System.Text.Json;
using Duban.Data.Documents;
using Duban.Data.Notifications;
using Duban.Data.Organization;
using Duban.Data.Attachments;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Reports;

/// <summary>What a report says, counted from the ledger for its viewer before the write (the reads are the ledger's own).</summary>
/// <param name="RestrictedItemIds">The confidential items among those counted: a reader of the report must see each.</param>
public sealed record ReportContent(DateOnly From, DateOnly To, DocumentValues Values, IReadOnlyList<Guid> RestrictedItemIds);

/// <summary>A scheduled run: the schedule and the worker that holds its lease.</summary>
public sealed record ReportScheduleRun(Guid ScheduleId, string Owner);

/// <summary>
/// 生成督查专报 (docs/decisions/048): fills the organization's latest version of the template with what the ledger counted,
/// gives it its 文号 when the template numbers documents, stores the file and the <see cref="ReportRecord"/>. Asked for by
/// the office (<paramref name="User"/>, a 督查员 or administrator) or by a schedule (<paramref name="Run"/>: the schedule
/// moves on to its next run, and the office is told).
/// </summary>
public sealed record StoreReport(string OrganizationId, string TemplateKey, ReportContent Content, Actor Actor, CurrentUser? User, ReportScheduleRun? Run)
    : IWrite<ReportRecord?>
{
    public string Operation => Run is null ? "report-generate" : "report-schedule-run";
    public string Subject => Run?.ScheduleId.ToString() ?? TemplateKey;
}

internal sealed class StoreReportHandler(AttachmentStorage storage) : IWriteHandler<StoreReport, ReportRecord?>
{
    public async Task<ReportRecord?> HandleAsync(StoreReport write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        ReportScheduleRecord? schedule = null;
        if (write.Run is { } run)
        {
            schedule = await db.Set<ReportScheduleRecord>().FirstOrDefaultAsync(s => s.Id == run.ScheduleId, ct);
            // Another worker took it over (this one's lease ran out), or it was deleted: nothing to do.
            if (schedule is null || schedule.LeaseOwner != run.Owner) return null;
        }
        else if (write.User is not { } user || !DocumentRoles.MayGenerate(user) || user.OrganizationId != write.OrganizationId)
        {
            throw new ForbiddenException("只有督查员或管理员可以生成督查专报");
        }

        var template = await DocumentTemplates.LatestAsync(db, write.OrganizationId, write.TemplateKey, ct);
        if (template is null)
        {
            if (schedule is null) throw new NotFoundException("文书模板不存在");
            Moved(schedule, context, $"文书模板「{write.TemplateKey}」不存在，未生成专报");
            return null;
        }
        var number = await DocumentMaker.NumberAsync(context, write.OrganizationId, template.NumberPattern, ct);
        var values = write.Content.Values;
        values.Set(number ?? "", "文号");
        var filled = DocxFiller.Fill(template.Content, values);

        var id = Guid.CreateVersion7();
        var stored = await storage.SaveAsync(id, context.Now, new MemoryStream(filled.Content), long.MaxValue, ct)
            ?? throw new InvalidOperationException("report not stored");
        context.IfNotCommitted(async () =>
        {
            if (!await db.Set<ReportRecord>().AsNoTracking().AnyAsync(r => r.StorageKey == stored.Key, CancellationToken.None)) storage.Delete(stored.Key);
        });
        var (from, to) = (write.Content.From, write.Content.To);
        var report = new ReportRecord
        {
            Id = id,
            OrganizationId = write.OrganizationId,
            TemplateKey = template.Key,
            TemplateName = template.Name,
            TemplateVersion = template.Version,
            PeriodFrom = from,
            PeriodTo = to,
            Number = number,
            FileName = DocumentTemplates.SafeFileName($"{template.Name}{(number is null ? "" : "（" + number + "）")}-{from:yyyyMMdd}-{to:yyyyMMdd}.docx"),
            StorageKey = stored.Key,
            Size = stored.Size,
            Sha256 = stored.Sha256,
            RestrictedItemIdsJson = JsonSerializer.Serialize(write.Content.RestrictedItemIds),
            ScheduleId = schedule?.Id,
            CreatedById = write.Actor.Id,
            CreatedByName = write.Actor.Name,
            CreatedAt = context.Now,
        };
        db.Add(report);
        if (schedule is not null)
        {
            schedule.LastReportId = report.Id;
            Moved(schedule, context, null);
            Tell(context, report);
        }
        return report;
    }

    /// <summary>The run is done (or could not be done): the next one is planned and the lease let go.</summary>
    private static void Moved(ReportScheduleRecord schedule, WriteContext context, string? error)
    {
        var today = ChinaTime.DateOf(context.Now);
        schedule.LastRunAt = context.Now;
        schedule.NextRunAt = ReportPeriods.RunAt(ReportPeriods.NextRun(schedule.Frequency, schedule.Day, today.AddDays(1)));
        schedule.LeaseOwner = null;
        schedule.LeaseUntil = null;
        schedule.Attempts = 0;
        schedule.LastError = error;
    }

    /// <summary>The office — whoever holds 督查督办 there — is told a scheduled report is ready.</summary>
    private static void Tell(WriteContext context, ReportRecord report)
    {
        // Whoever may read and generate reports there (督查督办, decision 049).
        var people = context.Organization.HoldersOf(report.OrganizationId, Permission.Supervise).Select(u => u.Id);
        foreach (var userId in people)
            context.Db.Set<NotificationRecord>().Add(new NotificationRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = report.OrganizationId,
                UserId = userId,
                Kind = NotificationKinds.Report,
                Title = $"《{report.TemplateName}》已生成",
                Body = $"{ReportPeriods.Describe(report.PeriodFrom, report.PeriodTo)}{(report.Number is null ? "" : "，" + report.Number)}，可在「督查专报」中下载。",
                EventKey = $"report:{report.Id:N}",
                CreatedAt = context.Now,
            });
    }
}

/// <summary>A schedule's run kept failing: the run is skipped, the error kept, and the schedule goes on to the next one.</summary>
public sealed record ReportScheduleGaveUp(Guid ScheduleId, string Error) : IWrite<bool>
{
    public string Operation => "report-schedule-gave-up";
    public string Subject => ScheduleId.ToString();
}

internal sealed class ReportScheduleGaveUpHandler : IWriteHandler<ReportScheduleGaveUp, bool>
{
    public async Task<bool> HandleAsync(ReportScheduleGaveUp write, WriteContext context, CancellationToken ct)
    {
        var schedule = await context.Db.Set<ReportScheduleRecord>().FirstOrDefaultAsync(s => s.Id == write.ScheduleId, ct);
        if (schedule is null) return false;
        var today = ChinaTime.DateOf(context.Now);
        schedule.NextRunAt = ReportPeriods.RunAt(ReportPeriods.NextRun(schedule.Frequency, schedule.Day, today.AddDays(1)));
        schedule.LeaseOwner = null;
        schedule.LeaseUntil = null;
        schedule.Attempts = 0;
        schedule.LastError = write.Error.Length > 2000 ? write.Error[..2000] : write.Error;
        return true;
    }
}
