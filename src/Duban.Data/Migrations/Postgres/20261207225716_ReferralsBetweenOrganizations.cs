using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
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
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SuperiorOrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganizationLinks", x => x.OrganizationId);
                });

            migrationBuilder.CreateTable(
                name: "Referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    SuperiorOrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    SuperiorItemId = table.Column<Guid>(type: "uuid", nullable: false),
                    SuperiorTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReportField = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SubordinateOrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    Requirements = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    SubordinateItemId = table.Column<Guid>(type: "uuid", nullable: true),
                    StartedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReportText = table.Column<string>(type: "character varying(5000)", maxLength: 5000, nullable: true),
                    ReportedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ReportFilesJson = table.Column<string>(type: "text", nullable: false),
                    CompletedSuperiorStep = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
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
