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

public sealed record UnitDto(string Id, string Name, string? ParentId, int SortOrder, string? LeaderUserId, string? Kind);
public sealed record SaveUnitRequest(string? Id, string? Name, string? ParentId, int? SortOrder, string? LeaderUserId, string? Kind);
public sealed record UserDto(string Id, string UserName, string DisplayName, string? UnitId, string? UnitName, IReadOnlyList<string> Roles, bool IsActive);
public sealed record SaveUserRequest(string? UserName, string? DisplayName, string? UnitId, List<string>? Roles, string? Password, bool? IsActive);

/// <summary>Units (a tree), users and roles. Everyone signed in may read them (for pickers); 管理员 changes them.</summary>
internal static class OrganizationEndpoints
{
    public static void MapOrganizationApi(this IEndpointRouteBuilder app)
    {
        var units = app.MapGroup("/api/units").WithTags("组织").RequireAuthorization();
        var users = app.MapGroup("/api/users").WithTags("组织").RequireAuthorization();

        units.MapGet("/", async (DubanDbContext db, CancellationToken ct) =>
            TypedResults.Ok(await db.Units.AsNoTracking().OrderBy(u => u.SortOrder).ThenBy(u => u.Name)
                .Select(u => new UnitDto(u.Id, u.Name, u.ParentId, u.SortOrder, u.LeaderUserId, u.Kind)).ToListAsync(ct)))
            .WithSummary("单位列表（树形由 parentId 组成）");

        units.MapPost("/", async Task<Created<UnitDto>> (SaveUnitRequest request, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(request.Id) || request.Id.Length > 64) errors.Add(new("id", "请填写单位编码（不超过 64 个字符）"));
            else if (await db.Units.AnyAsync(u => u.Id == request.Id, ct)) errors.Add(new("id", "单位编码已存在"));
            await CheckUnit(request, db, errors, ct);
            if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
            var unit = new UnitRecord { Id = request.Id!, Name = request.Name!.Trim(), ParentId = request.ParentId, SortOrder = request.SortOrder ?? 0, LeaderUserId = request.LeaderUserId, Kind = request.Kind };
            db.Units.Add(unit);
            await db.SaveChangesAsync(ct);
            cache.Invalidate();
            return TypedResults.Created($"/api/units/{unit.Id}", ToDto(unit));
        }).RequireRole(Roles.Admin).WithSummary("新增单位").ProducesValidationProblem();

        units.MapPut("/{id}", async Task<Ok<UnitDto>> (string id, SaveUnitRequest request, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var unit = await db.Units.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw new Duban.Data.Definitions.NotFoundException("单位不存在");
            var errors = new List<FieldError>();
            await CheckUnit(request, db, errors, ct, id);
            if (errors.Count > 0) throw new WorkflowInputException("单位信息有误", errors);
            unit.Name = request.Name!.Trim();
            unit.ParentId = request.ParentId;
            unit.SortOrder = request.SortOrder ?? unit.SortOrder;
            unit.LeaderUserId = request.LeaderUserId;
            unit.Kind = request.Kind;
            await db.SaveChangesAsync(ct);
            cache.Invalidate();
            return TypedResults.Ok(ToDto(unit));
        }).RequireRole(Roles.Admin).WithSummary("修改单位").ProducesValidationProblem();

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
            await CheckUser(request, roles, db, errors, ct);
            var user = new DubanUser { UserName = userName, DisplayName = request.DisplayName?.Trim() ?? "", UnitId = request.UnitId, IsActive = request.IsActive ?? true };
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

        users.MapPut("/{id}", async Task<Ok<UserDto>> (string id, SaveUserRequest request, UserManager<DubanUser> manager, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await manager.FindByIdAsync(id) ?? throw new Duban.Data.Definitions.NotFoundException("人员不存在");
            var current = (await manager.GetRolesAsync(user)).ToList();
            // Roles left out: unchanged (as for isActive). An empty list removes them all.
            var roles = request.Roles is null ? current : Distinct(request.Roles);
            var errors = new List<FieldError>();
            await CheckUser(request, roles, db, errors, ct);
            if (!string.IsNullOrEmpty(request.Password)) errors.AddRange(await PasswordProblemsAsync(manager, user, request.Password));
            if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);

            var active = request.IsActive ?? user.IsActive;
            var access = active != user.IsActive || !current.ToHashSet(StringComparer.Ordinal).SetEquals(roles);
            // All or nothing: Identity saves after each step, so the steps share one transaction.
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                user.DisplayName = request.DisplayName!.Trim();
                user.UnitId = request.UnitId;
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
        }).RequireRole(Roles.Admin).WithSummary("修改人员（角色、单位、停用、重置密码）").ProducesValidationProblem();

        app.MapGet("/api/roles", () => TypedResults.Ok(Roles.All)).WithTags("组织").RequireAuthorization().WithSummary("角色");
    }

    private static async Task CheckUnit(SaveUnitRequest request, DubanDbContext db, List<FieldError> errors, CancellationToken ct, string? selfId = null)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new("name", "请填写单位名称"));
        else if (request.Name.Trim().Length > 200) errors.Add(new("name", "单位名称不超过 200 个字符"));
        if (request.Kind is { Length: > 50 }) errors.Add(new("kind", "单位类别不超过 50 个字符"));
        if (request.ParentId is { } parent)
        {
            if (parent == selfId) errors.Add(new("parentId", "上级单位不能是自己"));
            else if (!await db.Units.AnyAsync(u => u.Id == parent, ct)) errors.Add(new("parentId", "上级单位不存在"));
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
        if (request.LeaderUserId is { } leader && !await db.Users.AnyAsync(u => u.Id == leader, ct))
            errors.Add(new("leaderUserId", "单位负责人不存在"));
    }

    private static async Task CheckUser(SaveUserRequest request, IReadOnlyList<string> roles, DubanDbContext db, List<FieldError> errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DisplayName)) errors.Add(new("displayName", "请填写姓名"));
        else if (request.DisplayName.Trim().Length > 100) errors.Add(new("displayName", "姓名不超过 100 个字符"));
        if (request.UnitId is { } unit && !await db.Units.AnyAsync(u => u.Id == unit, ct)) errors.Add(new("unitId", "所属单位不存在"));
        foreach (var role in roles)
            if (!Roles.All.Contains(role)) errors.Add(new("roles", $"角色「{role}」不存在"));
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

    private static UnitDto ToDto(UnitRecord u) => new(u.Id, u.Name, u.ParentId, u.SortOrder, u.LeaderUserId, u.Kind);

    private static UserDto ToDto(DubanUser u, IEnumerable<string> roles, IReadOnlyDictionary<string, string> unitNames) =>
        new(u.Id, u.UserName!, u.DisplayName, u.UnitId, u.UnitId is { } unit ? unitNames.GetValueOrDefault(unit) : null,
            roles.OrderBy(RoleOrder).ThenBy(r => r, StringComparer.Ordinal).ToList(),
            u.IsActive);
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
