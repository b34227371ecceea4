using System.IO.Compression;
using System.Text.Json;
using Duban.Data.Jobs;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Instances;

/// <summary>
/// A closed item's journal in its compact form (docs/decisions/042, addendum "closed items compacted"). The write door
/// queues one when an item closes (<see cref="Writes.ClosedItems"/>); the compaction job (<see cref="Runtime.Items.CompactionWorker"/>,
/// the one lease mechanism) claims it once <see cref="DueAt"/> has passed and moves the item's journal lines that only
/// the item's own pages read — the timeline, the 一事一卷 archive, its documents — into <see cref="Lines"/>, one compressed
/// block, deleting their rows. The lines other queries look for across items (scores, dashboards, breakdown progress,
/// 撤回: <see cref="ItemJournal.KeptKinds"/>) stay rows. Nothing is lost: <see cref="ItemJournal.OfItemAsync"/> gives the
/// item's journal whole, rows and block merged by id, to every reader of one item.
/// </summary>
public sealed class ItemCompactionRecord : ILeasedRow
{
    public Guid Id { get; set; }
    public Guid InstanceId { get; set; }
    /// <summary>When the job may compact the item; null once done (or when the item turned out to be open again).</summary>
    public DateTimeOffset? DueAt { get; set; }
    public DateTimeOffset? CompactedAt { get; set; }
    /// <summary>How many journal lines <see cref="Lines"/> holds.</summary>
    public int LineCount { get; set; }
    /// <summary>The moved lines, every column, as Brotli-compressed JSON (<see cref="ItemJournal.Pack"/>).</summary>
    public byte[]? Lines { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTimeOffset? LeaseUntil { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
}

internal sealed class ItemCompactionRecordConfiguration : IEntityTypeConfiguration<ItemCompactionRecord>
{
    public void Configure(EntityTypeBuilder<ItemCompactionRecord> b)
    {
        b.ToTable("ItemCompactions");
        b.HasKey(x => x.Id);
        b.Property(x => x.LeaseOwner).HasMaxLength(200);
        b.Property(x => x.LastError).HasMaxLength(2000);
        b.HasIndex(x => x.InstanceId);
        // The job's queue: only items still to compact are in it.
        b.HasIndex(x => x.DueAt).HasFilter("\"DueAt\" IS NOT NULL");
    }
}

/// <summary>An item's journal, whole, whether or not it was compacted: the one way a reader of one item gets its lines.</summary>
public static class ItemJournal
{
    /// <summary>
    /// Kinds some query reads across items, by kind, time or task — the year's scores and their 退回 (TaskReturned,
    /// TaskRecalled), the dashboards' early warnings (ExtensionRequested, TaskReturned), breakdown progress (ChildStarted,
    /// ExtensionApproved, Chased, ChaseCancelled), a delegation handed back (DelegationReturned): they stay rows. So does a
    /// TaskCompleted line those queries count — one that sent work back or that carries an outcome counted in 考核
    /// (<see cref="Kept"/>); an ordinary completion is read only on the item's own pages.
    /// </summary>
    public static readonly IReadOnlySet<JournalKind> KeptKinds = new HashSet<JournalKind>
    {
        JournalKind.TaskReturned, JournalKind.TaskRecalled, JournalKind.ExtensionRequested,
        JournalKind.ExtensionApproved, JournalKind.ChildStarted, JournalKind.Chased, JournalKind.ChaseCancelled, JournalKind.DelegationReturned,
    };

    /// <summary>Does this line stay a row when its item is compacted: some query across items may look for it.</summary>
    public static bool Kept(JournalEntryRecord line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return KeptKinds.Contains(line.Kind)
            || (line.Kind == JournalKind.TaskCompleted && (Engine.Activities.UserTaskSendBack.SentBack(line.Outcome, line.DataJson)
                || (line.DataJson?.Contains(Engine.Activities.UserTaskOutcomeScores.EventFlag, StringComparison.Ordinal) ?? false)));
    }

    // Kinds by name: the block must read back the same whatever members the enum gains. Text as UTF-8 (not \u escapes) and
    // no nulls: the block is a third of the size.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The item's lines in journal order (by id), rows and compacted block merged.</summary>
    public static Task<List<JournalEntryRecord>> OfItemAsync(DubanDbContext db, Guid instanceId, CancellationToken ct) =>
        OfItemsAsync(db, [instanceId], ct);

    /// <summary>The lines of several items, by id.</summary>
    public static async Task<List<JournalEntryRecord>> OfItemsAsync(DubanDbContext db, IReadOnlyCollection<Guid> instanceIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var lines = await db.Journal.AsNoTracking().Where(j => instanceIds.Contains(j.InstanceId)).OrderBy(j => j.Id).ToListAsync(ct);
        var packs = await db.Set<ItemCompactionRecord>().AsNoTracking().Where(c => instanceIds.Contains(c.InstanceId) && c.Lines != null)
            .Select(c => new { c.InstanceId, c.Lines }).ToListAsync(ct);
        if (packs.Count == 0) return lines;
        foreach (var pack in packs) lines.AddRange(Unpack(pack.InstanceId, pack.Lines!));
        lines.Sort((a, b) => a.Id.CompareTo(b.Id));
        return lines;
    }

    /// <summary>The lines as one block: every column but the item's id (the block's row holds it once).</summary>
    public static byte[] Pack(IReadOnlyList<JournalEntryRecord> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var rows = lines.Select(l => new PackedLine(l.Id, l.Kind, l.At, l.ActivityId, l.ActivityName, l.ExecutionId, l.Round, l.ActorId, l.ActorName,
            l.TaskId, l.Outcome, l.Comment, l.DataJson)).ToList();
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            JsonSerializer.Serialize(brotli, rows, Json);
        return buffer.ToArray();
    }

    public static List<JournalEntryRecord> Unpack(Guid instanceId, byte[] pack)
    {
        using var brotli = new BrotliStream(new MemoryStream(pack), CompressionMode.Decompress);
        return (JsonSerializer.Deserialize<List<PackedLine>>(brotli, Json) ?? []).Select(l => new JournalEntryRecord
        {
            Id = l.Id, InstanceId = instanceId, Kind = l.Kind, At = l.At, ActivityId = l.ActivityId, ActivityName = l.ActivityName,
            ExecutionId = l.ExecutionId, Round = l.Round, ActorId = l.ActorId, ActorName = l.ActorName, TaskId = l.TaskId,
            Outcome = l.Outcome, Comment = l.Comment, DataJson = l.DataJson,
        }).ToList();
    }

    private sealed record PackedLine(long Id, JournalKind Kind, DateTimeOffset At, string? ActivityId, string? ActivityName, string? ExecutionId,
        int Round, string? ActorId, string? ActorName, Guid? TaskId, string? Outcome, string? Comment, string? DataJson);
}
