using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupervisionDeadlinesChasingScoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "DueAt",
                table: "WorkflowInstances",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    TaskId = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    ActivityId = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    ExecutionId = table.Column<string>(type: "character varying(120)", maxLength: 120, nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    AssignedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    InputJson = table.Column<string>(type: "text", nullable: true),
                    ReplacesTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    EndReason = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    ReplacedByTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    EndedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EndedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    EndedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    EndComment = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.TaskId);
                });

            migrationBuilder.CreateTable(
                name: "Bulletins",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: true),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CreatedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    CreatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Revoked = table.Column<bool>(type: "boolean", nullable: false),
                    RevokeReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bulletins", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CalendarDays",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Date = table.Column<DateOnly>(type: "date", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarDays", x => new { x.OrganizationId, x.Date });
                });

            migrationBuilder.CreateTable(
                name: "CalendarYears",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    SourceTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    SourceNumber = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    SourceDate = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    SourceNote = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    Origin = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    LoadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LoadedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    EditedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    EditedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarYears", x => new { x.OrganizationId, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "ChaseCases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Cycle = table.Column<int>(type: "integer", nullable: false),
                    NextRung = table.Column<int>(type: "integer", nullable: false),
                    NextCheckAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    LastError = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChaseCases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Chases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    CaseId = table.Column<Guid>(type: "uuid", nullable: true),
                    Cycle = table.Column<int>(type: "integer", nullable: false),
                    RungIndex = table.Column<int>(type: "integer", nullable: false),
                    RungKey = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RungName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    AutoKey = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Trigger = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    ScoreEvent = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RaisedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RaisedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    RaisedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    DueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Actor = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    RecordKind = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    RecordJson = table.Column<string>(type: "text", nullable: true),
                    RecordedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RecordedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ActionTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    NoticeTitle = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    NoticeText = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ReplyRequired = table.Column<bool>(type: "boolean", nullable: false),
                    ReplyDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    NoticeTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    ReplyJson = table.Column<string>(type: "text", nullable: true),
                    RepliedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    RepliedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    Note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CancelReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Chases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Extensions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    InstanceId = table.Column<Guid>(type: "uuid", nullable: false),
                    UnitId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestedById = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    RequestedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    RequestedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CurrentDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    RequestedDueAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StagesJson = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Stage = table.Column<int>(type: "integer", nullable: false),
                    DecisionsJson = table.Column<string>(type: "text", nullable: false),
                    ApprovalTaskId = table.Column<Guid>(type: "uuid", nullable: true),
                    DecidedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    Late = table.Column<bool>(type: "boolean", nullable: false),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Extensions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NumberSequences",
                columns: table => new
                {
                    Sequence = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Period = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    LastNumber = table.Column<long>(type: "bigint", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    AdjustedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NumberSequences", x => new { x.Sequence, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "ScoreRules",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "integer", nullable: false),
                    StartScore = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    Floor = table.Column<decimal>(type: "numeric(9,2)", precision: 9, scale: 2, nullable: false),
                    RedoThreshold = table.Column<int>(type: "integer", nullable: false),
                    DeductionsJson = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreRules", x => new { x.OrganizationId, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "SupervisionSettings",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    AllowLateExtensionRequests = table.Column<bool>(type: "boolean", nullable: false),
                    LadderJson = table.Column<string>(type: "text", nullable: true),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedByName = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SupervisionSettings", x => x.OrganizationId);
                });

            migrationBuilder.CreateIndex(
                name: "IX_WorkflowInstances_DueAt",
                table: "WorkflowInstances",
                column: "DueAt");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_InstanceId",
                table: "Assignments",
                column: "InstanceId");

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_UnitId_Role",
                table: "Assignments",
                columns: new[] { "UnitId", "Role" });

            migrationBuilder.CreateIndex(
                name: "IX_Bulletins_UnitId_IssuedOn",
                table: "Bulletins",
                columns: new[] { "UnitId", "IssuedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_ChaseCases_InstanceId_UnitId",
                table: "ChaseCases",
                columns: new[] { "InstanceId", "UnitId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ChaseCases_NextCheckAt",
                table: "ChaseCases",
                column: "NextCheckAt");

            migrationBuilder.CreateIndex(
                name: "IX_Chases_AutoKey",
                table: "Chases",
                column: "AutoKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Chases_InstanceId_RaisedAt",
                table: "Chases",
                columns: new[] { "InstanceId", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Chases_UnitId_RaisedAt",
                table: "Chases",
                columns: new[] { "UnitId", "RaisedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Extensions_InstanceId_RequestedAt",
                table: "Extensions",
                columns: new[] { "InstanceId", "RequestedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Extensions_Status_RequestedAt",
                table: "Extensions",
                columns: new[] { "Status", "RequestedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "Bulletins");

            migrationBuilder.DropTable(
                name: "CalendarDays");

            migrationBuilder.DropTable(
                name: "CalendarYears");

            migrationBuilder.DropTable(
                name: "ChaseCases");

            migrationBuilder.DropTable(
                name: "Chases");

            migrationBuilder.DropTable(
                name: "Extensions");

            migrationBuilder.DropTable(
                name: "NumberSequences");

            migrationBuilder.DropTable(
                name: "ScoreRules");

            migrationBuilder.DropTable(
                name: "SupervisionSettings");

            migrationBuilder.DropIndex(
                name: "IX_WorkflowInstances_DueAt",
                table: "WorkflowInstances");

            migrationBuilder.DropColumn(
                name: "DueAt",
                table: "WorkflowInstances");
        }
    }
}
