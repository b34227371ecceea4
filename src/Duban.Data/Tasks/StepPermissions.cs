using System.Text.Json;
using Duban.Engine.Definitions;
using Duban.Engine.Forms;

namespace Duban.Data.Tasks;

/// <summary>
/// A task's field permissions (<see cref="TaskRecord.PermissionsJson"/>). A step's task is given its permissions from the
/// step's input in the item's procedure version (<c>fieldPermissions</c>, or <c>coFieldPermissions</c> for a 协办 unit), so
/// when a closed item is compacted (docs/decisions/042, addendum "closed items smaller") a task whose permissions are exactly
/// that input keeps only a reference to it — <c>@fieldPermissions</c> — instead of the ~200 bytes of JSON. Every reader
/// goes through <see cref="Of(WorkflowDefinition, TaskRecord)"/>, which reads either form the same; a task whose permissions differ from its step's input
/// keeps its JSON.
/// </summary>
public static class StepPermissions
{
    private const string Reference = "@";
    private static readonly string[] Inputs = ["fieldPermissions", "coFieldPermissions"];

    /// <summary>The permissions of a task of <paramref name="activityId"/> in <paramref name="definition"/> (the item's version).</summary>
    public static Dictionary<string, FieldPermission> Of(WorkflowDefinition definition, string activityId, string permissionsJson)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(permissionsJson);
        if (permissionsJson.StartsWith(Reference, StringComparison.Ordinal))
            return definition.Root.Find(activityId)?.Literal<Dictionary<string, FieldPermission>>(permissionsJson[Reference.Length..])
                ?? throw new InvalidOperationException($"「{activityId}」的字段权限 {permissionsJson} 在流程版本中不存在");
        return JsonSerializer.Deserialize<Dictionary<string, FieldPermission>>(permissionsJson, DefinitionJson.Options) ?? new();
    }

    /// <inheritdoc cref="Of(WorkflowDefinition, string, string)"/>
    public static Dictionary<string, FieldPermission> Of(WorkflowDefinition definition, TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Of(definition, task.ActivityId, task.PermissionsJson);
    }

    /// <summary>
    /// The compact form of <paramref name="task"/>'s permissions: a reference to its step's input when the JSON is exactly what
    /// that input gives (as the task was written), else null (kept as it is).
    /// </summary>
    public static string? Compact(WorkflowDefinition definition, TaskRecord task)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(task);
        if (task.PermissionsJson.Length <= 2 || task.PermissionsJson.StartsWith(Reference, StringComparison.Ordinal)) return null;
        if (definition.Root.Find(task.ActivityId) is not { } node) return null;
        foreach (var input in Inputs)
            if (node.Literal<Dictionary<string, FieldPermission>>(input) is { } permissions
                && JsonSerializer.Serialize(permissions, DefinitionJson.Options) == task.PermissionsJson)
                return Reference + input;
        return null;
    }
}
