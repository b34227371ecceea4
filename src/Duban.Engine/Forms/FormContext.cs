using System.Text.Json.Nodes;

namespace Duban.Engine.Forms;

/// <summary>What <see cref="FormValidator"/> needs to know about the step and the item a submission belongs to.</summary>
public sealed record FormContext
{
    /// <summary>Permissions of the step, by field key. Fields not listed get <see cref="DefaultPermission"/>.</summary>
    public IReadOnlyDictionary<string, FieldPermission> Permissions { get; init; } = new Dictionary<string, FieldPermission>();

    public FieldPermission DefaultPermission { get; init; } = FieldPermission.Editable;

    /// <summary>The item's data so far. Never modified.</summary>
    public JsonObject CurrentData { get; init; } = new();

    /// <summary>
    /// Evaluates a field's script <see cref="FormField.VisibleWhen"/> against the current data overlaid with the
    /// submission. Called only for fields with a script and no built condition (<see cref="FormField.VisibleIf"/>, which
    /// the validator evaluates itself); null means fields with a script condition are visible.
    /// </summary>
    public Func<FormField, JsonObject, bool>? IsVisible { get; init; }

    /// <summary>Checks unit and person ids; null means ids are not checked.</summary>
    public IFormReferences? References { get; init; }

    public FieldPermission PermissionOf(string key) =>
        Permissions.TryGetValue(key, out var permission) ? permission : DefaultPermission;
}

/// <summary>Lookups for the ids a unit or person field refers to.</summary>
public interface IFormReferences
{
    bool UnitExists(string id);
    bool UserExists(string id);
}
