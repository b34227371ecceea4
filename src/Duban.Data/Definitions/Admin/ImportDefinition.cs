using System.Text.Json;
using Duban.Data.Writes;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Definitions.Elsa;
using Duban.Engine.Forms;
using Duban.Engine.Execution;

namespace Duban.Data.Definitions.Admin;

/// <summary>
/// 导入: a definition from a file becomes the procedure's new draft, and is published at once when
/// <paramref name="Publish"/> says so. Then it is validated first: a definition that cannot be published leaves no draft
/// behind (draft and publication are one write).
/// </summary>
public sealed record ImportDefinition(string OrganizationId, string Json, bool Publish, string? UserId) : IWrite<DefinitionRecord>
{
    public string Operation => "definition-import";
    public string Subject => "";
}

internal sealed class ImportDefinitionHandler(DefinitionValidator validator, ActivityRegistry registry) : IWriteHandler<ImportDefinition, DefinitionRecord>
{
    public async Task<DefinitionRecord> HandleAsync(ImportDefinition write, WriteContext context, CancellationToken ct)
    {
        WorkflowDefinition? definition;
        try { definition = FromElsa(write.Json) ?? DefinitionJson.Parse(write.Json); }
        catch (JsonException e) { throw new WorkflowInputException(JsonErrors.FieldOf(e) ?? "json", $"流程定义 JSON 无效：{JsonErrors.Describe(e)}"); }
        if (definition is null) throw new WorkflowInputException("json", "流程定义 JSON 无效：内容为空");
        DefinitionChecks.Shape(definition);
        if (write.Publish)
        {
            var errors = await ScoreEventChecks.ForPublishAsync(context.Db, validator, write.OrganizationId,
                context.Organization.Within(write.OrganizationId), definition, ct);
            if (errors.Count > 0) throw new DefinitionInvalidException(errors);
        }
        var record = await DefinitionVersions.SaveDraftAsync(context, write.OrganizationId, definition, write.UserId, ct);
        if (write.Publish) DefinitionVersions.Publish(context, record, write.UserId);
        return record;
    }

    /// <summary>
    /// An Elsa 3 workflow (docs/decisions/030) is mapped to Duban's activities; what cannot be mapped is refused node by
    /// node (the field is the node's id), and nothing is saved.
    /// </summary>
    private WorkflowDefinition? FromElsa(string json)
    {
        if (JsonNode.Parse(json) is not JsonObject document || !ElsaFormat.IsElsa(document)) return null;
        var result = new ElsaImporter(registry).Import(document);
        if (result.Definition is { } definition) return definition;
        var errors = result.Problems.Select(p => new FieldError(p.ActivityId ?? "definition", p.Message)).ToList();
        throw new WorkflowInputException($"Elsa 流程中有 {errors.Count} 处督办无法运行", errors);
    }
}
