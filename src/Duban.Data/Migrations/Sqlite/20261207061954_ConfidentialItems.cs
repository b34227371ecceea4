using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ConfidentialItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "IsRestricted",
                table: "WorkflowInstances",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "ItemReaders",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    AddedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AddedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ItemReaders", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ItemReaders_InstanceId_UnitId",
                table: "ItemReaders",
                columns: new[] { "InstanceId", "UnitId" });

            migrationBuilder.CreateIndex(
                name: "IX_ItemReaders_InstanceId_UserId",
                table: "ItemReaders",
                columns: new[] { "InstanceId", "UserId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ItemReaders");

            migrationBuilder.DropColumn(
                name: "IsRestricted",
                table: "WorkflowInstances");
        }
    }
}
