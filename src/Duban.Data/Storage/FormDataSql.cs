using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Storage;

/// <summary>
/// SQL over the form data kept inside each item's JSON state (<c>WorkflowInstances.StateJson</c>, under <c>data</c>),
/// which only each database's own JSON functions reach: one method per provider, in one place. A PostgreSQL-derived
/// database whose JSON functions differ gets its own method here; callers stay as they are.
/// </summary>
public static partial class FormDataSql
{
    /// <summary>
    /// Ids of the items whose form data has <paramref name="value"/> at <paramref name="key"/>, or a list containing it —
    /// a query to filter with (<c>ids.Contains(i.Id)</c>), run as part of the caller's. Key and value travel as
    /// parameters; the key must also be a plain field key (a letter or _, then letters, digits or _), as it is a step of
    /// a JSON path.
    /// </summary>
    public static IQueryable<Guid> ItemsWithFieldValue(DubanDbContext db, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!FieldKey().IsMatch(key)) throw new ArgumentException("Not a form field key", nameof(key));
        return db.IsPostgres ? PostgresItemsWithFieldValue(db, key, value) : SqliteItemsWithFieldValue(db, key, value);
    }

    /// <summary>jsonb containment for a list (<c>@&gt;</c>), text equality for a single value.</summary>
    private static IQueryable<Guid> PostgresItemsWithFieldValue(DubanDbContext db, string key, string value) =>
        db.Database.SqlQuery<Guid>($"""
            SELECT i."Id" AS "Value" FROM "WorkflowInstances" AS i
            WHERE (i."StateJson"::jsonb -> 'data' -> {key}) @> to_jsonb({value}::text)
               OR (i."StateJson"::jsonb -> 'data' ->> {key}) = {value}
            """);

    /// <summary><c>json_each</c> walks a list's elements, or yields a single value as its one row.</summary>
    private static IQueryable<Guid> SqliteItemsWithFieldValue(DubanDbContext db, string key, string value)
    {
        var path = "$.data." + key;
        return db.Database.SqlQuery<Guid>($"""
            SELECT i."Id" AS "Value" FROM "WorkflowInstances" AS i
            WHERE EXISTS (SELECT 1 FROM json_each(i."StateJson", {path}) AS e WHERE CAST(e."value" AS TEXT) = {value})
            """);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex FieldKey();
}
