using System.Linq.Expressions;
using System.Text.Json;
using Duban.Data;
using Duban.Data.Instances;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;

namespace Duban.Server.Ledger;

/// <summary>The columns the ledger sorts by, of one item: what a cursor is made from.</summary>
internal sealed record LedgerKeyRow(
    Guid Id, string? Number, string Title, string DefinitionName, WorkflowStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt, DateTimeOffset? LedgerDueAt);

/// <summary>
/// The ledger's orders and keyset (seek) paging over them (docs/decisions/042, addendum). Every order is total: the sort
/// column, then the id in the same direction — so one index <c>(OrganizationId, column, Id)</c> serves it both ways, and a
/// page starts where the last one ended (<c>WHERE (column, Id) &gt; (…)</c>) instead of counting off the rows before it.
/// Items without a value (no 文号, not finished, no 期限) come last either way: for those columns the rows with a value and the
/// rows without are two segments, each read off the index in its order.
/// </summary>
internal static class LedgerKeyset
{
    private static readonly string[] NullableSorts = ["number", "finishedAt", "dueAt"];

    /// <summary>Statuses in the order the database sorts their stored names.</summary>
    private static readonly WorkflowStatus[] StatusOrder =
        Enum.GetValues<WorkflowStatus>().OrderBy(s => s.ToString(), StringComparer.Ordinal).ToArray();

    public static IQueryable<LedgerKeyRow> Keys(IQueryable<InstanceRecord> query) =>
        query.Select(i => new LedgerKeyRow(i.Id, i.Number, i.Title, i.DefinitionName, i.Status, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.LedgerDueAt));

    /// <summary>The ledger's full order: the column (values before no value), then the id, both in the direction asked for.</summary>
    public static IOrderedQueryable<InstanceRecord> Ordered(DubanDbContext db, IQueryable<InstanceRecord> query, string sort, bool d) => sort switch
    {
        "number" => ThenId(d ? query.OrderBy(i => i.Number == null).ThenByDescending(i => i.Number) : AscendingNullsLast(db, query, i => i.Number), d),
        "title" => ThenId(d ? query.OrderByDescending(i => i.Title) : query.OrderBy(i => i.Title), d),
        "definitionName" => ThenId(d ? query.OrderByDescending(i => i.DefinitionName) : query.OrderBy(i => i.DefinitionName), d),
        "status" => ThenId(d ? query.OrderByDescending(i => i.Status) : query.OrderBy(i => i.Status), d),
        "updatedAt" => ThenId(d ? query.OrderByDescending(i => i.UpdatedAt) : query.OrderBy(i => i.UpdatedAt), d),
        "finishedAt" => ThenId(d ? query.OrderBy(i => i.FinishedAt == null).ThenByDescending(i => i.FinishedAt) : AscendingNullsLast(db, query, i => i.FinishedAt), d),
        "dueAt" => ThenId(d ? query.OrderBy(i => i.LedgerDueAt == null).ThenByDescending(i => i.LedgerDueAt) : AscendingNullsLast(db, query, i => i.LedgerDueAt), d),
        _ => ThenId(d ? query.OrderByDescending(i => i.CreatedAt) : query.OrderBy(i => i.CreatedAt), d),
    };

    // PostgreSQL puts NULLs last when ascending by itself, so that order walks the index; SQLite puts them first.
    private static IOrderedQueryable<InstanceRecord> AscendingNullsLast<T>(DubanDbContext db, IQueryable<InstanceRecord> query, Expression<Func<InstanceRecord, T>> key) =>
        db.IsPostgres ? query.OrderBy(key) : query.OrderBy(Expression.Lambda<Func<InstanceRecord, bool>>(Expression.Equal(key.Body, Expression.Constant(null, typeof(T))), key.Parameters))
            .ThenBy(key);

    private static IOrderedQueryable<InstanceRecord> ThenId(IOrderedQueryable<InstanceRecord> ordered, bool d) =>
        d ? ordered.ThenByDescending(i => i.Id) : ordered.ThenBy(i => i.Id);

    /// <summary>
    /// The rows after <paramref name="cursor"/> (all when null) as segments to read in turn, each ordered and answered by an
    /// index: one for a column every item has, two (with a value, then without) for one some items lack.
    /// </summary>
    public static List<IQueryable<InstanceRecord>> Segments(DubanDbContext db, IQueryable<InstanceRecord> query, string sort, bool d, PageCursor? cursor)
    {
        if (!NullableSorts.Contains(sort))
            return [Ordered(db, cursor is null ? query : After(query, sort, d, cursor), sort, d)];
        var (withValue, without) = sort switch
        {
            "number" => (query.Where(i => i.Number != null), query.Where(i => i.Number == null)),
            "finishedAt" => (query.Where(i => i.FinishedAt != null), query.Where(i => i.FinishedAt == null)),
            _ => (query.Where(i => i.LedgerDueAt != null), query.Where(i => i.LedgerDueAt == null)),
        };
        var withoutOrdered = d ? without.OrderByDescending(i => i.Id) : without.OrderBy(i => i.Id);
        if (cursor is null) return [ByValue(withValue, sort, d), withoutOrdered];
        if (cursor.KeyIsNull) return [d ? without.Where(IdBefore(cursor.Id)).OrderByDescending(i => i.Id) : without.Where(IdAfter(cursor.Id)).OrderBy(i => i.Id)];
        return [ByValue(After(withValue, sort, d, cursor), sort, d), withoutOrdered];
    }

    /// <summary>The rows that have a value in a nullable column, by it and the id: a plain index walk, either way.</summary>
    private static IOrderedQueryable<InstanceRecord> ByValue(IQueryable<InstanceRecord> query, string sort, bool d) => sort switch
    {
        "number" => ThenId(d ? query.OrderByDescending(i => i.Number) : query.OrderBy(i => i.Number), d),
        "finishedAt" => ThenId(d ? query.OrderByDescending(i => i.FinishedAt) : query.OrderBy(i => i.FinishedAt), d),
        _ => ThenId(d ? query.OrderByDescending(i => i.LedgerDueAt) : query.OrderBy(i => i.LedgerDueAt), d),
    };

    /// <summary>The key of <paramref name="row"/> in the order <paramref name="sort"/>, for the next page's cursor.</summary>
    public static JsonElement KeyOf(LedgerKeyRow row, string sort) => sort switch
    {
        "number" => PageCursor.KeyOf(row.Number),
        "title" => PageCursor.KeyOf(row.Title),
        "definitionName" => PageCursor.KeyOf(row.DefinitionName),
        "status" => PageCursor.KeyOf(row.Status.ToString()),
        "updatedAt" => PageCursor.KeyOf(row.UpdatedAt),
        "finishedAt" => PageCursor.KeyOf(row.FinishedAt),
        "dueAt" => PageCursor.KeyOf(row.LedgerDueAt),
        _ => PageCursor.KeyOf(row.CreatedAt),
    };

    /// <summary>Rows after the cursor's (column, id) with a value in the column (the cursor's key is not null).</summary>
    private static IQueryable<InstanceRecord> After(IQueryable<InstanceRecord> query, string sort, bool d, PageCursor cursor)
    {
        switch (sort)
        {
            case "number": return query.Where(Beyond(i => i.Number, Text(cursor), cursor.Id, d));
            case "title": return query.Where(Beyond(i => i.Title, Text(cursor), cursor.Id, d));
            case "definitionName": return query.Where(Beyond(i => i.DefinitionName, Text(cursor), cursor.Id, d));
            case "updatedAt": return query.Where(Beyond(i => i.UpdatedAt, Date(cursor), cursor.Id, d));
            case "finishedAt": return query.Where(Beyond(i => i.FinishedAt, (DateTimeOffset?)Date(cursor), cursor.Id, d));
            case "dueAt": return query.Where(Beyond(i => i.LedgerDueAt, (DateTimeOffset?)Date(cursor), cursor.Id, d));
            case "status":
                // The status column holds names: the statuses sorted after the cursor's, or the same one with a later id.
                if (!Enum.TryParse<WorkflowStatus>(Text(cursor), out var status) || !Enum.IsDefined(status)) throw PageCursor.Bad();
                var at = Array.IndexOf(StatusOrder, status);
                var later = (d ? StatusOrder[..at] : StatusOrder[(at + 1)..]).ToList();
                var id = cursor.Id;
                return d
                    ? query.Where(i => later.Contains(i.Status) || (i.Status == status && i.Id.CompareTo(id) < 0))
                    : query.Where(i => later.Contains(i.Status) || (i.Status == status && i.Id.CompareTo(id) > 0));
            default: return query.Where(Beyond(i => i.CreatedAt, Date(cursor), cursor.Id, d));
        }
    }

    private static string Text(PageCursor cursor) => cursor.KeyString ?? throw PageCursor.Bad();

    private static DateTimeOffset Date(PageCursor cursor) =>
        cursor.KeyTicks is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : throw PageCursor.Bad();

    private static Expression<Func<InstanceRecord, bool>> IdAfter(Guid id) => i => i.Id.CompareTo(id) > 0;

    private static Expression<Func<InstanceRecord, bool>> IdBefore(Guid id) => i => i.Id.CompareTo(id) < 0;

    /// <summary>Holds a cursor's value so that EF Core sends it as a parameter (one cached query for every page).</summary>
    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    /// <summary><c>(key, Id) &gt; (value, id)</c> (&lt; when descending), as the database compares them.</summary>
    private static Expression<Func<InstanceRecord, bool>> Beyond<T>(Expression<Func<InstanceRecord, T>> key, T value, Guid id, bool d)
    {
        var v = Expression.Property(Expression.Constant(new Box<T>(value)), nameof(Box<T>.Value));
        var idValue = Expression.Property(Expression.Constant(new Box<Guid>(id)), nameof(Box<Guid>.Value));
        var idMember = Expression.Property(key.Parameters[0], nameof(InstanceRecord.Id));
        // Written as key >= value AND (key > value OR Id > id): the same rows, but the first half is a bound the index scan
        // starts from (a bare OR would be a filter, and the scan would walk every row before the cursor).
        var from = Compare(key.Body, v, d, orEqual: true);
        var beyond = Compare(key.Body, v, d);
        return Expression.Lambda<Func<InstanceRecord, bool>>(Expression.AndAlso(from, Expression.OrElse(beyond, Compare(idMember, idValue, d))), key.Parameters);
    }

    private static BinaryExpression Compare(Expression a, Expression b, bool d, bool orEqual = false)
    {
        var op = (d, orEqual) switch
        {
            (true, false) => ExpressionType.LessThan,
            (true, true) => ExpressionType.LessThanOrEqual,
            (false, false) => ExpressionType.GreaterThan,
            (false, true) => ExpressionType.GreaterThanOrEqual,
        };
        if (a.Type == typeof(string))
            return Expression.MakeBinary(op, Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, a, b), Expression.Constant(0));
        if (a.Type == typeof(Guid))
            return Expression.MakeBinary(op, Expression.Call(a, typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!, b), Expression.Constant(0));
        return Expression.MakeBinary(op, a, b);
    }
}
