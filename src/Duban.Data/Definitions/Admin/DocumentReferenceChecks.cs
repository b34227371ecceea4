using Duban.Data.Documents;
using Duban.Engine.Activities;
using Duban.Engine.Chasing;
using Duban.Engine.Definitions;

namespace Duban.Data.Definitions.Admin;

/// <summary>
/// What publishing (and the designer's 校验) checks besides <see cref="DefinitionChecks.ForPublishAsync"/>: the documents
/// the design names — an outcome's (<see cref="UserTaskOutcomeDocuments"/>) and a rung's of the procedure's own ladder —
/// are the organization's templates (docs/decisions/047), as its people and units must be its own. Here rather than in
/// <see cref="DefinitionChecks"/>, which the document feature itself uses.
/// </summary>
public static class DocumentReferenceChecks
{
    public static async Task<IReadOnlyList<ValidationError>> ForPublishAsync(DubanDbContext db, string organizationId, WorkflowDefinition definition,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var references = (definition.Root?.Activities ?? [])
            .Where(a => a is { Type: ActivityTypes.UserTask })
            .SelectMany(a => UserTaskOutcomeDocuments.Declared(a).Select(kv => ((Node: (string?)a.Id, Text: $"「{a.DisplayName}」：结果「{kv.Key}」生成"), kv.Value)))
            .ToList();
        if (definition.Options?["ladder"] is { } own && Ladder.Problems(own, isRole: Ladder.AnyRoleName).Count == 0)
            references.AddRange(Ladder.Parse(own).Where(r => r.Document is not null)
                .Select(r => ((Node: (string?)null, Text: $"催办阶梯「{r.Name}」生成"), r.Document!)));
        return (await DocumentTemplates.UnknownAsync(db, organizationId, references, ct))
            .Select(x => new ValidationError(x.Tag.Node, $"{x.Tag.Text}的文书模板「{x.Key}」不存在，请在「文书模板」中添加或重新选择"))
            .ToList();
    }
}
