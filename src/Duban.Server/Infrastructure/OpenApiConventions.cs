using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Duban.Server.Infrastructure;

/// <summary>What the OpenAPI document says beyond what the endpoints declare; the web app's types are generated from it.</summary>
internal static class OpenApiConventions
{
    /// <summary>The document extension that carries the built-in activity types (the designer's palette and panel offline).</summary>
    public const string ActivitiesExtension = "x-duban-activities";

    public static OpenApiOptions AddDubanConventions(this OpenApiOptions options) => options
        .AddOperationTransformer<ErrorResponses>()
        .AddSchemaTransformer(JsonSchemas)
        .AddDocumentTransformer(BuiltInActivities);

    /// <summary>
    /// Numbers are numbers; and JSON kept as JSON (form data, definitions' inputs): a <see cref="JsonObject"/> is an object with any properties (not
    /// an object with none), a <see cref="JsonNode"/> any JSON value.
    /// </summary>
    private static Task JsonSchemas(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        // The web defaults read numbers from strings too, so numbers are declared "integer or string with a pattern"; the
        // server writes numbers, and clients send them: declare what is sent.
        if (schema.Type is { } declared && (declared & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (declared & JsonSchemaType.String) != 0)
        {
            schema.Type = declared & ~JsonSchemaType.String;
            schema.Pattern = null;
        }
        // A deadline's light travels as a string in every list (tasks, items, ledger, breakdown): say which three.
        if (context.JsonPropertyInfo?.Name == "light" && schema.Type is { } text && (text & JsonSchemaType.String) != 0)
            schema.Enum = [JsonValue.Create("green"), JsonValue.Create("yellow"), JsonValue.Create("red")];
        var type = context.JsonTypeInfo.Type;
        // A request body (…Request) binds a left-out nullable property as null: it may be left out.
        if (type.Name.EndsWith("Request", StringComparison.Ordinal) && schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var (name, property) in properties)
                if (IsNullable(property)) required.Remove(name);
        }
        if (type == typeof(JsonObject))
        {
            schema.Type = JsonSchemaType.Object;
            schema.Properties = null;
            schema.AdditionalPropertiesAllowed = true;
            schema.AdditionalProperties = new OpenApiSchema();
            schema.Description ??= "任意 JSON 对象";
        }
        else if (type == typeof(JsonNode) || type == typeof(JsonArray))
        {
            schema.Description ??= type == typeof(JsonArray) ? "JSON 数组" : "任意 JSON 值";
        }
        return Task.CompletedTask;
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } t && (t & JsonSchemaType.Null) != 0)
        || (schema.OneOf ?? []).Concat(schema.AnyOf ?? []).Any(s => s.Type is { } u && (u & JsonSchemaType.Null) != 0);

    /// <summary>
    /// The built-in activity descriptors (GET /api/activities), so the web app has them without a request — the item
    /// page's flowchart, and a copy generated with the types (designer/src/api/activities.json) that tests render from.
    /// </summary>
    private static Task BuiltInActivities(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        var json = context.ApplicationServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var descriptors = context.ApplicationServices.GetRequiredService<ActivityRegistry>().All.Select(h => h.Descriptor).OrderBy(d => d.Category, StringComparer.Ordinal).ThenBy(d => d.Type, StringComparer.Ordinal);
        document.Extensions ??= new Dictionary<string, IOpenApiExtension>();
        document.Extensions[ActivitiesExtension] = new JsonNodeExtension(JsonSerializer.SerializeToNode(descriptors.ToList(), json)!);
        return Task.CompletedTask;
    }
}
