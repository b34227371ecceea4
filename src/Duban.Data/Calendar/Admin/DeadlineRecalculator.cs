using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Calendar;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Calendar.Admin;

/// <summary>
/// After an organization's calendar for a year changed (the notice loaded, a day edited), works out again — through the
/// engine, journaled per item — the open deadlines that may have been set on the old one: those of the organization's
/// open items that fall on or after 1 January of that year (the ones set on the statutory days alone among them). An
/// approved extension is kept: the item's extended deadline, and the steps of the units that were granted one.
/// </summary>
internal static class DeadlineRecalculator
{
    public static async Task RunAsync(WriteContext context, ItemWriter items, string organizationId, WorkCalendar calendar, int year,
        Actor actor, CancellationToken ct)
    {
        var db = context.Db;
        var snapshot = context.Organization;
        var from = ChinaTime.StartOf(new DateOnly(year, 1, 1));
        var open = await db.Instances
            .Where(i => i.OrganizationId == organizationId && i.Status != WorkflowStatus.Completed && i.Status != WorkflowStatus.Cancelled
                && ((i.DueAt != null && i.DueAt >= from)
                    || db.Tasks.Any(t => t.InstanceId == i.Id && t.Status == HumanTaskStatus.Open && t.DueAt != null && t.DueAt >= from)))
            .ToListAsync(ct);
        var organization = new WithCalendar(snapshot, organizationId, calendar);
        foreach (var instance in open)
        {
            var extended = await db.Set<ExtensionRecord>()
                .Where(e => e.InstanceId == instance.Id && e.Status == ExtensionStatus.Approved).Select(e => e.UnitId).ToListAsync(ct);
            var steps = (await db.Tasks
                    .Where(t => t.InstanceId == instance.Id && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task && t.BookmarkId != null)
                    .ToListAsync(ct))
                .Where(t => !extended.Contains(t.CandidateUnitId ?? (t.AssigneeUserId is { } u ? snapshot.FindUser(u)?.UnitId : null) ?? ""))
                .Select(t => new OpenStep(t.Id, t.ActivityId, t.ExecutionId, t.Name, t.CreatedAt, t.DueAt))
                .ToList();
            var before = ItemWriter.StateOf(instance);
            var result = items.Runner.Recalculate(await items.DefinitionOfAsync(db, instance, ct), instance.Id, before,
                new RecalculateRequest(actor, year, steps), organization);
            if (result.Effects.Journal.Count == 0) continue;
            await items.ApplyAsync(context, instance, result, actor, ct, before);
        }
    }

    /// <summary>The organization as its items see it, but with the calendar just written.</summary>
    private sealed class WithCalendar(OrganizationSnapshot all, string organizationId, WorkCalendar calendar) : IOrganization
    {
        private readonly IOrganization _inner = all.Within(organizationId);

        public UserInfo? FindUser(string id) => _inner.FindUser(id);
        public UnitInfo? FindUnit(string id) => _inner.FindUnit(id);
        public IReadOnlyList<UserInfo> UsersInRole(string role, string? unitId = null) => _inner.UsersInRole(role, unitId);
        public WorkCalendar CalendarFor(string? unitId) => calendar;
    }

    /// <summary>
    /// <paramref name="current"/> with <paramref name="year"/> replaced by <paramref name="days"/>: the calendar the
    /// organization has once the write is saved.
    /// </summary>
    public static WorkCalendar Replacing(WorkCalendar current, int year, IEnumerable<CalendarDay> days) =>
        new(current.Days.Where(d => d.Date.Year != year).Concat(days), current.Years.Append(year));
}
