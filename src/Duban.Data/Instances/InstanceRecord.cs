using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Instances;

/// <summary>A running or finished item (事项): one instance of one definition version.</summary>
public sealed class InstanceRecord
{
    public Guid Id { get; set; }
    /// <summary>The organization (root unit) the item belongs to: its procedure's, and so its registrant's (decision 035).</summary>
    public string OrganizationId { get; set; } = "";
    public Guid DefinitionRecordId { get; set; }
    public required string DefinitionId { get; set; }
    public int DefinitionVersion { get; set; }
    public required string DefinitionName { get; set; }
    public required string Title { get; set; }
    /// <summary>Running number such as 督〔2026〕12号 (assigned by the numbering feature).</summary>
    public string? Number { get; set; }
    public WorkflowStatus Status { get; set; }
    public string? Result { get; set; }
    public string? IncidentMessage { get; set; }
    /// <summary>The engine's <see cref="WorkflowState"/> as JSON.</summary>
    public required string StateJson { get; set; }
    public required string InitiatorId { get; set; }
    public string? InitiatorName { get; set; }
    public string? InitiatorUnitId { get; set; }
    public Guid? ParentInstanceId { get; set; }
    public string? ParentBookmarkId { get; set; }
    /// <summary>Its place among the children its parent step started (the row of the breakdown table); null for a top-level item.</summary>
    public int? ChildIndex { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    /// <summary>The item's own deadline (完成时限), copied from the state; moved by approved extensions.</summary>
    public DateTimeOffset? DueAt { get; set; }
    /// <summary>
    /// 限定知悉范围 (docs/decisions/037): only the people and units on <see cref="ItemReaderRecord"/> rows for this item
    /// may see it, whatever their role.
    /// </summary>
    public bool IsRestricted { get; set; }
    /// <summary>
    /// 立卷归档 (docs/decisions/047): when an outcome marked 归档 filed the item away. From then on the write door refuses
    /// every change to it (<see cref="Writes.ArchivedItems"/>); reads go on.
    /// </summary>
    public DateTimeOffset? ArchivedAt { get; set; }
    public string? ArchivedByName { get; set; }
    // The read model (docs/decisions/042): kept by the write door (Writes.ItemDeadlines) in the write's own transaction.
    /// <summary>How many open steps of the work (not notices) have a deadline.</summary>
    public int OpenStepDeadlines { get; set; }
    /// <summary>The nearest deadline among those steps; null when none.</summary>
    public DateTimeOffset? NearestStepDueAt { get; set; }
    /// <summary>The ledger's 期限: the item's own deadline, else its nearest open step's (decision 018). Sorted and filtered on.</summary>
    public DateTimeOffset? LedgerDueAt { get; set; }
    /// <summary>The earliest deadline that turns the item red: its own while it is open, or an open step's. Red = before now.</summary>
    public DateTimeOffset? RedFrom { get; set; }
    /// <summary>
    /// 来源: the value of its procedure version's source field (<see cref="Engine.Forms.ItemSource"/>), so the ledger's and
    /// the dashboard's 来源 are an indexed equality instead of a walk through every item's JSON state
    /// (<see cref="ReadModel.ItemSourceValue"/>: a list is stored between separators). Null: no source field, no value, or a
    /// value too long to keep.
    /// </summary>
    public string? Source { get; set; }
    /// <summary>Optimistic concurrency: xmin on PostgreSQL, a counter on SQLite.</summary>
    public uint ConcurrencyToken { get; set; }
}

/// <summary>A unit involved in an item (initiator's unit, units given tasks): who may see it.</summary>
public sealed class InstanceUnitRecord
{
    public Guid InstanceId { get; set; }
    public required string UnitId { get; set; }
}

/// <summary>One row of the execution journal. Append-only.</summary>
public sealed class JournalEntryRecord
{
    public long Id { get; set; }
    public Guid InstanceId { get; set; }
    public JournalKind Kind { get; set; }
    public DateTimeOffset At { get; set; }
    public string? ActivityId { get; set; }
    public string? ActivityName { get; set; }
    public string? ExecutionId { get; set; }
    public int Round { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    public Guid? TaskId { get; set; }
    public string? Outcome { get; set; }
    public string? Comment { get; set; }
    public string? DataJson { get; set; }
}

internal sealed class InstanceRecordConfiguration : IEntityTypeConfiguration<InstanceRecord>
{
    public void Configure(EntityTypeBuilder<InstanceRecord> b)
    {
        b.ToTable("WorkflowInstances");
        b.HasKey(x => x.Id);
        b.Property(x => x.DefinitionId).HasMaxLength(100);
        b.Property(x => x.DefinitionName).HasMaxLength(200);
        b.Property(x => x.Title).HasMaxLength(500);
        b.Property(x => x.Number).HasMaxLength(100);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Result).HasMaxLength(100);
        b.Property(x => x.InitiatorId).HasMaxLength(64);
        b.Property(x => x.InitiatorName).HasMaxLength(100);
        b.Property(x => x.InitiatorUnitId).HasMaxLength(64);
        b.Property(x => x.ParentBookmarkId).HasMaxLength(64);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.ArchivedByName).HasMaxLength(100);
        b.Property(x => x.Source).HasMaxLength(ReadModel.ItemSourceValue.MaxLength);
        b.HasIndex(x => x.Status);
        b.HasIndex(x => x.ParentInstanceId);
        b.HasIndex(x => new { x.DefinitionId, x.CreatedAt });
        b.HasIndex(x => x.DueAt);
        // The ledger's flat lists (docs/decisions/042): red items (open work only), items a person started; and each order the
        // ledger offers in full (the column, then the id, one direction), so that a page — the first or one a million rows deep
        // by keyset — is read off an index walked either way, never sorted (042's addendum).
        b.HasIndex(x => new { x.OrganizationId, x.CreatedAt, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.LedgerDueAt, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.UpdatedAt, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.FinishedAt, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.Number, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.Title, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.DefinitionName, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.Status, x.Id });
        b.HasIndex(x => new { x.OrganizationId, x.Source });
        b.HasIndex(x => new { x.OrganizationId, x.RedFrom }).HasFilter("\"RedFrom\" IS NOT NULL");
        b.HasIndex(x => x.InitiatorId);
    }
}

internal sealed class InstanceUnitRecordConfiguration : IEntityTypeConfiguration<InstanceUnitRecord>
{
    public void Configure(EntityTypeBuilder<InstanceUnitRecord> b)
    {
        b.ToTable("InstanceUnits");
        b.HasKey(x => new { x.InstanceId, x.UnitId });
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.HasIndex(x => x.UnitId);
    }
}

internal sealed class JournalEntryRecordConfiguration : IEntityTypeConfiguration<JournalEntryRecord>
{
    public void Configure(EntityTypeBuilder<JournalEntryRecord> b)
    {
        b.ToTable("JournalEntries");
        b.HasKey(x => x.Id);
        b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(40);
        b.Property(x => x.ActivityId).HasMaxLength(100);
        b.Property(x => x.ActivityName).HasMaxLength(200);
        b.Property(x => x.ExecutionId).HasMaxLength(120);
        b.Property(x => x.ActorId).HasMaxLength(64);
        b.Property(x => x.ActorName).HasMaxLength(100);
        b.Property(x => x.Outcome).HasMaxLength(100);
        b.HasIndex(x => new { x.InstanceId, x.Id });
        // The year's scores read the completions of the year (docs/decisions/042).
        b.HasIndex(x => new { x.Kind, x.At });
    }
}
