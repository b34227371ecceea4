using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Documents;

/// <summary>
/// A new version of one of the organization's document templates (an administrator's): an uploaded Word file, the
/// shipped template of <paramref name="ShippedKind"/>, or — with neither — the latest version's file under a new name or
/// 文号 rule. <paramref name="Key"/> null starts a new template (a shipped kind's key is the kind).
/// </summary>
public sealed record SaveDocumentTemplate(CurrentUser User, string? Key, string? Name, string? NumberPattern, string? ShippedKind,
    string? FileName, byte[]? Content) : IWrite<DocumentTemplateRecord>, IRetryOnDuplicateKey
{
    public string Operation => "document-template-save";
    public string Subject => Key ?? ShippedKind ?? Name ?? "";
}

internal sealed class SaveDocumentTemplateHandler : IWriteHandler<SaveDocumentTemplate, DocumentTemplateRecord>
{
    public const int MaxTemplateBytes = 10 * 1024 * 1024;

    public async Task<DocumentTemplateRecord> HandleAsync(SaveDocumentTemplate write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有有「流程与文书设计」权限的人员（管理员）可以维护文书模板");
        var organizationId = user.OrganizationId ?? throw new ForbiddenException("请以本单位管理员身份维护文书模板");
        var shipped = write.ShippedKind is { } kind
            ? ShippedDocumentTemplates.Find(kind) ?? throw new WorkflowInputException("shippedKind", $"没有内置模板「{kind}」")
            : null;
        var key = write.Key ?? shipped?.Kind ?? Guid.CreateVersion7().ToString("N");
        var latest = await context.Db.Set<DocumentTemplateRecord>()
            .Where(t => t.OrganizationId == organizationId && t.Key == key)
            .OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct);
        if (write.Key is not null && latest is null && shipped is null) throw new NotFoundException("文书模板不存在");

        var name = (write.Name ?? latest?.Name ?? shipped?.Name ?? "").Trim();
        if (name.Length == 0) throw new WorkflowInputException("name", "请填写文书名称");
        if (name.Length > 100) throw new WorkflowInputException("name", "文书名称不能超过 100 个字符");
        var pattern = write.NumberPattern is null ? latest?.NumberPattern ?? shipped?.NumberPattern : write.NumberPattern.Trim();
        if (string.IsNullOrEmpty(pattern)) pattern = null;
        if (pattern is not null && NumberingOptions.Read(new JsonObject { ["pattern"] = pattern }).Problems is { Count: > 0 } problems)
            throw new WorkflowInputException("numberPattern", "文号规则：" + string.Join("；", problems));

        byte[] content;
        string fileName;
        if (write.Content is { } uploaded)
        {
            if (uploaded.Length > MaxTemplateBytes) throw new WorkflowInputException("file", "模板文件不能超过 10 MB");
            if (!DocxFiller.IsWordDocument(uploaded)) throw new WorkflowInputException("file", "请上传 Word 文档（.docx）");
            content = uploaded;
            fileName = string.IsNullOrWhiteSpace(write.FileName) ? name + ".docx" : Path.GetFileName(write.FileName);
        }
        else if (shipped is not null)
        {
            content = ShippedDocumentTemplates.Build(shipped.Kind);
            fileName = shipped.Name + ".docx";
        }
        else if (latest is not null)
        {
            content = latest.Content;
            fileName = latest.FileName;
        }
        else
        {
            throw new WorkflowInputException("file", "请上传 Word 模板文件（.docx）");
        }

        var record = new DocumentTemplateRecord
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            Key = key,
            Version = (latest?.Version ?? 0) + 1,
            Name = name,
            ShippedKind = shipped?.Kind ?? latest?.ShippedKind,
            NumberPattern = pattern,
            FileName = fileName,
            Content = content,
            CreatedById = user.Id,
            CreatedByName = user.DisplayName,
            CreatedAt = context.Now,
        };
        context.Db.Add(record);
        return record;
    }
}
