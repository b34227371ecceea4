using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Tasks;

/// <summary>
/// 暂存: what the holder of an open task has typed into its form so far (with the references of files already uploaded)
/// and the comment, kept in the database so a reload, another device or a restart does not lose it. One per task,
/// written by the person holding it and read only by them; it goes when the task is completed or cancelled
/// (<see cref="TaskRecord.HasDraft"/> tells the write that closes the task to drop it). docs/decisions/032.
/// </summary>
public sealed class TaskDraftRecord
{
    public Guid TaskId { get; set; }
    public required string UserId { get; set; }
    public string DataJson { get; set; } = "{}";
    public string? Comment { get; set; }
    public DateTimeOffset SavedAt { get; set; }
}

internal sealed class TaskDraftRecordConfiguration : IEntityTypeConfiguration<TaskDraftRecord>
{
    public void Configure(EntityTypeBuilder<TaskDraftRecord> b)
    {
        b.ToTable("TaskDrafts");
        b.HasKey(x => x.TaskId);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.Comment).HasMaxLength(2000);
    }
}
