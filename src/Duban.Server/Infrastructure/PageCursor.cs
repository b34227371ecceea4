using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Duban.Engine.Execution;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Where a keyset (seek) page starts: the sort key and id of the last row of the page before, and how many rows came before
/// (for the page number and the capped total). Opaque to clients (base64url of JSON); they send back the <c>nextCursor</c> of
/// a list as <c>after</c>. It names the order and the filter it was made for, so a cursor never pages a different list
/// (docs/decisions/042, addendum).
/// </summary>
internal sealed record PageCursor(
    [property: JsonPropertyName("s")] string Sort,
    [property: JsonPropertyName("d")] bool Descending,
    [property: JsonPropertyName("k")] JsonElement? Key,
    [property: JsonPropertyName("i")] Guid Id,
    [property: JsonPropertyName("n")] int Before,
    [property: JsonPropertyName("f")] string Filter)
{
    public const string Parameter = "after";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(this, Options));

    /// <summary>The cursor in <paramref name="value"/>, or null when there is none; a bad one (or one made for another order or filter) is a 400 naming <c>after</c>.</summary>
    public static PageCursor? Decode(string? value, string sort, bool descending, string filter)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        PageCursor? cursor = null;
        try
        {
            if (value.Length <= 2000) cursor = JsonSerializer.Deserialize<PageCursor>(Base64Url.DecodeFromChars(value.Trim()), Options);
        }
        catch (Exception e) when (e is FormatException or JsonException or NotSupportedException)
        {
        }
        if (cursor is null || cursor.Before < 0 || cursor.Sort is null || cursor.Filter is null)
            throw new WorkflowInputException(Parameter, "翻页位置（after）无效，请回到第一页重新查询");
        if (cursor.Sort != sort || cursor.Descending != descending || cursor.Filter != filter)
            throw new WorkflowInputException(Parameter, "翻页位置（after）与当前的筛选或排序不符，请回到第一页重新查询");
        return cursor;
    }

    /// <summary>A short fingerprint of the query's filter parameters (all but paging and the columns asked for).</summary>
    public static string FilterOf(IQueryCollection query, params string[] ignored)
    {
        var text = new StringBuilder();
        foreach (var (name, values) in query.OrderBy(q => q.Key, StringComparer.Ordinal))
        {
            if (name is "page" or "pageSize" or Parameter || ignored.Contains(name)) continue;
            text.Append(name).Append('=').Append(string.Join('\u001f', values.Select(v => v?.Trim()))).Append('\u001e');
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 6);
    }

    [JsonIgnore]
    public string? KeyString => Key is { ValueKind: JsonValueKind.String } k ? k.GetString() : null;

    /// <summary>The key as UTC ticks (dates), or null; a key of the wrong kind is a bad cursor.</summary>
    [JsonIgnore]
    public long? KeyTicks => Key switch
    {
        null or { ValueKind: JsonValueKind.Null } => null,
        { ValueKind: JsonValueKind.Number } k when k.TryGetInt64(out var ticks) && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks => ticks,
        _ => throw Bad(),
    };

    [JsonIgnore]
    public bool KeyIsNull => Key is null or { ValueKind: JsonValueKind.Null };

    public static WorkflowInputException Bad() => new(Parameter, "翻页位置（after）无效，请回到第一页重新查询");

    public static JsonElement KeyOf(string? value) => JsonSerializer.SerializeToElement(value);

    public static JsonElement KeyOf(DateTimeOffset? value) => JsonSerializer.SerializeToElement(value?.UtcTicks);
}
