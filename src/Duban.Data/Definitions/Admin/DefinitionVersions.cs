using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions.Admin;

/// <summary>
/// How a procedure's versions change, shared by <see cref="SaveDefinitionDraft"/>, <see cref="PublishDefinition"/> and
/// <see cref="ImportDefinition"/>: a draft is edited in place; saving over a published version starts version N+1 as
/// the new draft; publishing freezes the draft.
/// </summary>
internal static class DefinitionVersions
{
    /// <summary>Saves the draft (tracked): updates the latest version if it is unpublished, else adds version N+1.</summary>
    public static async Task<DefinitionRecord> SaveDraftAsync(WriteContext context, string organizationId, WorkflowDefinition definition, string? userId, CancellationToken ct)
    {
        DefinitionChecks.Shape(definition);
        var db = context.Db;
        var latest = await db.Definitions.FirstOrDefaultAsync(d => d.OrganizationId == organizationId && d.DefinitionId == definition.DefinitionId && d.IsLatest, ct);
        if (latest is { IsPublished: false })
        {
            latest.Name = definition.Name;
            latest.Description = definition.Description;
            latest.Json = DefinitionJson.Serialize(definition with { Version = latest.Version });
            latest.UpdatedAt = context.Now;
            latest.UpdatedBy = userId;
            return latest;
        }
        if (latest is not null) latest.IsLatest = false;
        var version = (latest?.Version ?? 0) + 1;
        var record = new DefinitionRecord
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            DefinitionId = definition.DefinitionId,
            Version = version,
            Name = definition.Name,
            Description = definition.Description,
            Json = DefinitionJson.Serialize(definition with { Version = version }),
            IsLatest = true,
            CreatedAt = context.Now,
            UpdatedAt = context.Now,
            UpdatedBy = userId,
        };
        db.Definitions.Add(record);
        return record;
    }

    /// <summary>Freezes a draft that passed <see cref="DefinitionChecks.ForPublishAsync"/>.</summary>
    public static void Publish(WriteContext context, DefinitionRecord draft, string? userId)
    {
        draft.IsPublished = true;
        draft.PublishedAt = context.Now;
        draft.UpdatedBy = userId;
    }
}
