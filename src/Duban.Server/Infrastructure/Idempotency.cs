using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;

namespace Duban.Server.Infrastructure;

/// <summary>The <c>Idempotency-Key</c> request header: a client that lost an answer sends the same request with the same key again.</summary>
internal static class Idempotency
{
    public const string Header = "Idempotency-Key";

    /// <summary>The request's key (the header's value, bound with <c>[FromHeader(Name = Header)]</c> so the API document
    /// shows it) with a fingerprint of what it asks (<paramref name="request"/>), or null when it sent none.</summary>
    public static IdempotencyKey? KeyOf(string? header, CurrentUser user, params object?[] request)
    {
        if (header is null) return null;
        var key = header.Trim();
        if (key.Length == 0 || key.Length > IdempotencyKey.MaxLength || key.Any(char.IsControl))
            throw new WorkflowInputException(Header, $"幂等键（{Header}）应为 1 到 {IdempotencyKey.MaxLength} 个可见字符");
        return IdempotencyKey.For(key, user.Id, request);
    }
}
