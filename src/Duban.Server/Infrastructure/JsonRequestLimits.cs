using System.Buffers;
using System.Text.Json;
using Duban.Data.Security;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.Extensions.Options;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Bounds every JSON request before an endpoint sees it (decision 036): the body (<see cref="RequestLimitOptions.MaxJsonBodyBytes"/>,
/// else 413), every text in it (<see cref="RequestLimitOptions.MaxTextLength"/>; a top-level comment, reason or note
/// <see cref="RequestLimitOptions.MaxCommentLength"/>), and text that is not valid Unicode (a lone surrogate such as
/// <c>\ud800</c>, which PostgreSQL refuses to store). Each is a 400 naming the field — the property that holds the
/// text, as the form's own checks name a field by its key. One pass of <see cref="Utf8JsonReader"/> over the body;
/// the endpoint then reads the same bytes. A body that is not JSON is left to the binder's own answer.
/// </summary>
internal sealed class JsonRequestLimits(RequestDelegate next, IOptions<SecurityOptions> options)
{
    private static readonly HashSet<string> CommentFields = new(StringComparer.OrdinalIgnoreCase) { "comment", "reason", "note" };

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || request.ContentType is null || !request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }
        var limits = options.Value.Limits;
        if (request.ContentLength > limits.MaxJsonBodyBytes) throw TooLarge(limits);
        var body = await ReadAsync(request.Body, limits.MaxJsonBodyBytes, http.RequestAborted) ?? throw TooLarge(limits);
        if (Problem(body, limits) is { } error) throw new WorkflowInputException(error.Message, [error]);
        request.Body = new MemoryStream(body, writable: false);
        request.ContentLength = body.Length;
        await next(http);
    }

    private static BadHttpRequestException TooLarge(RequestLimitOptions limits) =>
        new($"请求体超过 {limits.MaxJsonBodyBytes} 字节", StatusCodes.Status413PayloadTooLarge);

    /// <summary>The body, or null when it is longer than <paramref name="max"/>.</summary>
    private static async Task<byte[]?> ReadAsync(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > max) return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }

    /// <summary>The first text that is too long or not valid Unicode, named by the property that holds it.</summary>
    internal static FieldError? Problem(ReadOnlySpan<byte> json, RequestLimitOptions limits)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 64 });
        var property = "body";
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName)) continue;
                var isName = reader.TokenType == JsonTokenType.PropertyName;
                var limit = !isName && reader.CurrentDepth == 1 && CommentFields.Contains(property) ? limits.MaxCommentLength : limits.MaxTextLength;
                var bytes = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                // A UTF-16 character takes at least one byte, so only a text longer in bytes than the limit can be too long.
                string? text = null;
                if (reader.ValueIsEscaped || bytes > limit)
                {
                    try { text = reader.GetString(); }
                    catch (InvalidOperationException)
                    {
                        var field = isName ? property : property;
                        return new FieldError(field, $"「{field}」含有无效的字符（不成对的 Unicode 代理项）");
                    }
                }
                if (isName)
                {
                    property = text ?? reader.GetString()!;
                    if (property.Length > 200) return new FieldError("body", "字段名过长");
                    continue;
                }
                if (text is not null && text.Length > limit)
                    return new FieldError(property, $"「{property}」不超过 {limit} 个字符（现有 {text.Length} 个）");
            }
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint's binder answers that with the path it failed at.
        }
        return null;
    }
}
