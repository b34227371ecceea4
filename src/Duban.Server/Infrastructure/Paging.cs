using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Infrastructure;

/// <param name="Total">How many rows there are — exact unless <see cref="TotalCapped"/>.</param>
public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    /// <summary>
    /// True when the list was counted only <see cref="Paging.CountAhead"/> rows past the page's start: <c>Total</c> is then a
    /// lower bound (the rows before the page and the counted ones) and more follow — the screen says "N+" and pages on. Lists
    /// that grow without end (台账, 已办) are counted so, for a flat cost at any size (docs/decisions/042).
    /// </summary>
    public bool? TotalCapped { get; init; }

    /// <summary>
    /// The next page's start, to send back as <c>after</c> (keyset paging: as fast a million rows deep as on the first page);
    /// null on the last page, and on lists that page by number only (docs/decisions/042, addendum).
    /// </summary>
    public string? NextCursor { get; init; }
}

internal static class Paging
{
    public const int MaxPageSize = 100;

    /// <summary>Rows counted past a page's start before the total is given as a lower bound.</summary>
    public const int CountAhead = 1000;

    public static (int Page, int Size) Normalize(int? page, int? pageSize) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 20, 1, MaxPageSize));

    /// <summary>
    /// The total of <paramref name="query"/> for a page starting at <paramref name="offset"/>: exact when at most
    /// <see cref="CountAhead"/> rows follow the page's start, else a lower bound (<c>Capped</c>). A page past the end counts
    /// all, so the screen can go back to the last page.
    /// </summary>
    public static async Task<(int Total, bool Capped)> CountAsync<T>(IQueryable<T> query, int offset, CancellationToken ct)
    {
        var ahead = await query.Skip(offset).Take(CountAhead + 1).CountAsync(ct);
        if (ahead > CountAhead) return (offset + CountAhead, true);
        if (ahead == 0 && offset > 0) return (await query.CountAsync(ct), false);
        return (offset + ahead, false);
    }
}
