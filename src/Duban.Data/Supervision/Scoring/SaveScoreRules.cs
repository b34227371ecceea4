using System.Text.Json;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Engine.Scoring;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// The organization's scoring rules for a year (administrators). What is left out takes the county table's value; the
/// rules are checked as a whole (a floor above the start, an unknown event, a negative deduction …).
/// </summary>
public sealed record SaveScoreRules(CurrentUser User, int Year, decimal? StartScore, decimal? Floor, int? RedoThreshold, Dictionary<string, decimal>? Deductions)
    : IWrite<ScoreRuleRecord>, IRetryOnDuplicateKey
{
    public string Operation => "scoring-rules";
    public string Subject => $"{User.UnitId}:{Year}";
}

internal sealed class SaveScoreRulesHandler(SupervisionSettings settings) : IWriteHandler<SaveScoreRules, ScoreRuleRecord>
{
    public async Task<ScoreRuleRecord> HandleAsync(SaveScoreRules write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        ScoreYears.Check(write.Year);
        var rules = new ScoringRules
        {
            StartScore = write.StartScore ?? ScoringRules.CountyDefault.StartScore,
            Floor = write.Floor ?? 0m,
            RedoThreshold = write.RedoThreshold ?? ScoringRules.CountyDefault.RedoThreshold,
            Deductions = write.Deductions ?? new(ScoringRules.CountyDefault.Deductions),
        };
        var organizationId = OrganizationScope.Require(write.User);
        // The points may be given for any of the organization's events, its own included (docs/decisions/027).
        var problems = rules.Problems(await settings.ScoreEventsAsync(organizationId, ct));
        if (problems.Count > 0) throw new WorkflowInputException("考核规则设置有误", problems.Select(p => new FieldError(p.Field, p.Message)).ToList());
        var rows = context.Db.Set<ScoreRuleRecord>();
        var row = await rows.FirstOrDefaultAsync(r => r.OrganizationId == organizationId && r.Year == write.Year, ct);
        if (row is null)
        {
            // Two administrators saving a year's first rules at once: the second insert loses on the key and runs again on top.
            row = new ScoreRuleRecord { OrganizationId = organizationId, Year = write.Year, DeductionsJson = "{}" };
            rows.Add(row);
        }
        row.StartScore = rules.StartScore;
        row.Floor = rules.Floor;
        row.RedoThreshold = rules.RedoThreshold;
        row.DeductionsJson = JsonSerializer.Serialize(rules.Deductions, DefinitionJson.Options);
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        return row;
    }
}

/// <summary>The years scores are kept for.</summary>
public static class ScoreYears
{
    public static void Check(int year)
    {
        if (year is < 2000 or > 2100) throw new WorkflowInputException("year", "年份应在 2000 到 2100 之间");
    }
}
