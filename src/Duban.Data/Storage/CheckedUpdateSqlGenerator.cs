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

        commandStringBuilder.AppendLine("WITH changed AS (").AppendLine(statement).Append(")\nSELECT ");
        var first = true;
        foreach (var column in command.ColumnModifications)
        {
            if (!column.IsRead) continue;
            if (!first) commandStringBuilder.Append(", ");
            first = false;
            var name = SqlGenerationHelper.DelimitIdentifier(column.ColumnName);
            commandStringBuilder
                .Append("CASE WHEN count(*) = 1 THEN (array_agg(changed.").Append(name).Append("))[1] ELSE duban_row_changed(")
                .Append(Literal(command.TableName)).Append(", NULL::").Append(column.Column!.StoreType)
                .Append(") END AS ").Append(name);
        }
        commandStringBuilder.Append(" FROM changed").AppendLine(SqlGenerationHelper.StatementTerminator);
        return mapping;
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
