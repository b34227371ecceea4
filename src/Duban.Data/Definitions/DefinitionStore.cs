using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions;

/// <summary>
/// Definitions and their versions: save a draft, validate, publish, list versions, import and export.
/// Published versions never change; a running instance keeps the version it started on.
/// </summary>
public sealed class DefinitionStore(DubanDbContext db, DefinitionValidator validator, DefinitionCache cache, TimeProvider clock)
{
    public Task<List<DefinitionRecord>> ListLatestAsync(CancellationToken ct = default) =>
        db.Definitions.AsNoTracking().Where(d => d.IsLatest).OrderBy(d => d.Name).ToListAsync(ct);

    public Task<List<DefinitionRecord>> VersionsAsync(string definitionId, CancellationToken ct = default) =>
        db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId).OrderByDescending(d => d.Version).ToListAsync(ct);

    public Task<DefinitionRecord?> LatestAsync(string definitionId, CancellationToken ct = default) =>
        db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsLatest, ct);

    public Task<DefinitionRecord?> VersionAsync(string definitionId, int version, CancellationToken ct = default) =>
        db.Definitions.AsNoTracking().FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.Version == version, ct);

    public Task<DefinitionRecord?> PublishedAsync(string definitionId, CancellationToken ct = default) =>
        db.Definitions.AsNoTracking().Where(d => d.DefinitionId == definitionId && d.IsPublished)
            .OrderByDescending(d => d.Version).FirstOrDefaultAsync(ct);

    /// <summary>Saves the draft: updates the latest version if it is unpublished, else adds version N+1 as the new draft.</summary>
    public async Task<DefinitionRecord> SaveDraftAsync(WorkflowDefinition definition, string? userId, CancellationToken ct = default)
    {
        CheckShape(definition);
        var now = clock.GetUtcNow();
        var latest = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definition.DefinitionId && d.IsLatest, ct);
        if (latest is { IsPublished: false })
        {
            latest.Name = definition.Name;
            latest.Description = definition.Description;
            latest.Json = DefinitionJson.Serialize(definition with { Version = latest.Version });
            latest.UpdatedAt = now;
            latest.UpdatedBy = userId;
            await db.SaveChangesAsync(ct);
            return latest;
        }
        if (latest is not null) latest.IsLatest = false;
        var version = (latest?.Version ?? 0) + 1;
        var record = new DefinitionRecord
        {
            Id = Guid.CreateVersion7(),
            DefinitionId = definition.DefinitionId,
            Version = version,
            Name = definition.Name,
            Description = definition.Description,
            Json = DefinitionJson.Serialize(definition with { Version = version }),
            IsLatest = true,
            CreatedAt = now,
            UpdatedAt = now,
            UpdatedBy = userId,
        };
        db.Definitions.Add(record);
        await db.SaveChangesAsync(ct);
        return record;
    }

    public IReadOnlyList<ValidationError> Validate(WorkflowDefinition definition) => validator.Validate(definition);

    /// <summary>
    /// Everything publishing checks: the definition itself (<see cref="DefinitionValidator"/>), and that every
    /// sub-process it calls is a published procedure — so a missing child is caught now, not when an item gets there.
    /// </summary>
    public async Task<IReadOnlyList<ValidationError>> ValidateForPublishAsync(WorkflowDefinition definition, CancellationToken ct = default)
    {
        var errors = validator.Validate(definition).ToList();
        var calls = (definition.Root?.Activities ?? [])
            .Where(a => a is { Type: ActivityTypes.SubProcess })
            .Select(a => (Node: a, Child: a.LiteralString("definitionId")))
            .Where(x => !string.IsNullOrWhiteSpace(x.Child) && x.Child != definition.DefinitionId)
            .ToList();
        if (calls.Count == 0) return errors;
        var wanted = calls.Select(x => x.Child!).Distinct().ToList();
        var published = (await db.Definitions.AsNoTracking()
            .Where(d => d.IsPublished && wanted.Contains(d.DefinitionId))
            .Select(d => d.DefinitionId).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var (node, child) in calls)
            if (!published.Contains(child!))
                errors.Add(new ValidationError(node.Id, $"「{node.DisplayName}」：子流程「{child}」不存在或尚未发布"));
        return errors;
    }

    /// <summary>Publishes the latest draft after validation; errors name the nodes and nothing changes.</summary>
    public async Task<DefinitionRecord> PublishAsync(string definitionId, string? userId, CancellationToken ct = default)
    {
        var latest = await db.Definitions.FirstOrDefaultAsync(d => d.DefinitionId == definitionId && d.IsLatest, ct)
            ?? throw new NotFoundException($"流程「{definitionId}」不存在");
        if (latest.IsPublished)
            throw new WorkflowConflictException($"第 {latest.Version} 版已发布，没有待发布的草稿");
        var errors = await ValidateForPublishAsync(DefinitionJson.Parse(latest.Json), ct);
        if (errors.Count > 0)
            throw new DefinitionInvalidException(errors);
        latest.IsPublished = true;
        latest.PublishedAt = clock.GetUtcNow();
        latest.UpdatedBy = userId;
        await db.SaveChangesAsync(ct);
        return latest;
    }

    /// <summary>
    /// Imports a definition as the new draft (and publishes it when asked), as an administrator would from a file.
    /// With <paramref name="publish"/>, it is validated first: a definition that cannot be published leaves no draft behind.
    /// </summary>
    public async Task<DefinitionRecord> ImportAsync(string json, bool publish, string? userId, CancellationToken ct = default)
    {
        WorkflowDefinition? definition;
        try { definition = DefinitionJson.Parse(json); }
        catch (JsonException e) { throw new WorkflowInputException(JsonErrors.FieldOf(e) ?? "json", $"流程定义 JSON 无效：{JsonErrors.Describe(e)}"); }
        if (definition is null) throw new WorkflowInputException("json", "流程定义 JSON 无效：内容为空");
        CheckShape(definition);
        if (publish)
        {
            var errors = await ValidateForPublishAsync(definition, ct);
            if (errors.Count > 0) throw new DefinitionInvalidException(errors);
        }
        if (!publish) return await SaveDraftAsync(definition, userId, ct);
        // Draft and publication together: whatever goes wrong in between leaves no draft behind.
        await using var transaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var record = await SaveDraftAsync(definition, userId, ct);
        var published = await PublishAsync(record.DefinitionId, userId, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return published;
    }

    private static void CheckShape(WorkflowDefinition definition)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(definition.DefinitionId) || definition.DefinitionId.Length > 100 ||
            !definition.DefinitionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add(new("definitionId", "流程标识只能包含字母、数字、- 和 _，且不超过 100 个字符"));
        if (string.IsNullOrWhiteSpace(definition.Name)) errors.Add(new("name", "流程名称不能为空"));
        else if (definition.Name.Length > 200) errors.Add(new("name", "流程名称不超过 200 个字符"));
        if (definition.Root is null) errors.Add(new("root", "缺少流程图（root）"));
        if (errors.Count > 0) throw new WorkflowInputException("流程定义无效", errors);
    }

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

