using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Engine.Calendar;
using Duban.Engine.Deadlines;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision;

/// <summary>
/// Decides red / yellow / green for many rows at once: the organization's calendar, each procedure's
/// <c>options.lights</c>, one clock reading. Built by <see cref="DeadlineLights.JudgeAsync"/>.
/// </summary>
public sealed class LightJudge(OrganizationSnapshot org, IReadOnlyDictionary<Guid, LightRule> rules, DateTimeOffset now)
{
    public DateTimeOffset Now { get; } = now;

    /// <summary>The light of something that started at <paramref name="start"/> and is due at <paramref name="due"/>, under its procedure's rule.</summary>
    public string? Of(Guid definitionRecordId, DateTimeOffset start, DateTimeOffset? due, string? unitId = null) =>
        Lights.Of(start, due, Now, org.CalendarFor(unitId), rules.GetValueOrDefault(definitionRecordId) ?? LightRule.Default);

    public WorkCalendar Calendar(string? unitId = null) => org.CalendarFor(unitId);

    /// <summary>
    /// A deadline in a year whose State Council notice is not loaded in the organization's calendar: worked out on the
    /// statutory days alone, it may move when the notice is loaded (decision 024).
    /// </summary>
    public bool IsProvisional(DateTimeOffset? due, string? unitId = null) => org.CalendarFor(unitId).IsProvisional(due);
}

/// <summary>Makes <see cref="LightJudge"/>s: reads the light rules of the procedures involved (cached definitions).</summary>
public sealed class DeadlineLights(DubanDbContext db, DefinitionCache definitions, OrganizationCache organizationCache, TimeProvider clock)
{
    public async Task<LightJudge> JudgeAsync(IEnumerable<Guid> definitionRecordIds, CancellationToken ct)
    {
        var org = await organizationCache.GetAsync(ct);
        var rules = new Dictionary<Guid, LightRule>();
        var missing = new List<Guid>();
        foreach (var id in definitionRecordIds.Distinct())
        {
            if (definitions.TryGetPublished(id, out var definition)) rules[id] = ProcedureOptions.Lights(definition.Options);
            else missing.Add(id);
        }
        foreach (var chunk in missing.Chunk(200))
            foreach (var record in await db.Definitions.AsNoTracking().Where(d => chunk.Contains(d.Id)).ToListAsync(ct))
                rules[record.Id] = ProcedureOptions.Lights(definitions.Get(record).Options);
        return new LightJudge(org, rules, clock.GetUtcNow());
    }
}
