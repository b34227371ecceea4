using Duban.Data.Writes;
using Duban.Engine.Definitions;

namespace Duban.Data.Definitions.Admin;

/// <summary>保存草稿: the designer saves a procedure; a published version is never changed, so it then gets a new draft.</summary>
public sealed record SaveDefinitionDraft(string OrganizationId, WorkflowDefinition Definition, string? UserId) : IWrite<DefinitionRecord>
{
    public string Operation => "definition-save";
    public string Subject => Definition.DefinitionId;
}

internal sealed class SaveDefinitionDraftHandler : IWriteHandler<SaveDefinitionDraft, DefinitionRecord>
{
    public Task<DefinitionRecord> HandleAsync(SaveDefinitionDraft write, WriteContext context, CancellationToken ct) =>
        DefinitionVersions.SaveDraftAsync(context, write.OrganizationId, write.Definition, write.UserId, ct);
}
