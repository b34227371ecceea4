using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Supervision.Units;
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

        var total = await Figure("total", "全部事项");
        var byStatus = new List<DashboardFigure>
        {
            await Figure("open", "办理中", ("status", "open")),
            await Figure("completed", "已办结", ("status", "completed")),
            await Figure("cancelled", "已取消", ("status", "cancelled")),
            await Figure("faulted", "异常", ("status", "faulted")),
        };
        var byLight = new List<DashboardFigure>
        {
            await Figure("red", "超期", ("status", "open"), ("light", "red")),
            await Figure("yellow", "临期", ("status", "open"), ("light", "yellow")),
            await Figure("green", "正常", ("status", "open"), ("light", "green")),
        };

        var items = await ledger.BuildAsync(user, baseFilter, ct);
        var ids = items.Select(i => i.Id);
        // Units given the items; with a unit filter, only the units under it (a unit beside it would widen the rows).
        var within = baseFilter.UnitId is { } baseUnit ? LedgerQuery.Subtree(org, baseUnit) : null;
        var unitIds = await db.InstanceUnits.AsNoTracking().Where(u => ids.Contains(u.InstanceId)).Select(u => u.UnitId).Distinct().ToListAsync(ct);
        var units = new List<DashboardUnit>();
        // Handling units only: not the organization's root nor the office that registered the items.
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        foreach (var unitId in unitIds.Where(u => (within is null || within.Contains(u)) && HandlingUnits.IsHandlingUnit(org, u, kinds)))
        {
            var name = org.FindUnit(unitId)?.Name ?? unitId;
            var open = await Figure(unitId, name, ("unitId", unitId), ("status", "open"));
            var overdue = await Figure(unitId, name, ("unitId", unitId), ("status", "open"), ("light", "red"));
            var completed = await Figure(unitId, name, ("unitId", unitId), ("status", "completed"));
            var onTime = await Figure(unitId, name, ("unitId", unitId), ("status", "completed"), ("timeliness", "onTime"));
            units.Add(new DashboardUnit(unitId, name, open, overdue, completed, onTime,
                completed.Count == 0 ? null : Math.Round(100.0 * onTime.Count / completed.Count, 1)));
        }
        units = units.OrderByDescending(u => u.Open.Count + u.Completed.Count).ThenBy(u => u.UnitName, StringComparer.Ordinal).Take(MaxUnits).ToList();

        var bySource = new List<DashboardFigure>();
        var readable = await ItemAccess.ReadableFieldsByProcedureAsync(db, definitions, user, ct);
        foreach (var option in await LedgerEndpoints.SourceOptionsAsync(store, definitions, OrganizationScope.Require(user), readable, ct))
            if (baseFilter.Source is null || baseFilter.Source == option.Value)
                bySource.Add(await Figure(option.Value, option.Label, ("source", option.Value)));

        var types = await items.GroupBy(i => i.DefinitionId).Select(g => new { Id = g.Key, Name = g.Max(i => i.DefinitionName) }).ToListAsync(ct);
        var byDefinition = new List<DashboardFigure>();
        foreach (var type in types.OrderBy(t => t.Name, StringComparer.Ordinal))
            byDefinition.Add(await Figure(type.Id, type.Name ?? type.Id, ("definitionId", type.Id)));

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
