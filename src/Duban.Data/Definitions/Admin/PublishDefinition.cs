using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions.Admin;

/// <summary>发布: publishes the procedure's latest draft once it passes validation; errors name the nodes and nothing changes.</summary>
public sealed record PublishDefinition(string OrganizationId, string DefinitionId, string? UserId) : IWrite<DefinitionRecord>
{
    public string Operation => "definition-publish";
    public string Subject => DefinitionId;
}

internal sealed class PublishDefinitionHandler(DefinitionValidator validator) : IWriteHandler<PublishDefinition, DefinitionRecord>
{
    public async Task<DefinitionRecord> HandleAsync(PublishDefinition write, WriteContext context, CancellationToken ct)
    {
        var latest = await context.Db.Definitions.FirstOrDefaultAsync(d => d.OrganizationId == write.OrganizationId && d.DefinitionId == write.DefinitionId && d.IsLatest, ct)
            ?? throw new NotFoundException($"流程「{write.DefinitionId}」不存在");
        if (latest.IsPublished)
            throw new WorkflowConflictException($"第 {latest.Version} 版已发布，没有待发布的草稿");
        var errors = await ScoreEventChecks.ForPublishAsync(context.Db, validator, write.OrganizationId,
            context.Organization.Within(write.OrganizationId), DefinitionJson.Parse(latest.Json), ct);
        if (errors.Count > 0)
            throw new DefinitionInvalidException(errors);
        DefinitionVersions.Publish(context, latest, write.UserId);
        return latest;
    }
}
