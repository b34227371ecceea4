using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Attachments;

/// <summary>
/// Removes files uploaded for no item (a start form that was never sent) once they are older than
/// <paramref name="Lifetime"/>: their rows in this write, their bytes after it commits. A file an item claimed meanwhile
/// has its item and is not touched. Returns how many were removed.
/// </summary>
public sealed record ExpireLooseUploads(TimeSpan Lifetime, int BatchSize = 200) : IWrite<int>
{
    public string Operation => "attachments-expire-loose";
    public string Subject => "attachments";
}

internal sealed class ExpireLooseUploadsHandler(AttachmentStorage storage) : IWriteHandler<ExpireLooseUploads, int>
{
    public async Task<int> HandleAsync(ExpireLooseUploads write, WriteContext context, CancellationToken ct)
    {
        var before = context.Now - write.Lifetime;
        var loose = await context.Db.Attachments.Where(a => a.InstanceId == null && a.UploadedAt < before)
            .OrderBy(a => a.UploadedAt).Take(write.BatchSize).ToListAsync(ct);
        context.Db.Attachments.RemoveRange(loose);
        var keys = loose.Select(a => a.StorageKey).ToList();
        context.AfterCommit(() => { foreach (var key in keys) storage.Delete(key); });
        return loose.Count;
    }
}
