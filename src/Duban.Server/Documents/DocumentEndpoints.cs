using Duban.Data;
using Duban.Data.Attachments;
using Duban.Data.Definitions;
using Duban.Data.Documents;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Documents;

/// <summary>One version of a document template, as the 文书模板 page lists it.</summary>
public sealed record DocumentTemplateView(
    Guid Id, string Key, int Version, string Name, string? ShippedKind, string? NumberPattern, string FileName,
    string? CreatedByName, DateTimeOffset CreatedAt, IReadOnlyList<string> Placeholders);

/// <param name="Templates">The organization's templates, each at its latest version.</param>
/// <param name="Shipped">The templates Duban ships, to start from.</param>
/// <param name="PdfAvailable">LibreOffice is installed: documents can be downloaded as PDF too.</param>
public sealed record DocumentTemplateList(IReadOnlyList<DocumentTemplateView> Templates, IReadOnlyList<ShippedDocumentTemplate> Shipped, bool PdfAvailable);

/// <summary>Settings of a new version without a new file (the latest version's file is kept), or of a shipped template.</summary>
public sealed record DocumentTemplateSettings(string? Name, string? NumberPattern, string? ShippedKind = null);

public sealed record GenerateDocumentRequest(string? TemplateKey);

/// <summary>A document generated for an item.</summary>
public sealed record GeneratedDocumentView(
    Guid Id, Guid InstanceId, string TemplateKey, string TemplateName, int TemplateVersion, string? Number, Guid AttachmentId, string FileName,
    string? CreatedByName, DateTimeOffset CreatedAt);

/// <summary>The placeholders an administrator may type: built-in ones, and each procedure's fields.</summary>
public sealed record PlaceholderList(IReadOnlyList<PlaceholderInfo> Placeholders);

/// <summary>
/// 文书 (docs/decisions/039): the organization's document templates (administrators upload and version them; the office
/// reads them to generate), documents generated for an item, downloads as Word and PDF, and the item's archive (一事一卷).
/// Every template and document is its organization's; an item's documents follow the item's visibility (404 to whoever
/// does not see the item, confidential items included).
/// </summary>
internal static class DocumentEndpoints
{
    public static IServiceCollection AddDubanDocuments(this IServiceCollection services)
    {
        services.AddScoped<DocumentMaker>();
        services.AddScoped<IDesignedDocuments>(sp => sp.GetRequiredService<DocumentMaker>());
        services.AddSingleton<PdfConverter>();
        services.AddScoped<ItemArchive>();
        return services;
    }

    public static IEndpointRouteBuilder MapDocumentsApi(this IEndpointRouteBuilder app)
    {
        var templates = app.MapGroup("/api/document-templates").WithTags("文书").RequireAuthorization();

        templates.MapGet("/", async Task<Ok<DocumentTemplateList>> (HttpContext http, DubanDbContext db, PdfConverter pdf, CancellationToken ct) =>
        {
            var user = await ReaderAsync(http);
            var rows = await db.Set<DocumentTemplateRecord>().AsNoTracking().Where(t => t.OrganizationId == user.OrganizationId).ToListAsync(ct);
            var latest = rows.GroupBy(t => t.Key).Select(g => g.MaxBy(t => t.Version)!).OrderBy(t => t.CreatedAt).Select(View).ToList();
            return TypedResults.Ok(new DocumentTemplateList(latest, ShippedDocumentTemplates.All, pdf.Available));
        }).WithSummary("本单位的文书模板（每个模板的最新版本）与内置模板");

        templates.MapGet("/placeholders", async Task<Ok<PlaceholderList>> (HttpContext http, DubanDbContext db, DefinitionCache definitions, CancellationToken ct) =>
        {
            var user = await ReaderAsync(http);
            var published = await db.Definitions.AsNoTracking()
                .Where(d => d.OrganizationId == user.OrganizationId && d.IsPublished && d.IsLatest).OrderBy(d => d.Name).ToListAsync(ct);
            var list = ItemDocumentValues.BuiltIn.ToList();
            foreach (var definition in published)
                list.AddRange(ItemDocumentValues.ForDefinition(definitions.Get(definition)));
            return TypedResults.Ok(new PlaceholderList(list));
        }).WithSummary("可用的占位符：通用、事项、单位、意见，以及各流程的字段（在 Word 中输入「{{名称}}」）");

        templates.MapGet("/{key}/versions", async Task<Ok<List<DocumentTemplateView>>> (string key, HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await ReaderAsync(http);
            var rows = await db.Set<DocumentTemplateRecord>().AsNoTracking()
                .Where(t => t.OrganizationId == user.OrganizationId && t.Key == key).OrderByDescending(t => t.Version).ToListAsync(ct);
            if (rows.Count == 0) throw new NotFoundException("文书模板不存在");
            return TypedResults.Ok(rows.Select(View).ToList());
        }).WithSummary("文书模板的全部版本");

        templates.MapPost("/", async Task<Created<DocumentTemplateView>> (HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var (file, name, pattern, key) = await ReadUploadAsync(http, ct);
            var record = await door.RunAsync(new SaveDocumentTemplate(user, key, name, pattern, null, file?.Name, file?.Content), ct);
            return TypedResults.Created($"/api/document-templates/{record.Key}/versions", View(record));
        })
        .DisableAntiforgery()
        .WithSummary("上传文书模板（multipart/form-data：file 为 .docx，name，numberPattern，key 为已有模板时上传新版本）")
        .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        templates.MapPost("/{key}/versions", async Task<Created<DocumentTemplateView>> (string key, DocumentTemplateSettings settings, HttpContext http, WriteDoor door,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var record = await door.RunAsync(new SaveDocumentTemplate(user, key, settings.Name, settings.NumberPattern, settings.ShippedKind, null, null), ct);
            return TypedResults.Created($"/api/document-templates/{record.Key}/versions", View(record));
        }).WithSummary("新版本：改名称或文号规则（沿用最新版本的文件），或恢复为内置模板（shippedKind）")
        .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        templates.MapPost("/shipped/{kind}", async Task<Created<DocumentTemplateView>> (string kind, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var record = await door.RunAsync(new SaveDocumentTemplate(user, null, null, null, kind, null, null), ct);
            return TypedResults.Created($"/api/document-templates/{record.Key}/versions", View(record));
        }).WithSummary("从内置模板创建（督查通知单、催办通知、督查整改建议书、督查专报、答复函、领导批示转办单）；已有时为新版本")
        .ProducesValidationProblem().ProducesProblem(403);

        templates.MapGet("/versions/{id:guid}/file", async (Guid id, HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var template = await VersionAsync(http, db, id, ct);
            return TypedResults.File(template.Content, GenerateDocumentHandlerContentType, template.FileName);
        }).WithSummary("下载模板文件（.docx）").Produces(200, contentType: GenerateDocumentHandlerContentType);

        templates.MapGet("/versions/{id:guid}/preview", async (Guid id, Guid instanceId, string? format, HttpContext http, DubanDbContext db,
            DefinitionCache definitions, OrganizationCache organizations, PdfConverter pdf, TimeProvider clock, CancellationToken ct) =>
        {
            var template = await VersionAsync(http, db, id, ct);
            var user = await http.GetCurrentUserAsync();
            var instance = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == instanceId, ct)
                ?? throw new NotFoundException("事项不存在");
            if (!definitions.TryGetPublished(instance.DefinitionRecordId, out var definition))
                definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
            // A preview takes no number: the 文号 shows what it will look like.
            var values = await ItemDocumentValues.BuildAsync(db, await organizations.GetAsync(ct), instance, definition,
                template.NumberPattern is null ? null : "（文号待生成）", clock.GetUtcNow(), ct);
            var filled = DocxFiller.Fill(template.Content, values);
            var name = $"预览-{template.Name}";
            if (filled.Unknown.Count > 0)
                http.Response.Headers["X-Duban-Unknown-Placeholders"] = Uri.EscapeDataString(string.Join("、", filled.Unknown));
            return await FileAsync(filled.Content, name, format, pdf, ct);
        }).WithSummary("用一个事项预览模板（不编号、不保存）；format=pdf 时为 PDF").Produces(200, contentType: GenerateDocumentHandlerContentType);

        var items = app.MapGroup("/api/instances/{id:guid}").WithTags("文书").RequireAuthorization();

        items.MapGet("/documents", async Task<Ok<List<GeneratedDocumentView>>> (Guid id, HttpContext http, DubanDbContext db, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.Visible(db, user).AnyAsync(i => i.Id == id, ct)) throw new NotFoundException("事项不存在");
            var rows = await db.Set<GeneratedDocumentRecord>().AsNoTracking().Where(d => d.InstanceId == id).OrderBy(d => d.CreatedAt).ToListAsync(ct);
            return TypedResults.Ok(rows.Select(View).ToList());
        }).WithSummary("事项的文书");

        items.MapPost("/documents", async Task<Created<GeneratedDocumentView>> (Guid id, GenerateDocumentRequest request, HttpContext http,
            WriteDoor door, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(request.TemplateKey)) throw new WorkflowInputException("templateKey", "请选择文书模板");
            var user = await http.GetCurrentUserAsync();
            var document = await door.RunAsync(new GenerateDocument(id, request.TemplateKey, user), ct);
            return TypedResults.Created($"/api/documents/{document.Id}", View(document));
        }).WithSummary("生成文书：按模板填入事项内容，编文号，作为附件存入事项并记入办理过程")
        .ProducesValidationProblem().ProducesProblem(403).ProducesProblem(404);

        items.MapGet("/archive", async (Guid id, bool? pdf, HttpContext http, ItemArchive archive, CancellationToken ct) =>
        {
            var (zip, name) = await archive.BuildAsync(await http.GetCurrentUserAsync(), id, pdf ?? false, ct);
            return TypedResults.File(zip, "application/zip", name);
        }).WithSummary("一事一卷：事项及其子事项的全套材料（卷内目录、办理记录、意见、催办、办理过程、附件与文书）打包为 .zip；pdf=true 时附卷内目录 PDF（需 LibreOffice）")
        .Produces(200, contentType: "application/zip").ProducesProblem(403).ProducesProblem(404);

        var documents = app.MapGroup("/api/documents").WithTags("文书").RequireAuthorization();

        documents.MapGet("/{id:guid}", async (Guid id, string? format, HttpContext http, DubanDbContext db, AttachmentStorage storage, PdfConverter pdf,
            OrganizationCache organizations, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var document = await db.Set<GeneratedDocumentRecord>().AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
            // A document is as visible as its item (tenancy and 限定知悉范围 included): anyone else is told it does not exist.
            if (document is null || !await ItemVisibility.Visible(db, user).AnyAsync(i => i.Id == document.InstanceId, ct))
                throw new NotFoundException("文书不存在");
            if (!await DocumentRoles.MayDownloadAsync(db, user, await organizations.GetAsync(ct), id, ct)) throw new NotFoundException("文书不存在");
            var attachment = await db.Attachments.AsNoTracking().FirstAsync(a => a.Id == document.AttachmentId, ct);
            await using var stream = storage.OpenRead(attachment.StorageKey) ?? throw new NotFoundException("文书文件已丢失，请联系管理员");
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, ct);
            return await FileAsync(buffer.ToArray(), Path.GetFileNameWithoutExtension(document.FileName), format, pdf, ct);
        }).WithSummary("下载文书（.docx；format=pdf 时为 PDF，需服务器安装 LibreOffice）").Produces(200, contentType: GenerateDocumentHandlerContentType);

        return app;
    }

    private const string GenerateDocumentHandlerContentType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    internal static async Task<IResult> FileAsync(byte[] docx, string name, string? format, PdfConverter pdf, CancellationToken ct)
    {
        if (string.Equals(format, "pdf", StringComparison.OrdinalIgnoreCase))
        {
            var converted = await pdf.ToPdfAsync(docx, ct) ?? throw new WorkflowInputException("format", "服务器未安装 LibreOffice，只能下载 Word 版（.docx）");
            return TypedResults.File(converted, "application/pdf", DocumentTemplates.SafeFileName(name + ".pdf"));
        }
        if (format is not (null or "" or "docx")) throw new WorkflowInputException("format", $"格式「{format}」无效，可选：docx、pdf");
        return TypedResults.File(docx, GenerateDocumentHandlerContentType, DocumentTemplates.SafeFileName(name + ".docx"));
    }

    /// <summary>The office and administrators read their organization's templates; anyone else is refused.</summary>
    private static async Task<CurrentUser> ReaderAsync(HttpContext http)
    {
        var user = await http.GetCurrentUserAsync();
        if (!DocumentRoles.MayGenerate(user)) throw new ForbiddenException("只有督查员或管理员可以查看文书模板");
        if (user.OrganizationId is null) throw new ForbiddenException("请以本单位账号查看文书模板");
        return user;
    }

    /// <summary>A version of one of the reader's organization's templates; another organization's does not exist for him.</summary>
    private static async Task<DocumentTemplateRecord> VersionAsync(HttpContext http, DubanDbContext db, Guid id, CancellationToken ct)
    {
        var user = await ReaderAsync(http);
        return await db.Set<DocumentTemplateRecord>().AsNoTracking().FirstOrDefaultAsync(t => t.Id == id && t.OrganizationId == user.OrganizationId, ct)
            ?? throw new NotFoundException("文书模板不存在");
    }

    private static async Task<((string Name, byte[] Content)? File, string? Name, string? Pattern, string? Key)> ReadUploadAsync(HttpContext http, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType) throw new WorkflowInputException("file", "请以 multipart/form-data 上传模板（字段名 file）");
        var form = await http.Request.ReadFormAsync(ct);
        (string, byte[])? file = null;
        if (form.Files.GetFile("file") is { } upload)
        {
            if (upload.Length > SaveDocumentTemplateMaxBytes) throw new WorkflowInputException("file", "模板文件不能超过 10 MB");
            using var buffer = new MemoryStream();
            await upload.CopyToAsync(buffer, ct);
            file = (Path.GetFileName(upload.FileName), buffer.ToArray());
        }
        string? Text(string key) => form.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;
        return (file, Text("name"), form.ContainsKey("numberPattern") ? form["numberPattern"].ToString() : null, Text("key"));
    }

    private const long SaveDocumentTemplateMaxBytes = 10 * 1024 * 1024;

    private static DocumentTemplateView View(DocumentTemplateRecord t) =>
        new(t.Id, t.Key, t.Version, t.Name, t.ShippedKind, t.NumberPattern, t.FileName, t.CreatedByName, t.CreatedAt, DocxFiller.PlaceholdersIn(t.Content));

    private static GeneratedDocumentView View(GeneratedDocumentRecord d) =>
        new(d.Id, d.InstanceId, d.TemplateKey, d.TemplateName, d.TemplateVersion, d.Number, d.AttachmentId, d.FileName, d.CreatedByName, d.CreatedAt);
}
