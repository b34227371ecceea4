using Duban.Data.Calendar.Admin;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization.Admin;

/// <summary>
/// 平台管理员 adds an organization to the installation (decision 035): its root unit, its first administrator (who then
/// builds its units and people), and its work calendar — one write. Its procedures follow as writes of their own
/// (<see cref="Startup.ShippedTemplates"/>), as they do for an organization made at first start.
/// </summary>
/// <param name="Id">The organization's code: the root unit's id, which its calendars, rules and items are kept under.</param>
public sealed record AddOrganization(CurrentUser By, string? Id, string? Name, string? AdminUserName, string? AdminDisplayName, string? AdminPassword)
    : IWrite<UnitRecord>
{
    public string Operation => "organization-add";
    public string Subject => Id ?? "";
}

internal sealed class AddOrganizationHandler(UserManager<DubanUser> manager, OrganizationCache cache) : IWriteHandler<AddOrganization, UnitRecord>
{
    public async Task<UnitRecord> HandleAsync(AddOrganization write, WriteContext context, CancellationToken ct)
    {
        if (!write.By.IsInRole(Roles.Platform)) throw new ForbiddenException("只有平台管理员可以新建组织");
        var db = context.Db;
        var errors = new List<FieldError>();
        var id = write.Id?.Trim();
        if (string.IsNullOrEmpty(id) || id.Length > 64) errors.Add(new("id", "请填写组织编码（不超过 64 个字符）"));
        else if (!UnitRules.IdPattern().IsMatch(id)) errors.Add(new("id", "组织编码只能包含字母、数字、- 和 _"));
        else if (await db.Units.AnyAsync(u => u.Id == id, ct)) errors.Add(new("id", "该编码已被使用"));
        var name = write.Name?.Trim();
        if (string.IsNullOrEmpty(name)) errors.Add(new("name", "请填写组织名称"));
        else if (name.Length > 200) errors.Add(new("name", "组织名称不超过 200 个字符"));
        var userName = write.AdminUserName?.Trim();
        if (string.IsNullOrEmpty(userName)) errors.Add(new("adminUserName", "请填写管理员的用户名"));
        else if (userName.Length > 256) errors.Add(new("adminUserName", "用户名不超过 256 个字符"));
        else if (await manager.FindByNameAsync(userName) is not null) errors.Add(new("adminUserName", "用户名已存在"));
        var displayName = write.AdminDisplayName?.Trim();
        if (string.IsNullOrEmpty(displayName)) errors.Add(new("adminDisplayName", "请填写管理员姓名"));
        else if (displayName.Length > 100) errors.Add(new("adminDisplayName", "姓名不超过 100 个字符"));
        var admin = new DubanUser { UserName = userName, DisplayName = displayName ?? "", UnitId = id, OrganizationId = id };
        // The platform administrator chose this password: it works once (decision 046).
        OneTimePassword.Mark(admin);
        if (string.IsNullOrEmpty(write.AdminPassword)) errors.Add(new("adminPassword", "请设置管理员的初始密码"));
        else errors.AddRange((await UserRules.PasswordProblemsAsync(manager, admin, write.AdminPassword)).Select(e => e with { Field = "adminPassword" }));
        if (errors.Count > 0) throw new WorkflowInputException("组织信息有误", errors);

        var root = new UnitRecord { Id = id!, Name = name!, ParentId = null, Kind = "机关", SortOrder = 0 };
        db.Units.Add(root);
        await CalendarRows.EnsureShippedAsync(db, root.Id, context.Now, ct);
        // Identity saves after each step: the steps run in the door's transaction, which commits them all or none.
        await context.BeginTransactionAsync(ct);
        UserRules.Check(await manager.CreateAsync(admin, write.AdminPassword!), manager);
        // The organization's only person at first: he administers it and grants roles (三员分立 later, by giving 安全管理员
        // to another person and this role back — decision 049).
        UserRules.Check(await manager.AddToRolesAsync(admin, [Roles.Admin, Roles.SecurityAdmin]), manager);
        context.AfterCommit(cache.Invalidate);
        return root;
    }
}
