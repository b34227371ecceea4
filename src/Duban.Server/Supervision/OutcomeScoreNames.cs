using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Engine.Activities;

namespace Duban.Server.Supervision;

/// <summary>
/// A completion that counted in 考核 names its event by key (docs/decisions/027); the timeline shows it under the judged
/// unit's organization's name for it (<c>scoreEventName</c>), as that organization calls it today.
/// </summary>
public static class OutcomeScoreNames
{
    public static async Task AddAsync(IEnumerable<JsonNode?> lines, OrganizationSnapshot org, SupervisionSettings settings, CancellationToken ct)
    {
        var catalogs = new Dictionary<string, Duban.Engine.Scoring.ScoreEventCatalog>();
        foreach (var data in lines.OfType<JsonObject>())
        {
            if (UserTaskOutcomeScores.Read(data) is not { } score) continue;
            if (OrganizationScope.OrganizationOf(org, score.Unit) is not { } organizationId) continue;
            if (!catalogs.TryGetValue(organizationId, out var catalog))
                catalogs[organizationId] = catalog = await settings.ScoreEventsAsync(organizationId, ct);
            data["scoreEventName"] = catalog.Label(score.Event);
        }
    }
}
