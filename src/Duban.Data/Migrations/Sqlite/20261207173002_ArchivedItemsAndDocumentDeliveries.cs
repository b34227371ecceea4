using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ArchivedItemsAndDocumentDeliveries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "ArchivedAt",
                table: "WorkflowInstances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ArchivedByName",
                table: "WorkflowInstances",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "DocumentDeliveries",
                columns: table => new
                {
                    DocumentId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_DocumentDeliveries", x => new { x.DocumentId, x.UnitId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_DocumentDeliveries_InstanceId",
                table: "DocumentDeliveries",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_DocumentDeliveries_TaskId",
                table: "DocumentDeliveries",
                column: "TaskId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "DocumentDeliveries");

            migrationBuilder.DropColumn(
                name: "ArchivedAt",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "ArchivedByName",
                table: "WorkflowInstances");
        }
    }
}
