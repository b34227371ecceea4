using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Definitions;
using Duban.Data.Numbering;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Documents;

/// <summary>
/// 生成文书: fills the organization's latest version of template <paramref name="TemplateKey"/> from the item, gives it
/// its 文号 when the template numbers documents (taken in the same transaction, so a number exists exactly when its
/// document does), stores it as an attachment of the item and writes a line in the item's journal.
/// <paramref name="Files"/> collects the files each attempt stored, so that the caller removes those of lost attempts.
/// </summary>
public sealed record GenerateDocument(Guid InstanceId, string TemplateKey, CurrentUser User, GeneratedFiles Files) : IWrite<GeneratedDocumentRecord>
{
    public string Operation => "document-generate";
    public string Subject => InstanceId.ToString();
}

/// <summary>The storage keys the attempts of one generation wrote.</summary>
public sealed class GeneratedFiles
{
    public List<string> Keys { get; } = [];
}

internal sealed class GenerateDocumentHandler(DefinitionCache definitions, AttachmentStorage storage) : IWriteHandler<GenerateDocument, GeneratedDocumentRecord>
{
    public const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    public async Task<GeneratedDocumentRecord> HandleAsync(GenerateDocument write, WriteContext context, CancellationToken ct)
    {
        var db = context.Db;
        var user = write.User;
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        if (!DocumentRoles.MayGenerate(user)) throw new ForbiddenException("只有督查员或管理员可以生成文书");
        var template = await DocumentTemplates.LatestAsync(db, instance.OrganizationId, write.TemplateKey, ct)
            ?? throw new NotFoundException("文书模板不存在");
        if (!definitions.TryGetPublished(instance.DefinitionRecordId, out var definition))
            definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));

        string? number = null;
        if (template.NumberPattern is { } pattern && NumberingOptions.From(new JsonObject { ["numbering"] = new JsonObject { ["pattern"] = pattern } }) is { } rule)
        {
            // The counter is the organization's: two organizations that print the same pattern count on their own.
            await context.BeginTransactionAsync(ct);
            var next = await NumberSequences.NextAsync(db, $"{instance.OrganizationId}/文书/{rule.SequenceKey}", rule.PeriodOf(context.Now), context.Now, ct);
            number = rule.Format(next, context.Now);
        }
        var values = await ItemDocumentValues.BuildAsync(db, context.Organization, instance, definition, number, context.Now, ct);
        var filled = DocxFiller.Fill(template.Content, values);

        var attachmentId = Guid.CreateVersion7();
        var stored = await storage.SaveAsync(attachmentId, context.Now, new MemoryStream(filled.Content), long.MaxValue, ct)
            ?? throw new InvalidOperationException("generated document not stored");
        write.Files.Keys.Add(stored.Key);
        var fileName = DocumentTemplates.SafeFileName($"{template.Name}{(number is null ? "" : "（" + number + "）")}-{instance.Number ?? instance.Title}.docx");
        db.Attachments.Add(new AttachmentRecord
        {
            Id = attachmentId,
            InstanceId = instance.Id,
            FileName = fileName,
            ContentType = DocxType,
            Size = stored.Size,
            Sha256 = stored.Sha256,
            StorageKey = stored.Key,
            UploadedById = user.Id,
            UploadedByName = user.DisplayName,
            UploadedAt = context.Now,
        });
        var document = new GeneratedDocumentRecord
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = instance.OrganizationId,
            InstanceId = instance.Id,
            TemplateId = template.Id,
            TemplateKey = template.Key,
            TemplateName = template.Name,
            TemplateVersion = template.Version,
            Number = number,
            AttachmentId = attachmentId,
            FileName = fileName,
            CreatedById = user.Id,
            CreatedByName = user.DisplayName,
            CreatedAt = context.Now,
        };
        db.Add(document);
        context.Journal(instance.Id, JournalKind.DocumentGenerated, context.ActorOf(user), null, null,
            comment: number is null ? $"生成《{template.Name}》" : $"生成《{template.Name}》，文号 {number}",
            data: new JsonObject
            {
                ["documentId"] = document.Id,
                ["templateName"] = template.Name,
                ["number"] = number,
                ["attachmentId"] = attachmentId,
                ["fileName"] = fileName,
            });
        return document;
    }
}

/// <summary>Who may do what with documents.</summary>
public static class DocumentRoles
{
    /// <summary>The office (督查员) and administrators generate documents and read every template of their organization.</summary>
    public static bool MayGenerate(CurrentUser user) => user.IsInRole(Roles.Supervisor) || user.IsInRole(Roles.Admin);
}

/// <summary>Reads of the templates, always inside one organization.</summary>
public static class DocumentTemplates
{
    public static Task<DocumentTemplateRecord?> LatestAsync(DubanDbContext db, string organizationId, string key, CancellationToken ct) =>
        db.Set<DocumentTemplateRecord>().AsNoTracking()
            .Where(t => t.OrganizationId == organizationId && t.Key == key)
            .OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct);

    /// <summary>A file name without characters file systems refuse.</summary>
    public static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var clean = new string(name.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
        return clean.Length > 200 ? clean[..190] + Path.GetExtension(clean) : clean;
    }
}

/// <summary>
/// Runs <see cref="GenerateDocument"/> through the door and removes the files that attempts which did not commit stored
/// (a lost race runs the handler again; a failure keeps no file that no row names).
/// </summary>
public sealed class DocumentGeneration(WriteDoor door, AttachmentStorage storage, DubanDbContext db)
{
    public async Task<GeneratedDocumentRecord> GenerateAsync(Guid instanceId, string templateKey, CurrentUser user, CancellationToken ct)
    {
        var files = new GeneratedFiles();
        try
        {
            return await door.RunAsync(new GenerateDocument(instanceId, templateKey, user, files), ct);
        }
        finally
        {
            if (files.Keys.Count > 0)
            {
                // A file a row names stays, whatever happened on the way back; the others belong to attempts that did not commit.
                var keys = files.Keys.ToList();
                var named = await db.Attachments.AsNoTracking().Where(a => keys.Contains(a.StorageKey)).Select(a => a.StorageKey).ToListAsync(CancellationToken.None);
                foreach (var key in keys.Except(named)) storage.Delete(key);
            }
        }
    }
}
