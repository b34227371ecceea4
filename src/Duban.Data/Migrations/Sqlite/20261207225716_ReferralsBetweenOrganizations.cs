using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReferralsBetweenOrganizations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OrganizationLinks",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SuperiorOrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganizationLinks", x => x.OrganizationId);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SuperiorOrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    SuperiorItemId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SuperiorTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReportField = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SubordinateOrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    Requirements = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    SubordinateItemId = table.Column<Guid>(type: "TEXT", nullable: true),
                    StartedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportText = table.Column<string>(type: "TEXT", maxLength: 5000, nullable: true),
                    ReportedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReportFilesJson = table.Column<string>(type: "TEXT", nullable: false),
                    CompletedSuperiorStep = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Referrals", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OrganizationLinks_SuperiorOrganizationId",
                table: "OrganizationLinks",
                column: "SuperiorOrganizationId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SubordinateItemId",
                table: "Referrals",
                column: "SubordinateItemId");

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SubordinateOrganizationId_Status",
                table: "Referrals",
                columns: new[] { "SubordinateOrganizationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Referrals_SuperiorItemId_SubordinateOrganizationId",
                table: "Referrals",
                columns: new[] { "SuperiorItemId", "SubordinateOrganizationId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OrganizationLinks");

            migrationBuilder.DropTable(
                name: "Referrals");
        }
    }
}
