using System.Text.Json.Nodes;
using Duban.Engine.Forms;

namespace Duban.Data.Organization;

/// <summary>
/// The form fields of one item a viewer may read (decided by <see cref="ItemAccess"/>): every field for the office,
/// leaders and administrators, else the fields the steps he may see the item through show him.
/// </summary>
public sealed class VisibleFields
{
    private readonly HashSet<string>? _visible;

    internal VisibleFields(FormDefinition? form, HashSet<string>? visible)
    {
        Form = form;
        _visible = visible;
    }

    /// <summary>Every field: the supervision office, leaders and administrators.</summary>
    public static VisibleFields All(FormDefinition? form) => new(form, null);

    /// <summary>No field at all (a step with no form of the item's: a chase notice, an extension to decide).</summary>
    public static VisibleFields None(FormDefinition? form) => new(form, []);

    /// <summary>The form the item page shows: the start form, else the procedure's first form.</summary>
    public FormDefinition? Form { get; }

    public bool SeesAll => _visible is null;

    public bool IsVisible(string key) => _visible is null || _visible.Contains(key);

    /// <summary>The keys visible, or null for every key.</summary>
    public IReadOnlySet<string>? Keys => _visible;

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
}
