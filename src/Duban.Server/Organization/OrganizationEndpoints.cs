using System.Text.RegularExpressions;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Organization;

/// <param name="Version">Sent back on save: a save based on an older version is refused with 409.</param>
public sealed record UnitDto(string Id, string Name, string? ParentId, int SortOrder, string? LeaderUserId, string? Kind, bool IsActive, long Version);
/// <param name="IsActive">Left out: unchanged (new units are active).</param>
/// <param name="Version">The version the change is based on; left out: no check.</param>
public sealed record SaveUnitRequest(string? Id, string? Name, string? ParentId, int? SortOrder, string? LeaderUserId, string? Kind, bool? IsActive = null, long? Version = null);
/// <param name="ConcurrencyStamp">Sent back on save: a save based on an older stamp is refused with 409.</param>
public sealed record UserDto(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles, bool IsActive, string? ConcurrencyStamp);
/// <param name="ConcurrencyStamp">The stamp the change is based on; left out: no check.</param>
public sealed record SaveUserRequest(string? UserName, string? DisplayName, string? UnitId, List<string>? Roles, string? Password, bool? IsActive, string? ConcurrencyStamp = null);
public sealed record ResetPasswordRequest(string? Password);

/// <summary>Units (a tree), users and roles. Everyone signed in may read them (for pickers); 管理员 changes them.</summary>
internal static partial class OrganizationEndpoints
{
    public static void MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/units").WithTags("组织").RequireAuthorization();
        var users = app.MapGroup("/api/users").WithTags("组织").RequireAuthorization();

        units.MapGet("/", async (bool? active, DubanDbContext db, CancellationToken ct) =>
        {
            var query = db.Units.AsNoTracking();
            if (active == true) query = query.Where(u => u.IsActive);
            var list = await query.OrderBy(u => u.SortOrder).ThenBy(u => u.Name).ToListAsync(ct);
            return TypedResults.Ok(list.Select(ToDto).ToList());
        }).WithSummary("单位列表（树形由 parentId 组成；active=true 只列在用单位）");

        units.MapPost("/", async Task<Created<UnitDto>> (SaveUnitRequest request, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var errors = new List<FieldError>();
            var id = request.Id?.Trim();
            if (string.IsNullOrEmpty(id) || id.Length > 64) errors.Add(new("id", "请填写单位编码（不超过 64 个字符）"));
            else if (!UnitIdPattern().IsMatch(id)) errors.Add(new("id", "单位编码只能包含字母、数字、- 和 _"));
            else if (await db.Units.AnyAsync(u => u.Id == id, ct)) errors.Add(new("id", "单位编码已存在"));
            await CheckUnit(request, db, errors, existing: null, ct);
            if (request.IsActive == false) errors.Add(new("isActive", "新增的单位应为在用状态"));
            if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
            var unit = new UnitRecord
            {
                Id = id!, Name = request.Name!.Trim(), ParentId = request.ParentId, SortOrder = request.SortOrder ?? await NextSortOrderAsync(db, request.ParentId, ct),
                LeaderUserId = request.LeaderUserId, Kind = Blank(request.Kind),
            };
            db.Units.Add(unit);
            await db.SaveChangesAsync(ct);
            cache.Invalidate();
            return TypedResults.Created($"/api/units/{unit.Id}", ToDto(unit));
        }).RequireRole(Roles.Admin).WithSummary("新增单位").ProducesValidationProblem();

        units.MapPut("/{id}", async Task<Ok<UnitDto>> (string id, SaveUnitRequest request, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new NotFoundException("单位不存在");
            if (request.Version is { } version && version != unit.ConcurrencyToken)
                throw new WorkflowConflictException("该单位已被他人修改，请刷新后重试");
            var errors = new List<FieldError>();
            await CheckUnit(request, db, errors, unit, ct);
            if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
            // Moved without an order given: it goes after its new siblings.
            var moved = request.ParentId != unit.ParentId;
            unit.SortOrder = request.SortOrder ?? (moved ? await NextSortOrderAsync(db, request.ParentId, ct) : unit.SortOrder);
            unit.Name = request.Name!.Trim();
            unit.ParentId = request.ParentId;
            unit.LeaderUserId = request.LeaderUserId;
            unit.Kind = Blank(request.Kind);
            unit.IsActive = request.IsActive ?? unit.IsActive;
            await db.SaveChangesAsync(ct);
            cache.Invalidate();
            return TypedResults.Ok(ToDto(unit));
        }).RequireRole(Roles.Admin).WithSummary("修改单位（改名、移动、停用/启用）").ProducesValidationProblem().ProducesProblem(409);

        users.MapGet("/", async (DubanDbContext db, CancellationToken ct) =>
        {
            // From the database, not the snapshot: the snapshot holds active users only, and an inactive user's
            // roles must come back as they are, or saving the user again would wipe them.
            var list = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
            var roles = await RolesByUserAsync(db, userId: null, ct);
            var unitNames = await UnitNamesAsync(db, ct);
            return TypedResults.Ok(list.Select(u => ToDto(u, roles.GetValueOrDefault(u.Id) ?? [], unitNames)).ToList());
        }).WithSummary("人员列表");

        users.MapPost("/", async Task<Created<UserDto>> (SaveUserRequest request, UserManager<DubanUser> manager, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var roles = Distinct(request.Roles);
            var errors = new List<FieldError>();
            var userName = request.UserName?.Trim();
            if (string.IsNullOrEmpty(userName)) errors.Add(new("userName", "请填写用户名"));
            else if (userName.Length > 256) errors.Add(new("userName", "用户名不超过 256 个字符"));
            else if (await manager.FindByNameAsync(userName) is not null) errors.Add(new("userName", "用户名已存在"));
            await CheckUser(request, roles, db, errors, existing: null, ct);
            var user = new DubanUser { UserName = userName, DisplayName = request.DisplayName?.Trim() ?? "", UnitId = Blank(request.UnitId), IsActive = request.IsActive ?? true };
            if (string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "请设置初始密码"));
            else errors.AddRange(await PasswordProblemsAsync(manager, user, request.Password));
            if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);

            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                Check(await manager.CreateAsync(user, request.Password!), manager);
                if (roles.Count > 0) Check(await manager.AddToRolesAsync(user, roles), manager);
                await transaction.CommitAsync(ct);
            }
            cache.Invalidate();
            return TypedResults.Created($"/api/users/{user.Id}", ToDto(user, roles, await UnitNamesAsync(db, ct)));
        }).RequireRole(Roles.Admin).WithSummary("新增人员").ProducesValidationProblem();

        users.MapPut("/{id}", async Task<Ok<UserDto>> (string id, SaveUserRequest request, HttpContext http, UserManager<DubanUser> manager, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await manager.FindByIdAsync(id) ?? throw new NotFoundException("人员不存在");
            if (request.ConcurrencyStamp is { Length: > 0 } stamp && stamp != user.ConcurrencyStamp)
                throw new WorkflowConflictException("该人员信息已被他人修改，请刷新后重试");
            var current = (await manager.GetRolesAsync(user)).ToList();
            // Roles left out: unchanged (as for isActive). An empty list removes them all.
            var roles = request.Roles is null ? current : Distinct(request.Roles);
            var active = request.IsActive ?? user.IsActive;
            var errors = new List<FieldError>();
            await CheckUser(request, roles, db, errors, user, ct);
            CheckNotSelfLockout(user, current, roles, active, (await http.GetCurrentUserAsync()).Id, errors);
            if (!string.IsNullOrEmpty(request.Password)) errors.AddRange(await PasswordProblemsAsync(manager, user, request.Password));
            if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);

            var access = active != user.IsActive || !current.ToHashSet(StringComparer.Ordinal).SetEquals(roles);
            // All or nothing: Identity saves after each step, so the steps share one transaction.
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                user.DisplayName = request.DisplayName!.Trim();
                user.UnitId = Blank(request.UnitId);
                user.IsActive = active;
                Check(await manager.UpdateAsync(user), manager);
                var remove = current.Except(roles, StringComparer.Ordinal).ToList();
                if (remove.Count > 0) Check(await manager.RemoveFromRolesAsync(user, remove), manager);
                var add = roles.Except(current, StringComparer.Ordinal).ToList();
                if (add.Count > 0) Check(await manager.AddToRolesAsync(user, add), manager);
                if (!string.IsNullOrEmpty(request.Password))
                {
                    // Resetting the password also renews the security stamp.
                    var token = await manager.GeneratePasswordResetTokenAsync(user);
                    Check(await manager.ResetPasswordAsync(user, token, request.Password), manager);
                }
                else if (access)
                {
                    // Sessions issued before the change are refused (the snapshot refuses them at once on this instance).
                    Check(await manager.UpdateSecurityStampAsync(user), manager);
                }
                await transaction.CommitAsync(ct);
            }
            cache.Invalidate();
            return TypedResults.Ok(ToDto(user, roles, await UnitNamesAsync(db, ct)));
        }).RequireRole(Roles.Admin).WithSummary("修改人员（角色、单位、停用、重置密码）").ProducesValidationProblem().ProducesProblem(409);

        users.MapPost("/{id}/reset-password", async (string id, ResetPasswordRequest request, UserManager<DubanUser> manager, OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await manager.FindByIdAsync(id) ?? throw new NotFoundException("人员不存在");
            if (string.IsNullOrEmpty(request.Password)) throw new WorkflowInputException("password", "请填写新密码");
            var problems = await PasswordProblemsAsync(manager, user, request.Password);
            if (problems.Count > 0) throw new WorkflowInputException("密码不符合要求", problems);
            // Resetting renews the security stamp: the user's open sessions end.
            var token = await manager.GeneratePasswordResetTokenAsync(user);
            Check(await manager.ResetPasswordAsync(user, token, request.Password), manager);
            cache.Invalidate();
            return TypedResults.NoContent();
        }).RequireRole(Roles.Admin).WithSummary("重置密码").ProducesValidationProblem();

        app.MapGet("/api/roles", () => TypedResults.Ok(Roles.All)).WithTags("组织").RequireAuthorization().WithSummary("角色");
    }

    /// <summary>Letters, digits, '-' and '_': a unit's code travels in URLs, form data and definitions.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex UnitIdPattern();

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static async Task<int> NextSortOrderAsync(DubanDbContext db, string? parentId, CancellationToken ct) =>
        (await db.Units.Where(u => u.ParentId == parentId).MaxAsync(u => (int?)u.SortOrder, ct) ?? -1) + 1;

    private static async Task CheckUnit(SaveUnitRequest request, DubanDbContext db, List<FieldError> errors, UnitRecord? existing, CancellationToken ct)
    {
        var selfId = existing?.Id;
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new("name", "请填写单位名称"));
        else if (request.Name.Trim().Length > 200) errors.Add(new("name", "单位名称不超过 200 个字符"));
        if (request.Kind is { Length: > 50 }) errors.Add(new("kind", "单位类别不超过 50 个字符"));
        if (request.SortOrder is < 0 or > 1_000_000) errors.Add(new("sortOrder", "排序号应在 0 到 1000000 之间"));
        if (request.ParentId is { } parent)
        {
            var parentRecord = parent == selfId ? null : await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == parent, ct);
            if (parent == selfId) errors.Add(new("parentId", "上级单位不能是自己"));
            else if (parentRecord is null) errors.Add(new("parentId", "上级单位不存在"));
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
        if (request.LeaderUserId is { } leader)
        {
            var leaderUser = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == leader, ct);
            if (leaderUser is null) errors.Add(new("leaderUserId", "单位负责人不存在"));
            else if (!leaderUser.IsActive && leader != existing?.LeaderUserId) errors.Add(new("leaderUserId", $"「{leaderUser.DisplayName}」已停用，不能设为单位负责人"));
        }
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

    private static async Task CheckUser(SaveUserRequest request, IReadOnlyList<string> roles, DubanDbContext db, List<FieldError> errors, DubanUser? existing, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DisplayName)) errors.Add(new("displayName", "请填写姓名"));
        else if (request.DisplayName.Trim().Length > 100) errors.Add(new("displayName", "姓名不超过 100 个字符"));
        if (Blank(request.UnitId) is { } unitId)
        {
            var unit = await db.Units.AsNoTracking().FirstOrDefaultAsync(u => u.Id == unitId, ct);
            if (unit is null) errors.Add(new("unitId", "所属单位不存在"));
            // A user already in a disabled unit may still be edited (e.g. to move or disable them); nobody new joins it.
            else if (!unit.IsActive && (request.IsActive ?? existing?.IsActive ?? true) && unitId != existing?.UnitId)
                errors.Add(new("unitId", $"单位「{unit.Name}」已停用"));
            else if (!unit.IsActive && existing is not null && !existing.IsActive && request.IsActive == true)
                errors.Add(new("unitId", $"单位「{unit.Name}」已停用，请先为该人员选择在用的单位"));
        }
        foreach (var role in roles)
            if (!Roles.All.Contains(role)) errors.Add(new("roles", $"角色「{role}」不存在"));
    }

    /// <summary>An administrator cannot lock themselves out (so there is always one who can undo a mistake).</summary>
    private static void CheckNotSelfLockout(DubanUser user, IReadOnlyList<string> current, IReadOnlyList<string> roles, bool active, string actingUserId, List<FieldError> errors)
    {
        if (user.Id != actingUserId || !current.Contains(Roles.Admin)) return;
        if (!active) errors.Add(new("isActive", "不能停用自己的账号"));
        else if (!roles.Contains(Roles.Admin)) errors.Add(new("roles", "不能移除自己的管理员角色"));
    }

    private static List<string> Distinct(IEnumerable<string?>? roles) =>
        (roles ?? []).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The password checked by Identity's own validators before anything is written.</summary>
    private static async Task<List<FieldError>> PasswordProblemsAsync(UserManager<DubanUser> manager, DubanUser user, string password)
    {
        var problems = new List<FieldError>();
        foreach (var validator in manager.PasswordValidators)
        {
            var result = await validator.ValidateAsync(manager, user, password);
            problems.AddRange(result.Errors.Select(e => new FieldError("password", IdentityMessages.Chinese(e, manager.Options))));
        }
        return problems;
    }

    /// <summary>Throws on a failed Identity step; the caller's transaction then rolls everything back.</summary>
    private static void Check(IdentityResult result, UserManager<DubanUser> manager)
    {
        if (result.Succeeded) return;
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
            throw new WorkflowConflictException(IdentityMessages.Chinese(result.Errors.First(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)), manager.Options));
        throw new WorkflowInputException("人员信息有误",
            result.Errors.Select(e => new FieldError(IdentityMessages.FieldOf(e), IdentityMessages.Chinese(e, manager.Options))).Distinct().ToList());
    }

    private static async Task<Dictionary<string, List<string>>> RolesByUserAsync(DubanDbContext db, string? userId, CancellationToken ct)
    {
        var query = from ur in db.UserRoles
                    join r in db.Roles on ur.RoleId equals r.Id
                    select new { ur.UserId, r.Name };
        if (userId is not null) query = query.Where(x => x.UserId == userId);
        var rows = await query.AsNoTracking().ToListAsync(ct);
        return rows.GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => g.Select(r => r.Name!).ToList());
    }

    private static Task<Dictionary<string, string>> UnitNamesAsync(DubanDbContext db, CancellationToken ct) =>
        db.Units.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.Name, ct);

    private static int RoleOrder(string role)
    {
        for (var i = 0; i < Roles.All.Count; i++)
            if (Roles.All[i] == role) return i;
        return int.MaxValue;
    }

    private static UnitDto ToDto(UnitRecord u) => new(u.Id, u.Name, u.ParentId, u.SortOrder, u.LeaderUserId, u.Kind, u.IsActive, u.ConcurrencyToken);

    private static UserDto ToDto(DubanUser u, IEnumerable<string> roles, IReadOnlyDictionary<string, string> unitNames) =>
        new(u.Id, u.UserName!, u.DisplayName, u.UnitId, u.UnitId is { } unit ? unitNames.GetValueOrDefault(unit) : null,
            roles.OrderBy(RoleOrder).ThenBy(r => r, StringComparer.Ordinal).ToList(),
            u.IsActive, u.ConcurrencyStamp);
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
        nameof(IdentityErrorDescriber.ConcurrencyFailure) => ProblemMapping.ConcurrencyMessage,
        _ => "人员信息保存失败，请检查填写的内容",
    };
}
