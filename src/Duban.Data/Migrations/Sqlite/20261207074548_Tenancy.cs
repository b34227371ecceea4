using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Tenancy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowDefinitions_DefinitionId_IsLatest",
                table: "WorkflowDefinitions");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowDefinitions_DefinitionId_Version",
                table: "WorkflowDefinitions");

            migrationBuilder.AddColumn<string>(
                name: "OrganizationId",
                table: "WorkflowInstances",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OrganizationId",
                table: "WorkflowDefinitions",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OrganizationId",
                table: "Tasks",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "OrganizationId",
                table: "AspNetUsers",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            // Rows from before decision 035 belong to the organization above them: a person and an item to the root above
            // their unit (the registrant's), a task to its item's, a procedure to the first organization (an installation
            // had one). Nothing to do on an empty database.
            const string Tree = """
                WITH RECURSIVE tree("Id", "RootId") AS (
                    SELECT "Id", "Id" FROM "Units" WHERE "ParentId" IS NULL
                    UNION ALL
                    SELECT u."Id", t."RootId" FROM "Units" u JOIN tree t ON u."ParentId" = t."Id")
                """;
            const string FirstRoot = """(SELECT MIN("Id") FROM "Units" WHERE "ParentId" IS NULL)""";
            migrationBuilder.Sql(Tree + $"""
                UPDATE "AspNetUsers" SET "OrganizationId" = COALESCE((SELECT "RootId" FROM tree WHERE tree."Id" = "AspNetUsers"."UnitId"), {FirstRoot});
                """);
            migrationBuilder.Sql(Tree + $"""
                UPDATE "WorkflowInstances" SET "OrganizationId" = COALESCE((SELECT "RootId" FROM tree WHERE tree."Id" = "WorkflowInstances"."InitiatorUnitId"), {FirstRoot}, '');
                """);
            migrationBuilder.Sql("""
                UPDATE "WorkflowInstances" SET "OrganizationId" = (SELECT p."OrganizationId" FROM "WorkflowInstances" p WHERE p."Id" = "WorkflowInstances"."ParentInstanceId")
                WHERE "ParentInstanceId" IS NOT NULL;
                """);
            migrationBuilder.Sql("""
                UPDATE "Tasks" SET "OrganizationId" = COALESCE((SELECT i."OrganizationId" FROM "WorkflowInstances" i WHERE i."Id" = "Tasks"."InstanceId"), '');
                """);
            migrationBuilder.Sql($"""
                UPDATE "WorkflowDefinitions" SET "OrganizationId" = COALESCE({FirstRoot}, '');
                """);

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt",
                table: "WorkflowInstances",
                columns: new[] { "OrganizationId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowDefinitions_OrganizationId_DefinitionId_IsLatest",
                table: "WorkflowDefinitions",
                columns: new[] { "OrganizationId", "DefinitionId", "IsLatest" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowDefinitions_OrganizationId_DefinitionId_Version",
                table: "WorkflowDefinitions",
                columns: new[] { "OrganizationId", "DefinitionId", "Version" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_OrganizationId",
                table: "AspNetUsers",
                column: "OrganizationId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_OrganizationId_CreatedAt",
                table: "WorkflowInstances");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowDefinitions_OrganizationId_DefinitionId_IsLatest",
                table: "WorkflowDefinitions");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowDefinitions_OrganizationId_DefinitionId_Version",
                table: "WorkflowDefinitions");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_OrganizationId",
                table: "AspNetUsers");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "WorkflowDefinitions");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "Tasks");

            migrationBuilder.DropColumn(
                name: "OrganizationId",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowDefinitions_DefinitionId_IsLatest",
                table: "WorkflowDefinitions",
                columns: new[] { "DefinitionId", "IsLatest" });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowDefinitions_DefinitionId_Version",
                table: "WorkflowDefinitions",
                columns: new[] { "DefinitionId", "Version" },
                unique: true);
        }
    }
}
