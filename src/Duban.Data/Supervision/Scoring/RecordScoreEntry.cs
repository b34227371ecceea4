using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Data.Supervision.Settings;
using Duban.Data.Supervision.Units;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>
/// 登记考核记录 (督查员): one of the organization's score events for a handling unit of the item, with a note — dated now,
/// journaled on the item, counted in the unit's score until revoked.
/// </summary>
public sealed record RecordScoreEntry(Guid InstanceId, CurrentUser User, string? UnitId, string? EventKey, string? Note) : IWrite<ScoreEntryRecord>
{
    public string Operation => "score-entry";
    public string Subject => InstanceId.ToString();
}

internal sealed class RecordScoreEntryHandler(SupervisionSettings settings) : IWriteHandler<RecordScoreEntry, ScoreEntryRecord>
{
    public const string ActivityId = "score-entry";
    public const string ActivityName = "考核记录";

    public async Task<ScoreEntryRecord> HandleAsync(RecordScoreEntry write, WriteContext context, CancellationToken ct)
    {
        var user = write.User;
        if (!user.Has(Permission.Score)) throw new ForbiddenException("只有有「考核与通报」权限的人员（督查员）可以登记考核记录");
        var db = context.Db;
        var org = context.Organization;
        var instance = await ItemVisibility.Visible(db, user).FirstOrDefaultAsync(i => i.Id == write.InstanceId, ct)
            ?? throw new NotFoundException("事项不存在");
        var organizationId = instance.OrganizationId;
        var catalog = await settings.ScoreEventsAsync(organizationId, ct);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(write.UnitId)) errors.Add(new("unitId", "请选择单位"));
        if (!catalog.Contains(write.EventKey))
            errors.Add(new("eventKey", string.IsNullOrWhiteSpace(write.EventKey) ? "请选择考核事件" : $"考核事件「{write.EventKey}」不存在，可选：{string.Join("、", catalog.Events.Select(e => e.Name))}"));
        var note = write.Note?.Trim();
        if (string.IsNullOrEmpty(note)) errors.Add(new("note", "请填写事由"));
        else if (note.Length > 2000) errors.Add(new("note", "事由不能超过 2000 字"));
        if (errors.Count > 0) throw new WorkflowInputException("考核记录填写有误", errors);
        var kinds = await HandlingUnits.KindsAsync(db, ct);
        if (!HandlingUnits.IsHandlingUnit(org, write.UnitId, kinds)
            || !await db.InstanceUnits.AnyAsync(u => u.InstanceId == instance.Id && u.UnitId == write.UnitId, ct))
            throw new WorkflowInputException("unitId", "只能为承办该事项的单位登记考核记录（督查部门和组织本级不计分）");

        var definition = catalog.Find(write.EventKey)!;
        var entry = new ScoreEntryRecord
        {
            Id = Guid.CreateVersion7(), OrganizationId = organizationId, UnitId = write.UnitId!, InstanceId = instance.Id,
            EventKey = definition.Key, EventName = definition.Name, Note = note, At = context.Now, CreatedById = user.Id, CreatedByName = user.DisplayName,
        };
        db.Set<ScoreEntryRecord>().Add(entry);
        instance.UpdatedAt = context.Now;
        context.Journal(instance.Id, JournalKind.ScoreEntryRecorded, user.ToActor(), ActivityId, ActivityName, definition.Name, note,
            new JsonObject
            {
                ["entryId"] = entry.Id.ToString(), ["unitId"] = entry.UnitId, ["unitName"] = HandlingUnits.NameOf(org, entry.UnitId),
                ["eventKey"] = definition.Key, ["eventName"] = definition.Name, ["adds"] = definition.Adds,
            });
        return entry;
    }
}
