using Duban.Data;
using Duban.Data.Organization;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
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
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithSummary("新增单位").ProducesValidationProblem();

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
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithSummary("修改单位").ProducesValidationProblem();

        users.MapGet("/", async (OrganizationCache cache, DubanDbContext db, CancellationToken ct) =>
        {
            var org = await cache.GetAsync(ct);
            var list = await db.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync(ct);
            return TypedResults.Ok(list.Select(u => ToDto(u, org)).ToList());
        }).WithSummary("人员列表");

        users.MapPost("/", async Task<Created<UserDto>> (SaveUserRequest request, UserManager<DubanUser> manager, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var errors = new List<FieldError>();
            if (string.IsNullOrWhiteSpace(request.UserName)) errors.Add(new("userName", "请填写用户名"));
            else if (await manager.FindByNameAsync(request.UserName) is not null) errors.Add(new("userName", "用户名已存在"));
            if (string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "请设置初始密码"));
            await CheckUser(request, db, errors, ct);
            if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);
            var user = new DubanUser { UserName = request.UserName!.Trim(), DisplayName = request.DisplayName!.Trim(), UnitId = request.UnitId, IsActive = request.IsActive ?? true };
            var created = await manager.CreateAsync(user, request.Password!);
            if (!created.Succeeded) throw new WorkflowInputException("人员信息有误", created.Errors.Select(e => new FieldError(e.Code.Contains("Password") ? "password" : "userName", Chinese(e))).ToList());
            await manager.AddToRolesAsync(user, request.Roles ?? []);
            cache.Invalidate();
            return TypedResults.Created($"/api/users/{user.Id}", ToDto(user, await cache.GetAsync(ct)));
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithSummary("新增人员").ProducesValidationProblem();

        users.MapPut("/{id}", async Task<Ok<UserDto>> (string id, SaveUserRequest request, UserManager<DubanUser> manager, DubanDbContext db, OrganizationCache cache, CancellationToken ct) =>
        {
            var user = await manager.FindByIdAsync(id) ?? throw new Duban.Data.Definitions.NotFoundException("人员不存在");
            var errors = new List<FieldError>();
            await CheckUser(request, db, errors, ct);
            if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);
            user.DisplayName = request.DisplayName!.Trim();
            user.UnitId = request.UnitId;
            user.IsActive = request.IsActive ?? user.IsActive;
            await manager.UpdateAsync(user);
            var current = await manager.GetRolesAsync(user);
            await manager.RemoveFromRolesAsync(user, current.Except(request.Roles ?? []));
            await manager.AddToRolesAsync(user, (request.Roles ?? []).Except(current));
            if (!string.IsNullOrEmpty(request.Password))
            {
                var token = await manager.GeneratePasswordResetTokenAsync(user);
                var reset = await manager.ResetPasswordAsync(user, token, request.Password);
                if (!reset.Succeeded) throw new WorkflowInputException("password", string.Join("；", reset.Errors.Select(Chinese)));
            }
            cache.Invalidate();
            return TypedResults.Ok(ToDto(user, await cache.GetAsync(ct)));
        }).RequireAuthorization(p => p.RequireRole(Roles.Admin)).WithSummary("修改人员（角色、单位、重置密码）").ProducesValidationProblem();

        app.MapGet("/api/roles", () => TypedResults.Ok(Roles.All)).WithTags("组织").RequireAuthorization().WithSummary("角色");
    }

    private static async Task CheckUnit(SaveUnitRequest request, DubanDbContext db, List<FieldError> errors, CancellationToken ct, string? selfId = null)
    {
        if (string.IsNullOrWhiteSpace(request.Name)) errors.Add(new("name", "请填写单位名称"));
        if (request.ParentId is { } parent)
        {
            if (parent == selfId) errors.Add(new("parentId", "上级单位不能是自己"));
            else if (!await db.Units.AnyAsync(u => u.Id == parent, ct)) errors.Add(new("parentId", "上级单位不存在"));
        }
        if (request.LeaderUserId is { } leader && !await db.Users.AnyAsync(u => u.Id == leader, ct))
            errors.Add(new("leaderUserId", "单位负责人不存在"));
    }

    private static async Task CheckUser(SaveUserRequest request, DubanDbContext db, List<FieldError> errors, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.DisplayName)) errors.Add(new("displayName", "请填写姓名"));
        if (request.UnitId is { } unit && !await db.Units.AnyAsync(u => u.Id == unit, ct)) errors.Add(new("unitId", "所属单位不存在"));
        foreach (var role in request.Roles ?? [])
            if (!Roles.All.Contains(role)) errors.Add(new("roles", $"角色「{role}」不存在"));
    }

    private static string Chinese(IdentityError e) => e.Code switch
    {
        "PasswordTooShort" => "密码至少 8 位",
        "PasswordRequiresDigit" => "密码需包含数字",
        "PasswordRequiresLower" => "密码需包含小写字母",
        "PasswordRequiresUpper" => "密码需包含大写字母",
        "PasswordRequiresNonAlphanumeric" => "密码需包含符号",
        "DuplicateUserName" => "用户名已存在",
        "InvalidUserName" => "用户名只能包含字母、数字和 -._@+",
        _ => e.Description,
    };

    private static UnitDto ToDto(UnitRecord u) => new(u.Id, u.Name, u.ParentId, u.SortOrder, u.LeaderUserId, u.Kind);

    private static UserDto ToDto(DubanUser u, OrganizationSnapshot org)
    {
        var info = org.FindUser(u.Id);
        return new(u.Id, u.UserName!, u.DisplayName, u.UnitId, u.UnitId is { } unit ? org.FindUnit(unit)?.Name : null, info?.Roles ?? [], u.IsActive);
    }
}
