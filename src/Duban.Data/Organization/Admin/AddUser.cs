using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Organization.Admin;

/// <summary>
/// 管理员 adds a person: user name, name, unit and an initial password; roles too when he may also grant them (三员分立,
/// decision 049: granting roles is the security administrator's).
/// </summary>
/// <param name="By">The administrator; the person joins his organization.</param>
public sealed record AddUser(CurrentUser By, string? UserName, UserFields Fields) : IWrite<SavedUser>
{
    public string OrganizationId => OrganizationScope.Require(By);

    public string Operation => "user-add";
    public string Subject => UserName ?? "";
}

internal sealed class AddUserHandler(UserManager<DubanUser> manager, OrganizationCache cache) : IWriteHandler<AddUser, SavedUser>
{
    public async Task<SavedUser> HandleAsync(AddUser write, WriteContext context, CancellationToken ct)
    {
        var request = write.Fields;
        var roles = UserRules.Distinct(request.Roles);
        UserRules.RequireAuthority(write.By, changesPerson: true, changesRoles: roles.Count > 0);
        var errors = new List<FieldError>();
        var userName = write.UserName?.Trim();
        if (string.IsNullOrEmpty(userName)) errors.Add(new("userName", "请填写用户名"));
        else if (userName.Length > 256) errors.Add(new("userName", "用户名不超过 256 个字符"));
        else if (await manager.FindByNameAsync(userName) is not null) errors.Add(new("userName", "用户名已存在"));
        await UserRules.CheckAsync(request, roles, context.Db, context.Organization, write.OrganizationId, errors, existing: null, ct);
        var user = new DubanUser
        {
            UserName = userName, DisplayName = request.DisplayName?.Trim() ?? "", UnitId = UnitRules.Blank(request.UnitId),
            OrganizationId = write.OrganizationId, IsActive = request.IsActive ?? true,
        };
        // The initial password is the administrator's: it works once (decision 046).
        OneTimePassword.Mark(user);
        if (string.IsNullOrEmpty(request.Password)) errors.Add(new("password", "请设置初始密码"));
        else errors.AddRange(await UserRules.PasswordProblemsAsync(manager, user, request.Password));
        if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);

        // Identity saves after each step: the steps run in the door's transaction, which commits them all or none.
        await context.BeginTransactionAsync(ct);
        UserRules.Check(await manager.CreateAsync(user, request.Password!), manager);
        if (roles.Count > 0) UserRules.Check(await manager.AddToRolesAsync(user, roles), manager);
        context.AfterCommit(cache.Invalidate);
        return new SavedUser(user, roles);
    }
}
