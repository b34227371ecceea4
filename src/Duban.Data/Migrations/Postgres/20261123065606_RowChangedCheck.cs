using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <summary>
    /// duban_row_changed: raised by a checked UPDATE whose row changed since it was read, so the batch it is in rolls
    /// back (Storage.CheckedUpdateSqlGenerator). PostgreSQL only; SQLite saves in an explicit transaction.
    /// </summary>
    public partial class RowChangedCheck : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION duban_row_changed(table_name text, result anyelement) RETURNS anyelement
                LANGUAGE plpgsql VOLATILE AS $$
                BEGIN
                    RAISE EXCEPTION 'a row of % was changed or removed by another transaction since it was read', table_name
                        USING ERRCODE = 'DU409';
                END
                $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION IF EXISTS duban_row_changed(text, anyelement);");
        }
    }
}
