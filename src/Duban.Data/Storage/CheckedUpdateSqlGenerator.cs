using System.Text;
using Microsoft.EntityFrameworkCore.Update;
using Npgsql.EntityFrameworkCore.PostgreSQL.Update.Internal;

namespace Duban.Data.Storage;

#pragma warning disable EF1001 // Npgsql's update SQL generator lives in an .Internal namespace; we extend it, not replace it.

/// <summary>
/// On PostgreSQL, an UPDATE that checks a concurrency token (xmin) fails inside the database when the row has changed
/// since it was read. EF Core's usual check counts the returned rows after the batch has run, which is too late when
/// the batch commits by itself (<see cref="EventSave"/>); this check aborts the batch before it can commit.
/// <para>The statement becomes
/// <c>WITH changed AS (UPDATE … RETURNING xmin) SELECT CASE WHEN count(*) = 1 THEN (array_agg(changed.xmin))[1] ELSE
/// duban_row_changed('Tasks', NULL::xid) END AS xmin FROM changed</c>. An aggregate without GROUP BY always yields one
/// row, so the CASE is evaluated whether or not the UPDATE matched; the function (migration RowChangedCheck) raises
/// SQLSTATE <see cref="RowChangedSqlState"/>, which <see cref="DubanDbContext"/> turns into EF Core's
/// <see cref="Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException"/>, as before.</para>
/// </summary>
public sealed class CheckedUpdateSqlGenerator(UpdateSqlGeneratorDependencies dependencies) : NpgsqlUpdateSqlGenerator(dependencies)
{
    /// <summary>The SQLSTATE <c>duban_row_changed</c> raises.</summary>
    public const string RowChangedSqlState = "DU409";

    public override ResultSetMapping AppendUpdateOperation(StringBuilder commandStringBuilder, IReadOnlyModificationCommand command,
        int commandPosition, out bool requiresTransaction)
    {
        if (!IsCheckedInDatabase(command))
            return base.AppendUpdateOperation(commandStringBuilder, command, commandPosition, out requiresTransaction);

        var update = new StringBuilder();
        var mapping = base.AppendUpdateOperation(update, command, commandPosition, out requiresTransaction);
        var statement = update.ToString().TrimEnd();
        if (statement.EndsWith(SqlGenerationHelper.StatementTerminator, StringComparison.Ordinal))
            statement = statement[..^SqlGenerationHelper.StatementTerminator.Length];

        var read = command.ColumnModifications.Where(c => c.IsRead)
            .Select(c => (SqlGenerationHelper.DelimitIdentifier(c.ColumnName), c.Column!.StoreType)).ToList();
        AppendChecked(commandStringBuilder, statement, command.TableName, read);
        commandStringBuilder.AppendLine(SqlGenerationHelper.StatementTerminator);
        return mapping;
    }

    /// <summary>
    /// Wraps an <c>UPDATE … RETURNING</c> statement so that it raises <see cref="RowChangedSqlState"/> unless it changed
    /// exactly one row, and otherwise returns what it returned. <see cref="PostgresEventWriter"/> builds its updates with
    /// this too, so both write paths fail a stale row the same way.
    /// </summary>
    /// <param name="read">The returned columns, quoted, with their store types.</param>
    public static StringBuilder AppendChecked(StringBuilder sql, string update, string table, IReadOnlyList<(string Column, string StoreType)> read)
    {
        sql.AppendLine("WITH changed AS (").AppendLine(update).Append(")\nSELECT ");
        for (var i = 0; i < read.Count; i++)
        {
            var (column, storeType) = read[i];
            sql.Append(i > 0 ? ", " : "")
                .Append("CASE WHEN count(*) = 1 THEN (array_agg(changed.").Append(column).Append("))[1] ELSE duban_row_changed(")
                .Append(Literal(table)).Append(", NULL::").Append(storeType).Append(") END AS ").Append(column);
        }
        return sql.Append(" FROM changed");
    }

    /// <summary>
    /// An update whose WHERE clause checks a concurrency token and that reads a value back (xmin, a row version): the
    /// ones this generator rewrites. An update of a row without a token is left as EF Core writes it.
    /// </summary>
    private static bool IsCheckedInDatabase(IReadOnlyModificationCommand command)
    {
        bool checks = false, reads = false;
        foreach (var column in command.ColumnModifications)
        {
            checks |= column.IsCondition && column.Property?.IsConcurrencyToken == true;
            reads |= column.IsRead;
        }
        return checks && reads;
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";
}
