using Duban.Data;
using Duban.Data.Organization;
using Duban.Server.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Ledger;

/// <summary>
/// One page of the ledger. With <c>after</c> (a cursor) or on the first page it seeks: the rows after the cursor, read off the
/// order's index — as fast a million rows deep as on the first page. A page number without a cursor (older callers, a jump to
/// page 7) still pages by OFFSET. Either way the total is counted at most <see cref="Paging.CountAhead"/> rows past the page's
/// start, and the page carries the next page's cursor (docs/decisions/042, addendum).
/// </summary>
internal static class LedgerPaging
{
    public static async Task<PagedList<LedgerRow>> ReadAsync(DubanDbContext db, LedgerQuery ledger, LedgerRows rows, CurrentUser user, LedgerFilter filter,
        string filterPrint, CancellationToken ct)
    {
        var cursor = PageCursor.Decode(filter.After, filter.Sort, filter.Descending, filterPrint);
        var filtered = await ledger.FilteredAsync(user, filter, ct);
        var size = filter.PageSize;
        int before, ahead;
        List<LedgerKeyRow> keys;
        if (cursor is null && filter.Page > 1)
        {
            var ordered = LedgerKeyset.Ordered(db, filtered, filter.Sort, filter.Descending);
            before = (filter.Page - 1) * size;
            var (total, capped) = await Paging.CountAsync(ordered, before, ct);
            ahead = capped ? Paging.CountAhead + 1 : total - before;
            keys = ahead > 0 ? await LedgerKeyset.Keys(ordered.Skip(before).Take(size)).ToListAsync(ct) : [];
            if (ahead <= 0) return Page([], total, filter.Page, size, capped, null);
        }
        else
        {
            before = cursor?.Before ?? 0;
            var segments = LedgerKeyset.Segments(db, filtered, filter.Sort, filter.Descending, cursor);
            keys = [];
            foreach (var segment in segments)
            {
                if (keys.Count >= size) break;
                keys.AddRange(await LedgerKeyset.Keys(segment.Take(size - keys.Count)).ToListAsync(ct));
            }
            ahead = 0;
            foreach (var segment in segments)
            {
                if (ahead > Paging.CountAhead) break;
                ahead += await segment.Take(Paging.CountAhead + 1 - ahead).CountAsync(ct);
            }
        }
        var ids = keys.Select(k => k.Id).ToList();
        // The page's rows in full, by id (they were found visible above): put back in the order found.
        var read = await rows.ReadAsync(user, db.Instances.Where(i => ids.Contains(i.Id)).OrderBy(i => i.Id), 0, ids.Count, filter.Fields, ct);
        var position = ids.Select((id, n) => (id, n)).ToDictionary(x => x.id, x => x.n);
        read.Sort((a, b) => position[a.Id].CompareTo(position[b.Id]));
        var next = ahead > keys.Count && keys.Count > 0
            ? new PageCursor(filter.Sort, filter.Descending, LedgerKeyset.KeyOf(keys[^1], filter.Sort), keys[^1].Id, before + keys.Count, filterPrint).Encode()
            : null;
        return Page(read, before + Math.Min(ahead, Paging.CountAhead), before / size + 1, size, ahead > Paging.CountAhead, next);
    }

    private static PagedList<LedgerRow> Page(List<LedgerRow> items, int total, int page, int size, bool capped, string? next) =>
        new(items, total, page, size) { TotalCapped = capped ? true : null, NextCursor = next };
}
