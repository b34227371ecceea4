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
}
