using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Assignments;
using Duban.Data.Definitions;
using Duban.Data.Instances;
using Duban.Data.Tasks;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization;

/// <summary>
/// What a viewer may see of an item inside one organization — the one rule every read path asks (docs/decisions/034):
/// <list type="bullet">
/// <item>the item itself: <see cref="ItemVisibility"/> (decision 005);</item>
/// <item>its form fields: the office (督查员), leaders and administrators read every field; anyone else a field that at
/// least one step he may see the item through shows him (any permission but hidden) — the start step when he registered
/// the item, every flow step whose task was his, was done by him, or was offered to his unit or one of his roles, and
/// for a 阅知 step what the start step shows. Tasks outside the flow (a chase record, a chase notice or 到期提醒, a
/// written reply, an extension to decide) are no step of the procedure: they show no field;</item>
/// <item>the timeline: lines about no unit (the flow, the office's and leaders' steps), lines about his own unit, and — for
/// the 主办 of a 交办 step — its 协办 units' task lines in that step; other units' chases, replies, extensions and
/// inputs are not his; field values a line carries (opinions sent back, a delegate's values) only where he sees the field;</item>
/// <item>attachments: the uploader's own; else a file the item's data, rounds or the 交办 inputs he may read carry in a
/// field he sees.</item>
/// </list>
/// Organizations as tenants (issue 17) add their condition in <see cref="ItemVisibility.Visible"/>; confidential items
/// narrow it there too.
/// </summary>
public static class ItemAccess
{
    /// <summary>An item whose fields are asked for, with its procedure version.</summary>
    public sealed record ItemOf(Guid Id, string? InitiatorId, WorkflowDefinition Definition);

    /// <summary>The items <paramref name="user"/> may see.</summary>
    public static IQueryable<InstanceRecord> Items(DubanDbContext db, CurrentUser user) => ItemVisibility.Visible(db, user);

    /// <summary>The form the item page shows: the start form, else the procedure's first form.</summary>
    public static FormDefinition? ItemForm(WorkflowDefinition definition) =>
        definition.FindForm(StartOf(definition)?.LiteralString("form")) ?? definition.Forms.FirstOrDefault();

    private static ActivityNode? StartOf(WorkflowDefinition definition) =>
        definition.Root.Activities.FirstOrDefault(a => a.Type == ActivityTypes.Start);

    /// <summary>The fields of one item <paramref name="user"/> may read (he may see the item: the caller checked).</summary>
    public static async Task<VisibleFields> FieldsAsync(DubanDbContext db, CurrentUser user, InstanceRecord instance, WorkflowDefinition definition,
        CancellationToken ct) =>
        (await FieldsAsync(db, user, [new ItemOf(instance.Id, instance.InitiatorId, definition)], ct))[instance.Id];

    /// <summary>The fields of each item <paramref name="user"/> may read, in one round trip (a ledger page, an export slice).</summary>
    public static async Task<Dictionary<Guid, VisibleFields>> FieldsAsync(DubanDbContext db, CurrentUser user, IReadOnlyCollection<ItemOf> items,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var result = new Dictionary<Guid, VisibleFields>();
        if (user.SeesAllItems)
        {
            foreach (var item in items) result[item.Id] = VisibleFields.All(ItemForm(item.Definition));
            return result;
        }
        var ids = items.Select(i => i.Id).Distinct().ToList();
        var userId = user.Id;
        var unitId = user.UnitId;
        var roles = user.Roles.ToList();
        var steps = (await db.Tasks.AsNoTracking().Where(t => ids.Contains(t.InstanceId) && (
                    t.AssigneeUserId == userId || t.CompletedById == userId
                    || (unitId != null && t.CandidateUnitId == unitId)
                    || (t.CandidateRole != null && roles.Contains(t.CandidateRole))))
                .Select(t => new { t.InstanceId, t.ActivityId, t.Kind, t.FormId, t.PermissionsJson })
                .Distinct()
                .ToListAsync(ct))
            .ToList();
        if (!user.StandsInFor.IsEmpty)
            // A deputy reads what the steps waiting for the people he stands in for show (decision 031).
            steps.AddRange(await user.StandsInFor.OpenTasks(db.Tasks.AsNoTracking()).Where(t => ids.Contains(t.InstanceId))
                .Select(t => new { t.InstanceId, t.ActivityId, t.Kind, t.FormId, t.PermissionsJson })
                .Distinct()
                .ToListAsync(ct));
        var stepsOf = steps.ToLookup(s => s.InstanceId);
        foreach (var item in items)
        {
            var visible = new HashSet<string>(StringComparer.Ordinal);
            if (item.InitiatorId == userId && StartView(item.Definition) is { } start) Grant(visible, start);
            foreach (var step in stepsOf[item.Id])
                if (StepView(item.Definition, step.ActivityId, step.Kind, step.FormId, step.PermissionsJson) is { } view) Grant(visible, view);
            result[item.Id] = new VisibleFields(ItemForm(item.Definition), visible);
        }
        return result;
    }

    /// <summary>
    /// The form fields <paramref name="user"/> may read on at least one item he may see, by procedure (definition id): the
    /// rule of <see cref="FieldsAsync(DubanDbContext, CurrentUser, IReadOnlyCollection{ItemOf}, CancellationToken)"/> taken
    /// over all his items — what a list may offer him as columns and field filters, so that even the labels of the office's
    /// 拟办 or the leader's 审定 are not shown to a unit that never sees them. Null: he reads every field (the office,
    /// leaders, administrators).
    /// </summary>
    public static async Task<Dictionary<string, HashSet<string>>?> ReadableFieldsByProcedureAsync(DubanDbContext db, DefinitionCache definitions,
        CurrentUser user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(definitions);
        if (user.SeesAllItems) return null;
        var items = Items(db, user);
        var userId = user.Id;
        var unitId = user.UnitId;
        var roles = user.Roles.ToList();
        var mine = db.Tasks.AsNoTracking().Where(t => t.AssigneeUserId == userId || t.CompletedById == userId
            || (unitId != null && t.CandidateUnitId == unitId)
            || (t.CandidateRole != null && roles.Contains(t.CandidateRole)));
        // The distinct steps, not the tasks: a handful of rows however many items he has.
        var steps = await (from t in mine
                           join i in items on t.InstanceId equals i.Id
                           select new { i.DefinitionRecordId, t.ActivityId, t.Kind, t.FormId, t.PermissionsJson })
            .Distinct().ToListAsync(ct);
        if (!user.StandsInFor.IsEmpty)
            steps.AddRange(await (from t in user.StandsInFor.OpenTasks(db.Tasks.AsNoTracking())
                                  join i in items on t.InstanceId equals i.Id
                                  select new { i.DefinitionRecordId, t.ActivityId, t.Kind, t.FormId, t.PermissionsJson })
                .Distinct().ToListAsync(ct));
        var started = await items.Where(i => i.InitiatorId == userId).Select(i => i.DefinitionRecordId).Distinct().ToListAsync(ct);
        var versionIds = steps.Select(s => s.DefinitionRecordId).Concat(started).Distinct().ToList();
        var versions = (await db.Definitions.AsNoTracking().Where(d => versionIds.Contains(d.Id)).ToListAsync(ct))
            .ToDictionary(d => d.Id, d => (d.DefinitionId, Definition: definitions.Get(d)));
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        HashSet<string> Of(string definitionId) =>
            result.TryGetValue(definitionId, out var set) ? set : result[definitionId] = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in started)
            if (versions.TryGetValue(id, out var version) && StartView(version.Definition) is { } start) Grant(Of(version.DefinitionId), start);
        foreach (var step in steps)
            if (versions.TryGetValue(step.DefinitionRecordId, out var version)
                && StepView(version.Definition, step.ActivityId, step.Kind, step.FormId, step.PermissionsJson) is { } view)
                Grant(Of(version.DefinitionId), view);
        return result;
    }

    private static void Grant(HashSet<string> visible, StepForm view)
    {
        foreach (var field in view.Form.Fields)
            if (!view.Permissions.TryGetValue(field.Key, out var p) || p != FieldPermission.Hidden) visible.Add(field.Key);
    }

    private sealed record StepForm(FormDefinition Form, IReadOnlyDictionary<string, FieldPermission> Permissions);

    private static StepForm? StartView(WorkflowDefinition definition)
    {
        var start = StartOf(definition);
        return start is not null && definition.FindForm(start.LiteralString("form")) is { } form
            ? new StepForm(form, UserTaskActivity.Permissions(start))
            : null;
    }

    /// <summary>
    /// What one task's step shows of the item's form: its form with its permissions; a 阅知 step what the start step shows;
    /// nothing for a task outside the flow (its activity is no step of the procedure: chase, chase notice, reply, extension).
    /// </summary>
    private static StepForm? StepView(WorkflowDefinition definition, string activityId, TaskKind kind, string? formId, string permissionsJson)
    {
        if (definition.Root.Find(activityId) is null) return null;
        if (kind == TaskKind.Notice) return StartView(definition);
        if (definition.FindForm(formId) is not { } form) return null;
        return new StepForm(form, StepPermissions.Of(definition, activityId, permissionsJson));
    }

    /// <summary>
    /// The item's data as <paramref name="task"/>'s own step may see it: the fields of its form it does not hide; for a
    /// 阅知 what the start step shows; nothing for a task outside the flow.
    /// </summary>
    public static JsonObject StepData(WorkflowDefinition definition, TaskRecord task, JsonObject data)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(data);
        var visible = new JsonObject();
        if (StepView(definition, task.ActivityId, task.Kind, task.FormId, task.PermissionsJson) is not { } view) return visible;
        foreach (var (key, value) in data)
        {
            if (view.Permissions.TryGetValue(key, out var permission) && permission == FieldPermission.Hidden) continue;
            if (view.Form.Fields.All(f => f.Key != key)) continue;
            visible[key] = value?.DeepClone();
        }
        return visible;
    }

    /// <summary>
    /// The item's timeline as <paramref name="user"/> may read it, in order: see the class summary. <paramref name="fields"/>
    /// are his fields of the item (<see cref="FieldsAsync(DubanDbContext, CurrentUser, InstanceRecord, WorkflowDefinition, CancellationToken)"/>).
    /// </summary>
    public static async Task<List<JournalEntryRecord>> TimelineAsync(DubanDbContext db, CurrentUser user, Guid instanceId, VisibleFields fields,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(fields);
        var lines = await ItemJournal.OfItemAsync(db, instanceId, ct);
        if (user.SeesAllItems) return lines;
        var taskUnits = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId && t.CandidateUnitId != null)
            .Select(t => new { t.Id, t.CandidateUnitId }).ToDictionaryAsync(t => t.Id, t => t.CandidateUnitId!, ct);
        var assignments = await db.Set<AssignmentRecord>().AsNoTracking().Where(a => a.InstanceId == instanceId)
            .Select(a => new { a.TaskId, a.ExecutionId, a.UnitId, a.Role }).ToListAsync(ct);
        var byTask = assignments.ToDictionary(a => a.TaskId);
        var ledSteps = assignments.Where(a => a.Role == AssignActivity.Lead && user.UnitId is not null && a.UnitId == user.UnitId)
            .Select(a => a.ExecutionId).ToHashSet(StringComparer.Ordinal);

        var result = new List<JournalEntryRecord>(lines.Count);
        foreach (var line in lines)
        {
            var data = line.DataJson is null ? null : JsonNode.Parse(line.DataJson) as JsonObject;
            var unit = data?["unitId"] is JsonValue u && u.GetValueKind() == JsonValueKind.String ? u.GetValue<string>()
                : line.TaskId is { } t ? byTask.TryGetValue(t, out var a) ? a.UnitId : taskUnits.GetValueOrDefault(t)
                : null;
            var own = unit is null || unit == user.UnitId;
            // The 主办 consolidates its 协办 units' input (decision 032): the lines of their tasks in the step it leads.
            var coInput = !own && line.TaskId is { } task && byTask.TryGetValue(task, out var entry)
                && entry.Role == AssignActivity.Co && entry.UnitId == unit && ledSteps.Contains(entry.ExecutionId);
            if (!own && !coInput) continue;
            if (data is not null && Trim(data, fields))
                line.DataJson = data.ToJsonString();
            result.Add(line);
        }
        return result;
    }

    /// <summary>Field values a journal line carries, under the keys of the item's form: only those the viewer sees. True when trimmed.</summary>
    private static bool Trim(JsonObject data, VisibleFields fields)
    {
        var trimmed = false;
        foreach (var name in new[] { "opinions", "values" })
        {
            if (data[name] is not JsonObject values) continue;
            foreach (var key in values.Select(p => p.Key).ToList())
                if (!fields.IsVisible(key))
                {
                    values.Remove(key);
                    trimmed = true;
                }
        }
        return trimmed;
    }

    /// <summary>
    /// May <paramref name="user"/> read the file <paramref name="fileId"/> tied to <paramref name="instance"/>? He may see the item
    /// (the caller checked), and the office, leaders and administrators read every file of it; anyone else a file carried in a
    /// field he sees: in the item's data, a round of a step, his own unit's 交办 input, or — as 主办 — its 协办 units'.
    /// </summary>
    public static async Task<bool> MayReadFileAsync(DubanDbContext db, CurrentUser user, InstanceRecord instance, WorkflowDefinition definition,
        string fileId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(instance);
        if (user.SeesAllItems) return true;
        var fields = await FieldsAsync(db, user, instance, definition, ct);
        var state = JsonSerializer.Deserialize<WorkflowState>(instance.StateJson, DefinitionJson.Options)!;
        if (Carries(fields.Filter(state.Data), fileId)) return true;
        if (state.Submissions.Any(s => Carries(fields.Filter(s.Values), fileId))) return true;
        if (user.UnitId is not { } unitId) return false;
        var records = await db.Set<AssignmentRecord>().AsNoTracking().Where(a => a.InstanceId == instance.Id)
            .Select(a => new { a.ExecutionId, a.UnitId, a.Role, a.InputJson }).ToListAsync(ct);
        var led = records.Where(a => a.UnitId == unitId && a.Role == AssignActivity.Lead).Select(a => a.ExecutionId).ToHashSet(StringComparer.Ordinal);
        return records.Any(a => a.InputJson is not null && (a.UnitId == unitId || (a.Role == AssignActivity.Co && led.Contains(a.ExecutionId)))
            && a.InputJson.Contains(fileId, StringComparison.OrdinalIgnoreCase));
    }

    private static bool Carries(JsonObject data, string fileId) => data.ToJsonString().Contains(fileId, StringComparison.OrdinalIgnoreCase);

    /// <summary>The procedure version an item runs on.</summary>
    public static async Task<WorkflowDefinition> DefinitionOfAsync(DubanDbContext db, DefinitionCache definitions, InstanceRecord instance, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(instance);
        if (definitions.TryGetPublished(instance.DefinitionRecordId, out var known)) return known;
        return definitions.Get(await db.Definitions.AsNoTracking().FirstAsync(d => d.Id == instance.DefinitionRecordId, ct));
    }
}
