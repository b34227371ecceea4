using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Duban.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SupervisionDeadlinesChasingScoring : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "DueAt",
                table: "WorkflowInstances",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    TaskId = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ActivityId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    ExecutionId = table.Column<string>(type: "TEXT", maxLength: 120, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    AssignedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    InputJson = table.Column<string>(type: "TEXT", nullable: true),
                    ReplacesTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EndReason = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    ReplacedByTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    EndedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EndedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    EndedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    EndComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.TaskId);
                });

            migrationBuilder.CreateTable(
                name: "Bulletins",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    IssuedOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    CreatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Revoked = table.Column<bool>(type: "INTEGER", nullable: false),
                    RevokeReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Bulletins", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "CalendarDays",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarDays", x => new { x.OrganizationId, x.Date });
                });

            migrationBuilder.CreateTable(
                name: "CalendarYears",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    SourceNumber = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    SourceDate = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    SourceNote = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    LoadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    LoadedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    EditedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    EditedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarYears", x => new { x.OrganizationId, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "ChaseCases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    NextRung = table.Column<int>(type: "INTEGER", nullable: false),
                    NextCheckAt = table.Column<long>(type: "INTEGER", nullable: true),
                    LeaseOwner = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<long>(type: "INTEGER", nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    LastError = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ChaseCases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Chases",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CaseId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Cycle = table.Column<int>(type: "INTEGER", nullable: false),
                    RungIndex = table.Column<int>(type: "INTEGER", nullable: false),
                    RungKey = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RungName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    AutoKey = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Trigger = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    ScoreEvent = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RaisedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RaisedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    RaisedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    RecordKind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    RecordJson = table.Column<string>(type: "TEXT", nullable: true),
                    RecordedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RecordedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ActionTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    NoticeTitle = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    NoticeText = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    ReplyRequired = table.Column<bool>(type: "INTEGER", nullable: false),
                    ReplyDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    NoticeTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ReplyJson = table.Column<string>(type: "TEXT", nullable: true),
                    RepliedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RepliedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Note = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CancelReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Chases", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "Extensions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    InstanceId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UnitId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedById = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    RequestedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RequestedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    CurrentDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RequestedDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    StagesJson = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Stage = table.Column<int>(type: "INTEGER", nullable: false),
                    DecisionsJson = table.Column<string>(type: "TEXT", nullable: false),
                    ApprovalTaskId = table.Column<Guid>(type: "TEXT", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Late = table.Column<bool>(type: "INTEGER", nullable: false),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Extensions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "NumberSequences",
                columns: table => new
                {
                    Sequence = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Period = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    LastNumber = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    AdjustedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NumberSequences", x => new { x.Sequence, x.Period });
                });

            migrationBuilder.CreateTable(
                name: "ScoreRules",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    StartScore = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: false),
                    Floor = table.Column<decimal>(type: "TEXT", precision: 9, scale: 2, nullable: false),
                    RedoThreshold = table.Column<int>(type: "INTEGER", nullable: false),
                    DeductionsJson = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoreRules", x => new { x.OrganizationId, x.Year });
                });

            migrationBuilder.CreateTable(
                name: "SupervisionSettings",
                columns: table => new
                {
                    OrganizationId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    AllowLateExtensionRequests = table.Column<bool>(type: "INTEGER", nullable: false),
                    LadderJson = table.Column<string>(type: "TEXT", nullable: true),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedByName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ConcurrencyToken = table.Column<uint>(type: "INTEGER", nullable: false)
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
