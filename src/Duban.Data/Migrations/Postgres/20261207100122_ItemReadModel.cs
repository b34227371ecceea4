using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ItemReadModel : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Tasks_CompletedById",
                table: "Tasks");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "LedgerDueAt",
                table: "WorkflowInstances",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "NearestStepDueAt",
                table: "WorkflowInstances",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "OpenStepDeadlines",
                table: "WorkflowInstances",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "RedFrom",
                table: "WorkflowInstances",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_InitiatorId",
                table: "WorkflowInstances",
                column: "InitiatorId");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_Number_trgm",
                table: "WorkflowInstances",
                column: "Number")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_CreatedAt_Id",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "LedgerDueAt", "CreatedAt", "Id" },
                descending: new[] { false, false, true, false });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_RedFrom",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "RedFrom" },
                filter: "\"RedFrom\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_Title_trgm",
                table: "WorkflowInstances",
                column: "Title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CompletedById_CompletedAt",
                table: "Tasks",
                columns: new[] { "CompletedById", "CompletedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CreatedAt_LaterRounds",
                table: "Tasks",
                column: "CreatedAt",
                filter: "\"ExecutionId\" NOT LIKE '%#1'");

            migrationBuilder.CreateIndex(
                name: "IX_JournalEntries_Kind_At",
                table: "JournalEntries",
                columns: new[] { "Kind", "At" });

            // Custom SQL (docs/decisions/042): fill the read model's deadline columns of the items already there; from now on the
            // write door keeps them (Writes.ItemDeadlines). Same SQL on SQLite and PostgreSQL.
            migrationBuilder.Sql("""
                UPDATE "WorkflowInstances" SET
                    "OpenStepDeadlines" = (SELECT count(*) FROM "Tasks" t WHERE t."InstanceId" = "WorkflowInstances"."Id"
                        AND t."Status" = 'Open' AND t."Kind" = 'Task' AND t."DueAt" IS NOT NULL),
                    "NearestStepDueAt" = (SELECT min(t."DueAt") FROM "Tasks" t WHERE t."InstanceId" = "WorkflowInstances"."Id"
                        AND t."Status" = 'Open' AND t."Kind" = 'Task' AND t."DueAt" IS NOT NULL)
                WHERE "Status" NOT IN ('Completed', 'Cancelled');
                UPDATE "WorkflowInstances" SET
                    "LedgerDueAt" = COALESCE("DueAt", "NearestStepDueAt"),
                    "RedFrom" = CASE WHEN "DueAt" IS NULL OR "Status" IN ('Completed', 'Cancelled') THEN "NearestStepDueAt"
                        WHEN "NearestStepDueAt" IS NULL OR "DueAt" < "NearestStepDueAt" THEN "DueAt" ELSE "NearestStepDueAt" END
                WHERE "DueAt" IS NOT NULL OR "NearestStepDueAt" IS NOT NULL;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_InitiatorId",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_Number_trgm",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_LedgerDueAt_CreatedAt_Id",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_RedFrom",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_Title_trgm",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_CompletedById_CompletedAt",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_Tasks_CreatedAt_LaterRounds",
                table: "Tasks");

            migrationBuilder.DropIndex(
                name: "IX_JournalEntries_Kind_At",
                table: "JournalEntries");

            migrationBuilder.DropColumn(
                name: "LedgerDueAt",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "NearestStepDueAt",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "OpenStepDeadlines",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "RedFrom",
                table: "WorkflowInstances");

            migrationBuilder.AlterDatabase()
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,");

            migrationBuilder.CreateIndex(
                name: "IX_Tasks_CompletedById",
                table: "Tasks",
                column: "CompletedById");
        }
    }
}
