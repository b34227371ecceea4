using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Instances;
using Duban.Data.Organization;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Instances;

/// <summary>
/// Which of an item's fields a user may see outside a task of their own (the item page, someone else's task).
/// 督查员, 领导 and 管理员 oversee every item and see every field. Anyone else sees a field when at least one step they
/// take part in shows it (any permission but hidden): the start step if they registered the item, and every step
/// whose task was theirs, was done by them, or was offered to their unit or one of their roles. A 阅知 notice shows
/// what the start form shows. Values of other fields are never sent to them. See docs/decisions (item field visibility).
/// </summary>
internal sealed class ItemFields
{
    private readonly HashSet<string>? _visible;

    private ItemFields(FormDefinition? form, HashSet<string>? visible)
    {
        Form = form;
        _visible = visible;
    }

    /// <summary>The form the item page shows: the start form, else the procedure's first form.</summary>
    public FormDefinition? Form { get; }

    public bool SeesAll => _visible is null;

    public bool IsVisible(string key) => _visible is null || _visible.Contains(key);

    /// <summary>The data with only the visible fields (a copy).</summary>
    public JsonObject Filter(JsonObject data)
    {
        var result = new JsonObject();
        foreach (var (key, value) in data)
            if (IsVisible(key)) result[key] = value?.DeepClone();
        return result;
    }

    /// <summary>For each field of <see cref="Form"/>: read-only when visible, else hidden.</summary>
    public Dictionary<string, FieldPermission> Permissions()
    {
        var permissions = new Dictionary<string, FieldPermission>(StringComparer.Ordinal);
        foreach (var field in Form?.Fields ?? [])
            permissions[field.Key] = IsVisible(field.Key) ? FieldPermission.ReadOnly : FieldPermission.Hidden;
        return permissions;
    }

    public static async Task<ItemFields> ForAsync(DubanDbContext db, CurrentUser user, InstanceRecord instance, WorkflowDefinition definition, CancellationToken ct)
    {
        var start = definition.Root.Activities.FirstOrDefault(a => a.Type == ActivityTypes.Start);
        var startForm = definition.FindForm(start?.LiteralString("form"));
        var form = startForm ?? definition.Forms.FirstOrDefault();
        if (user.SeesAllItems) return new ItemFields(form, null);

        var visible = new HashSet<string>(StringComparer.Ordinal);
        void Grant(FormDefinition? stepForm, IReadOnlyDictionary<string, FieldPermission> permissions)
        {
            foreach (var field in stepForm?.Fields ?? [])
                if (!permissions.TryGetValue(field.Key, out var p) || p != FieldPermission.Hidden) visible.Add(field.Key);
        }

        if (instance.InitiatorId == user.Id && start is not null)
            Grant(startForm, UserTaskActivity.Permissions(start));

        var userId = user.Id;
        var unitId = user.UnitId;
        var roles = user.Roles.ToList();
        var steps = db.Tasks.Where(t => t.InstanceId == instance.Id && (
                t.AssigneeUserId == userId || t.CompletedById == userId
                || (unitId != null && t.CandidateUnitId == unitId)
                || (t.CandidateRole != null && roles.Contains(t.CandidateRole))))
            .Select(t => new { t.Kind, t.FormId, t.PermissionsJson })
            .Distinct()
            .AsAsyncEnumerable();
        await foreach (var step in steps.WithCancellation(ct))
        {
            if (step.Kind == TaskKind.Notice)
            {
                if (start is not null) Grant(startForm, UserTaskActivity.Permissions(start));
                continue;
            }
            var permissions = JsonSerializer.Deserialize<Dictionary<string, FieldPermission>>(step.PermissionsJson, DefinitionJson.Options) ?? new();
            Grant(definition.FindForm(step.FormId), permissions);
        }
        return new ItemFields(form, visible);
    }
}
