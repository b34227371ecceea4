using System.Globalization;
using Duban.Data;
using Duban.Data.Documents;
using Duban.Data.Organization;
using Duban.Data.Reports;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Supervision.Scoring;
using Duban.Engine.Scoring;
using Duban.Server.Dashboards;
using Duban.Server.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Duban.Server.Reports;

/// <summary>
/// What a 督查专报 for a period says (docs/decisions/048), counted for one viewer by the ledger's own reads — the dashboard's
/// figures (<see cref="DashboardQuery"/>), the ledger's filtered rows (<see cref="LedgerQuery"/>, <see cref="LedgerRows"/>),
/// the scores' events (<see cref="ScoreService"/>) — so a number in the report is the number the dashboard shows for the
/// same period, and an item the viewer does not see (<see cref="ItemVisibility"/>) is in no count. Chases and extensions
/// are those of the items he sees.
/// </summary>
public sealed class ReportValues(DubanDbContext db, DashboardQuery dashboard, LedgerQuery ledger, LedgerRows rows, LedgerTime time,
    ScoreService scores, OrganizationCache organization, TimeProvider clock)
{
    /// <summary>Most rows one table of a report lists (the counts are always whole).</summary>
    public const int MaxRows = 300;

    public async Task<ReportContent> BuildAsync(CurrentUser viewer, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var organizationId = OrganizationScope.Require(viewer);
        var org = await organization.GetAsync(ct);
        var values = new DocumentValues();
        var now = clock.GetUtcNow();
        string Day(DateTimeOffset? at) => at is { } t ? time.Local(t).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "";
        string Minute(DateTimeOffset at) => time.Local(at).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        string N(int n) => n.ToString(CultureInfo.InvariantCulture);
        var (fromText, toText) = (from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        values.Set(org.FindUnit(organizationId)?.Name ?? "", "单位名称");
        values.Set(time.Local(now).ToString("yyyy年M月d日", CultureInfo.InvariantCulture), "生成日期");
        values.Set(ReportPeriods.Describe(from, to), "报告期间");
        values.Set(fromText, "开始日期");
        values.Set(toText, "结束日期");

        // The dashboard as it stands (counts by status and light, units), and for the period (registered in it).
        var all = await dashboard.BuildAsync(viewer, Query(), ct);
        values.Set(N(all.Total.Count), "事项总数");
        foreach (var figure in all.ByStatus.Concat(all.ByLight)) values.Set(N(figure.Count), figure.Label);
        var period = await dashboard.BuildAsync(viewer, Query(("from", fromText), ("to", toText)), ct);
        values.Set(N(period.Total.Count), "本期登记");
        values.SetTable(all.Units.Select(u => Row(("单位", u.UnitName), ("在办", N(u.Open.Count)), ("超期", N(u.Overdue.Count)),
            ("已办结", N(u.Completed.Count)), ("按期办结率", u.OnTimeRate is { } rate ? rate.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—"))).ToList(), "单位情况");

        // Closed in the period: the ledger's 办结 date filter, as the dashboard's monthly 办结 figure.
        var closed = await CountAsync(viewer, ct, ("status", "completed"), ("dateField", "finishedAt"), ("from", fromText), ("to", toText));
        values.Set(N(closed.Count), "本期办结");
        values.Set(N((await CountAsync(viewer, ct, ("status", "completed"), ("dateField", "finishedAt"), ("from", fromText), ("to", toText), ("timeliness", "onTime"))).Count), "本期按期办结");
        values.Set(N((await CountAsync(viewer, ct, ("status", "completed"), ("dateField", "finishedAt"), ("from", fromText), ("to", toText), ("timeliness", "late"))).Count), "本期逾期办结");
        values.SetTable((await rows.ReadAsync(viewer, closed.Query, 0, MaxRows, [], ct))
            .Select(r => Row(("编号", r.Number ?? ""), ("事项", r.Title), ("承办单位", string.Join("、", r.Units)), ("办结时间", Day(r.FinishedAt)))).ToList(), "办结事项");

        var overdue = await CountAsync(viewer, ct, ("status", "open"), ("light", "red"), ("sort", "dueAt"), ("order", "asc"));
        values.SetTable((await rows.ReadAsync(viewer, overdue.Query, 0, MaxRows, [], ct))
            .Select(r => Row(("编号", r.Number ?? ""), ("事项", r.Title), ("承办单位", string.Join("、", r.Units)), ("办理期限", Day(r.DueAt)))).ToList(), "超期事项");

        // Chases and extensions of the period, on the items the viewer sees.
        var (start, end) = (time.StartOf(from), time.StartOf(to.AddDays(1)));
        var visible = ItemVisibility.Visible(db, viewer);
        var chases = await (from c in db.Set<ChaseRecord>().AsNoTracking()
                            join i in visible on c.InstanceId equals i.Id
                            where c.RaisedAt >= start && c.RaisedAt < end && c.Status != ChaseStatus.Cancelled
                            orderby c.RaisedAt
                            select new { c.RaisedAt, c.UnitId, c.RungName, c.Trigger, i.Title }).ToListAsync(ct);
        values.Set(N(chases.Count), "本期催办");
        values.SetTable(chases.Take(MaxRows).Select(c => Row(("时间", Minute(c.RaisedAt)), ("单位", HandlingName(org, c.UnitId)), ("事项", c.Title),
            ("方式", c.Trigger == Chases.Auto ? $"{c.RungName}（自动）" : c.RungName))).ToList(), "催办记录");

        var extensions = await (from e in db.Set<ExtensionRecord>().AsNoTracking()
                                join i in visible on e.InstanceId equals i.Id
                                where e.RequestedAt >= start && e.RequestedAt < end
                                orderby e.RequestedAt
                                select new { e.RequestedAt, e.UnitId, e.RequestedDueAt, e.Status, i.Title }).ToListAsync(ct);
        values.Set(N(extensions.Count), "本期延期申请");
        values.Set(N(extensions.Count(e => e.Status == ExtensionStatus.Approved)), "本期延期同意");
        values.SetTable(extensions.Take(MaxRows).Select(e => Row(("申请时间", Minute(e.RequestedAt)), ("单位", HandlingName(org, e.UnitId)), ("事项", e.Title),
            ("延至", Day(e.RequestedDueAt)), ("结果", e.Status switch
            {
                ExtensionStatus.Approved => "同意",
                ExtensionStatus.Rejected => "不同意",
                ExtensionStatus.Pending => "审批中",
                _ => "已结束",
            }))).ToList(), "延期记录");

        // Scores: the year's ranking (the 考核 page's), and what the period's events cost each unit.
        values.Set(N(to.Year), "考核年度");
        var (rules, _, _) = await scores.RulesAsync(organizationId, to.Year, ct);
        var scoreRows = new List<IReadOnlyDictionary<string, string>>();
        if (rules is not null)
        {
            var events = await scores.EventsAsync(organizationId, to.Year, null, rules.RedoThreshold, ct);
            foreach (var unit in await scores.RankingAsync(organizationId, to.Year, ct))
            {
                var inPeriod = ScoreCalculator.Compute(rules, events[unit.UnitId]).Events.Where(e => e.Event.At >= start && e.Event.At < end).ToList();
                scoreRows.Add(Row(("排名", N(unit.Rank)), ("单位", unit.UnitName), ("年度得分", unit.Score.ToString("0.##", CultureInfo.InvariantCulture)),
                    ("本期扣分", inPeriod.Sum(e => e.Applied).ToString("0.##", CultureInfo.InvariantCulture)), ("本期扣分事项", N(inPeriod.Count))));
            }
        }
        values.SetTable(scoreRows, "考核得分");

        var restricted = await visible.Where(i => i.IsRestricted).Select(i => i.Id).ToListAsync(ct);
        return new ReportContent(from, to, values, restricted);
    }

    private async Task<(IQueryable<Data.Instances.InstanceRecord> Query, int Count)> CountAsync(CurrentUser viewer, CancellationToken ct,
        params (string Name, string Value)[] pairs)
    {
        var query = await ledger.BuildAsync(viewer, LedgerFilter.Parse(Query(pairs)), ct);
        return (query, await query.CountAsync(ct));
    }

    private static string HandlingName(OrganizationSnapshot org, string unitId) => org.FindUnit(unitId)?.Name ?? unitId;

    private static QueryCollection Query(params (string Name, string Value)[] pairs) =>
        new(pairs.ToDictionary(p => p.Name, p => new StringValues(p.Value)));

    private static Dictionary<string, string> Row(params (string Column, string Value)[] cells) =>
        cells.ToDictionary(c => c.Column, c => c.Value, StringComparer.Ordinal);
}
