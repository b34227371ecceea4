using System.Text.Json.Nodes;

namespace Duban.Engine.Forms;

/// <summary>Fills in computed fields.</summary>
public static class FormComputer
{
    /// <summary>
    /// Returns new data with each computed field set to <c>evaluate(field.Compute, data)</c>, in the form's field order:
    /// a computed field sees the values of the computed fields before it. <paramref name="evaluate"/> receives the
    /// working copy and must not modify it; its exceptions propagate. <paramref name="data"/> is not modified.
    /// </summary>
    public static JsonObject ApplyComputed(FormDefinition form, JsonObject data, Func<string, JsonObject, JsonNode?> evaluate)
    {
        var result = (JsonObject)data.DeepClone();
        foreach (var field in form.Fields)
        {
            if (field.Type != FieldTypes.Computed || string.IsNullOrWhiteSpace(field.Compute))
                continue;
            result[field.Key] = evaluate(field.Compute, result)?.DeepClone();
        }
        return result;
    }
}
