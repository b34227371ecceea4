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

    /// <summary>
    /// PostgreSQL: sets <see cref="Instances.InstanceRecord.Source"/> of the items of one procedure version that have none,
    /// from their form data at <paramref name="key"/>, as <see cref="ReadModel.ItemSourceValue.Of(System.Text.Json.Nodes.JsonNode?)"/>
    /// would: a scalar's text, a list's elements between U+001F separators; nothing when empty or longer than
    /// <paramref name="maxLength"/>. Answers how many items got a value.
    /// </summary>
    public static Task<int> FillSourceAsync(DubanDbContext db, Guid definitionRecordId, string key, int maxLength, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        if (!FieldKey().IsMatch(key)) throw new ArgumentException("Not a form field key", nameof(key));
        return db.Database.ExecuteSqlInterpolatedAsync($$"""
            UPDATE "WorkflowInstances" AS i SET "Source" = s.v
            FROM (SELECT w."Id", CASE jsonb_typeof(w.j)
                         WHEN 'array' THEN (SELECT chr(31) || string_agg(e, chr(31)) || chr(31) FROM jsonb_array_elements_text(w.j) AS e)
                         WHEN 'null' THEN NULL
                         ELSE w.j #>> '{}' END AS v
                  FROM (SELECT "Id", "StateJson"::jsonb -> 'data' -> {{key}} AS j FROM "WorkflowInstances"
                        WHERE "DefinitionRecordId" = {{definitionRecordId}} AND "Source" IS NULL) AS w) AS s
            WHERE i."Id" = s."Id" AND s.v IS NOT NULL AND length(s.v) <= {{maxLength}}
            """, ct);
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,99}$")]
    private static partial Regex FieldKey();
}
