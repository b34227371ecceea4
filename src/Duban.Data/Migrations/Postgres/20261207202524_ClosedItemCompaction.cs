using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClosedItemCompaction : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ItemCompactions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    CompactedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LineCount = table.Column<int>(type: "integer", nullable: false),
                    Lines = table.Column<byte[]>(type: "bytea", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ItemCompactions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ItemCompactions_DueAt",
                table: "ItemCompactions",
                column: "DueAt",
                filter: "\"DueAt\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ItemCompactions_InstanceId",
                table: "ItemCompactions",
                column: "InstanceId");

            // Custom SQL (decision 042's addendum): items closed before this migration are queued for compaction, due at once;
            // the job works them off at its pace. The item's id serves as the queue row's (one row per item here).
            migrationBuilder.Sql("""
                INSERT INTO "ItemCompactions" ("Id", "InstanceId", "DueAt", "LineCount", "Attempts")
                SELECT "Id", "Id", COALESCE("FinishedAt", "UpdatedAt"), 0, 0 FROM "WorkflowInstances"
                WHERE "Status" IN ('Completed', 'Cancelled')
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ItemCompactions");
        }
    }
}
