namespace Duban.Server.Infrastructure;

public sealed record PagedList<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

internal static class Paging
{
    public const int MaxPageSize = 100;

    public static (int Page, int Size) Normalize(int? page, int? pageSize) =>
        (Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? 20, 1, MaxPageSize));
}
