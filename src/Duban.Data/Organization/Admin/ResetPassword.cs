using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Organization.Admin;

/// <summary>管理员 sets a new password for a person. Resetting renews the security stamp: the person's open sessions end.</summary>
/// <param name="OrganizationId">The administrator's organization: another organization's person does not exist for him.</param>
public sealed record ResetPassword(string OrganizationId, string Id, string? Password) : IWrite<bool>
{
    public string Operation => "user-reset-password";
    public string Subject => Id;
}

internal sealed class ResetPasswordHandler(UserManager<DubanUser> manager, OrganizationCache cache) : IWriteHandler<ResetPassword, bool>
{
    public async Task<bool> HandleAsync(ResetPassword write, WriteContext context, CancellationToken ct)
    {
        var user = await UserRules.FindAsync(manager, write.Id, write.OrganizationId);
        if (string.IsNullOrEmpty(write.Password)) throw new WorkflowInputException("password", "请填写新密码");
        var problems = await UserRules.PasswordProblemsAsync(manager, user, write.Password);
        if (problems.Count > 0) throw new WorkflowInputException("密码不符合要求", problems);
        await context.BeginTransactionAsync(ct);
        // A password someone else knows works once: the person sets his own at sign-in (decision 046).
        OneTimePassword.Mark(user);
        var token = await manager.GeneratePasswordResetTokenAsync(user);
        UserRules.Check(await manager.ResetPasswordAsync(user, token, write.Password), manager);
        context.AfterCommit(cache.Invalidate);
        return true;
    }
}
