using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Chasing;
using Duban.Engine.Deadlines;
using Duban.Engine.Definitions;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Settings;

/// <summary>Reads an organization's settings, with the shipped defaults where nothing is stored.</summary>
public sealed class SupervisionSettings(DubanDbContext db)
{
    public async Task<SupervisionSettingsRecord?> FindAsync(string organizationId, CancellationToken ct) =>
        await db.Set<SupervisionSettingsRecord>().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);

    /// <summary>The organization's ladder, or the shipped default.</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderAsync(string organizationId, CancellationToken ct) =>
        (await FindAsync(organizationId, ct))?.LadderJson is { } json ? Ladder.Parse(JsonNode.Parse(json)) : Ladder.Default;

    /// <summary>The ladder for an item: its procedure's own (<c>options.ladder</c>), else the organization's.</summary>
    public async Task<IReadOnlyList<LadderRung>> LadderAsync(string organizationId, WorkflowDefinition definition, CancellationToken ct)
    {
        if (definition.Options?["ladder"] is { } own && Ladder.Problems(own, isRole: Ladder.AnyRoleName).Count == 0) return Ladder.Parse(own);
        return await LadderAsync(organizationId, ct);
    }

    /// <summary>The organization's score events: the shipped seven under its names, then its own.</summary>
    public async Task<ScoreEventCatalog> ScoreEventsAsync(string organizationId, CancellationToken ct) =>
        Catalog((await FindAsync(organizationId, ct))?.ScoreEventsJson);

    public static ScoreEventCatalog Catalog(string? json) =>
        json is null ? ScoreEventCatalog.Shipped : new ScoreEventCatalog(JsonSerializer.Deserialize<List<ScoreEventDefinition>>(json, DefinitionJson.Options));

    public async Task<bool> AllowLateAsync(string organizationId, WorkflowDefinition definition, CancellationToken ct) =>
        ProcedureOptions.Extensions(definition.Options).AllowLate || (await FindAsync(organizationId, ct))?.AllowLateExtensionRequests == true;
}
