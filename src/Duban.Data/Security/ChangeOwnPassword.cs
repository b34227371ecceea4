using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Security;

/// <summary>
/// A person changes their own password: the current one first, then the new one under the policy. Changing it renews
/// the security stamp, so every other session of the person ends; the caller signs the current browser in again.
/// </summary>
public sealed record ChangeOwnPassword(string UserId, string? CurrentPassword, string? NewPassword) : IWrite<DubanUser>
{
    public string Operation => "password-change";
    public string Subject => UserId;
}

internal sealed class ChangeOwnPasswordHandler(UserManager<DubanUser> manager) : IWriteHandler<ChangeOwnPassword, DubanUser>
{
    public async Task<DubanUser> HandleAsync(ChangeOwnPassword write, WriteContext context, CancellationToken ct)
    {
        var user = await manager.FindByIdAsync(write.UserId) ?? throw new NotFoundException("人员不存在");
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(write.CurrentPassword)) errors.Add(new("currentPassword", "请输入当前密码"));
        if (string.IsNullOrEmpty(write.NewPassword)) errors.Add(new("newPassword", "请输入新密码"));
        if (errors.Count > 0) throw new WorkflowInputException("请填写当前密码和新密码", errors);
        if (!await manager.CheckPasswordAsync(user, write.CurrentPassword!))
            throw new WorkflowInputException("currentPassword", "当前密码不正确");
        if (write.NewPassword == write.CurrentPassword)
            throw new WorkflowInputException("newPassword", "新密码不能与当前密码相同");
        foreach (var validator in manager.PasswordValidators)
        {
            var result = await validator.ValidateAsync(manager, user, write.NewPassword);
            errors.AddRange(result.Errors.Select(e => new FieldError("newPassword", Chinese(e))));
        }
        if (errors.Count > 0) throw new WorkflowInputException("新密码不符合要求", errors);

        await context.BeginTransactionAsync(ct);
        // His own password now: the one-time initial password's gate lifts (decision 043).
        user.MustChangePassword = false;
        user.PasswordSetByAdministrator = false;
        var changed = await manager.ChangePasswordAsync(user, write.CurrentPassword!, write.NewPassword!);
        if (!changed.Succeeded)
        {
            if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.ConcurrencyFailure)))
                throw new WorkflowConflictException("数据已被他人修改，请刷新后重试");
            throw new WorkflowInputException("新密码不符合要求", changed.Errors.Select(e => new FieldError("newPassword", Chinese(e))).ToList());
        }
        return user;
    }

    /// <summary>The policy's errors carry Chinese text; Identity's own validators are configured to add nothing.</summary>
    private static string Chinese(IdentityError e) =>
        e.Code.StartsWith(PasswordPolicy.CodePrefix, StringComparison.Ordinal) ? e.Description : "新密码不符合要求";
}
