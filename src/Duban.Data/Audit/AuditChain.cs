using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Audit;

/// <summary>
/// The chain over the audit log (decision 044): each sealed row's hash is SHA-256 over its content and the previous
/// row's hash, rows numbered 1, 2, 3 … without gaps. Changing, removing or reordering any sealed row breaks the chain
/// from there on; <see cref="VerifyAsync"/> finds the first place it breaks.
/// </summary>
public static class AuditChain
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string HashOf(AuditRecord r, long sequence, string previousHash)
    {
        var text = string.Join('\u001f',
            sequence.ToString(CultureInfo.InvariantCulture), r.Id.ToString(CultureInfo.InvariantCulture),
            r.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            r.OrganizationId ?? "", r.UserId ?? "", r.UserName ?? "", r.Address ?? "", r.Action, r.Subject ?? "", r.Description, r.Result,
            previousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Walks the chain in order. <paramref name="batch"/> rows are read at a time.</summary>
    public static async Task<AuditVerification> VerifyAsync(DubanDbContext db, CancellationToken ct, int batch = 2000)
    {
        long expected = 1;
        var previous = Genesis;
        while (true)
        {
            var from = expected;
            var rows = await db.Set<AuditRecord>().AsNoTracking().Where(r => r.Sequence >= from).OrderBy(r => r.Sequence).Take(batch).ToListAsync(ct);
            foreach (var row in rows)
            {
                if (row.Sequence != expected)
                    return Broken(expected - 1, previous, expected, $"第 {expected} 条缺失（下一条为第 {row.Sequence} 条）");
                if (row.PreviousHash != previous || row.Hash != HashOf(row, expected, previous))
                    return Broken(expected - 1, previous, expected, $"第 {expected} 条（编号 {row.Id}）的内容或前序摘要与链不符");
                previous = row.Hash!;
                expected++;
            }
            if (rows.Count < batch) break;
        }
        var unsealed = await db.Set<AuditRecord>().CountAsync(r => r.Sequence == null, ct);
        return new AuditVerification(true, expected - 1, unsealed, previous, null, null);
    }

    private static AuditVerification Broken(long verified, string head, long at, string reason) =>
        new(false, verified, 0, head, at, reason);
}

/// <param name="Intact">Every sealed row is where the chain says, unchanged.</param>
/// <param name="Sealed">How many rows were verified (all of them when intact).</param>
/// <param name="Unsealed">Rows not yet given their place (the last seconds' acts).</param>
/// <param name="HeadHash">The hash of the last verified row: write it down to detect a later truncation of the tail.</param>
/// <param name="BrokenAt">Where the chain breaks; null when intact.</param>
public sealed record AuditVerification(bool Intact, long Sealed, int Unsealed, string HeadHash, long? BrokenAt, string? Reason);
