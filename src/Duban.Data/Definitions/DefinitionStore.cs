using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions;

/// <summary>
/// Reads definitions and their versions, validates and parses them. Saving a draft, publishing and importing are writes
/// through the door (<see cref="Admin.SaveDefinitionDraft"/>, <see cref="Admin.PublishDefinition"/>,
/// <see cref="Admin.ImportDefinition"/>). Published versions never change; a running instance keeps the version it started on.
/// Each organization has its own procedures (decision 035): every read names the organization.
/// </summary>
public sealed class DefinitionStore(DubanDbContext db, DefinitionValidator validator, DefinitionCache cache)
{
    private IQueryable<DefinitionRecord> Of(string organizationId) =>
        db.Definitions.AsNoTracking().Where(d => d.OrganizationId == organizationId);

    public Task<List<DefinitionRecord>> ListLatestAsync(string organizationId, CancellationToken ct = default) =>
        Of(organizationId).Where(d => d.IsLatest).OrderBy(d => d.Name).ToListAsync(ct);

    public Task<List<DefinitionRecord>> VersionsAsync(string organizationId, string definitionId, CancellationToken ct = default) =>
        Of(organizationId).Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).ToListAsync(ct);

    public Task<DefinitionRecord?> LatestAsync(string organizationId, string definitionId, CancellationToken ct = default) =>
        Of(organizationId).FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsLatest, ct);

    public Task<DefinitionRecord?> VersionAsync(string organizationId, string definitionId, int version, CancellationToken ct = default) =>
        Of(organizationId).FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);

    public Task<DefinitionRecord?> PublishedAsync(string organizationId, string definitionId, CancellationToken ct = default) =>
        Of(organizationId).Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    public IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition) => validator.Validate(definition);

    /// <inheritdoc cref="DefinitionChecks.ForPublishAsync"/>
    /// <param name="organization">The organization's own people and units (<see cref="DirectoryReferences"/>).</param>
    public Task<IReadOnlyList<ValidationError>> ValidateForPublishAsync(string organizationId, Duban.Engine.Directory.IOrganization organization,
        WorkflowDefinition definition, CancellationToken ct = default) =>
        DefinitionChecks.ForPublishAsync(db, validator, organizationId, organization, definition, ct);

    public WorkflowDefinition Parse(DefinitionRecord record) => cache.Get(record);
}

/// <summary>Parsed definitions by version record id. Published versions are immutable, so caching them is safe.</summary>
public sealed class DefinitionCache
{
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset UpdatedAt, WorkflowDefinition Definition)> _parsed = new();

    /// <summary>Published versions by record id. A published version never changes, so no row is needed to trust it.</summary>
    private readonly ConcurrentDictionary<Guid, WorkflowDefinition> _published = new();

    public WorkflowDefinition Get(DefinitionRecord record)
    {
        if (_parsed.TryGetValue(record.Id, out var hit) && hit.UpdatedAt == record.UpdatedAt) return hit.Definition;
        var definition = DefinitionJson.Parse(record.Json) with { Version = record.Version };
        _parsed[record.Id] = (record.UpdatedAt, definition);
        if (record.IsPublished) _published[record.Id] = definition;
        return definition;
    }

    /// <summary>The parsed definition of a published version seen before, without reading its row again.</summary>
    public bool TryGetPublished(Guid recordId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WorkflowDefinition? definition) =>
        _published.TryGetValue(recordId, out definition);

    /// <summary>Forgets every parsed definition: for tests that put the database back under a running host.</summary>
    public void Clear()
    {
        _parsed.Clear();
        _published.Clear();
    }
}

/// <summary>
/// System.Text.Json's errors in Chinese, for people: where the problem is (the JSON path) and what kind it is — never
/// the library's English text.
/// </summary>
public static partial class JsonErrors
{
    /// <summary>The field the error is about, as a dotted path without the leading <c>$.</c>; null for the whole document.</summary>
    public static string? FieldOf(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var path = e.Path;
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        return path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
    }

    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var field = FieldOf(e);
        var where = field is null ? "" : $"「{field}」";
        // The reader's own exception type (internal to System.Text.Json) marks text that is not JSON at all.
        if (e.InnerException?.GetType().Name == "JsonReaderException" || e.GetType().Name == "JsonReaderException")
        {
            var position = e.LineNumber is { } line ? $"第 {line + 1} 行附近" : "";
            var at = string.Join("，", new[] { position, field is null ? "" : $"{where}处" }.Where(x => x.Length > 0));
            return at.Length > 0 ? $"JSON 格式错误（{at}）" : "JSON 格式错误";
        }
        if (MissingRequired().Match(e.Message) is { Success: true } missing)
        {
            var names = missing.Groups["names"].Value.Replace("'", "", StringComparison.Ordinal).Trim().TrimEnd('.');
            return field is null ? $"缺少必填属性 {names}" : $"{where}缺少必填属性 {names}";
        }
        return field is null ? "内容的结构不符合要求" : $"{where}的值类型不正确";
    }

    [GeneratedRegex(@"missing required properties(?: including)?:\s*(?<names>.+?)\.?\s*(Path:|$)", RegexOptions.Singleline)]
    private static partial Regex MissingRequired();
}

public sealed class DefinitionInvalidException(IReadOnlyList<ValidationError> errors)
    : Exception("流程定义未通过校验：" + string.Join("；", errors.Select(e => e.Message)))
{
    public IReadOnlyList<ValidationError> Errors { get; } = errors;
}

