using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Organization.Admin;

/// <summary>
/// 管理员 changes a person: name, unit, roles, active or not, and optionally a new password. With
/// <paramref name="ConcurrencyStamp"/> (the stamp the change is based on), a change made meanwhile by someone else is
/// refused (409). A change of roles or of being active renews the person's security stamp, so sessions issued before it
/// are refused.
/// </summary>
/// <param name="By">The administrator making the change (who may not lock themselves out).</param>
public sealed record ChangeUser(string Id, UserFields Fields, string? ConcurrencyStamp, CurrentUser By) : IWrite<SavedUser>
{
    public string Operation => "user-change";
    public string Subject => Id;
}

internal sealed class ChangeUserHandler(UserManager<DubanUser> manager, OrganizationCache cache) : IWriteHandler<ChangeUser, SavedUser>
{
    public async Task<SavedUser> HandleAsync(ChangeUser write, WriteContext context, CancellationToken ct)
    {
        var request = write.Fields;
        var user = await UserRules.FindAsync(manager, write.Id, OrganizationScope.Require(write.By));
        if (write.ConcurrencyStamp is { Length: > 0 } stamp && stamp != user.ConcurrencyStamp)
            throw new WorkflowConflictException("该人员信息已被他人修改，请刷新后重试");
        var current = (await manager.GetRolesAsync(user)).ToList();
        // Roles left out: unchanged (as for isActive). An empty list removes them all.
        var roles = request.Roles is null ? current : UserRules.Distinct(request.Roles);
        var active = request.IsActive ?? user.IsActive;
        var changesRoles = !current.ToHashSet(StringComparer.Ordinal).SetEquals(roles);
        var changesPerson = active != user.IsActive || !string.IsNullOrEmpty(request.Password) ||
            (request.DisplayName?.Trim() ?? "") != user.DisplayName || UnitRules.Blank(request.UnitId) != user.UnitId;
        UserRules.RequireAuthority(write.By, changesPerson, changesRoles);
        var errors = new List<FieldError>();
        await UserRules.CheckAsync(request, roles, context.Db, context.Organization, OrganizationScope.Require(write.By), errors, user, ct);
        UserRules.CheckNotSelfLockout(user, current, roles, active, write.By.Id, errors);
        if (!string.IsNullOrEmpty(request.Password)) errors.AddRange(await UserRules.PasswordProblemsAsync(manager, user, request.Password));
        if (errors.Count > 0) throw new WorkflowInputException("人员信息有误", errors);
        if (changesRoles || !active)
            RoleRules.CheckKeepsSecurityAdministrator(context.Organization, OrganizationScope.Require(write.By), changedRole: null, (user.Id, roles, active));

        var access = active != user.IsActive || changesRoles;
        // All or nothing: Identity saves after each step, so the steps share the door's transaction.
        await context.BeginTransactionAsync(ct);
        user.DisplayName = request.DisplayName!.Trim();
        user.UnitId = UnitRules.Blank(request.UnitId);
        user.IsActive = active;
        UserRules.Check(await manager.UpdateAsync(user), manager);
        var remove = current.Except(roles, StringComparer.Ordinal).ToList();
        if (remove.Count > 0) UserRules.Check(await manager.RemoveFromRolesAsync(user, remove), manager);
        var add = roles.Except(current, StringComparer.Ordinal).ToList();
        if (add.Count > 0) UserRules.Check(await manager.AddToRolesAsync(user, add), manager);
        if (!string.IsNullOrEmpty(request.Password))
        {
            // Resetting the password also renews the security stamp; the password is one-time (decision 046).
            OneTimePassword.Mark(user);
            var token = await manager.GeneratePasswordResetTokenAsync(user);
            UserRules.Check(await manager.ResetPasswordAsync(user, token, request.Password), manager);
        }
        else if (access)
        {
            // Sessions issued before the change are refused (the snapshot refuses them at once on this instance).
            UserRules.Check(await manager.UpdateSecurityStampAsync(user), manager);
        }
        context.AfterCommit(cache.Invalidate);
        return new SavedUser(user, roles);
    }
}
