using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Numbering;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Chasing;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Documents;

/// <summary>
/// 生成文书: fills the organization's latest version of template <paramref name="TemplateKey"/> from the item, gives it
/// its 文号 when the template numbers documents (taken in the same transaction, so a number exists exactly when its
/// document does), stores it as an attachment of the item and writes a line in the item's journal
/// (<see cref="DocumentMaker"/>, which a step's outcome and a chase rung use too: decision 047).
/// </summary>
public sealed record GenerateDocument(Guid InstanceId, string TemplateKey, CurrentUser User) : IWrite<GeneratedDocumentRecord>
{
    public string Operation => "document-generate";
    public string Subject => InstanceId.ToString();
}

internal sealed class GenerateDocumentHandler(DocumentMaker maker) : IWriteHandler<GenerateDocument, GeneratedDocumentRecord>
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
        return await maker.MakeAsync(context, instance, template, context.ActorOf(user), recipients: null, ct);
    }
}

/// <summary>
/// Makes one document for an item, inside a write: fills the template, takes its 文号 on the organization's counter,
/// stores the file, adds the attachment, the <see cref="GeneratedDocumentRecord"/> and the journal line — and sends it
/// to units' inboxes when asked. One way for the office's 生成文书, a step's outcome and a chase rung (decision 047).
/// The file is written before the commit (its bytes contain the number); an attempt that does not commit deletes it.
/// </summary>
public sealed class DocumentMaker(DefinitionCache definitions, AttachmentStorage storage) : IDesignedDocuments
{
    /// <summary>Activity id of a 阅知 task that brings a document to a unit.</summary>
    public const string NoticeActivity = "document";

    /// <param name="recipients">The units the document is for (「{{送达单位}}」); null: all the item's units.</param>
    public async Task<GeneratedDocumentRecord> MakeAsync(WriteContext context, InstanceRecord instance, DocumentTemplateRecord template, Actor actor,
        IReadOnlyList<string>? recipients, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(actor);
        var db = context.Db;
        if (!definitions.TryGetPublished(instance.DefinitionRecordId, out var definition))
            definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));

        var number = await NumberAsync(context, instance.OrganizationId, template.NumberPattern, ct);
        var values = await ItemDocumentValues.BuildAsync(db, context.Organization, instance, definition, number, context.Now, ct, recipients);
        var filled = DocxFiller.Fill(template.Content, values);

        var attachmentId = Guid.CreateVersion7();
        var stored = await storage.SaveAsync(attachmentId, context.Now, new MemoryStream(filled.Content), long.MaxValue, ct)
            ?? throw new InvalidOperationException("generated document not stored");
        context.IfNotCommitted(async () =>
        {
            // Whatever happened on the way back, a file a committed row names stays.
            if (!await db.Attachments.AsNoTracking().AnyAsync(a => a.StorageKey == stored.Key, CancellationToken.None)) storage.Delete(stored.Key);
        });
        var fileName = DocumentTemplates.SafeFileName($"{template.Name}{(number is null ? "" : "（" + number + "）")}-{instance.Number ?? instance.Title}.docx");
        db.Attachments.Add(new AttachmentRecord
        {
            Id = attachmentId,
            InstanceId = instance.Id,
            FileName = fileName,
            ContentType = GenerateDocumentHandler.DocxType,
            Size = stored.Size,
            Sha256 = stored.Sha256,
            StorageKey = stored.Key,
            UploadedById = actor.Id,
            UploadedByName = actor.Name,
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
            CreatedById = actor.Id,
            CreatedByName = actor.Name,
            CreatedAt = context.Now,
        };
        db.Add(document);
        context.Journal(instance.Id, JournalKind.DocumentGenerated, actor, null, null,
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

    /// <summary>
    /// The next 文号 of a template's rule on the organization's counter (null: the template numbers nothing), taken inside
    /// the write's transaction, so a number exists exactly when its document does. Items' documents and ledger reports
    /// (decision 048) count on the same counters.
    /// </summary>
    public static async Task<string?> NumberAsync(WriteContext context, string organizationId, string? pattern, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (pattern is null || NumberingOptions.From(new JsonObject { ["numbering"] = new JsonObject { ["pattern"] = pattern } }) is not { } rule) return null;
        // The counter is the organization's: two organizations that print the same pattern count on their own.
        await context.BeginTransactionAsync(ct);
        var next = await NumberSequences.NextAsync(context.Db, $"{organizationId}/文书/{rule.SequenceKey}", rule.PeriodOf(context.Now), context.Now, ct);
        return rule.Format(next, context.Now);
    }

    /// <summary>
    /// Sends a document to units' inboxes: each gets a 阅知 task for its liaisons that links to the document, and may
    /// download it from then on (<see cref="DocumentDeliveryRecord"/>).
    /// </summary>
    public async Task SendAsync(WriteContext context, InstanceRecord instance, GeneratedDocumentRecord document, IEnumerable<string> unitIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(unitIds);
        var title = document.Number is null ? $"《{document.TemplateName}》" : $"《{document.TemplateName}》（{document.Number}）";
        foreach (var unitId in unitIds.Distinct())
        {
            var task = context.OpenDetachedTask(instance, NoticeActivity, $"{NoticeActivity}:{document.Id:N}", $"文书：{document.TemplateName}",
                TaskKind.Notice, TaskAssignee.Unit(unitId), null, [], $"请阅知{title}，可在本页下载。", dueAt: null);
            context.Db.Add(new DocumentDeliveryRecord { DocumentId = document.Id, UnitId = unitId, InstanceId = instance.Id, TaskId = task.Id, SentAt = context.Now });
            await context.AddParticipantAsync(instance.Id, unitId, ct);
        }
    }

    /// <summary>
    /// The documents a run's outcomes name (<see cref="ExecutionEffects.Documents"/>): each generated and sent to the
    /// item's 主办 and 协办 units. A template gone since the design was published is a line in the journal, not a stop.
    /// </summary>
    public async Task ForOutcomesAsync(WriteContext context, InstanceRecord instance, IReadOnlyList<DocumentRequest> requests, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requests);
        foreach (var request in requests)
        {
            var units = (await ItemDocumentValues.AssignedAsync(context.Db, instance.Id, ct)).Select(a => a.UnitId).Distinct().ToList();
            await MakeAndSendAsync(context, instance, request.TemplateKey, actor, units, $"「{request.ActivityName}」选择「{request.Outcome}」", ct);
        }
    }

    /// <summary>A chase rung that names a document: generated for the chased unit and sent to it.</summary>
    public Task ForRungAsync(WriteContext context, InstanceRecord instance, LadderRung rung, string unitId, Actor actor, CancellationToken ct) =>
        rung?.Document is { } key ? MakeAndSendAsync(context, instance, key, actor, [unitId], $"催办「{rung.Name}」", ct) : Task.CompletedTask;

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> UnknownTemplatesAsync(DubanDbContext db, string organizationId, IEnumerable<string> keys, CancellationToken ct) =>
        (await DocumentTemplates.UnknownAsync(db, organizationId, keys.Select(k => (k, k)), ct)).Select(x => x.Key).Distinct().ToList();

    private async Task MakeAndSendAsync(WriteContext context, InstanceRecord instance, string key, Actor actor, IReadOnlyList<string> units, string why,
        CancellationToken ct)
    {
        var template = await DocumentTemplates.LatestAsync(context.Db, instance.OrganizationId, key, ct);
        if (template is null)
        {
            context.Journal(instance.Id, JournalKind.LineWritten, actor, null, null, comment: $"{why}应生成的文书模板「{key}」不存在，未生成文书");
            return;
        }
        var document = await MakeAsync(context, instance, template, actor, units, ct);
        await SendAsync(context, instance, document, units, ct);
    }
}

/// <summary>Who may do what with documents.</summary>
public static class DocumentRoles
{
    /// <summary>The office (督查员) and administrators generate documents and read every template of their organization.</summary>
    public static bool MayGenerate(CurrentUser user) => user.Has(Permission.Supervise);

    /// <summary>
    /// Who may download a generated document of an item he sees: the office and administrators, leaders, and a unit's
    /// liaisons (and its head) when the document was sent to that unit (decision 047) — a unit gets the document it was
    /// sent, and no other.
    /// </summary>
    public static async Task<bool> MayDownloadAsync(DubanDbContext db, CurrentUser user, IOrganization organization, Guid documentId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (MayGenerate(user) || user.SeesAllItems) return true;
        var tasks = await (from d in db.Set<DocumentDeliveryRecord>().AsNoTracking()
                           join t in db.Tasks.AsNoTracking() on d.TaskId equals t.Id
                           where d.DocumentId == documentId
                           select t).ToListAsync(ct);
        return tasks.Any(t => t.CompletedById == user.Id || user.IsCandidate(t, organization));
    }
}

/// <summary>Reads of the templates, always inside one organization.</summary>
public static class DocumentTemplates
{
    public static Task<DocumentTemplateRecord?> LatestAsync(DubanDbContext db, string organizationId, string key, CancellationToken ct) =>
        db.Set<DocumentTemplateRecord>().AsNoTracking()
            .Where(t => t.OrganizationId == organizationId && t.Key == key)
            .OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct);

    /// <summary>The references (any tag, a template key) that name no template of the organization.</summary>
    public static async Task<IReadOnlyList<(T Tag, string Key)>> UnknownAsync<T>(DubanDbContext db, string organizationId, IEnumerable<(T Tag, string Key)> references,
        CancellationToken ct)
    {
        var list = references.ToList();
        if (list.Count == 0) return [];
        var keys = list.Select(r => r.Key).Distinct().ToList();
        var known = (await db.Set<DocumentTemplateRecord>().AsNoTracking()
            .Where(t => t.OrganizationId == organizationId && keys.Contains(t.Key)).Select(t => t.Key).Distinct().ToListAsync(ct)).ToHashSet();
        return list.Where(r => !known.Contains(r.Key)).ToList();
    }

    /// <summary>A file name without characters file systems refuse.</summary>
    public static string SafeFileName(string name)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['\\', '/', ':', '*', '?', '"', '<', '>', '|']).ToHashSet();
        var clean = new string(name.Select(c => invalid.Contains(c) ? '_' : c).ToArray());
        return clean.Length > 200 ? clean[..190] + Path.GetExtension(clean) : clean;
    }
}
