using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>A year goes back to the county table (administrators): its saved rules, if any, are removed.</summary>
public sealed record ResetScoreRules(CurrentUser User, int Year) : IWrite<bool>
{
    public string Operation => "scoring-rules-reset";
    public string Subject => $"{User.UnitId}:{Year}";
}

internal sealed class ResetScoreRulesHandler : IWriteHandler<ResetScoreRules, bool>
{
    public async Task<bool> HandleAsync(ResetScoreRules write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        ScoreYears.Check(write.Year);
        var organizationId = OrganizationScope.Require(write.User);
        var rows = context.Db.Set<ScoreRuleRecord>();
        if (await rows.FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Year == write.Year, ct) is not { } row) return false;
        rows.Remove(row);
        return true;
    }
}
