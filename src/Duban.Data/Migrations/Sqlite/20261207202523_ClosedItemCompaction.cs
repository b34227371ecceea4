using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
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
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    CompactedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LineCount = table.Column<int>(type: "INTEGER", nullable: false),
                    Lines = table.Column<byte[]>(type: "BLOB", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
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
