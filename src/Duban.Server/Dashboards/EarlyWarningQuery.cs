using System.Globalization;
using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Supervision.Units;
using Duban.Data.Tasks;
using Duban.Engine.Activities;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Dashboards;

/// <summary>An item behind an early-warning figure.</summary>
public sealed record EarlyWarningItem(Guid Id, string? Number, string Title, DateTimeOffset At);

/// <summary>One unit's warning signs over the period, each with the items behind it (an item once per sign).</summary>
/// <param name="Extensions">申请延期: requests its people made.</param>
/// <param name="Returns">被退回: its submissions sent back (退回, or an outcome marked as sending back), not counting those taken back by 撤回.</param>
/// <param name="LastDay">最后一天报送: its steps completed on their deadline's day (China time).</param>
public sealed record EarlyWarningUnit(string UnitId, string UnitName, IReadOnlyList<EarlyWarningItem> Extensions, IReadOnlyList<EarlyWarningItem> Returns,
    IReadOnlyList<EarlyWarningItem> LastDay);

/// <summary>The office's internal early warning (预警, decision 041): not a ranking, only who needs a word, and why.</summary>
public sealed record EarlyWarningView(DateOnly From, DateOnly To, IReadOnlyList<EarlyWarningUnit> Units);

/// <summary>
/// Units that often ask for extensions, are sent back, or report on the last day — for the 督查室 only (督查员, 管理员): a
/// unit's own people and leaders get 403. Read from the journal of the organization's items over a period (default the
/// last 90 days).
/// </summary>
public sealed class EarlyWarningQuery(DubanDbContext db, OrganizationCache organization, LedgerTime time, TimeProvider clock)
{
    public const int DefaultDays = 90;
    public const int MaxDays = 366 * 2;

    public async Task<EarlyWarningView> BuildAsync(CurrentUser user, IQueryCollection request, CancellationToken ct)
    {
        if (!user.Has(Permission.Supervise))
            throw new ForbiddenException("预警只对督查室（督查员、管理员）开放");
        var (from, to) = Period(request);
        var (start, end) = (time.StartOf(from), time.StartOf(to.AddDays(1)));
        var org = await organization.GetAsync(ct);
        // The office sees all of its organization's items: the one visibility rule still decides which.
        var items = ItemVisibility.Visible(db, user);
        var ids = items.Select(i => i.Id);

        var signs = new List<(string Unit, string Sign, Guid InstanceId, DateTimeOffset At)>();

        foreach (var line in await db.Journal.AsNoTracking()
                     .Where(j => j.Kind == JournalKind.ExtensionRequested && j.At >= start && j.At < end && ids.Contains(j.InstanceId))
                     .Select(j => new { j.InstanceId, j.At, j.ActorId }).ToListAsync(ct))
            if (line.ActorId is not null && org.FindUser(line.ActorId)?.UnitId is { } unit)
                signs.Add((unit, "extension", line.InstanceId, line.At));

        // 退回: the unit whose step runs again — the first step offered to a unit after the send-back.
        var returns = (await db.Journal.AsNoTracking()
                .Where(j => (j.Kind == JournalKind.TaskReturned || j.Kind == JournalKind.TaskCompleted) && j.At >= start && j.At < end && ids.Contains(j.InstanceId))
                .Select(j => new { j.Id, j.TaskId, j.InstanceId, j.At, j.Kind, j.Outcome, j.DataJson }).ToListAsync(ct))
            .Where(j => j.Kind == JournalKind.TaskReturned || UserTaskSendBack.SentBack(j.Outcome, j.DataJson))
            .ToList();
        var recalled = await RecalledCompletions.AmongAsync(db, returns.Select(r => (r.Id, r.TaskId)), ct);
        returns = returns.Where(r => !recalled.Contains(r.Id)).ToList();
        if (returns.Count > 0)
        {
            var returnedItems = returns.Select(r => r.InstanceId).Distinct().ToList();
            var steps = (await db.Tasks.AsNoTracking()
                    .Where(t => returnedItems.Contains(t.InstanceId) && t.Kind == TaskKind.Task)
                    .Select(t => new { t.Id, t.InstanceId, t.CreatedAt, t.CandidateUnitId, t.AssigneeUserId }).ToListAsync(ct))
                .ToLookup(t => t.InstanceId);
            foreach (var r in returns)
            {
                // The step opened by the send-back: the first one begun after the returning step, other than itself.
                var returning = steps[r.InstanceId].FirstOrDefault(t => t.Id == r.TaskId);
                var next = steps[r.InstanceId].Where(t => t.Id != r.TaskId && t.CreatedAt >= (returning?.CreatedAt ?? r.At)).OrderBy(t => t.CreatedAt)
                    .Select(t => HandlingUnits.UnitOf(t.CandidateUnitId, t.AssigneeUserId, org)).FirstOrDefault(u => u is not null);
                if (next is not null) signs.Add((next, "return", r.InstanceId, r.At));
            }
        }

        // 最后一天报送: a unit's step completed on the day of its deadline.
        foreach (var step in await db.Tasks.AsNoTracking()
                     .Where(t => t.Kind == TaskKind.Task && t.Status == HumanTaskStatus.Completed && t.DueAt != null && t.CompletedAt >= start && t.CompletedAt < end
                         && ids.Contains(t.InstanceId))
                     .Select(t => new { t.InstanceId, t.CompletedAt, t.DueAt, t.CandidateUnitId, t.AssigneeUserId }).ToListAsync(ct))
        {
            if (step.CompletedAt is not { } done || step.DueAt is not { } due || done > due) continue;
            if (DateOnly.FromDateTime(time.Local(done)) != DateOnly.FromDateTime(time.Local(due.AddTicks(-1)))) continue;
            if (HandlingUnits.UnitOf(step.CandidateUnitId, step.AssigneeUserId, org) is { } unit)
                signs.Add((unit, "lastDay", step.InstanceId, done));
        }

        var instanceIds = signs.Select(s => s.InstanceId).Distinct().ToList();
        var titles = (await items.Where(i => instanceIds.Contains(i.Id)).Select(i => new { i.Id, i.Number, i.Title }).ToListAsync(ct))
            .ToDictionary(i => i.Id);
        List<EarlyWarningItem> Of(IEnumerable<(string Unit, string Sign, Guid InstanceId, DateTimeOffset At)> these) =>
            these.Where(s => titles.ContainsKey(s.InstanceId)).OrderByDescending(s => s.At)
                .Select(s => new EarlyWarningItem(s.InstanceId, titles[s.InstanceId].Number, titles[s.InstanceId].Title, s.At)).ToList();
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        var units = signs
            .Where(s => OrganizationScope.OrganizationOf(org, s.Unit) == user.OrganizationId && HandlingUnits.IsHandlingUnit(org, s.Unit, kinds))
            .GroupBy(s => s.Unit)
            .Select(g => new EarlyWarningUnit(g.Key, HandlingUnits.NameOf(org, g.Key),
                Of(g.Where(s => s.Sign == "extension")), Of(g.Where(s => s.Sign == "return")), Of(g.Where(s => s.Sign == "lastDay"))))
            .Where(u => u.Extensions.Count + u.Returns.Count + u.LastDay.Count > 0)
            .OrderByDescending(u => u.Extensions.Count + u.Returns.Count + u.LastDay.Count).ThenBy(u => u.UnitName, StringComparer.Ordinal)
            .ToList();
        return new EarlyWarningView(from, to, units);
    }

    private (DateOnly From, DateOnly To) Period(IQueryCollection request)
    {
        var errors = new List<FieldError>();
        DateOnly? Date(string name, string label)
        {
            var value = request[name].ToString().Trim();
            if (value.Length == 0) return null;
            if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
            errors.Add(new(name, $"{label}应为 yyyy-MM-dd 格式的日期"));
            return null;
        }
        var today = DateOnly.FromDateTime(time.Local(clock.GetUtcNow()));
        var to = Date("to", "结束日期") ?? today;
        var from = Date("from", "开始日期") ?? to.AddDays(-(DefaultDays - 1));
        if (errors.Count == 0 && from > to) errors.Add(new("to", "结束日期不能早于开始日期"));
        if (errors.Count == 0 && to.DayNumber - from.DayNumber > MaxDays) errors.Add(new("from", $"时间段最长 {MaxDays} 天"));
        if (errors.Count > 0) throw new WorkflowInputException("预警的时间段有误", errors);
        return (from, to);
    }
}
