using System.Text.RegularExpressions;
using Duban.Engine.Forms;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>What an administrator fills in for a unit on the 组织 screen; null where nothing was given.</summary>
/// <param name="IsActive">Null: unchanged (new units are active).</param>
/// <param name="SupervisorUserId">分管领导; null: none (the one above it is in charge).</param>
public sealed record UnitFields(string? Name, string? ParentId, int? SortOrder, string? LeaderUserId, string? Kind, bool? IsActive = null,
    string? SupervisorUserId = null);

/// <summary>The checks a unit passes before it is added or changed, shared by <see cref="AddUnit"/> and <see cref="ChangeUnit"/>.</summary>
internal static partial class UnitRules
{
    /// <summary>Letters, digits, '-' and '_': a unit's code travels in URLs, form data and definitions.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    public static partial Regex IdPattern();

    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>The order after the last of the unit's new siblings.</summary>
    public static async Task<int> NextSortOrderAsync(DubanDbContext db, string? parentId, CancellationToken ct) =>
        (await db.Units.Where(u => u.ParentId == parentId).MaxAsync(u => (int?)u.SortOrder, ct) ?? -1) + 1;

    /// <summary>A person the unit names (负责人, 分管领导): one of the organization's, and active unless already named.</summary>
    private static async Task PersonAsync(DubanDbContext db, OrganizationSnapshot org, string organizationId, string? userId, string? before,
        string field, string title, List<FieldError> errors, CancellationToken ct)
    {
        if (userId is null) return;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || (user.OrganizationId ?? org.OrganizationOfUnit(user.UnitId)) != organizationId) errors.Add(new(field, $"{title}不存在"));
        else if (!user.IsActive && userId != before) errors.Add(new(field, $"「{user.DisplayName}」已停用，不能设为{title}"));
    }

    /// <param name="organizationId">The administrator's organization: a unit stays in it, under its root (decision 035).</param>
    public static async Task CheckAsync(UnitFields request, DubanDbContext db, OrganizationSnapshot org, string organizationId, List<FieldError> errors,
        UnitRecord? existing, CancellationToken ct)
    {
        var selfId = existing?.Id;
        // The root is the organization itself: it stays a root; every other unit hangs somewhere below it.
        if (existing is { ParentId: null } && request.ParentId is not null) errors.Add(new("parentId", "本组织的根单位不能移到其他单位之下"));
        else if (existing is not { ParentId: null } && request.ParentId is null) errors.Add(new("parentId", "请选择上级单位"));
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new("name", "请填写单位名称"));
        else if (request.Name.Trim().Length > 200) errors.Add(new("name", "单位名称不超过 200 个字符"));
        if (request.Kind is { Length: > 50 }) errors.Add(new("kind", "单位类别不超过 50 个字符"));
        if (request.SortOrder is < 0 or > 1_000_000) errors.Add(new("sortOrder", "排序号应在 0 到 1000000 之间"));
        if (request.ParentId is { } parent)
        {
            var parentRecord = parent == selfId ? null : await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == parent, ct);
            if (parent == selfId) errors.Add(new("parentId", "上级单位不能是自己"));
            else if (parentRecord is null || org.OrganizationOfUnit(parent) != organizationId) errors.Add(new("parentId", "上级单位不存在"));
            else if (!parentRecord.IsActive && parent != existing?.ParentId) errors.Add(new("parentId", $"上级单位「{parentRecord.Name}」已停用"));
            else if (selfId is not null)
            {
                // Walk up from the new parent: meeting this unit means it would become its own ancestor.
                var parents = await db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.ParentId, ct);
                var seen = new HashSet<string>();
                for (var at = (string?)parent; at is not null && seen.Add(at); at = parents.GetValueOrDefault(at))
                    if (at == selfId)
                    {
                        errors.Add(new("parentId", "上级单位不能是本单位的下级单位"));
                        break;
                    }
            }
        }
        await PersonAsync(db, org, organizationId, request.LeaderUserId, existing?.LeaderUserId, "leaderUserId", "单位负责人", errors, ct);
        await PersonAsync(db, org, organizationId, request.SupervisorUserId, existing?.SupervisorUserId, "supervisorUserId", "分管领导", errors, ct);
        // Disabling: nothing active may still hang on the unit.
        if (existing is { IsActive: true } && request.IsActive == false)
        {
            var children = await db.Units.AsNoTracking().Where(u => u.ParentId == existing.Id && u.IsActive).Select(u => u.Name).ToListAsync(ct);
            if (children.Count > 0)
                errors.Add(new("isActive", $"请先停用或移走下级单位：{string.Join("、", children.Take(5))}{(children.Count > 5 ? " 等" : "")}"));
            var people = await db.Users.AsNoTracking().CountAsync(u => u.UnitId == existing.Id && u.IsActive, ct);
            if (people > 0)
                errors.Add(new("isActive", $"该单位还有 {people} 名在用人员，请先调整其所属单位或停用其账号"));
        }
    }
}
