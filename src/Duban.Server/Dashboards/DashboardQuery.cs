using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Supervision.Units;
using Duban.Engine.Execution;
using Duban.Server.Ledger;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Duban.Server.Dashboards;

/// <summary>
/// The dashboard's figures (decision 041). Every figure is the count of the 台账's own query (<see cref="LedgerQuery"/>, so
/// <see cref="ItemVisibility"/>, the organization and every filter's meaning are the ledger's) for a ledger filter it
/// carries — a number on a chart and the rows behind it cannot disagree. Only the lists of units and procedure types to
/// show are read here, from the same query.
/// </summary>
public sealed class DashboardQuery(DubanDbContext db, LedgerQuery ledger, LedgerTime time, TimeProvider clock, OrganizationCache organization,
    DefinitionStore store, DefinitionCache definitions)
{
    /// <summary>The ledger parameters a dashboard may be narrowed by: a procedure type, a unit (with those under it), 来源 and a 登记 period.</summary>
    public static readonly IReadOnlyList<string> BaseParameters = ["definitionId", "unitId", "source", "from", "to"];

    /// <summary>Most units the per-unit charts list (those with the most open items first).</summary>
    public const int MaxUnits = 30;

    public async Task<DashboardView> BuildAsync(CurrentUser user, IQueryCollection request, CancellationToken ct)
    {
        var baseQuery = BaseParameters
            .Select(name => (name, value: request[name].ToString().Trim()))
            .Where(p => p.value.Length > 0)
            .ToList();
        // Checked as the ledger checks them: a bad value is the ledger's 400, naming the parameter.
        var baseFilter = LedgerFilter.Parse(Collection(baseQuery));
        var org = await organization.GetAsync(ct);

        async Task<DashboardFigure> Figure(string key, string label, params (string Name, string Value)[] extra) =>
            await FigureOf(user, baseQuery, key, label, extra, ct);

        // Counted in a few grouped passes over the ledger's own query (issue 22: one count per figure took 30 s at 100,000
        // items), each bucket being exactly what a ledger filter selects, so a figure and its ledger still agree.
        var now = clock.GetUtcNow();
        var items = await ledger.FilteredAsync(user, baseFilter, ct);
        var buckets = await Buckets(items, now).ToListAsync(ct);
        DashboardFigure Counted(string key, string label, IEnumerable<Bucket> from, Func<Bucket, bool> counts, params (string Name, string Value)[] extra) =>
            FigureCounted(baseQuery, key, label, extra, from.Where(counts).Sum(b => b.Count));

        var total = Counted("total", "全部事项", buckets, _ => true);
        var byStatus = new List<DashboardFigure>
        {
            Counted("open", "办理中", buckets, b => b.IsOpen, ("status", "open")),
            Counted("completed", "已办结", buckets, b => b.IsCompleted, ("status", "completed")),
            Counted("cancelled", "已取消", buckets, b => b.IsCancelled, ("status", "cancelled")),
            Counted("faulted", "异常", buckets, b => b.IsFaulted, ("status", "faulted")),
        };
        // Green and yellow depend on each step's warning window, decided by the ledger over the open steps.
        var byLight = new List<DashboardFigure>
        {
            Counted("red", "超期", buckets, b => b.IsOpen && b.Red == 1, ("status", "open"), ("light", "red")),
            await Figure("yellow", "临期", ("status", "open"), ("light", "yellow")),
            await Figure("green", "正常", ("status", "open"), ("light", "green")),
        };

        // Units given the items; with a unit filter, only the units under it (a unit beside it would widen the rows).
        var within = baseFilter.UnitId is { } baseUnit ? LedgerQuery.Subtree(org, baseUnit) : null;
        var byUnit = (await (from i in items
                             join u in db.InstanceUnits on i.Id equals u.InstanceId
                             group i by new
                             {
                                 u.UnitId, i.Status,
                                 Incident = i.IncidentMessage != null ? 1 : 0,
                                 OnTime = i.Status == WorkflowStatus.Completed && (i.DueAt == null || i.FinishedAt <= i.DueAt) ? 1 : 0,
                                 Red = i.RedFrom != null && i.RedFrom < now ? 1 : 0,
                             } into g
                             select new { g.Key.UnitId, Bucket = new Bucket(g.Key.Status, g.Key.Incident, g.Key.OnTime, g.Key.Red, g.Count()) })
                .ToListAsync(ct))
            .ToLookup(r => r.UnitId, r => r.Bucket);
        var units = new List<DashboardUnit>();
        // Handling units only: not the organization's root nor the office that registered the items.
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        foreach (var unitId in byUnit.Select(g => g.Key).Where(u => (within is null || within.Contains(u)) && HandlingUnits.IsHandlingUnit(org, u, kinds)))
        {
            var name = org.FindUnit(unitId)?.Name ?? unitId;
            (string, string)[] unit = [("unitId", unitId)];
            DashboardFigure open, overdue, completed, onTime;
            // The ledger's unit filter takes the units under it too: a unit whose sub-units take part in items is counted
            // by the ledger itself (an item of both would be two rows of the grouping).
            if (LedgerQuery.Subtree(org, unitId).Any(u => u != unitId && byUnit.Contains(u)))
            {
                open = await Figure(unitId, name, ("unitId", unitId), ("status", "open"));
                overdue = await Figure(unitId, name, ("unitId", unitId), ("status", "open"), ("light", "red"));
                completed = await Figure(unitId, name, ("unitId", unitId), ("status", "completed"));
                onTime = await Figure(unitId, name, ("unitId", unitId), ("status", "completed"), ("timeliness", "onTime"));
            }
            else
            {
                var its = byUnit[unitId];
                open = Counted(unitId, name, its, b => b.IsOpen, [.. unit, ("status", "open")]);
                overdue = Counted(unitId, name, its, b => b.IsOpen && b.Red == 1, [.. unit, ("status", "open"), ("light", "red")]);
                completed = Counted(unitId, name, its, b => b.IsCompleted, [.. unit, ("status", "completed")]);
                onTime = Counted(unitId, name, its, b => b.IsCompleted && b.OnTime == 1, [.. unit, ("status", "completed"), ("timeliness", "onTime")]);
            }
            units.Add(new DashboardUnit(unitId, name, open, overdue, completed, onTime,
                completed.Count == 0 ? null : Math.Round(100.0 * onTime.Count / completed.Count, 1)));
        }
        units = units.OrderByDescending(u => u.Open.Count + u.Completed.Count).ThenBy(u => u.UnitName, StringComparer.Ordinal).Take(MaxUnits).ToList();

        var bySource = new List<DashboardFigure>();
        var readable = await ItemAccess.ReadableFieldsByProcedureAsync(db, definitions, user, ct);
        // 来源 is a column (ItemSourceValue): grouped once — unless a source is a list (an item counts under each of its
        // values), or the viewer reads only some items' source field (the ledger then decides item by item).
        var sources = user.SeesAllItems && (await ledger.ListSourceVersionsAsync(ct)).Count == 0
            ? (await items.GroupBy(i => i.Source).Select(g => new { Value = g.Key, Count = g.Count() }).ToListAsync(ct))
                .Where(g => g.Value is not null).ToDictionary(g => g.Value!, g => g.Count, StringComparer.Ordinal)
            : null;
        foreach (var option in await LedgerEndpoints.SourceOptionsAsync(store, definitions, OrganizationScope.Require(user), readable, ct))
            if (baseFilter.Source is null || baseFilter.Source == option.Value)
                bySource.Add(sources is null
                    ? await Figure(option.Value, option.Label, ("source", option.Value))
                    : FigureCounted(baseQuery, option.Value, option.Label, [("source", option.Value)], sources.GetValueOrDefault(option.Value)));

        var types = await items.GroupBy(i => i.DefinitionId).Select(g => new { Id = g.Key, Name = g.Max(i => i.DefinitionName), Count = g.Count() }).ToListAsync(ct);
        var byDefinition = types.OrderBy(t => t.Name, StringComparer.Ordinal)
            .Select(t => FigureCounted(baseQuery, t.Id, t.Name ?? t.Id, [("definitionId", t.Id)], t.Count)).ToList();

        // The trend: twelve months to this one, by 登记 and by 办结 date, whatever the period filter says.
        var undated = baseQuery.Where(p => p.name is not ("from" or "to")).ToList();
        var today = DateOnly.FromDateTime(time.Local(clock.GetUtcNow()));
        var months = new List<DashboardMonth>();
        for (var back = 11; back >= 0; back--)
        {
            var first = new DateOnly(today.Year, today.Month, 1).AddMonths(-back);
            var last = first.AddMonths(1).AddDays(-1);
            var key = first.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
            var (from, to) = (first.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), last.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            months.Add(new DashboardMonth(key,
                await FigureOf(user, undated, key, "登记", [("dateField", "createdAt"), ("from", from), ("to", to)], ct),
                await FigureOf(user, undated, key, "办结", [("status", "completed"), ("dateField", "finishedAt"), ("from", from), ("to", to)], ct)));
        }

        return new DashboardView(clock.GetUtcNow(), QueryOf(baseQuery), total, byStatus, byLight, units, bySource, byDefinition, months);
    }

    /// <summary>
    /// One group of the dashboard's pass: the items of one status (with or without an incident), on time or not, red or not.
    /// Each ledger status, red and timeliness filter selects a union of such groups.
    /// </summary>
    private sealed record Bucket(WorkflowStatus Status, int Incident, int OnTime, int Red, int Count)
    {
        public bool IsOpen => Status is WorkflowStatus.Running or WorkflowStatus.Suspended && Incident == 0;
        public bool IsCompleted => Status == WorkflowStatus.Completed;
        public bool IsCancelled => Status == WorkflowStatus.Cancelled;
        public bool IsFaulted => Status == WorkflowStatus.Faulted || Incident == 1;
    }

    private static IQueryable<Bucket> Buckets(IQueryable<InstanceRecord> items, DateTimeOffset now) =>
        items.GroupBy(i => new
        {
            i.Status,
            Incident = i.IncidentMessage != null ? 1 : 0,
            OnTime = i.Status == WorkflowStatus.Completed && (i.DueAt == null || i.FinishedAt <= i.DueAt) ? 1 : 0,
            Red = i.RedFrom != null && i.RedFrom < now ? 1 : 0,
        })
            .Select(g => new Bucket(g.Key.Status, g.Key.Incident, g.Key.OnTime, g.Key.Red, g.Count()));

    /// <summary>A figure counted by the dashboard's grouped pass, with the ledger filter that lists its items.</summary>
    private static DashboardFigure FigureCounted(List<(string name, string value)> baseQuery, string key, string label,
        (string Name, string Value)[] extra, int count) =>
        new(key, label, count, QueryOf(baseQuery.Where(p => extra.All(e => e.Name != p.name)).Concat(extra.Select(e => (name: e.Name, value: e.Value)))));

    private async Task<DashboardFigure> FigureOf(CurrentUser user, List<(string name, string value)> baseQuery, string key, string label,
        (string Name, string Value)[] extra, CancellationToken ct)
    {
        var pairs = baseQuery.Where(p => extra.All(e => e.Name != p.name)).Concat(extra.Select(e => (name: e.Name, value: e.Value))).ToList();
        var filter = LedgerFilter.Parse(Collection(pairs));
        var count = await (await ledger.BuildAsync(user, filter, ct)).CountAsync(ct);
        return new DashboardFigure(key, label, count, QueryOf(pairs));
    }

    private static QueryCollection Collection(IEnumerable<(string name, string value)> pairs) =>
        new(pairs.GroupBy(p => p.name).ToDictionary(g => g.Key, g => new StringValues(g.Select(p => p.value).ToArray())));

    private static string QueryOf(IEnumerable<(string name, string value)> pairs)
    {
        var builder = new QueryBuilder();
        foreach (var (name, value) in pairs) builder.Add(name, value);
        return builder.ToQueryString().Value?.TrimStart('?') ?? "";
    }
}
