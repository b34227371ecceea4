using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KeysetPagingIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_CreatedAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_CompletedById_CompletedAt",
                table: "Tasks");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_DefinitionName_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "DefinitionName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_FinishedAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "FinishedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "LedgerDueAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_Number_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "Number", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_Status_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "Status", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_Title_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "Title", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_UpdatedAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "UpdatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CompletedById_CompletedAt_Id",
                table: "Tasks",
                columns: new[] { "CompletedById", "CompletedAt", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_DefinitionName_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_FinishedAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_Number_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_Status_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_Title_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_UpdatedAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_CompletedById_CompletedAt_Id",
                table: "Tasks");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_CreatedAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "LedgerDueAt", "CreatedAt", "Id" },
                descending: new[] { false, false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CompletedById_CompletedAt",
                table: "Tasks",
                columns: new[] { "CompletedById", "CompletedAt" });
        }
    }
}
