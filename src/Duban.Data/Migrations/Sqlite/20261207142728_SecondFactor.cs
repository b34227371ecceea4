using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SecondFactor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "PasswordSetByAdministrator",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<long>(
                name: "TotpEnabledAt",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "TotpLastStep",
                table: "AspNetUsers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<string>(
                name: "TotpRecoveryCodes",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TotpSecret",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "SecurityPolicies",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SecondFactorRoles = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SecurityPolicies", x => x.OrganizationId);
                });

            // Custom SQL (decision 046): a sealed audit row (one with its place in the chain) cannot be changed or removed.
            // The sealer's own update of unsealed rows is untouched. No retention deletion exists (decision 044 keeps all).
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_sealed_no_update" BEFORE UPDATE ON "AuditLog" WHEN OLD."Sequence" IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'sealed audit rows cannot be changed'); END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER "AuditLog_sealed_no_delete" BEFORE DELETE ON "AuditLog" WHEN OLD."Sequence" IS NOT NULL
                BEGIN SELECT RAISE(ABORT, 'sealed audit rows cannot be removed'); END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Custom SQL (decision 046): the sealed audit rows' triggers.
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_sealed_no_update";""");
            migrationBuilder.Sql("""DROP TRIGGER IF EXISTS "AuditLog_sealed_no_delete";""");

            migrationBuilder.DropTable(
                name: "SecurityPolicies");

            migrationBuilder.DropColumn(
                name: "PasswordSetByAdministrator",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "TotpEnabledAt",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "TotpLastStep",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "TotpRecoveryCodes",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "TotpSecret",
                table: "AspNetUsers");
        }
    }
}
