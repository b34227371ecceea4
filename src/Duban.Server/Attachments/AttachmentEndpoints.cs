using System.Text;
using Duban.Data;
using Duban.Data.Attachments;
using Duban.Data.Organization;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Duban.Server.Attachments;

public sealed record AttachmentDto(
    Guid Id, string Name, long Size, string ContentType, Guid? InstanceId, DateTimeOffset UploadedAt, string? UploadedByName);

public sealed record AttachmentLimits(long MaxBytes, IReadOnlyList<string> AllowedExtensions);

/// <summary>
/// 附件: upload (multipart, one file per request), download, and the limits the web app shows. Size and type limits
/// come from <c>Duban:Attachments</c>. Who may download: whoever may see the file's item; a file not yet tied to an
/// item (uploaded on a start form) only its uploader. As everywhere (docs/decisions/005), what a user may not see
/// answers 404, so a file's existence is not revealed; 403 is for an item they see but may no longer add files to.
/// </summary>
internal static class AttachmentEndpoints
{
    /// <summary>Room for the multipart boundaries and headers on top of the file itself.</summary>
    private const long MultipartOverhead = 64 * 1024;

    public static IServiceCollection AddDubanAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<AttachmentOptions>(configuration.GetSection("Duban:Attachments"));
        services.AddSingleton<AttachmentStorage>();
        services.AddScoped<AttachmentUploads>();
        return services;
    }

    public static RouteGroupBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/attachments").WithTags("附件").RequireAuthorization();

        group.MapGet("/limits", (IOptions<AttachmentOptions> options) =>
            TypedResults.Ok(new AttachmentLimits(options.Value.MaxBytes, options.Value.NormalisedExtensions())))
            .WithSummary("上传限制（大小、类型）");

        group.MapPost("/", async Task<Created<AttachmentDto>> (Guid? instanceId, HttpContext http, DubanDbContext db,
            AttachmentUploads uploads, IOptions<AttachmentOptions> options, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var limits = options.Value;
            // Before a byte is read: an item one may not see or that has ended takes no file (checked again in the write).
            if (instanceId is { } item) await AttachmentUploads.CheckItemAsync(db, user, item, ct);

            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
                bodyLimit.MaxRequestBodySize = limits.MaxBytes + MultipartOverhead;

            var boundary = Boundary(http.Request.ContentType)
                ?? throw new WorkflowInputException("file", "请以 multipart/form-data 上传文件（字段名 file）");
            var reader = new MultipartReader(boundary, http.Request.Body);
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFileDisposition() || !string.Equals(disposition.Name.Value, "file", StringComparison.OrdinalIgnoreCase))
                    continue;

                var name = CleanFileName(disposition.FileNameStar.Value ?? disposition.FileName.Value);
                if (name is null) throw new WorkflowInputException("file", "文件名不能为空");
                var extension = Path.GetExtension(name).ToLowerInvariant();
                var allowed = limits.NormalisedExtensions();
                if (allowed.Count > 0 && !allowed.Contains(extension))
                    throw new WorkflowInputException("file",
                        $"不支持的文件类型「{(extension.Length > 0 ? extension : "无扩展名")}」，允许的类型：{string.Join(" ", allowed)}");

                var record = await uploads.UploadAsync(instanceId, user, name, ContentTypeOf(name), section.Body, limits.MaxBytes, ct);
                return TypedResults.Created($"/api/attachments/{record.Id}", ToDto(record));
            }
            throw new WorkflowInputException("file", "请选择要上传的文件");
        })
        .DisableAntiforgery()
        .WithSummary("上传附件（multipart/form-data，字段名 file；可带 instanceId）")
        .ProducesValidationProblem()
        .ProducesProblem(403)
        .ProducesProblem(404);

        group.MapGet("/{id:guid}", async (Guid id, HttpContext http, DubanDbContext db, Duban.Data.Definitions.DefinitionCache definitions, AttachmentStorage storage,
            Duban.Data.Writes.WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var record = await db.Attachments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
            if (record is null || !await CanReadAsync(db, definitions, user, record, ct)) throw new NotFoundException("附件不存在");
            var stream = storage.OpenRead(record.StorageKey) ?? throw new NotFoundException("附件文件已丢失，请联系管理员");
            await door.RunAsync(new Duban.Data.Writes.RecordAuditEvent(Duban.Data.Audit.AuditedOperations.Download, id.ToString(),
                $"下载附件「{record.FileName}」", Duban.Data.Audit.AuditResults.Succeeded), ct);
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "private, no-cache";
            // Always a download, never rendered in the app's origin.
            return TypedResults.File(stream, record.ContentType, record.FileName, enableRangeProcessing: true);
        })
        .WithSummary("下载附件")
        .ProducesProblem(404);

        return group;
    }

    /// <summary>
    /// The uploader, or — once the file belongs to an item — whoever may read it there (<see cref="ItemAccess.MayReadFileAsync"/>:
    /// the office every file of an item it sees, anyone else a file in a field he sees; decision 034), or in a child item whose
    /// data carries the file (a 整改建议书 handed to a department with the inspection's photo of the problem: the department sees
    /// the child, not the inspection).
    /// </summary>
    internal static async Task<bool> CanReadAsync(DubanDbContext db, Duban.Data.Definitions.DefinitionCache definitions, CurrentUser user,
        AttachmentRecord record, CancellationToken ct)
    {
        if (record.UploadedById == user.Id) return true;
        if (record.InstanceId is not { } item) return false;
        var id = record.Id.ToString();
        // The file's own item, then only its children whose data carries this file's id.
        var holders = await ItemAccess.Items(db, user).AsNoTracking()
            .Where(i => i.Id == item || (i.ParentInstanceId == item && i.StateJson.Contains(id))).ToListAsync(ct);
        foreach (var holder in holders.OrderBy(h => h.Id == item ? 0 : 1))
            if (await ItemAccess.MayReadFileAsync(db, user, holder, await ItemAccess.DefinitionOfAsync(db, definitions, holder, ct), id, ct))
                return true;
        return false;
    }

    internal static AttachmentDto ToDto(AttachmentRecord a) =>
        new(a.Id, a.FileName, a.Size, a.ContentType, a.InstanceId, a.UploadedAt, a.UploadedByName);

    private static string? Boundary(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)
            || !media.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
            return null;
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary).Value;
        return string.IsNullOrWhiteSpace(boundary) || boundary.Length > 200 ? null : boundary;
    }

    /// <summary>The last path segment, without control characters, at most 255 characters (extension kept).</summary>
    internal static string? CleanFileName(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var name = raw.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var clean = new StringBuilder(name.Length);
        foreach (var c in name)
            if (!char.IsControl(c) && c is not ('"' or '<' or '>' or '|' or ':' or '*' or '?')) clean.Append(c);
        name = clean.ToString().Trim().Trim('.');
        if (name.Length == 0) return null;
        if (name.Length > 255)
        {
            var extension = Path.GetExtension(name);
            if (extension.Length > 20) extension = "";
            name = name[..(255 - extension.Length)] + extension;
        }
        return name;
    }

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>From the extension, never from what the browser claims.</summary>
    private static string ContentTypeOf(string name) =>
        ContentTypes.TryGetContentType(name, out var type) ? type : "application/octet-stream";
}
