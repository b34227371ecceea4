using Duban.Data.Jobs;
using Duban.Data.Organization;
using Duban.Data.Reports;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Duban.Server.Reports;

/// <summary>Configuration section <c>Duban:Reports</c>.</summary>
public sealed class ReportScheduleOptions : LeasedJobOptions
{
    public ReportScheduleOptions() => PollInterval = TimeSpan.FromSeconds(60);
}

/// <summary>
/// Makes the scheduled 督查专报 (docs/decisions/048): every poll it claims, with the one lease mechanism of the background
/// jobs, the schedules whose run has come, counts the period just ended as the office sees it, and stores the report in a
/// write of its own (which plans the next run and tells the office). A run missed while the server was down is made on
/// the first poll, for the period before the day it was due.
/// </summary>
public sealed class ReportScheduleWorker(IServiceScopeFactory scopes, IOptions<ReportScheduleOptions> options, ILogger<ReportScheduleWorker> logger)
    : LeasedWorker<ReportScheduleRecord>(scopes, options.Value, logger)
{
    public static readonly LeasedQueue<ReportScheduleRecord> Due = new(nameof(ReportScheduleRecord.NextRunAt));

    protected override LeasedQueue<ReportScheduleRecord> Queue => Due;

    /// <summary>
    /// Whom a scheduled report is counted for: the office as a whole — a 督查员 of the organization named on no confidential
    /// item — so every 督查员 and administrator of it may read the report it makes.
    /// </summary>
    public static CurrentUser OfficeViewer(string organizationId) =>
        new("system:report-schedule", "system", "定期专报", null, null, [Roles.Supervisor]) { OrganizationId = organizationId };

    protected override async Task<int> ProcessAsync(IServiceProvider services, Guid id, string owner, CancellationToken ct)
    {
        var db = services.GetRequiredService<Duban.Data.DubanDbContext>();
        var schedule = await db.Set<ReportScheduleRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (schedule is null || schedule.LeaseOwner != owner || schedule.NextRunAt is not { } due) return 0;
        var (from, to) = ReportPeriods.PastPeriod(schedule.Frequency, ChinaTime.DateOf(due));
        var viewer = OfficeViewer(schedule.OrganizationId);
        var content = await services.GetRequiredService<ReportValues>().BuildAsync(viewer, from, to, ct);
        var report = await services.GetRequiredService<WriteDoor>().RunAsync(new StoreReport(schedule.OrganizationId, schedule.TemplateKey, content,
            new Actor(viewer.Id, viewer.DisplayName, null, null, viewer.Roles), null, new ReportScheduleRun(id, owner)), ct);
        return report is null ? 0 : 1;
    }

    protected override Task GiveUpAsync(IServiceProvider services, Guid id, string error, CancellationToken ct) =>
        services.GetRequiredService<WriteDoor>().RunAsync(new ReportScheduleGaveUp(id, error), ct);
}
