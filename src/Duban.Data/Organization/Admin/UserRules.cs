using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>What an administrator fills in for a person on the 组织 screen; null where nothing was given.</summary>
/// <param name="Roles">Null: unchanged (a new person has none). An empty list removes them all.</param>
/// <param name="Password">The initial password of a new person; for an existing one, a new password (null: unchanged).</param>
/// <param name="IsActive">Null: unchanged (a new person is active).</param>
public sealed record UserFields(string? DisplayName, string? UnitId, IReadOnlyList<string?>? Roles, string? Password, bool? IsActive);

/// <summary>A person as saved, with the roles they now hold.</summary>
public sealed record SavedUser(DubanUser User, IReadOnlyList<string> Roles);

/// <summary>
/// The checks a person passes before they are added or changed, and the translation of what Identity answers, shared by
/// <see cref="AddUser"/>, <see cref="ChangeUser"/> and <see cref="ResetPassword"/>.
/// </summary>
internal static class UserRules
{
    public static List<string> Distinct(IEnumerable<string?>? roles) =>
        (roles ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct(StringComparer.Ordinal).ToList();

    /// <param name="organizationId">The administrator's organization: the person's unit is one of its units.</param>
    public static async Task CheckAsync(UserFields request, IReadOnlyList<string> roles, DubanDbContext db, OrganizationSnapshot org, string organizationId,
        List<FieldError> errors, DubanUser? existing, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DisplayName)) errors.Add(new("displayName", "请填写姓名"));
        else if (request.DisplayName.Trim().Length > 100) errors.Add(new("displayName", "姓名不超过 100 个字符"));
        if (UnitRules.Blank(request.UnitId) is { } unitId)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null || org.OrganizationOfUnit(unitId) != organizationId) errors.Add(new("unitId", "所属单位不存在"));
            // A user already in a disabled unit may still be edited (e.g. to move or disable them); nobody new joins it.
            else if (!unit.IsActive && (request.IsActive ?? existing?.IsActive ?? true) && unitId != existing?.UnitId)
                errors.Add(new("unitId", $"单位「{unit.Name}」已停用"));
            else if (!unit.IsActive && existing is not null && !existing.IsActive && request.IsActive == true)
                errors.Add(new("unitId", $"单位「{unit.Name}」已停用，请先为该人员选择在用的单位"));
        }
        if (roles.Count > 0)
        {
            var known = await RoleNames.NamesAsync(db, organizationId, ct);
            foreach (var role in roles)
                if (!known.Contains(role)) errors.Add(new("roles", $"角色「{role}」不存在"));
        }
    }

    /// <summary>
    /// 三员分立 (decision 049): the person himself — name, unit, password, active — is the system administrator's
    /// (单位与人员管理); which roles he holds is the security administrator's (角色权限与安全策略). One person may hold both.
    /// </summary>
    public static void RequireAuthority(CurrentUser by, bool changesPerson, bool changesRoles)
    {
        if (changesPerson && !by.Has(Permission.ManageUnitsAndPeople))
            throw new ForbiddenException("只有有「单位与人员管理」权限的人员（管理员）可以新增或修改人员信息");
        if (changesRoles) RoleRules.RequireSecurityAdministrator(by);
    }

    /// <summary>The person <paramref name="id"/> of <paramref name="organizationId"/>; another organization's does not exist (404).</summary>
    public static async Task<DubanUser> FindAsync(UserManager<DubanUser> manager, string id, string organizationId)
    {
        var user = await manager.FindByIdAsync(id);
        return user is not null && user.OrganizationId == organizationId ? user : throw new NotFoundException("人员不存在");
    }

    /// <summary>An administrator cannot lock themselves out (so there is always one who can undo a mistake).</summary>
    public static void CheckNotSelfLockout(DubanUser user, IReadOnlyList<string> current, IReadOnlyList<string> roles, bool active, string actingUserId, List<FieldError> errors)
    {
        if (user.Id != actingUserId || !current.Contains(Roles.Admin)) return;
        if (!active) errors.Add(new("isActive", "不能停用自己的账号"));
        else if (!roles.Contains(Roles.Admin)) errors.Add(new("roles", "不能移除自己的管理员角色"));
    }

    /// <summary>The password checked by Identity's own validators before anything is written.</summary>
    public static async Task<List<FieldError>> PasswordProblemsAsync(UserManager<DubanUser> manager, DubanUser user, string password)
    {
        var problems = new List<FieldError>();
        foreach (var validator in manager.PasswordValidators)
        {
            var result = await validator.ValidateAsync(manager, user, password);
            problems.AddRange(result.Errors.Select(e => new FieldError("password", IdentityMessages.Chinese(e, manager.Options))));
        }
        return problems;
    }

    /// <summary>Throws on a failed Identity step; the door then rolls the write's transaction back, earlier steps included.</summary>
    public static void Check(IdentityResult result, UserManager<DubanUser> manager)
    {
        if (result.Succeeded) return;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            throw new WorkflowConflictException(IdentityMessages.Chinese(result.Errors.First(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)), manager.Options));
        throw new WorkflowInputException("人员信息有误",
            result.Errors.Select(e => new FieldError(IdentityMessages.FieldOf(e), IdentityMessages.Chinese(e, manager.Options))).Distinct().ToList());
    }
}

/// <summary>
/// A password an administrator sets — a new person's, a reset, a new organization's first administrator — is known to
/// him: the person must change it at his next sign-in before anything else answers (decision 046; the gate of decision 043).
/// </summary>
internal static class OneTimePassword
{
    public static void Mark(DubanUser user)
    {
        user.MustChangePassword = true;
        user.PasswordSetByAdministrator = true;
    }
}

/// <summary>Identity's errors in Chinese: by code where known, else a general message — never Identity's English text.</summary>
internal static class IdentityMessages
{
    public static string FieldOf(IdentityError e) => e.Code switch
    {
        _ when e.Code.StartsWith("Password", StringComparison.Ordinal) => "password",
        _ when e.Code.Contains("UserName", StringComparison.Ordinal) => "userName",
        _ when e.Code.Contains("Email", StringComparison.Ordinal) => "email",
        _ when e.Code.Contains("Role", StringComparison.Ordinal) => "roles",
        _ => "user",
    };

    public static string Chinese(IdentityError e, IdentityOptions options) => e.Code switch
    {
        // The password policy's own errors are written in Chinese (Security.PasswordPolicy).
        _ when e.Code.StartsWith(Security.PasswordPolicy.CodePrefix, StringComparison.Ordinal) => e.Description,
        nameof(IdentityErrorDescriber.PasswordTooShort) => $"密码至少 {options.Password.RequiredLength} 位",
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => $"密码至少包含 {options.Password.RequiredUniqueChars} 个不同的字符",
        nameof(IdentityErrorDescriber.PasswordRequiresDigit) => "密码需包含数字",
        nameof(IdentityErrorDescriber.PasswordRequiresLower) => "密码需包含小写字母",
        nameof(IdentityErrorDescriber.PasswordRequiresUpper) => "密码需包含大写字母",
        nameof(IdentityErrorDescriber.PasswordRequiresNonAlphanumeric) => "密码需包含符号",
        nameof(IdentityErrorDescriber.PasswordMismatch) => "密码不正确",
        nameof(IdentityErrorDescriber.UserAlreadyHasPassword) => "该用户已设置密码",
        nameof(IdentityErrorDescriber.DuplicateUserName) => "用户名已存在",
        nameof(IdentityErrorDescriber.InvalidUserName) => "用户名只能包含字母、数字和 -._@+",
        nameof(IdentityErrorDescriber.DuplicateEmail) => "邮箱已被使用",
        nameof(IdentityErrorDescriber.InvalidEmail) => "邮箱格式不正确",
        nameof(IdentityErrorDescriber.InvalidRoleName) or nameof(IdentityErrorDescriber.DuplicateRoleName) => "角色名称无效",
        nameof(IdentityErrorDescriber.UserAlreadyInRole) => "该用户已有此角色",
        nameof(IdentityErrorDescriber.UserNotInRole) => "该用户没有此角色",
        nameof(IdentityErrorDescriber.InvalidToken) => "重置密码失败，请重试",
        // The words the server answers any lost race with (ProblemMapping.ConcurrencyMessage).
        nameof(IdentityErrorDescriber.ConcurrencyFailure) => "数据已被他人修改，请刷新后重试",
        _ => "人员信息保存失败，请检查填写的内容",
    };
}
