using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Definitions;

/// <summary>What a definition must be to be saved (its shape) and to be published (valid, and its sub-processes published).</summary>
public static class DefinitionChecks
{
    /// <summary>An id, a name and a flowchart: without them a definition cannot even be stored as a draft.</summary>
    public static void Shape(WorkflowDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(definition.DefinitionId) || definition.DefinitionId.Length > 100 ||
            !definition.DefinitionId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            errors.Add(new("definitionId", "流程标识只能包含字母、数字、- 和 _，且不超过 100 个字符"));
        if (string.IsNullOrWhiteSpace(definition.Name)) errors.Add(new("name", "流程名称不能为空"));
        else if (definition.Name.Length > 200) errors.Add(new("name", "流程名称不超过 200 个字符"));
        if (definition.Root is null) errors.Add(new("root", "缺少流程图（root）"));
        if (errors.Count > 0) throw new WorkflowInputException("流程定义无效", errors);
    }

    /// <summary>
    /// Everything publishing checks: the definition itself (<see cref="DefinitionValidator"/>), that the people and units
    /// it names are <paramref name="organization"/>'s own (<see cref="DirectoryReferences"/>), and that every sub-process
    /// it calls is a published procedure — so a missing child or a stranger's unit is caught now, not when an item gets
    /// there.
    /// </summary>
    public static async Task<IReadOnlyList<ValidationError>> ForPublishAsync(DubanDbContext db, DefinitionValidator validator, string organizationId,
        Duban.Engine.Directory.IOrganization organization, WorkflowDefinition definition, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(definition);
        var errors = validator.Validate(definition).ToList();
        errors.AddRange(validator.DirectoryProblems(definition, organization));
        errors.AddRange(await DocumentProblemsAsync(db, organizationId, definition, ct));
        var calls = (definition.Root?.Activities ?? [])
            .Where(a => a is { Type: ActivityTypes.SubProcess })
            .Select(a => (Node: a, Child: a.LiteralString("definitionId")))
            .Where(x => !string.IsNullOrWhiteSpace(x.Child) && x.Child != definition.DefinitionId)
            .ToList();
        if (calls.Count == 0) return errors;
        var wanted = calls.Select(x => x.Child!).Distinct().ToList();
        var published = (await db.Definitions.AsNoTracking()
            .Where(d => d.OrganizationId == organizationId && d.IsPublished && wanted.Contains(d.DefinitionId))
            .Select(d => d.DefinitionId).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var (node, child) in calls)
            if (!published.Contains(child!))
                errors.Add(new ValidationError(node.Id, $"「{node.DisplayName}」：子流程「{child}」不存在或尚未发布"));
        return errors;
    }

    /// <summary>
    /// The documents the design names — an outcome's (<see cref="UserTaskOutcomeDocuments"/>) and a rung's of the
    /// procedure's own ladder — must be the organization's templates (decision 047), like its people and units.
    /// </summary>
    private static async Task<IEnumerable<ValidationError>> DocumentProblemsAsync(DubanDbContext db, string organizationId, WorkflowDefinition definition,
        CancellationToken ct)
    {
        var references = (definition.Root?.Activities ?? [])
            .Where(a => a is { Type: ActivityTypes.UserTask })
            .SelectMany(a => UserTaskOutcomeDocuments.Declared(a).Select(kv => ((Node: (string?)a.Id, Text: $"「{a.DisplayName}」：结果「{kv.Key}」生成"), kv.Value)))
            .ToList();
        if (definition.Options?["ladder"] is { } own && Duban.Engine.Chasing.Ladder.Problems(own).Count == 0)
            references.AddRange(Duban.Engine.Chasing.Ladder.Parse(own).Where(r => r.Document is not null)
                .Select(r => ((Node: (string?)null, Text: $"催办阶梯「{r.Name}」生成"), r.Document!)));
        return (await Documents.DocumentTemplates.UnknownAsync(db, organizationId, references, ct))
            .Select(x => new ValidationError(x.Tag.Node, $"{x.Tag.Text}的文书模板「{x.Key}」不存在，请在「文书模板」中添加或重新选择"));
    }
}
