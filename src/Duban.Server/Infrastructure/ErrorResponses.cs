using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Declares in the OpenAPI document the error responses an operation can give, as problem details (RFC 7807), so the web
/// app's generated types know them. One rule for every endpoint, in the order <see cref="ProblemMapping"/> answers them:
/// <list type="bullet">
/// <item>400 (validation problem with per-field <c>errors</c>): the operation takes a body or query values, or it writes
/// (a write's handler refuses bad input with <c>WorkflowInputException</c>);</item>
/// <item>401 and 403: the endpoint needs a signed-in user (roles and per-item rights answer 403);</item>
/// <item>404: the route names something (a path parameter) or the operation writes (what the body names may be gone);</item>
/// <item>409: the operation writes (a newer change, a task already done, a duplicate).</item>
/// </list>
/// A response an endpoint already declares (e.g. <c>ProducesProblem(404)</c>) is kept as it is.
/// </summary>
internal sealed class ErrorResponses : IOpenApiOperationTransformer
{
    public const string ProblemSchema = nameof(ProblemDetails);
    public const string ValidationProblemSchema = nameof(HttpValidationProblemDetails);

    private static readonly HashSet<string> Writes = ["POST", "PUT", "PATCH", "DELETE"];

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var writes = Writes.Contains(description.HttpMethod ?? "GET");
        var needsUser = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var hasPath = description.ParameterDescriptions.Any(p => p.Source.Id == "Path");
        var hasInput = operation.RequestBody is not null || description.ParameterDescriptions.Any(p => p.Source.Id is "Query" or "Body" or "Form");

        var statuses = new List<int>();
        if (hasInput || writes) statuses.Add(StatusCodes.Status400BadRequest);
        if (needsUser) statuses.AddRange([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        if (hasPath || writes) statuses.Add(StatusCodes.Status404NotFound);
        if (writes) statuses.Add(StatusCodes.Status409Conflict);
        if (statuses.Count == 0) return;

        var document = context.Document!;
        await EnsureSchemaAsync(document, context, ProblemSchema, typeof(ProblemDetails), cancellationToken);
        await EnsureSchemaAsync(document, context, ValidationProblemSchema, typeof(HttpValidationProblemDetails), cancellationToken);

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses.ContainsKey(key)) continue;
            var schema = status == StatusCodes.Status400BadRequest ? ValidationProblemSchema : ProblemSchema;
            operation.Responses[key] = new OpenApiResponse
            {
                Description = Describe(status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, document) },
                },
            };
        }
    }

    private static async Task EnsureSchemaAsync(OpenApiDocument document, OpenApiOperationTransformerContext context, string name, Type type, CancellationToken ct)
    {
        if (document.Components?.Schemas?.ContainsKey(name) == true) return;
        var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
        document.AddComponent(name, schema);
    }

    private static string Describe(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "请求有误：errors 按字段列出原因",
        StatusCodes.Status401Unauthorized => "未登录或登录已失效",
        StatusCodes.Status403Forbidden => "没有权限",
        StatusCodes.Status404NotFound => "所指对象不存在",
        StatusCodes.Status409Conflict => "冲突：数据已被他人修改，或当前状态不允许此操作",
        _ => "错误",
    };
}
