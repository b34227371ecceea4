using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Documents;

/// <summary>
/// Turns a Word document into PDF with LibreOffice (Debian's <c>libreoffice-writer-nogui</c>:
/// <c>soffice --headless --convert-to pdf</c>) when it is installed; without it, documents are Word files only. One
/// conversion at a time, each with its own LibreOffice profile folder (two soffice processes sharing a profile refuse to
/// start), killed after two minutes.
/// </summary>
public sealed class PdfConverter(ILogger<PdfConverter> logger)
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);
    private readonly Lazy<string?> _soffice = new(Find);

    public bool Available => _soffice.Value is not null;

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin").Append("/usr/lib/libreoffice/program"))
        {
            if (dir.Length == 0) continue;
            var candidate = Path.Combine(dir, "soffice");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The PDF of <paramref name="docx"/>; null when LibreOffice is not installed.</summary>
    public async Task<byte[]?> ToPdfAsync(byte[] docx, CancellationToken ct)
    {
        if (_soffice.Value is not { } soffice) return null;
        var work = Directory.CreateTempSubdirectory("duban-pdf-");
        await OneAtATime.WaitAsync(ct);
        try
        {
            var input = Path.Combine(work.FullName, "document.docx");
            await File.WriteAllBytesAsync(input, docx, ct);
            var start = new ProcessStartInfo(soffice)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = work.FullName,
            };
            foreach (var argument in new[]
                     {
                         "-env:UserInstallation=file://" + Path.Combine(work.FullName, "profile"), "--headless", "--norestore", "--nologo",
                         "--convert-to", "pdf", "--outdir", work.FullName, input,
                     })
                start.ArgumentList.Add(argument);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("soffice did not start");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }
            var output = Path.Combine(work.FullName, "document.pdf");
            if (!File.Exists(output))
            {
                logger.LogWarning("soffice did not convert a document to PDF (exit {Code}): {Out} {Err}", process.ExitCode, await stdout, await stderr);
                throw new InvalidOperationException("LibreOffice 未能转换为 PDF");
            }
            return await File.ReadAllBytesAsync(output, ct);
        }
        finally
        {
            OneAtATime.Release();
            try { work.Delete(recursive: true); }
            catch (IOException) { }
        }
    }
}
