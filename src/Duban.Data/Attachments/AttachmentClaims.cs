using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Attachments;

/// <summary>
/// The attachments a form submission names. Before the submission goes to the engine each must be a real upload this
/// user may use here — their own file not yet tied to an item, or a file of this very item — and its reference is
/// rewritten from the stored record (name, size, type), so the item never shows a name the file does not have. The
/// user's loose files it names are tied to the item in the same write that accepts the submission: both commit, or
/// neither does.
/// </summary>
public static class AttachmentClaims
{
    public sealed record Reference(string Path, JsonObject Node, Guid? Id);

    /// <summary>Cheap pre-check: attachments and tables are lists, so data without a list names no attachment.</summary>
    public static bool MayHaveAttachments(JsonObject? data) => data is not null && data.Any(p => p.Value is JsonArray);

    /// <summary>Every attachment reference in <paramref name="data"/>: attachment fields and attachment columns of tables.</summary>
    public static List<Reference> Find(FormDefinition? form, JsonObject? data)
    {
        var found = new List<Reference>();
        if (form is null || data is null) return found;
        foreach (var field in form.Fields)
        {
            if (field.Type == FieldTypes.Attachments)
                Collect(data[field.Key], field.Key, found);
            else if (field.Type == FieldTypes.Table && data[field.Key] is JsonArray rows)
            {
                for (var r = 0; r < rows.Count; r++)
                {
                    if (rows[r] is not JsonObject row) continue;
                    foreach (var column in field.Columns ?? [])
                        if (column.Type == FieldTypes.Attachments)
                            Collect(row[column.Key], $"{field.Key}[{r}].{column.Key}", found);
                }
            }
        }
        return found;
    }

    private static void Collect(JsonNode? value, string path, List<Reference> found)
    {
        if (value is not JsonArray list) return;
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject node) continue; // the form validator reports the shape
            var id = node["id"] is JsonValue v && v.GetValueKind() == JsonValueKind.String && Guid.TryParse(v.GetValue<string>(), out var g) ? g : (Guid?)null;
            found.Add(new Reference($"{path}[{i}]", node, id));
        }
    }

    /// <summary>
    /// Checks the references (400 naming each bad one), rewrites them from the stored records, and ties this user's
    /// files not yet tied to an item to <paramref name="instanceId"/> (tracked: the write's commit saves it; a file
    /// another item claimed meanwhile makes the write lose its race and find the file taken).
    /// </summary>
    public static Task ClaimAsync(DubanDbContext db, CurrentUser user, FormDefinition? form, JsonObject? data, Guid instanceId, CancellationToken ct,
        WorkflowDefinition? definition = null) =>
        ResolveAsync(db, user, form, data, instanceId, definition, claim: true, ct);

    /// <summary>
    /// The same checks and rewriting, without tying anything to the item: for a 暂存 draft, whose files stay the user's
    /// own until the task is submitted.
    /// </summary>
    public static Task CheckAsync(DubanDbContext db, CurrentUser user, FormDefinition? form, JsonObject? data, Guid instanceId, CancellationToken ct,
        WorkflowDefinition? definition = null) =>
        ResolveAsync(db, user, form, data, instanceId, definition, claim: false, ct);

    /// <remarks>
    /// A file of this very item is usable only by someone who may read it there (<see cref="ItemAccess.MayReadFileAsync"/>,
    /// decision 034): another unit's file is not copied into one's own field. A message names a file by the name the form
    /// gave, never by the stored name: a file one may not read has no name one may learn (decision 034).
    /// </remarks>
    private static async Task ResolveAsync(DubanDbContext db, CurrentUser user, FormDefinition? form, JsonObject? data, Guid instanceId,
        WorkflowDefinition? definition, bool claim, CancellationToken ct)
    {
        if (!MayHaveAttachments(data)) return;
        var references = Find(form, data);
        if (references.Count == 0) return;
        var ids = references.Where(r => r.Id is not null).Select(r => r.Id!.Value).Distinct().ToList();
        var records = await db.Attachments.Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, ct);
        var errors = new List<FieldError>();
        foreach (var reference in references)
        {
            var name = reference.Node["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : "";
            if (reference.Id is not { } id || !records.TryGetValue(id, out var record))
            {
                errors.Add(new(reference.Path, $"附件「{name}」不存在，请重新上传"));
                continue;
            }
            var usable = record.InstanceId is null
                ? record.UploadedById == user.Id
                : record.InstanceId == instanceId && await MayUseAsync(db, user, record, definition, ct);
            if (!usable)
            {
                errors.Add(new(reference.Path, $"附件「{name}」不属于本事项，请重新上传"));
                continue;
            }
            if (claim) record.InstanceId = instanceId;
            reference.Node.Clear();
            reference.Node["id"] = record.Id.ToString();
            reference.Node["name"] = record.FileName;
            reference.Node["size"] = record.Size;
            reference.Node["contentType"] = record.ContentType;
        }
        if (errors.Count > 0) throw new WorkflowInputException("附件有误，请检查标出的字段", errors);
    }

    /// <summary>A file already tied to this item: its uploader's, or one the user may read on the item.</summary>
    private static async Task<bool> MayUseAsync(DubanDbContext db, CurrentUser user, AttachmentRecord record, WorkflowDefinition? definition, CancellationToken ct)
    {
        if (record.UploadedById == user.Id || user.SeesAllItems) return true;
        if (definition is null) return false;
        var instance = await db.Instances.AsNoTracking().FirstOrDefaultAsync(i => i.Id == record.InstanceId, ct);
        return instance is not null && await ItemAccess.MayReadFileAsync(db, user, instance, definition, record.Id.ToString(), ct);
    }
}
