using System.Text.RegularExpressions;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Duban.Data.Documents;

/// <summary>
/// What a document says where its template has 「{{占位符}}」: single values by name, and the rows of tables (a sub-table
/// field, the item's opinions, its course) by table name, each row its columns by name.
/// </summary>
public sealed class DocumentValues
{
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, IReadOnlyList<IReadOnlyDictionary<string, string>>> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>A value under each of its names (a field's label and its key); the first value given for a name stays.</summary>
    public void Set(string value, params string?[] names)
    {
        foreach (var name in names)
            if (!string.IsNullOrWhiteSpace(name)) Values.TryAdd(name.Trim(), value);
    }

    public void SetTable(IReadOnlyList<IReadOnlyDictionary<string, string>> rows, params string?[] names)
    {
        foreach (var name in names)
            if (!string.IsNullOrWhiteSpace(name)) Tables.TryAdd(name.Trim(), rows);
    }
}

/// <summary>The document made from a template, and the placeholders in it that named nothing (left empty).</summary>
public sealed record FilledDocument(byte[] Content, IReadOnlyList<string> Unknown);

/// <summary>
/// Fills a Word template (.docx) with <see cref="DocumentValues"/>, with the Open XML SDK: the package and its XML are
/// the SDK's; this class only walks paragraphs and table rows. Word splits what a person types into several runs
/// (spelling marks, a change of font, an edit in the middle), so a placeholder is found in the text of a whole paragraph
/// and replaced across the runs it spans: the replacement takes the formatting of the run the placeholder starts in.
/// A table row whose placeholders name a table's columns (「{{检查记录.问题}}」) is repeated once per row of that table;
/// 「{{序号}}」 in it is the row's number. A value with line breaks becomes lines (Word breaks) in its run.
/// Placeholders may be typed with half-width or full-width braces (「｛｛事项标题｝｝」, as a Chinese input method gives them).
/// </summary>
public static partial class DocxFiller
{
    public const string RowNumber = "序号";

    [GeneratedRegex(@"(?:\{\{|｛｛)\s*(?<name>[^{}｛｝]+?)\s*(?:\}\}|｝｝)")]
    private static partial Regex Placeholder();

    /// <summary>The placeholders a template uses, in order of first use.</summary>
    public static IReadOnlyList<string> PlaceholdersIn(byte[] template)
    {
        using var stream = new MemoryStream(template, writable: false);
        using var document = Open(stream, editable: false);
        var names = new List<string>();
        foreach (var root in Roots(document))
            foreach (var paragraph in root.Descendants<Paragraph>())
                foreach (Match m in Placeholder().Matches(string.Concat(paragraph.Descendants<Text>().Select(t => t.Text))))
                    if (!names.Contains(m.Groups["name"].Value)) names.Add(m.Groups["name"].Value);
        return names;
    }

    /// <summary>Whether the bytes are a Word document the SDK can open (an upload is checked with this).</summary>
    public static bool IsWordDocument(byte[] content)
    {
        try
        {
            using var stream = new MemoryStream(content, writable: false);
            using var document = WordprocessingDocument.Open(stream, false);
            return document.MainDocumentPart?.Document?.Body is not null;
        }
        catch (Exception e) when (e is OpenXmlPackageException or FileFormatException or InvalidDataException or IOException or System.Xml.XmlException)
        {
            return false;
        }
    }

    public static FilledDocument Fill(byte[] template, DocumentValues values)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(values);
        var unknown = new List<string>();
        using var stream = new MemoryStream();
        stream.Write(template);
        stream.Position = 0;
        using (var document = Open(stream, editable: true))
        {
            foreach (var root in Roots(document))
            {
                foreach (var row in root.Descendants<TableRow>().ToList())
                    RepeatRow(row, values, unknown);
                foreach (var paragraph in root.Descendants<Paragraph>().ToList())
                    FillParagraph(paragraph, name => values.Values.GetValueOrDefault(name), unknown);
            }
            document.MainDocumentPart!.Document!.Save();
            foreach (var header in document.MainDocumentPart.HeaderParts) header.Header?.Save();
            foreach (var footer in document.MainDocumentPart.FooterParts) footer.Footer?.Save();
        }
        return new FilledDocument(stream.ToArray(), unknown);
    }

    private static WordprocessingDocument Open(Stream stream, bool editable) =>
        WordprocessingDocument.Open(stream, editable);

    private static IEnumerable<OpenXmlElement> Roots(WordprocessingDocument document)
    {
        var main = document.MainDocumentPart ?? throw new InvalidDataException("not a Word document");
        if (main.Document?.Body is { } body) yield return body;
        foreach (var header in main.HeaderParts)
            if (header.Header is { } h) yield return h;
        foreach (var footer in main.FooterParts)
            if (footer.Footer is { } f) yield return f;
    }

    /// <summary>A row naming a table's columns becomes one row per row of the table (none when the table is empty).</summary>
    private static void RepeatRow(TableRow row, DocumentValues values, List<string> unknown)
    {
        if (row.Parent is null) return;
        var names = Placeholder().Matches(string.Concat(row.Descendants<Text>().Select(t => t.Text))).Select(m => m.Groups["name"].Value).ToList();
        var table = names.Select(TableOf).FirstOrDefault(t => t is not null && values.Tables.ContainsKey(t));
        if (table is null) return;
        var rows = values.Tables[table];
        OpenXmlElement after = row;
        for (var i = 0; i < rows.Count; i++)
        {
            var copy = (TableRow)row.CloneNode(true);
            var cells = rows[i];
            var number = (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var paragraph in copy.Descendants<Paragraph>().ToList())
                FillParagraph(paragraph, name =>
                    name == RowNumber ? number
                    : TableOf(name) == table ? cells.GetValueOrDefault(name[(table.Length + 1)..]) ?? ""
                    : values.Values.GetValueOrDefault(name), unknown);
            after = after.InsertAfterSelf(copy);
        }
        row.Remove();
    }

    private static string? TableOf(string name) => name.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot ? name[..dot] : null;

    /// <summary>
    /// Replaces the placeholders of one paragraph, whatever runs they are split across. Matches are replaced from the
    /// last to the first, so the positions of the earlier ones stay right.
    /// </summary>
    private static void FillParagraph(Paragraph paragraph, Func<string, string?> lookup, List<string> unknown)
    {
        var texts = paragraph.Descendants<Text>().ToList();
        if (texts.Count == 0) return;
        var parts = texts.Select(t => t.Text).ToArray();
        var matches = Placeholder().Matches(string.Concat(parts));
        if (matches.Count == 0) return;
        var lengths = parts.Select(p => p.Length).ToArray();
        var starts = new int[parts.Length];
        for (int i = 1; i < parts.Length; i++) starts[i] = starts[i - 1] + lengths[i - 1];
        (int Index, int Offset) Locate(int at)
        {
            // The text the character is in (an empty text holds none).
            var i = 0;
            while (!(starts[i] <= at && at < starts[i] + lengths[i])) i++;
            return (i, at - starts[i]);
        }
        var changed = new HashSet<int>();
        for (var m = matches.Count - 1; m >= 0; m--)
        {
            var match = matches[m];
            var name = match.Groups["name"].Value;
            var value = lookup(name);
            if (value is null)
            {
                if (!unknown.Contains(name)) unknown.Add(name);
                value = "";
            }
            var (first, from) = Locate(match.Index);
            var (last, to) = Locate(match.Index + match.Length - 1);
            if (first == last)
            {
                parts[first] = parts[first][..from] + value + parts[first][(to + 1)..];
            }
            else
            {
                parts[first] = parts[first][..from] + value;
                for (var k = first + 1; k < last; k++) parts[k] = "";
                parts[last] = parts[last][(to + 1)..];
                for (var k = first + 1; k <= last; k++) changed.Add(k);
            }
            changed.Add(first);
        }
        foreach (var i in changed)
        {
            texts[i].Text = parts[i];
            texts[i].Space = SpaceProcessingModeValues.Preserve;
            if (parts[i].Contains('\n', StringComparison.Ordinal)) BreakLines(texts[i]);
        }
    }

    /// <summary>A value of several lines: one text per line with a Word line break between.</summary>
    private static void BreakLines(Text text)
    {
        var lines = text.Text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        text.Text = lines[0];
        OpenXmlElement after = text;
        foreach (var line in lines.Skip(1))
        {
            after = after.InsertAfterSelf(new Break());
            after = after.InsertAfterSelf(new Text(line) { Space = SpaceProcessingModeValues.Preserve });
        }
    }
}
