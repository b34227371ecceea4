using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Schedules;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Data.Calendar.Admin;

/// <summary>
/// An administrator loads a year — the shipped one, or a file in the same format — in place of what the organization
/// had for it (its single-day edits go too). The organization's open deadlines that may have been set on the old
/// calendar — on the statutory days alone while the year was not loaded — are worked out again (decision 024).
/// </summary>
public sealed record LoadCalendarYear(CurrentUser User, CalendarYear Year, string Origin) : IWrite<bool>, IRetryOnDuplicateKey
{
    public string Operation => "calendar-load";
    public string Subject => $"{User.UnitId}:{Year.Year}";
}

internal sealed class LoadCalendarYearHandler(OrganizationCache organizationCache, ItemWriter items) : IWriteHandler<LoadCalendarYear, bool>
{
    public async Task<bool> HandleAsync(LoadCalendarYear write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        var problems = write.Year.Problems();
        if (problems.Count > 0)
            throw new WorkflowInputException("节假日安排有误", problems.Select(p => new FieldError("days", p)).ToList());
        var organizationId = OrganizationScope.Require(write.User);
        var db = context.Db;
        if (await CalendarRows.EnsureShippedAsync(db, organizationId, context.Now, ct, except: write.Year.Year))
            CalendarRows.Put(db, organizationId, write.Year, write.Origin, write.User.DisplayName, context.Now);
        else
            await CalendarRows.ReplaceAsync(db, organizationId, write.Year, write.Origin, write.User.DisplayName, context.Now, ct);
        var calendar = DeadlineRecalculator.Replacing(context.Organization.CalendarFor(organizationId), write.Year.Year, write.Year.Days());
        await DeadlineRecalculator.RunAsync(context, items, organizationId, calendar, write.Year.Year, write.User.ToActor(), ct);
        await Scheduling.ReplanAsync(context.Db, organizationId, calendar, context.Now, ct);
        context.AfterCommit(organizationCache.Invalidate);
        return true;
    }
}
