using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Attachments;

/// <summary>
/// Records an uploaded file whose bytes are already stored (<see cref="AttachmentUploads"/> stores them first): the
/// row that says what the file is, who uploaded it and which item it is for — none for a start form's file.
/// </summary>
public sealed record UploadAttachment(Guid Id, Guid? InstanceId, CurrentUser User, string FileName, string ContentType, StoredFile File)
    : IWrite<AttachmentRecord>
{
    public string Operation => "attachment-upload";
    public string Subject => Id.ToString();
}

internal sealed class UploadAttachmentHandler : IWriteHandler<UploadAttachment, AttachmentRecord>
{
    public async Task<AttachmentRecord> HandleAsync(UploadAttachment write, WriteContext context, CancellationToken ct)
    {
        // Checked again here, in the write: the item may have ended since the upload began.
        if (write.InstanceId is { } item) await AttachmentUploads.CheckItemAsync(context.Db, write.User, item, ct);
        var record = new AttachmentRecord
        {
            Id = write.Id,
            InstanceId = write.InstanceId,
            FileName = write.FileName,
            ContentType = write.ContentType,
            Size = write.File.Size,
            Sha256 = write.File.Sha256,
            StorageKey = write.File.Key,
            UploadedById = write.User.Id,
            UploadedByName = write.User.DisplayName,
            UploadedAt = context.Now,
        };
        context.Db.Attachments.Add(record);
        return record;
    }
}

/// <summary>
/// 上传附件: stores the bytes, then records them through the door (<see cref="UploadAttachment"/>). The file is written
/// once, before the write — the door may run the write's handler more than once, and only the row is retried. A write
/// that fails for good deletes the file again, so no file is left that no row names.
/// </summary>
public sealed class AttachmentUploads(AttachmentStorage storage, WriteDoor door, DubanDbContext db, TimeProvider clock, ILogger<AttachmentUploads> logger)
{
    /// <summary>
    /// Whether <paramref name="user"/> may add a file to the item: one they may not see does not exist for them (404); a
    /// finished one takes no more files (403).
    /// </summary>
    public static async Task CheckItemAsync(DubanDbContext db, CurrentUser user, Guid instanceId, CancellationToken ct)
    {
        var status = await ItemVisibility.Visible(db, user).Where(i => i.Id == instanceId).Select(i => (WorkflowStatus?)i.Status).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("事项不存在");
        if (status is WorkflowStatus.Completed or WorkflowStatus.Cancelled)
            throw new ForbiddenException("事项已结束，不能再上传附件");
    }

    /// <summary>
    /// Stores <paramref name="content"/> (at most <paramref name="maxBytes"/>; an empty or larger file is refused and
    /// nothing is kept) and records it as <paramref name="fileName"/>, uploaded by <paramref name="user"/> for the item
    /// <paramref name="instanceId"/> (or for none yet).
    /// </summary>
    public async Task<AttachmentRecord> UploadAsync(Guid? instanceId, CurrentUser user, string fileName, string contentType, Stream content, long maxBytes, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var stored = await storage.SaveAsync(id, clock.GetUtcNow(), content, maxBytes, ct)
            ?? throw new WorkflowInputException("file", $"文件「{fileName}」超过大小上限 {FormatSize(maxBytes)}");
        if (stored.Size == 0)
        {
            storage.Delete(stored.Key);
            throw new WorkflowInputException("file", $"文件「{fileName}」是空文件");
        }
        try
        {
            return await door.RunAsync(new UploadAttachment(id, instanceId, user, fileName, contentType, stored), ct);
        }
        catch
        {
            if (!await RecordedAsync(id)) storage.Delete(stored.Key);
            throw;
        }
    }

    /// <summary>
    /// Whether the row exists after all: a failure that came after the commit (a connection lost on the way back, a
    /// request cancelled at the last moment) must not take the file from its row. When even that cannot be read, the
    /// file is kept — a file no row names is harmless, a row whose file is gone is a loss.
    /// </summary>
    private async Task<bool> RecordedAsync(Guid id)
    {
        try
        {
            return await db.Attachments.AsNoTracking().AnyAsync(a => a.Id == id, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not tell whether attachment {Id} was recorded; its file is kept", id);
            return true;
        }
    }

    private static string FormatSize(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / 1024 / 1024} MB",
        >= 1024 * 1024 => $"{bytes / 1024.0 / 1024.0:0.#} MB",
        >= 1024 => $"{bytes / 1024.0:0.#} KB",
        _ => $"{bytes} B",
    };
}
