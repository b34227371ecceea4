using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Scoring;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// The organization chooses (administrators) a shipped scoring table for the years it has no rules of its own, or none
/// (<paramref name="Table"/> null: such years are not scored). Without rules, no scores — unless chosen here.
/// </summary>
public sealed record ChooseScoringTable(CurrentUser User, string? Table) : IWrite<SupervisionSettingsRecord>, IRetryOnDuplicateKey
{
    public string Operation => "scoring-table";
    public string Subject => User.UnitId ?? "";
}

internal sealed class ChooseScoringTableHandler : IWriteHandler<ChooseScoringTable, SupervisionSettingsRecord>
{
    public async Task<SupervisionSettingsRecord> HandleAsync(ChooseScoringTable write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        var table = string.IsNullOrWhiteSpace(write.Table) ? null : write.Table.Trim();
        if (table is not null && !ScoringTables.All.Contains(table))
            throw new WorkflowInputException("table", $"考核标准「{table}」不存在，可选：{string.Join("、", ScoringTables.All.Select(t => $"{t}（{ScoringTables.Label(t)}）"))}");
        var organizationId = OrganizationScope.Require(write.User);
        var row = await SettingsAdmin.SettingsRowAsync(context, organizationId, write.User, ct);
        row.ScoringTable = table;
        return row;
    }
}
