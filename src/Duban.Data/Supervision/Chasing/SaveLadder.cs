using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;

namespace Duban.Data.Supervision.Chasing;

/// <summary>The organization's chasing ladder (administrators); no rungs (null) goes back to the shipped default.</summary>
public sealed record SaveLadder(CurrentUser User, JsonNode? Rungs) : IWrite<SupervisionSettingsRecord>, IRetryOnDuplicateKey
{
    public string Operation => "chase-ladder";
    public string Subject => User.UnitId ?? "";
}

internal sealed class SaveLadderHandler : IWriteHandler<SaveLadder, SupervisionSettingsRecord>
{
    public async Task<SupervisionSettingsRecord> HandleAsync(SaveLadder write, WriteContext context, CancellationToken ct)
    {
        SettingsAdmin.Require(write.User);
        string? json = null;
        var organizationId = OrganizationScope.Require(write.User);
        var row = await SettingsAdmin.SettingsRowAsync(context, organizationId, write.User, ct);
        if (write.Rungs is { } rungs)
        {
            var actors = context.Organization.BusinessRolesOf(organizationId);
            var problems = Ladder.Problems(rungs, SupervisionSettings.Catalog(row.ScoreEventsJson), actors.Contains);
            if (problems.Count > 0) throw new WorkflowInputException("催办阶梯设置有误", problems.Select(p => new FieldError("rungs", p)).ToList());
            var parsed = Ladder.Parse(rungs);
            // A rung's named person is someone of this organization who sees every item (docs/decisions/027).
            for (var i = 0; i < parsed.Count; i++)
                if (parsed[i].Person is { } person)
                    ChasePeople.Require(context.Organization, organizationId, person, $"rungs[{i}].person", $"「{parsed[i].Name}」的办理人");
            // A rung's document is one of this organization's templates (decision 047).
            if (context.Services.GetService(typeof(IDesignedDocuments)) is IDesignedDocuments documents
                && await documents.UnknownTemplatesAsync(context.Db, organizationId, parsed.Select(r => r.Document).OfType<string>(), ct) is [var unknown, ..])
            {
                var i = parsed.ToList().FindIndex(r => r.Document == unknown);
                throw new WorkflowInputException($"rungs[{i}].document", $"「{parsed[i].Name}」生成的文书模板「{unknown}」不存在，请重新选择");
            }
            json = Ladder.ToJson(parsed).ToJsonString(DefinitionJson.Options);
        }
        row.LadderJson = json;
        return row;
    }
}
