using System.Text;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Definitions.Admin;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Writes;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Definitions.Elsa;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Duban.Server.Definitions;

/// <param name="CanStart">The signed-in user may start items of the published version (its 可发起人员, decision 029).</param>
public sealed record DefinitionSummary(string DefinitionId, string Name, string? Description, int? PublishedVersion, int LatestVersion, bool HasDraft, DateTimeOffset UpdatedAt, bool CanStart);

public sealed record DefinitionVersionDto(Guid Id, string DefinitionId, int Version, string Name, bool IsPublished, bool IsLatest, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? PublishedAt, string? UpdatedBy);

public sealed record DefinitionDocument(DefinitionVersionDto Meta, WorkflowDefinition Definition);

public sealed record ValidationReport(bool Valid, IReadOnlyList<ValidationError> Errors);

/// <summary>Procedure definitions: list, read, save draft, validate, publish, versions, export, import. Writing needs 管理员.</summary>
internal static class DefinitionEndpoints
{
    public static RouteGroupBuilder MapDefinitionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/definitions").WithTags("流程定义").RequireAuthorization();
        var admin = group.MapGroup("").RequirePermission(Permission.DesignProcedures);

        group.MapGet("/", async (HttpContext http, DefinitionStore store, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(user);
            var org = (await orgCache.GetAsync(ct)).Within(organizationId);
            var latest = await store.ListLatestAsync(organizationId, ct);
            var list = new List<DefinitionSummary>();
            foreach (var d in latest)
            {
                var published = d.IsPublished ? d : await store.PublishedAsync(organizationId, d.DefinitionId, ct);
                var canStart = published is not null && StartPermission.Allows(store.Parse(published), user, org);
                list.Add(new(d.DefinitionId, d.Name, d.Description, published?.Version, d.Version, !d.IsPublished, d.UpdatedAt, canStart));
            }
            return TypedResults.Ok(list);
        }).WithSummary("流程列表（canStart：当前用户可否发起）");

        group.MapGet("/{definitionId}", async Task<Ok<DefinitionDocument>> (string definitionId, int? version, HttpContext http, DefinitionStore store, CancellationToken ct) =>
        {
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            var record = (version is { } v ? await store.VersionAsync(organizationId, definitionId, v, ct) : await store.LatestAsync(organizationId, definitionId, ct))
                ?? throw new NotFoundException($"流程「{definitionId}」不存在");
            return TypedResults.Ok(new DefinitionDocument(ToDto(record), store.Parse(record)));
        }).WithSummary("读取流程（默认最新版本）");

        group.MapGet("/{definitionId}/versions", async (string definitionId, HttpContext http, DefinitionStore store, CancellationToken ct) =>
        {
            var versions = await store.VersionsAsync(OrganizationScope.Require(await http.GetCurrentUserAsync()), definitionId, ct);
            return versions.Count > 0 ? TypedResults.Ok(versions.Select(ToDto).ToList()) : throw new NotFoundException($"流程「{definitionId}」不存在");
        })
            .WithSummary("版本历史");

        admin.MapPut("/{definitionId}", async Task<Ok<DefinitionVersionDto>> (string definitionId, WorkflowDefinition definition, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            if (definition.DefinitionId != definitionId)
                throw new WorkflowInputException("definitionId", "流程标识与地址不一致");
            var user = await http.GetCurrentUserAsync();
            return TypedResults.Ok(ToDto(await door.RunAsync(new SaveDefinitionDraft(OrganizationScope.Require(user), definition, user.Id), ct)));
        }).WithSummary("保存草稿");

        admin.MapDeadlinePreview();

        admin.MapPost("/validate", async Task<Ok<ValidationReport>> (WorkflowDefinition definition, HttpContext http, DefinitionStore store, DubanDbContext db,
            Duban.Data.Organization.OrganizationCache organizations, CancellationToken ct) =>
        {
            // What publishing would say, sub-processes and the organization's own people and units included.
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            IReadOnlyList<ValidationError> errors = [.. await store.ValidateForPublishAsync(organizationId, (await organizations.GetAsync(ct)).Within(organizationId), definition, ct),
                .. await Duban.Data.Definitions.Admin.DocumentReferenceChecks.ForPublishAsync(db, organizationId, definition, ct)];
            return TypedResults.Ok(new ValidationReport(errors.Count == 0, errors));
        }).WithSummary("校验流程定义（不保存）");

        admin.MapPost("/{definitionId}/publish", async Task<Ok<DefinitionVersionDto>> (string definitionId, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            return TypedResults.Ok(ToDto(await door.RunAsync(new PublishDefinition(OrganizationScope.Require(user), definitionId, user.Id), ct)));
        }).WithSummary("发布最新草稿").ProducesValidationProblem();

        group.MapGet("/{definitionId}/export", async (string definitionId, int? version, string? format, HttpContext http, DefinitionStore store, CancellationToken ct) =>
        {
            var organizationId = OrganizationScope.Require(await http.GetCurrentUserAsync());
            var record = (version is { } v ? await store.VersionAsync(organizationId, definitionId, v, ct) : await store.LatestAsync(organizationId, definitionId, ct))
                ?? throw new NotFoundException($"流程「{definitionId}」不存在");
            var definition = store.Parse(record);
            var (json, suffix) = format switch
            {
                null or "" or "duban" => (DefinitionJson.Serialize(definition, indented: true), ""),
                "elsa" => (ElsaExporter.Export(definition).ToJsonString(DefinitionJson.Indented), ".elsa"),
                _ => throw new WorkflowInputException("format", "导出格式只能是 duban 或 elsa"),
            };
            return TypedResults.File(Encoding.UTF8.GetBytes(json), "application/json", $"{record.DefinitionId}.v{record.Version}{suffix}.json");
        }).WithSummary("导出 JSON（format=elsa：Elsa 3 工作流 JSON）");

        admin.MapPost("/import", async Task<Ok<DefinitionVersionDto>> ([FromBody] JsonObject body, bool? publish, HttpContext http, WriteDoor door, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            return TypedResults.Ok(ToDto(await door.RunAsync(new ImportDefinition(OrganizationScope.Require(user), body.ToJsonString(), publish ?? false, user.Id), ct)));
        }).WithSummary("导入 JSON（督办或 Elsa 3 工作流 JSON，作为新草稿，可选直接发布；Elsa 中督办无法运行的节点逐个列出）");

        app.MapGet("/api/activities", (ActivityRegistry registry) =>
            TypedResults.Ok(registry.All.Select(h => h.Descriptor).OrderBy(d => d.Category).ToList()))
            .WithTags("流程定义").RequireAuthorization().WithSummary("节点类型（设计器面板）");

        return group;
    }

    internal static DefinitionVersionDto ToDto(DefinitionRecord d) =>
        new(d.Id, d.DefinitionId, d.Version, d.Name, d.IsPublished, d.IsLatest, d.CreatedAt, d.UpdatedAt, d.PublishedAt, d.UpdatedBy);
}
