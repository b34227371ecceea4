using Duban.Data.Documents;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Reports;

/// <summary>
/// 定期专报: an administrator sets (or changes) a weekly or monthly report by clicking — a template, a weekday or a day of
/// the month (docs/decisions/048). <paramref name="Id"/> null: a new schedule.
/// </summary>
public sealed record SaveReportSchedule(CurrentUser User, Guid? Id, string? TemplateKey, string? Frequency, int? Day, bool Paused) : IWrite<ReportScheduleRecord>
{
    public string Operation => "report-schedule-save";
    public string Subject => Id?.ToString() ?? TemplateKey ?? "";
}

internal sealed class SaveReportScheduleHandler : IWriteHandler<SaveReportSchedule, ReportScheduleRecord>
{
    public async Task<ReportScheduleRecord> HandleAsync(SaveReportSchedule write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        if (!write.User.Has(Permission.ConfigureSupervision)) throw new ForbiddenException("只有有「督查制度设置」权限的人员（管理员）可以设置定期专报");
        var organizationId = OrganizationScope.Require(write.User);
        var errors = new List<FieldError>();
        if (write.Frequency is not (ReportFrequency.Weekly or ReportFrequency.Monthly or ReportFrequency.Quarterly))
            errors.Add(new("frequency", "频率只能是 weekly（每周）、monthly（每月）或 quarterly（每季度）"));
        else if (write.Frequency == ReportFrequency.Weekly && write.Day is not (>= 1 and <= 7))
            errors.Add(new("day", "每周专报请选择星期一至星期日"));
        else if (write.Frequency == ReportFrequency.Monthly && write.Day is not (>= 1 and <= 28))
            errors.Add(new("day", "每月专报请选择 1 至 28 日"));
        else if (write.Frequency == ReportFrequency.Quarterly && write.Day is not (>= 1 and <= 28))
            errors.Add(new("day", "每季度专报请选择季度首月的 1 至 28 日"));
        if (string.IsNullOrWhiteSpace(write.TemplateKey)) errors.Add(new("templateKey", "请选择文书模板"));
        else if (await DocumentTemplates.LatestAsync(db, organizationId, write.TemplateKey, ct) is null)
            errors.Add(new("templateKey", $"文书模板「{write.TemplateKey}」不存在"));
        if (errors.Count > 0) throw new WorkflowInputException("定期专报设置有误", errors);

        ReportScheduleRecord schedule;
        if (write.Id is { } id)
        {
            schedule = await db.Set<ReportScheduleRecord>().FirstOrDefaultAsync(s => s.Id == id && s.OrganizationId == organizationId, ct)
                ?? throw new NotFoundException("定期专报不存在");
        }
        else
        {
            schedule = new ReportScheduleRecord
            {
                Id = Guid.CreateVersion7(),
                OrganizationId = organizationId,
                TemplateKey = write.TemplateKey!,
                Frequency = write.Frequency!,
                CreatedAt = context.Now,
                CreatedByName = write.User.DisplayName,
            };
            db.Add(schedule);
        }
        schedule.TemplateKey = write.TemplateKey!.Trim();
        schedule.Frequency = write.Frequency!;
        schedule.Day = write.Day!.Value;
        schedule.Paused = write.Paused;
        // The first run is the next such day after today: a report is made for a period that has ended.
        schedule.NextRunAt = write.Paused ? null
            : ReportPeriods.RunAt(ReportPeriods.NextRun(schedule.Frequency, schedule.Day, ChinaTime.DateOf(context.Now).AddDays(1)));
        schedule.UpdatedAt = context.Now;
        schedule.UpdatedByName = write.User.DisplayName;
        return schedule;
    }
}

/// <summary>删除定期专报 (an administrator of the organization). The reports it made stay.</summary>
public sealed record DeleteReportSchedule(CurrentUser User, Guid Id) : IWrite<bool>
{
    public string Operation => "report-schedule-delete";
    public string Subject => Id.ToString();
}

internal sealed class DeleteReportScheduleHandler : IWriteHandler<DeleteReportSchedule, bool>
{
    public async Task<bool> HandleAsync(DeleteReportSchedule write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.ConfigureSupervision)) throw new ForbiddenException("只有有「督查制度设置」权限的人员（管理员）可以设置定期专报");
        var organizationId = OrganizationScope.Require(write.User);
        var schedule = await context.Db.Set<ReportScheduleRecord>().FirstOrDefaultAsync(s => s.Id == write.Id && s.OrganizationId == organizationId, ct)
            ?? throw new NotFoundException("定期专报不存在");
        context.Db.Remove(schedule);
        return true;
    }
}
