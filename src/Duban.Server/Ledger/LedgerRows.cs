using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Assignments;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Engine.Definitions;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Ledger;

/// <summary>Turns a page of items into ledger rows: their open steps, units, deadline, light and chosen form fields.</summary>
public sealed class LedgerRows(DubanDbContext db, OrganizationCache organization, DefinitionCache definitions,
    Duban.Data.Supervision.DeadlineLights deadlineLights)
{
    /// <summary>Items read per round trip when building rows (a page, or a slice of an export).</summary>
    public const int Batch = 500;

    private sealed record Item(
        Guid Id, string? Number, string Title, string DefinitionId, string DefinitionName, Guid DefinitionRecordId, WorkflowStatus Status,
        string? Result, string? Incident, string? InitiatorName, string? InitiatorUnitId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt,
        DateTimeOffset? DueAt, string? InitiatorId, DateTimeOffset? ArchivedAt);

    /// <summary>
    /// The rows of <paramref name="query"/> from <paramref name="skip"/>, at most <paramref name="take"/>, in its order; form field
    /// values (and 来源) only where <paramref name="user"/> may read the field on that item (<see cref="ItemAccess"/>, decision 034).
    /// </summary>
    public async Task<List<LedgerRow>> ReadAsync(CurrentUser user, IQueryable<InstanceRecord> query, int skip, int take, IReadOnlyList<string> fields, CancellationToken ct)
    {
        var rows = new List<LedgerRow>(Math.Min(take, Batch));
        for (var offset = 0; offset < take; offset += Batch)
        {
            var items = await query.Skip(skip + offset).Take(Math.Min(Batch, take - offset))
                .Select(i => new Item(i.Id, i.Number, i.Title, i.DefinitionId, i.DefinitionName, i.DefinitionRecordId, i.Status, i.Result,
                    i.IncidentMessage, i.InitiatorName, i.InitiatorUnitId, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.DueAt, i.InitiatorId, i.ArchivedAt))
                .ToListAsync(ct);
            rows.AddRange(await RowsAsync(user, items, fields, ct));
            if (items.Count < Math.Min(Batch, take - offset)) break;
        }
        return rows;
    }

    private async Task<List<LedgerRow>> RowsAsync(CurrentUser user, List<Item> items, IReadOnlyList<string> fields, CancellationToken ct)
    {
        if (items.Count == 0) return [];
        var org = await organization.GetAsync(ct);
        // Lights on the organization's calendar with each procedure's rule (options.lights).
        var lights = await deadlineLights.JudgeAsync(items.Select(i => i.DefinitionRecordId), ct);
        var ids = items.Select(i => i.Id).ToList();
        var steps = (await db.Tasks.AsNoTracking()
                .Where(t => ids.Contains(t.InstanceId) && t.Status == HumanTaskStatus.Open && t.Kind == TaskKind.Task)
                .OrderBy(t => t.CreatedAt)
                .Select(t => new { t.InstanceId, t.Name, t.AssigneeUserId, t.CandidateUnitId, t.CandidateRole, t.CreatedAt, t.DueAt })
                .ToListAsync(ct))
            .ToLookup(t => t.InstanceId);
        var units = (await db.InstanceUnits.AsNoTracking().Where(u => ids.Contains(u.InstanceId)).ToListAsync(ct)).ToLookup(u => u.InstanceId, u => u.UnitId);
        // Units a step was offered to: the registering unit counts as a handling unit only when it got such a step itself.
        var offered = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && t.CandidateUnitId != null)
                .Select(t => new { t.InstanceId, UnitId = t.CandidateUnitId! }).Distinct().ToListAsync(ct))
            .ToLookup(t => t.InstanceId, t => t.UnitId);
        // 交办: which unit leads (主办) and which help (协办), for the units still on the step.
        var roles = (await db.Set<AssignmentRecord>().AsNoTracking().Where(a => ids.Contains(a.InstanceId) && a.EndReason == null)
                .Select(a => new { a.InstanceId, a.UnitId, a.Role }).ToListAsync(ct))
            .ToLookup(a => a.InstanceId);
        // Every row says its 来源 (the start form's source field), so the data and forms are always read.
        var data = await DataAsync(ids, ct);
        var forms = await FieldsByDefinitionAsync(items.Select(i => i.DefinitionRecordId).Distinct().ToList(), ct);
        var readable = await ItemAccess.FieldsAsync(db, user,
            items.Where(i => forms.ContainsKey(i.DefinitionRecordId)).Select(i => new ItemAccess.ItemOf(i.Id, i.InitiatorId, forms[i.DefinitionRecordId].Definition)).ToList(), ct);

        return items.Select(item =>
        {
            var open = steps[item.Id].ToList();
            var closed = item.Status is WorkflowStatus.Completed or WorkflowStatus.Cancelled;
            var current = open.GroupBy(s => s.Name)
                .Select(g => new LedgerStep(g.Key, Holders(g.Select(s => Holder(s.AssigneeUserId, s.CandidateUnitId, s.CandidateRole, org)))))
                .ToList();
            // The item's own deadline (完成时限) when its procedure sets one, else the nearest of its open steps'; the light is
            // the worst of the item's and its steps' (an overdue first feedback is red even if the item still has time).
            var dueAt = closed ? null : item.DueAt ?? open.Where(s => s.DueAt is not null).Select(s => s.DueAt).Min();
            var light = closed ? null : LedgerQuery.Worst(open.Select(s => lights.Of(item.DefinitionRecordId, s.CreatedAt, s.DueAt))
                .Append(lights.Of(item.DefinitionRecordId, item.CreatedAt, item.DueAt, item.InitiatorUnitId)));
            var handling = units[item.Id].Where(u => u != item.InitiatorUnitId).Union(offered[item.Id]).ToList();
            var roleOf = roles[item.Id].GroupBy(a => a.UnitId)
                .ToDictionary(g => g.Key, g => g.Any(a => a.Role == "lead") ? "lead" : "co");
            var ordered = handling.Union(roleOf.Keys)
                .OrderBy(u => roleOf.GetValueOrDefault(u) switch { "lead" => 0, "co" => 1, _ => 2 }).ToList();
            string NameOf(string unit) => org.FindUnit(unit)?.Name ?? unit;
            var unitNames = ordered.Select(NameOf).Distinct().ToList();
            var unitRoles = roleOf.GroupBy(r => NameOf(r.Key)).ToDictionary(g => g.Key, g => g.Any(r => r.Value == "lead") ? "lead" : "co");
            var values = new Dictionary<string, string?>();
            var itemData = data.GetValueOrDefault(item.Id);
            var form = forms.GetValueOrDefault(item.DefinitionRecordId);
            var mine = readable.GetValueOrDefault(item.Id);
            foreach (var key in fields)
                values[key] = mine?.IsVisible(key) == true ? Display(itemData?[key], form?.Fields.GetValueOrDefault(key), org) : null;
            var source = form?.Source is { } sourceField && mine?.IsVisible(sourceField.Key) == true ? Display(itemData?[sourceField.Key], sourceField, org) : null;
            return new LedgerRow(item.Id, item.Number, item.Title, item.DefinitionId, item.DefinitionName, StatusOf(item.Status, item.Incident),
                item.Result, item.Incident, item.InitiatorName, item.InitiatorUnitId is { } iu ? org.FindUnit(iu)?.Name : null,
                unitNames, unitRoles, current, item.CreatedAt, item.UpdatedAt, item.FinishedAt, dueAt, light, values)
            { Provisional = lights.IsProvisional(dueAt, item.InitiatorUnitId), Source = source, ArchivedAt = item.ArchivedAt };
        }).ToList();
    }

    public static LedgerStatus StatusOf(WorkflowStatus status, string? incident) => status switch
    {
        WorkflowStatus.Completed => LedgerStatus.Completed,
        WorkflowStatus.Cancelled => LedgerStatus.Cancelled,
        WorkflowStatus.Faulted => LedgerStatus.Faulted,
        _ when incident is not null => LedgerStatus.Faulted,
        _ => LedgerStatus.Open,
    };

    private static string? Holder(string? userId, string? unitId, string? role, IOrganization org) =>
        userId is not null ? org.FindUser(userId)?.DisplayName ?? userId
        : unitId is not null ? org.FindUnit(unitId)?.Name ?? unitId
        : role;

    private static string? Holders(IEnumerable<string?> holders)
    {
        var list = holders.Where(h => h is not null).Distinct().ToList();
        return list.Count == 0 ? null : string.Join("、", list);
    }

    /// <summary>The form data of each item (the <c>data</c> part of its state), read a batch at a time.</summary>
    private async Task<Dictionary<Guid, JsonObject>> DataAsync(List<Guid> ids, CancellationToken ct)
    {
        var states = await db.Instances.AsNoTracking().Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.StateJson }).ToListAsync(ct);
        var result = new Dictionary<Guid, JsonObject>();
        foreach (var state in states)
        {
            using var document = JsonDocument.Parse(state.StateJson);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object)
                result[state.Id] = JsonNode.Parse(d.GetRawText())!.AsObject();
        }
        return result;
    }

    private sealed record VersionFields(WorkflowDefinition Definition, Dictionary<string, FormField> Fields, FormField? Source);

    /// <summary>The form fields of each definition version, by key (the first form that has the key wins), and its source field.</summary>
    private async Task<Dictionary<Guid, VersionFields>> FieldsByDefinitionAsync(List<Guid> recordIds, CancellationToken ct)
    {
        // A handful of versions per page; parsing is cached by DefinitionCache.
        var result = new Dictionary<Guid, VersionFields>();
        foreach (var record in await db.Definitions.AsNoTracking().Where(d => recordIds.Contains(d.Id)).ToListAsync(ct))
        {
            var definition = definitions.Get(record);
            result[record.Id] = new(definition, FieldsOf(definition), ItemSource.Field(definition));
        }
        return result;
    }

    public static Dictionary<string, FormField> FieldsOf(WorkflowDefinition definition)
    {
        var fields = new Dictionary<string, FormField>(StringComparer.Ordinal);
        foreach (var form in definition.Forms)
            foreach (var field in form.Fields)
                fields.TryAdd(field.Key, field);
        return fields;
    }

    /// <summary>A form value as a person reads it: option labels, unit and person names, a date range as "a 至 b".</summary>
    public static string? Display(JsonNode? value, FormField? field, IOrganization org)
    {
        if (value is null) return null;
        if (value is JsonArray array)
        {
            if (field?.Type == FieldTypes.DateRange && array.Count == 2)
                return $"{Display(array[0], null, org)} 至 {Display(array[1], null, org)}";
            var parts = array.Select(v => Display(v, field, org)).Where(p => !string.IsNullOrEmpty(p)).ToList();
            return parts.Count == 0 ? null : string.Join("、", parts);
        }
        if (value is JsonObject obj)
        {
            // Opinions and attachments are objects; show their text or name, else nothing rather than raw JSON.
            foreach (var name in new[] { "text", "name", "label", "value" })
                if (obj[name] is JsonValue inner) return Scalar(inner);
            return null;
        }
        var text = Scalar((JsonValue)value);
        if (text is null || field is null) return text;
        if (field.Options is { Count: > 0 } options && options.FirstOrDefault(o => o.Value == text) is { } option) return option.Label;
        return field.Type switch
        {
            FieldTypes.Unit => org.FindUnit(text)?.Name ?? text,
            FieldTypes.Person => org.FindUser(text)?.DisplayName ?? text,
            _ => text,
        };
    }

    private static string? Scalar(JsonValue value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        JsonValueKind.True => "是",
        JsonValueKind.False => "否",
        _ => null,
    } is { } s ? s.Length > 1000 ? s[..1000] + "…" : s : null;
}
