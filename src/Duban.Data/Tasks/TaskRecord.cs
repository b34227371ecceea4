using System.Text.Json.Serialization;
using Duban.Engine;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Tasks;

[JsonConverter(typeof(CamelCaseEnumConverter<HumanTaskStatus>))]
public enum HumanTaskStatus
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>A human task in someone's inbox: for one user, or for a unit's liaisons / a role's holders to claim.</summary>
public sealed class TaskRecord
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    /// <summary>The item's organization: a step offered to a role reaches that role's holders in this organization only.</summary>
    public string OrganizationId { get; set; } = "";
    public string? BookmarkId { get; set; }
    public required string ActivityId { get; set; }
    public required string ExecutionId { get; set; }
    public required string Name { get; set; }
    public TaskKind Kind { get; set; }
    public HumanTaskStatus Status { get; set; }
    public string? AssigneeUserId { get; set; }
    public string? CandidateUnitId { get; set; }
    public string? CandidateRole { get; set; }
    public string? FormId { get; set; }
    public string PermissionsJson { get; set; } = "{}";
    public string OutcomesJson { get; set; } = "[]";
    public int Sequence { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ClaimedAt { get; set; }
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public string? CompletedById { get; set; }
    public string? CompletedByName { get; set; }
    public string? Outcome { get; set; }
    public string? Comment { get; set; }
    /// <summary>A 暂存 draft exists for this task (<see cref="TaskDraftRecord"/>): closing the task drops it.</summary>
    public bool HasDraft { get; set; }
    /// <summary>委派: who delegated the task to its assignee; it comes back to him when the delegate has acted (decision 031).</summary>
    public string? DelegatorUserId { get; set; }
    public uint ConcurrencyToken { get; set; }
}

internal sealed class TaskRecordConfiguration : IEntityTypeConfiguration<TaskRecord>
{
    public void Configure(EntityTypeBuilder<TaskRecord> b)
    {
        b.ToTable("Tasks");
        b.HasKey(x => x.Id);
        b.Property(x => x.BookmarkId).HasMaxLength(64);
        b.Property(x => x.ActivityId).HasMaxLength(100);
        b.Property(x => x.ExecutionId).HasMaxLength(120);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.AssigneeUserId).HasMaxLength(64);
        b.Property(x => x.CandidateUnitId).HasMaxLength(64);
        b.Property(x => x.CandidateRole).HasMaxLength(50);
        b.Property(x => x.FormId).HasMaxLength(100);
        b.Property(x => x.CompletedById).HasMaxLength(64);
        b.Property(x => x.CompletedByName).HasMaxLength(100);
        b.Property(x => x.Outcome).HasMaxLength(100);
        b.Property(x => x.DelegatorUserId).HasMaxLength(64);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.HasIndex(x => x.InstanceId);
        b.HasIndex(x => new { x.AssigneeUserId, x.Status });
        b.HasIndex(x => new { x.CandidateUnitId, x.Status });
        b.HasIndex(x => new { x.CandidateRole, x.Status });
        // 已办: a person's completions newest first, then by id — keyset pages read off it (docs/decisions/042, addendum).
        b.HasIndex(x => new { x.CompletedById, x.CompletedAt, x.Id });
        // 复办 in the year's scores: later rounds of a step only (docs/decisions/042).
        b.HasIndex(x => x.CreatedAt).HasFilter("\"ExecutionId\" NOT LIKE '%#1'").HasDatabaseName("IX_Tasks_CreatedAt_LaterRounds");
    }
}
