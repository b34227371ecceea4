using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ItemSourceColumn : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Source",
                table: "WorkflowInstances",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_Source",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "Source" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_Source",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "Source",
                table: "WorkflowInstances");
        }
    }
}
