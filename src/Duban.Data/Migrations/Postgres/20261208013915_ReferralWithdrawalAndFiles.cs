using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReferralWithdrawalAndFiles : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Referrals_SuperiorItemId_SubordinateOrganizationId",
                table: "Referrals");

            migrationBuilder.AddColumn<string>(
                name: "PassedFilesJson",
                table: "Referrals",
                type: "text",
                nullable: false,
                defaultValue: "[]"); // hand-edited: existing 交办 passed no files (an empty list, not an empty string)

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "WithdrawnAt",
                table: "Referrals",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WithdrawnByName",
                table: "Referrals",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "WithdrawnReason",
                table: "Referrals",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SuperiorItemId_SubordinateOrganizationId",
                table: "Referrals",
                columns: new[] { "SuperiorItemId", "SubordinateOrganizationId" },
                unique: true,
                filter: "\"Status\" <> 'Withdrawn'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Referrals_SuperiorItemId_SubordinateOrganizationId",
                table: "Referrals");

            migrationBuilder.DropColumn(
                name: "PassedFilesJson",
                table: "Referrals");

            migrationBuilder.DropColumn(
                name: "WithdrawnAt",
                table: "Referrals");

            migrationBuilder.DropColumn(
                name: "WithdrawnByName",
                table: "Referrals");

            migrationBuilder.DropColumn(
                name: "WithdrawnReason",
                table: "Referrals");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SuperiorItemId_SubordinateOrganizationId",
                table: "Referrals",
                columns: new[] { "SuperiorItemId", "SubordinateOrganizationId" },
                unique: true);
        }
    }
}
