using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Definitions;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Ledger;

/// <summary>
/// The 台账: every item the user may see, filtered, sorted and paged — and the same selection as an Excel file.
/// Query parameters (list and export): q, definitionId, unitId (with its sub-units), status (open / completed /
/// cancelled / faulted), light (red / yellow / green), dateField (createdAt / finishedAt / dueAt) with from / to
/// (yyyy-MM-dd, China time, both included), source (来源: the value of each procedure's source field), f.{fieldKey}={value} (form data equals or contains the value),
/// sort / order, page / pageSize, after (the nextCursor of the page before), fields (form field keys whose values the rows carry). The export also takes
/// columns (comma-separated column keys, f.{fieldKey} for form fields), in the order wanted.
/// </summary>
internal static class LedgerEndpoints
{
    public static IServiceCollection AddDubanLedger(this IServiceCollection services, IConfiguration configuration) =>
        services.Configure<LedgerOptions>(configuration.GetSection("Duban:Ledger"))
            .AddSingleton<LedgerTime>().AddScoped<LedgerQuery>().AddScoped<LedgerRows>().AddScoped<LedgerExport>();

    public static RouteGroupBuilder MapLedgerApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/ledger").WithTags("台账").RequireAuthorization();

        group.MapGet("/", async Task<Ok<PagedList<LedgerRow>>> (HttpContext http, DubanDbContext db, LedgerQuery ledger, LedgerRows rows, CancellationToken ct) =>
        {
            var filter = LedgerFilter.Parse(http.Request.Query);
            var user = await http.GetCurrentUserAsync();
            // Keyset paging with after= (and on the first page); the total counted at most Paging.CountAhead rows past the
            // page's start: a flat cost at any size (docs/decisions/042 and its addendum).
            return TypedResults.Ok(await LedgerPaging.ReadAsync(db, ledger, rows, user, filter, PageCursor.FilterOf(http.Request.Query, "fields", "columns"), ct));
        }).WithSummary("台账：我可见的事项（筛选、排序、分页；翻下一页时把 nextCursor 作为 after 传回（键集分页，任意深度都快），page 仍可用；" +
            "total 只数到本页起 1000 条，超出时 totalCapped = true，total 为下限）").ProducesValidationProblem();

        group.MapGet("/meta", async Task<Ok<LedgerMeta>> (HttpContext http, DubanDbContext db, DefinitionStore store, DefinitionCache definitions, LedgerExport export,
            CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            var organizationId = OrganizationScope.Require(user);
            var readable = await ItemAccess.ReadableFieldsByProcedureAsync(db, definitions, user, ct);
            return TypedResults.Ok(new LedgerMeta(LedgerExport.Columns, LedgerExport.DefaultColumns, await FieldsAsync(store, definitions, organizationId, readable, ct),
                export.MaxRows, await SourceOptionsAsync(store, definitions, organizationId, readable, ct)));
        })
            .WithSummary("台账的列（固定列与我在某个可见事项上能看到的表单字段）、默认列和导出上限");

        group.MapGet("/export", async (HttpContext http, DubanDbContext db, LedgerQuery ledger, LedgerExport export, DefinitionStore store, DefinitionCache definitions,
            Duban.Data.Writes.WriteDoor door, CancellationToken ct) =>
        {
            var filter = LedgerFilter.Parse(http.Request.Query);
            var user = await http.GetCurrentUserAsync();
            var readable = await ItemAccess.ReadableFieldsByProcedureAsync(db, definitions, user, ct);
            var columns = LedgerExport.ParseColumns(http.Request.Query["columns"].ToString(),
                await FieldsAsync(store, definitions, OrganizationScope.Require(user), readable, ct));
            var query = await ledger.BuildAsync(user, filter, ct);
            var total = await query.CountAsync(ct);
            if (total > export.MaxRows)
                throw new WorkflowInputException("export",
                    $"符合条件的事项共 {total} 条，超过单次导出上限 {export.MaxRows} 条，请缩小筛选范围（如按日期分段）后再导出");
            var bytes = await export.WriteAsync(user, query, total, columns, ct);
            await door.RunAsync(new Duban.Data.Writes.RecordAuditEvent(Duban.Data.Audit.AuditedOperations.Export, null,
                $"导出台账 {total} 条（{http.Request.QueryString.Value}）", Duban.Data.Audit.AuditResults.Succeeded), ct);
            return TypedResults.File(bytes, LedgerExport.ContentType, export.FileName());
        }).WithSummary("导出台账为 Excel（与筛选条件一致；条数上限见 Duban:Ledger:MaxExportRows，默认 5000）")
            .Produces(StatusCodes.Status200OK, contentType: LedgerExport.ContentType).ProducesValidationProblem();

        return group;
    }

    /// <summary>
    /// The options of every published procedure's source field (decision 033), merged by value, in order met; with
    /// <paramref name="readable"/> (<see cref="ItemAccess.ReadableFieldsByProcedureAsync"/>), of the procedures whose source
    /// field the viewer reads somewhere.
    /// </summary>
    internal static async Task<List<LedgerFieldOption>> SourceOptionsAsync(DefinitionStore store, DefinitionCache definitions, string organizationId,
        Dictionary<string, HashSet<string>>? readable, CancellationToken ct)
    {
        var options = new List<LedgerFieldOption>();
        foreach (var latest in await store.ListLatestAsync(organizationId, ct))
        {
            var published = latest.IsPublished ? latest : await store.PublishedAsync(organizationId, latest.DefinitionId, ct);
            if (published is null) continue;
            if (Duban.Engine.Forms.ItemSource.Field(definitions.Get(published)) is not { } field || !Reads(readable, published.DefinitionId, field.Key)) continue;
            foreach (var option in field.Options ?? [])
                if (options.All(o => o.Value != option.Value)) options.Add(new(option.Value, option.Label));
        }
        return options;
    }

    /// <summary>
    /// Form fields across the published versions of every procedure type, merged by key; with <paramref name="readable"/>
    /// (<see cref="ItemAccess.ReadableFieldsByProcedureAsync"/>), only those the viewer reads on some item of that procedure.
    /// </summary>
    internal static async Task<List<LedgerField>> FieldsAsync(DefinitionStore store, DefinitionCache definitions, string organizationId,
        Dictionary<string, HashSet<string>>? readable, CancellationToken ct)
    {
        var merged = new Dictionary<string, (string Label, string Type, List<LedgerFieldOption> Options, List<string> DefinitionIds)>(StringComparer.Ordinal);
        foreach (var latest in await store.ListLatestAsync(organizationId, ct))
        {
            var published = latest.IsPublished ? latest : await store.PublishedAsync(organizationId, latest.DefinitionId, ct);
            if (published is null) continue;
            foreach (var field in LedgerRows.FieldsOf(definitions.Get(published)).Values)
            {
                if (!LedgerExport.ColumnTypes.Contains(field.Type) || !Reads(readable, published.DefinitionId, field.Key)) continue;
                if (!merged.TryGetValue(field.Key, out var entry))
                    merged[field.Key] = entry = (field.Label, field.Type, [], []);
                else if (entry.Options.Count == 0 && field.Options is { Count: > 0 })
                    // The same key as free text in one form and a choice in another: the choice names the column.
                    merged[field.Key] = entry = (field.Label, field.Type, entry.Options, entry.DefinitionIds);
                entry.DefinitionIds.Add(published.DefinitionId);
                foreach (var option in field.Options ?? [])
                    if (entry.Options.All(o => o.Value != option.Value)) entry.Options.Add(new(option.Value, option.Label));
            }
        }
        return merged.Select(m => new LedgerField(m.Key, m.Value.Label, m.Value.Type, m.Value.Options, m.Value.Options.Count > 0, m.Value.DefinitionIds))
            .OrderBy(f => f.Key == "source" ? 0 : 1).ThenBy(f => f.Label, StringComparer.Ordinal).ToList();
    }

    private static bool Reads(Dictionary<string, HashSet<string>>? readable, string definitionId, string fieldKey) =>
        readable is null || (readable.TryGetValue(definitionId, out var keys) && keys.Contains(fieldKey));
}
