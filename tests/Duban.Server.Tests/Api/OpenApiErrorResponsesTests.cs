using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Duban.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Api;

/// <summary>
/// The live OpenAPI document declares, for every operation, the problem responses it can give (the web app's types are
/// generated from it): 400 with field errors where it takes input or writes, 401 and 403 where it needs a signed-in user,
/// 404 where the route names something or it writes, 409 where it writes. Whether an endpoint needs a user is read from
/// the endpoints themselves, not from the document.
/// </summary>
public sealed partial class OpenApiErrorResponsesTests(SqliteFixture fixture) : IClassFixture<SqliteFixture>
{
    private static readonly HashSet<string> Writes = ["post", "put", "patch", "delete"];

    [Fact]
    public async Task Every_operation_declares_its_problem_responses()
    {
        var document = (await fixture.Anonymous().GetFromJsonAsync<JsonObject>("/api/openapi/v1.json"))!;
        var endpoints = EndpointsByOperation();
        var missing = new List<string>();
        var operations = 0;

        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method == "parameters") continue;
                operations++;
                var operation = node!.AsObject();
                var name = $"{method.ToUpperInvariant()} {path}";
                Assert.True(endpoints.TryGetValue(name, out var endpoint), $"{name} is in the document but no endpoint matches it");

                var parameters = operation["parameters"]?.AsArray().Select(p => p!["in"]!.GetValue<string>()).ToList() ?? [];
                var writes = Writes.Contains(method);
                var needsUser = endpoint.Metadata.GetMetadata<IAuthorizeData>() is not null && endpoint.Metadata.GetMetadata<IAllowAnonymous>() is null;
                var expected = new List<string>();
                if (writes || operation["requestBody"] is not null || parameters.Contains("query")) expected.Add("400");
                if (needsUser) expected.AddRange(["401", "403"]);
                if (writes || parameters.Contains("path")) expected.Add("404");
                if (writes) expected.Add("409");

                var responses = operation["responses"]?.AsObject();
                foreach (var status in expected)
                {
                    var schema = responses?[status]?["content"]?["application/problem+json"]?["schema"]?["$ref"]?.GetValue<string>();
                    if (schema is not ("#/components/schemas/ProblemDetails" or "#/components/schemas/HttpValidationProblemDetails"))
                        missing.Add($"{name}: {status}");
                }
            }
        }

        Assert.True(operations > 50, $"only {operations} operations in the document");
        Assert.True(missing.Count == 0, "operations without their problem responses:\n" + string.Join("\n", missing));
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.NotNull(schemas["HttpValidationProblemDetails"]!["properties"]!["errors"]);
        Assert.NotNull(schemas["ProblemDetails"]!["properties"]!["detail"]);
    }

    [Fact]
    public async Task A_signed_out_request_gets_the_401_the_document_declares()
    {
        var document = (await fixture.Anonymous().GetFromJsonAsync<JsonObject>("/api/openapi/v1.json"))!;
        Assert.NotNull(document["paths"]!["/api/tasks"]!["get"]!["responses"]!["401"]);
        var response = await fixture.Anonymous().GetAsync("/api/tasks");
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>The app's endpoints keyed as the document names operations: "GET /api/instances/{id}".</summary>
    private Dictionary<string, Endpoint> EndpointsByOperation()
    {
        var result = new Dictionary<string, Endpoint>();
        foreach (var endpoint in fixture.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [];
            var path = "/" + RouteConstraint().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'), "{$1}");
            foreach (var method in methods) result.TryAdd($"{method} {path}", endpoint);
            if (path.EndsWith('/')) foreach (var method in methods) result.TryAdd($"{method} {path.TrimEnd('/')}", endpoint);
        }
        return result;
    }

    [GeneratedRegex(@"\{\*{0,2}(\w+)(:[^}]*)?\}")]
    private static partial Regex RouteConstraint();
}
