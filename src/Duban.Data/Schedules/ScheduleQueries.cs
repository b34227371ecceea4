using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Schedules;

/// <param name="Occurrence">The date of the occurrence (yyyy-MM-dd).</param>
/// <param name="Status"><c>started</c>, <c>skipped</c> or <c>failed</c>.</param>
/// <param name="Number">The started item's running number, when it has one.</param>
public sealed record ScheduleRunView(string Occurrence, string Status, Guid? InstanceId, string? Number, string? Title, string? Reason, DateTimeOffset At);

/// <param name="RuleText">The rule in Chinese words.</param>
/// <param name="NextOccurrences">The next dates it will start on (yyyy-MM-dd), on the organization's calendar; none while paused.</param>
/// <param name="LastRuns">The most recent occurrences handled, newest first.</param>
/// <param name="LastError">Why the last attempt to run it failed, while it is being retried.</param>
public sealed record ScheduleView(
    Guid Id, string Name, string DefinitionId, string? DefinitionName, ScheduleRule Rule, string RuleText, JsonObject Defaults,
    string StartAsUserId, string? StartAsUserName, bool Paused, IReadOnlyList<string> NextOccurrences, IReadOnlyList<ScheduleRunView> LastRuns,
    string? LastError, DateTimeOffset CreatedAt, string? CreatedByName, DateTimeOffset UpdatedAt, string? UpdatedByName);

/// <summary>The schedules of an organization as the 定期任务 screen lists them.</summary>
public static class ScheduleQueries
{
    public const int NextCount = 5;
    public const int RunCount = 10;

    public static async Task<IReadOnlyList<ScheduleView>> ListAsync(DubanDbContext db, OrganizationSnapshot org, string organizationId, Guid? only, CancellationToken ct)
    {
        var query = db.Set<ScheduleRecord>().AsNoTracking().Where(s => s.OrganizationId == organizationId);
        if (only is { } id) query = query.Where(s => s.Id == id);
        var rows = await query.OrderBy(s => s.CreatedAt).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var runs = await db.Set<ScheduleRunRecord>().AsNoTracking().Where(r => ids.Contains(r.ScheduleId)).ToListAsync(ct);
        var recent = runs.GroupBy(r => r.ScheduleId).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.Occurrence).Take(RunCount).ToList());
        var instanceIds = recent.Values.SelectMany(r => r).Where(r => r.InstanceId is not null).Select(r => r.InstanceId!.Value).ToList();
        var items = await db.Instances.AsNoTracking().Where(i => instanceIds.Contains(i.Id))
            .Select(i => new { i.Id, i.Number, i.Title }).ToDictionaryAsync(i => i.Id, ct);
        var definitionIds = rows.Select(r => r.DefinitionId).Distinct().ToList();
        var names = await db.Definitions.AsNoTracking().Where(d => definitionIds.Contains(d.DefinitionId) && d.IsLatest)
            .Select(d => new { d.DefinitionId, d.Name }).ToListAsync(ct);
        var nameOf = names.GroupBy(n => n.DefinitionId).ToDictionary(g => g.Key, g => g.First().Name);

        return rows.Select(row =>
        {
            var rule = Scheduling.RuleOf(row);
            var next = row.Paused || row.NextOccurrence is not { } first
                ? []
                : rule.Occurrences(first, Scheduling.CalendarOf(org, row)).Take(NextCount).Select(Date).ToList();
            var last = (recent.GetValueOrDefault(row.Id) ?? []).Select(r =>
            {
                var item = r.InstanceId is { } iid ? items.GetValueOrDefault(iid) : null;
                return new ScheduleRunView(Date(r.Occurrence), r.Status, r.InstanceId, item?.Number, item?.Title, r.Reason, r.At);
            }).ToList();
            return new ScheduleView(row.Id, row.Name, row.DefinitionId, nameOf.GetValueOrDefault(row.DefinitionId), rule, rule.Describe(),
                Scheduling.DefaultsOf(row), row.UserId, org.FindUser(row.UserId)?.DisplayName, row.Paused, next, last, row.LastError,
                row.CreatedAt, row.CreatedByName, row.UpdatedAt, row.UpdatedByName);
        }).ToList();
    }

    private static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
