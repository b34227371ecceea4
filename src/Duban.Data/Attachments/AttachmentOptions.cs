namespace Duban.Data.Attachments;

/// <summary>Limits on uploaded files, from the <c>Duban:Attachments</c> configuration section.</summary>
public sealed class AttachmentOptions
{
    /// <summary>Largest file accepted, in bytes (default 20 MB).</summary>
    public long MaxBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// File name extensions accepted (with or without the dot, any case); null means <see cref="DefaultExtensions"/>.
    /// An entry <c>*</c> accepts any type. (An array, not a list: configuration replaces it rather than adding to it.)
    /// </summary>
    public string[]? AllowedExtensions { get; set; }

    /// <summary>Office documents, WPS, OFD, PDF, images, text and archives.</summary>
    public static readonly string[] DefaultExtensions =
    [
        ".pdf", ".ofd", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".wps", ".et", ".dps", ".txt", ".csv",
        ".jpg", ".jpeg", ".png", ".gif", ".bmp", ".zip", ".rar", ".7z",
    ];

    /// <summary>Folder for the files; default <c>attachments</c> inside the data folder (<c>Duban:DataDir</c>).</summary>
    public string? Directory { get; set; }

    /// <summary>The allowed extensions normalised to lower case with a leading dot; empty when any type is accepted.</summary>
    public IReadOnlyList<string> NormalisedExtensions()
    {
        var configured = AllowedExtensions ?? DefaultExtensions;
        if (configured.Any(e => e?.Trim() == "*")) return [];
        return configured.Where(e => !string.IsNullOrWhiteSpace(e))
            .Select(e => e.Trim().ToLowerInvariant())
            .Select(e => e.StartsWith('.') ? e : "." + e)
            .Distinct()
            .ToList();
    }
}
