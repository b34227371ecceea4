using Duban.Data.Supervision.Settings;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions.Admin;

/// <summary>
/// What publishing checks besides <see cref="DefinitionChecks.ForPublishAsync"/>: an outcome that counts in 考核 must name
/// an event the procedure's organization has — a shipped one or the organization's own (docs/decisions/027, 035). Here rather than in <see cref="DefinitionChecks"/>,
/// which the storage layer uses below the supervision settings.
/// </summary>
internal static class ScoreEventChecks
{
    public static async Task<IReadOnlyList<ValidationError>> ForPublishAsync(DubanDbContext db, DefinitionValidator validator, string organizationId,
        Duban.Engine.Directory.IOrganization organization, WorkflowDefinition definition, CancellationToken ct) =>
        [.. await DefinitionChecks.ForPublishAsync(db, validator, organizationId, organization, definition, ct), .. await UnknownAsync(db, organizationId, definition, ct),
         .. await DocumentReferenceChecks.ForPublishAsync(db, organizationId, definition, ct)];

    private static async Task<IEnumerable<ValidationError>> UnknownAsync(DubanDbContext db, string organizationId, WorkflowDefinition definition, CancellationToken ct)
    {
        var named = (definition.Root?.Activities ?? [])
            .Where(a => a is { Type: ActivityTypes.UserTask })
            .SelectMany(a => UserTaskOutcomeScores.Declared(a).Select(kv => (Node: a, Outcome: kv.Key, Event: kv.Value)))
            .ToList();
        if (named.Count == 0) return [];
        var known = new HashSet<string>(ScoreEventTypes.All);
        foreach (var json in await db.Set<SupervisionSettingsRecord>().AsNoTracking().Where(s => s.OrganizationId == organizationId && s.ScoreEventsJson != null)
                     .Select(s => s.ScoreEventsJson).ToListAsync(ct))
            known.UnionWith(SupervisionSettings.Catalog(json).Events.Select(e => e.Key));
        return named.Where(x => !known.Contains(x.Event))
            .Select(x => new ValidationError(x.Node.Id, $"「{x.Node.DisplayName}」：结果「{x.Outcome}」计入的考核事件不存在（可能已被删除），请重新选择"))
            .ToList();
    }
}
