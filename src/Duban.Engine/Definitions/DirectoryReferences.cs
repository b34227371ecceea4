using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Activities;
using Duban.Engine.Directory;

namespace Duban.Engine.Definitions;

/// <summary>
/// The people and units a design names by id must be its organization's own and exist: those of an assignee rule
/// (办理人, 接收人), a unit picker (交办's 主办/协办), a person picker (转交给) and who may start it (可发起单位). A
/// design copied from another organization on the installation, or naming a unit since removed, is refused when it
/// is published, naming the node, instead of faulting an item at that step later (issue 17: an item of one
/// organization can neither name nor reach a unit or person of another). Inputs are found by their editor hint, so a
/// new activity with such an input is checked too.
/// </summary>
public static class DirectoryReferences
{
    public static IEnumerable<ValidationError> Problems(WorkflowDefinition definition, ActivityRegistry registry, IOrganization organization)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(organization);
        foreach (var node in definition.Root?.Activities ?? [])
        {
            if (node is null || string.IsNullOrWhiteSpace(node.Type) || !registry.Contains(node.Type)) continue;
            foreach (var input in registry.Get(node.Type).Descriptor.Inputs)
            {
                if (Literal(node, input.Name) is not { } value) continue;
                var (units, users, roles) = input.UIHint switch
                {
                    InputHints.AssigneeRule => Rule(value),
                    InputHints.UnitPicker => (Strings(value).Where(s => !string.IsNullOrWhiteSpace(s)).Select(AssignActivity.UnitIdOf).OfType<string>().ToList(), [], []),
                    InputHints.UserPicker => ([], Strings(value).Select(s => s.StartsWith("user:", StringComparison.Ordinal) ? s[5..] : s).ToList(), []),
                    _ => (new List<string>(), new List<string>(), new List<string>()),
                };
                foreach (var role in roles.Where(r => !organization.HasRole(r)).Distinct())
                    yield return new ValidationError(node.Id, $"「{node.DisplayName}」：{input.DisplayName}中的角色「{role}」不是本组织的角色（可能已删除或来自其他组织），请重新选择");
                foreach (var unit in units.Where(u => organization.FindUnit(u) is null).Distinct())
                    yield return new ValidationError(node.Id, $"「{node.DisplayName}」：{input.DisplayName}中的单位「{unit}」不是本组织的单位（可能已删除或来自其他组织），请重新选择");
                foreach (var user in users.Where(u => organization.FindUser(u) is null).Distinct())
                    yield return new ValidationError(node.Id, $"「{node.DisplayName}」：{input.DisplayName}中的人员「{user}」不是本组织的人员（可能已删除或来自其他组织），请重新选择");
            }
        }
        foreach (var actor in LadderActors(definition).Where(a => !organization.HasRole(a)).Distinct())
            yield return new ValidationError(null, $"催办阶梯：办理角色「{actor}」不是本组织的角色（可能已删除或来自其他组织），请重新选择");
        foreach (var problem in StarterOptions.Problems(definition.Options, organization).Where(p => p.StartsWith("可发起单位", StringComparison.Ordinal)))
            yield return new ValidationError(null, problem + "（可能已删除或来自其他组织）");
    }

    /// <summary>The roles a procedure's own 催办阶梯 gives rungs to (none when it has none or it cannot be read).</summary>
    private static IEnumerable<string> LadderActors(WorkflowDefinition definition)
    {
        if (definition.Options?["ladder"] is not { } ladder) return [];
        try
        {
            return Chasing.Ladder.Parse(ladder).Where(r => r is not null).Select(r => r.Actor).Where(a => !string.IsNullOrWhiteSpace(a));
        }
        catch (JsonException)
        {
            return []; // the validator reports an unreadable ladder
        }
    }

    private static JsonNode? Literal(ActivityNode node, string name)
    {
        try
        {
            return node.Input(name)?.Expression is { Type: ExpressionTypes.Literal, Value: { } value } ? value : null;
        }
        catch (JsonException)
        {
            return null; // unreadable: the validator reports it
        }
    }

    private static (List<string> Units, List<string> Users, List<string> Roles) Rule(JsonNode value)
    {
        try
        {
            var rule = value.Deserialize<AssigneeRule>(DefinitionJson.Options);
            return (rule?.UnitIds ?? [], rule?.UserIds ?? [], rule?.Type == "role" && !string.IsNullOrWhiteSpace(rule.Role) ? [rule.Role] : []);
        }
        catch (JsonException)
        {
            return ([], [], []); // the validator reports an unreadable rule
        }
    }

    /// <summary>A literal's ids: one text, or a list of texts; a <c>{ "field": … }</c> picks at run time and names none.</summary>
    private static IEnumerable<string> Strings(JsonNode value) => value switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [v.GetValue<string>()],
        JsonArray a => a.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()),
        _ => [],
    };
}
