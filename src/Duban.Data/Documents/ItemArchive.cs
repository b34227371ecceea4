using System.IO.Compression;
using System.Text.Json.Nodes;
using Duban.Data.Attachments;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Documents;

/// <summary>
/// 一事一卷 (004 第五篇 九: 「督查事项全套材料……按归档要求整理成册，一事一卷，立卷备查」): one .zip of an item and its
/// children — a 卷内目录 (Word, and PDF when asked for and LibreOffice is installed: a conversion takes seconds) listing every file; per item an 办理记录 (its
/// fields, every round of every form, every opinion with signer and time, its chases, notices and documents, and the
/// whole timeline) and every attachment (the documents generated for it among them). Children the viewer does not see
/// are left out, as on the item page.
/// </summary>
public sealed class ItemArchive(DubanDbContext db, DefinitionCache definitions, OrganizationCache organizations, AttachmentStorage storage, PdfConverter pdf,
    TimeProvider clock)
{
    private sealed record Entry(string Path, string Kind, DateTimeOffset At);

    public async Task<(byte[] Zip, string FileName)> BuildAsync(CurrentUser user, Guid id, bool withPdf, CancellationToken ct)
    {
        var root = await ItemVisibility.Visible(db, user).AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct)
            ?? throw new NotFoundException("事项不存在");
        if (!DocumentRoles.MayGenerate(user)) throw new ForbiddenException("只有督查员或管理员可以导出案卷");
        var organization = await organizations.GetAsync(ct);
        var now = clock.GetUtcNow();
        var entries = new List<Entry>();
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await AddItemAsync(zip, entries, user, organization, root, "", now, ct);
            var office = organization.FindUnit(root.OrganizationId)?.Name ?? "";
            var catalogue = DocxWriter.Create(w =>
            {
                w.Head("卷内目录", office, root.Number ?? "");
                w.Cells(("事项", root.Title), ("编号", root.Number ?? ""), ("流程", root.DefinitionName), ("状态", ItemDocumentValues.StatusName(root.Status)),
                    ("登记日期", ItemDocumentValues.Date(root.CreatedAt)), ("立卷日期", ItemDocumentValues.Date(now)), ("立卷人", user.DisplayName));
                w.Grid(["序号", "文件", "类别", "日期"], entries.Select((e, i) => new[] { (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Path, e.Kind, ItemDocumentValues.Date(e.At) }));
            });
            await WriteAsync(zip, "卷内目录.docx", catalogue, ct);
            if (withPdf && pdf.Available && await pdf.ToPdfAsync(catalogue, ct) is { } cataloguePdf)
                await WriteAsync(zip, "卷内目录.pdf", cataloguePdf, ct);
        }
        return (buffer.ToArray(), DocumentTemplates.SafeFileName($"一事一卷-{root.Number ?? root.Title}.zip"));
    }

    private async Task AddItemAsync(ZipArchive zip, List<Entry> entries, CurrentUser user, OrganizationSnapshot organization, InstanceRecord item, string prefix,
        DateTimeOffset now, CancellationToken ct)
    {
        if (!definitions.TryGetPublished(item.DefinitionRecordId, out var definition))
            definition = definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == item.DefinitionRecordId, ct));
        var values = await ItemDocumentValues.BuildAsync(db, organization, item, definition, null, now, ct);
        var state = Runtime.ItemWriter.StateOf(item);
        var org = organization.Within(item.OrganizationId);
        var journal = await ItemJournal.OfItemAsync(db, item.Id, ct);
        var fields = ItemDocumentValues.Fields(definition).ToList();

        var record = DocxWriter.Create(w =>
        {
            w.Head("办理记录", organization.FindUnit(item.OrganizationId)?.Name ?? "", item.Number ?? "");
            w.Title(item.Title);
            w.Plain("一、事项");
            var cells = new List<(string, string)>();
            foreach (var name in new[] { "事项编号", "流程名称", "登记人", "登记单位", "登记日期", "完成时限", "状态", "办理结果", "主办单位", "协办单位", "催办次数" })
                cells.Add((name, values.Values.GetValueOrDefault(name) ?? ""));
            foreach (var field in fields.Where(f => f.Type is not (FieldTypes.Table or FieldTypes.Opinion)))
                cells.Add((field.Label, values.Values.GetValueOrDefault(field.Key) ?? ""));
            w.Cells([.. cells]);
            foreach (var table in fields.Where(f => f.Type == FieldTypes.Table && values.Tables.ContainsKey(f.Key)))
            {
                var columns = table.Columns ?? [];
                if (columns.Count == 0) continue;
                w.Plain($"{table.Label}：");
                w.Grid([.. columns.Select(c => c.Label)], values.Tables[table.Key].Select(row => columns.Select(c => row.GetValueOrDefault(c.Key) ?? "").ToArray()));
            }
            w.Plain("二、各环节表单（每轮）");
            foreach (var round in state.Submissions)
            {
                w.Plain($"{round.ActivityName ?? round.ActivityId} 第{round.Round}轮（{round.ActorName}，{ItemDocumentValues.DateTime(round.At)}）");
                var submitted = fields.Where(f => round.Values.ContainsKey(f.Key) && f.Type != FieldTypes.Table)
                    .Select(f => (f.Label, ItemDocumentValues.Text(f, round.Values[f.Key], org))).ToArray();
                if (submitted.Length > 0) w.Cells(submitted);
            }
            w.Plain("三、意见");
            w.Grid(["环节", "意见", "签署人", "单位", "时间"], values.Tables["意见列表"].Select(o => new[] { o["环节"], o["内容"], o["签署人"], o["单位"], o["时间"] }));
            w.Plain("四、催办、通知与文书");
            w.Grid(["时间", "类别", "经办人", "内容"], journal.Where(j => j.Kind is JournalKind.Chased or JournalKind.ChaseRecorded or JournalKind.ChaseReplied
                    or JournalKind.ChaseCancelled or JournalKind.BulletinIssued or JournalKind.NoticeRead or JournalKind.DocumentGenerated)
                .Select(j => new[] { ItemDocumentValues.DateTime(j.At), ItemDocumentValues.KindName(j.Kind), j.ActorName ?? "", Describe(j) }));
            w.Plain("五、办理过程");
            w.Grid(["时间", "环节", "办理人", "事件", "说明"], journal.Select(j => new[]
            {
                ItemDocumentValues.DateTime(j.At), j.ActivityName ?? "", j.ActorName ?? "", j.Outcome is { } o ? $"{ItemDocumentValues.KindName(j.Kind)}：{o}" : ItemDocumentValues.KindName(j.Kind),
                j.Comment ?? "",
            }));
        });
        await WriteAsync(zip, prefix + "办理记录.docx", record, ct);
        entries.Add(new Entry(prefix + "办理记录.docx", "办理记录", now));

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var attachment in await db.Attachments.AsNoTracking().Where(a => a.InstanceId == item.Id).OrderBy(a => a.UploadedAt).ToListAsync(ct))
        {
            await using var file = storage.OpenRead(attachment.StorageKey);
            if (file is null) continue;
            var name = DocumentTemplates.SafeFileName(attachment.FileName);
            for (var n = 2; !names.Add(name); n++) name = $"{Path.GetFileNameWithoutExtension(attachment.FileName)}({n}){Path.GetExtension(attachment.FileName)}";
            var entry = zip.CreateEntry(prefix + "附件/" + name, CompressionLevel.Optimal);
            await using (var target = await entry.OpenAsync(ct)) await file.CopyToAsync(target, ct);
            entries.Add(new Entry(prefix + "附件/" + name, attachment.ContentType.Contains("wordprocessingml", StringComparison.Ordinal) ? "文书" : "附件", attachment.UploadedAt));
        }

        var children = await ItemVisibility.Visible(db, user).AsNoTracking().Where(i => i.ParentInstanceId == item.Id)
            .OrderBy(i => i.CreatedAt).ThenBy(i => i.ChildIndex).ToListAsync(ct);
        var index = 0;
        foreach (var child in children)
            await AddItemAsync(zip, entries, user, organization, child,
                $"{prefix}子事项/{++index:00}-{DocumentTemplates.SafeFileName(child.Number ?? child.Title)}/", now, ct);
    }

    private static string Describe(JournalEntryRecord line)
    {
        var data = line.DataJson is null ? null : JsonNode.Parse(line.DataJson) as JsonObject;
        var unit = data?["unitName"]?.ToString();
        var parts = new[] { unit, line.Outcome, line.Comment }.Where(p => !string.IsNullOrWhiteSpace(p));
        return string.Join("；", parts);
    }

    private static async Task WriteAsync(ZipArchive zip, string path, byte[] content, CancellationToken ct)
    {
        var entry = zip.CreateEntry(path, CompressionLevel.Optimal);
        await using var target = await entry.OpenAsync(ct);
        await target.WriteAsync(content, ct);
    }
}
