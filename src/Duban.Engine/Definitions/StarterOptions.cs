using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Engine.Directory;

namespace Duban.Engine.Definitions;

/// <summary>
/// Who may start (发起) items of a procedure, from <c>options.starters</c>:
/// <code>{ "roles": ["督查员"], "units": ["office"] }</code>
/// A user may start when they hold one of the roles or belong to one of the units (or a unit under one). Neither set —
/// the default, and every procedure made before this setting existed — means everyone signed in may start (decision 029).
/// Items a step starts (子流程) and schedules are not held to it: the procedure that starts them was allowed to.
/// </summary>
public sealed record StarterOptions(List<string>? Roles = null, List<string>? Units = null)
{
    public const string Key = "starters";

    public static readonly StarterOptions Everyone = new();

    /// <summary>True when someone is left out: at least one role or unit is named.</summary>
    public bool Restricts => Roles is { Count: > 0 } || Units is { Count: > 0 };

    /// <summary>Reads <c>options.starters</c>; <see cref="Everyone"/> when absent or unreadable (refused on publish).</summary>
    public static StarterOptions From(JsonObject? options)
    {
        if (options?[Key] is not JsonObject node) return Everyone;
        try
        {
            return node.Deserialize<StarterOptions>(DefinitionJson.Options) ?? Everyone;
        }
        catch (JsonException)
        {
            return Everyone;
        }
    }

    /// <summary>May a user of <paramref name="unitId"/> holding <paramref name="roles"/> start an item?</summary>
    public bool Allows(string? unitId, IReadOnlyList<string> roles, IOrganization organization)
    {
        if (!Restricts) return true;
        if (Roles is { Count: > 0 } named && roles.Any(named.Contains)) return true;
        if (Units is not { Count: > 0 } units) return false;
        // The unit or any unit above it (a 处 under the 厅办公室 belongs to it); a loop in bad data stops the walk.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var unit = unitId; unit is not null && seen.Add(unit); unit = organization.FindUnit(unit)?.ParentId)
            if (units.Contains(unit)) return true;
        return false;
    }

    /// <summary>Who may start, in words: 「督查员、领导；厅办公室（督查室）」.</summary>
    public string Describe(IOrganization organization)
    {
        var parts = new List<string>();
        if (Roles is { Count: > 0 } roles) parts.Add(string.Join("、", roles));
        if (Units is { Count: > 0 } units) parts.Add(string.Join("、", units.Select(u => organization.FindUnit(u)?.Name ?? u)));
        return string.Join("；", parts);
    }

    /// <summary>What is wrong with <c>options.starters</c>, for the checks before publishing.</summary>
    public static IEnumerable<string> Problems(JsonObject? options, IOrganization? organization = null)
    {
        switch (options?[Key])
        {
            case null:
                yield break;
            case JsonObject node:
                StarterOptions? starters = null;
                string? bad = null;
                try
                {
                    starters = node.Deserialize<StarterOptions>(DefinitionJson.Options);
                }
                catch (JsonException)
                {
                    bad = "可发起人员的格式无效（roles、units 应为文本列表）";
                }
                if (bad is not null)
                {
                    yield return bad;
                    yield break;
                }
                foreach (var key in node.Select(p => p.Key).Where(k => k is not ("roles" or "units")))
                    yield return $"可发起人员不认识「{key}」（可用 roles、units）";
                if (starters?.Roles?.Any(string.IsNullOrWhiteSpace) == true || starters?.Units?.Any(string.IsNullOrWhiteSpace) == true)
                    yield return "可发起人员中有空的角色或单位";
                if (organization is not null)
                    foreach (var unit in starters?.Units ?? [])
                        if (!string.IsNullOrWhiteSpace(unit) && organization.FindUnit(unit) is null)
                            yield return $"可发起单位「{unit}」不存在";
                break;
            default:
                yield return "可发起人员（options.starters）应为对象";
                break;
        }
    }
}
