using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Duban.Data.Attachments;

/// <summary>
/// Keeps attachment bytes on disk, one file per attachment under <c>{attachments folder}/{yyyy}/{MM}/{id}</c>. The
/// stored name is the id, never the uploaded name, so a file name cannot reach outside the folder.
/// </summary>
public sealed class AttachmentStorage
{
    private readonly string _root;

    public AttachmentStorage(IOptions<AttachmentOptions> attachments, IOptions<DataOptions> data)
    {
        _root = Path.GetFullPath(attachments.Value.Directory is { Length: > 0 } dir
            ? dir
            : Path.Combine(data.Value.DataDir, "attachments"));
    }

    public string Root => _root;

    /// <summary>
    /// Copies <paramref name="content"/> to a temporary file, counting bytes and hashing as it goes, and stops as soon as
    /// more than <paramref name="maxBytes"/> arrive. Returns null when the file is too large (nothing is kept).
    /// </summary>
    public async Task<StoredFile?> SaveAsync(Guid id, DateTimeOffset at, Stream content, long maxBytes, CancellationToken ct)
    {
        var key = Path.Combine(at.UtcDateTime.ToString("yyyy"), at.UtcDateTime.ToString("MM"), id.ToString("N"));
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".uploading";
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, ct)) > 0)
                {
                    size += read;
                    if (size > maxBytes)
                    {
                        file.Close();
                        File.Delete(temp);
                        return null;
                    }
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), ct);
                }
            }
            File.Move(temp, path);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
        return new StoredFile(key.Replace('\\', '/'), size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public Stream? OpenRead(string key)
    {
        var path = PathOf(key);
        return File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
    }

    public void Delete(string key) => TryDelete(PathOf(key));

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        if (!path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new InvalidOperationException("Attachment key outside the attachments folder.");
        return path;
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (IOException)
        {
            // best effort: an orphaned temporary file is harmless
        }
    }
}

public sealed record StoredFile(string Key, long Size, string Sha256);
