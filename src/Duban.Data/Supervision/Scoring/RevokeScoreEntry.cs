using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>撤销考核记录 (督查员): an entry recorded by mistake is revoked with a reason; it stays on record and no longer counts.</summary>
public sealed record RevokeScoreEntry(Guid EntryId, CurrentUser User, string? Reason) : IWrite<ScoreEntryRecord>
{
    public string Operation => "score-entry-revoke";
    public string Subject => EntryId.ToString();
}

internal sealed class RevokeScoreEntryHandler : IWriteHandler<RevokeScoreEntry, ScoreEntryRecord>
{
    public async Task<ScoreEntryRecord> HandleAsync(RevokeScoreEntry write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.Score)) throw new ForbiddenException("只有有「考核与通报」权限的人员（督查员）可以撤销考核记录");
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销理由");
        if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销理由不能超过 500 字");
        var db = context.Db;
        var entry = await db.Set<ScoreEntryRecord>().FirstOrDefaultAsync(e => e.Id == write.EntryId, ct);
        if (entry is null || !await ItemVisibility.CanSeeAsync(db, user, entry.InstanceId, ct)) throw new NotFoundException("考核记录不存在");
        if (entry.Revoked) throw new WorkflowConflictException("该考核记录已撤销");
        entry.Revoked = true;
        entry.RevokeReason = reason;
        entry.RevokedAt = context.Now;
        entry.RevokedByName = user.DisplayName;
        if (await db.Instances.FirstOrDefaultAsync(i => i.Id == entry.InstanceId, ct) is { } instance) instance.UpdatedAt = context.Now;
        context.Journal(entry.InstanceId, JournalKind.ScoreEntryRevoked, user.ToActor(), RecordScoreEntryHandler.ActivityId, "撤销考核记录", entry.EventName, reason,
            new JsonObject { ["entryId"] = entry.Id.ToString(), ["unitId"] = entry.UnitId });
        return entry;
    }
}
