using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ClosedItemsSmaller : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Custom SQL (decision 042's addendum "closed items smaller"): items compacted before this build are queued again,
            // due at once, so the job gives their tasks a reference to their step's field permissions (no lines move twice).
            migrationBuilder.Sql("""
                UPDATE "ItemCompactions" SET "DueAt" = "CompactedAt" WHERE "DueAt" IS NULL AND "CompactedAt" IS NOT NULL
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
