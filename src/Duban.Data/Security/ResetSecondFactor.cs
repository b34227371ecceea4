using Duban.Data.Organization;
using Duban.Data.Organization.Admin;
using Duban.Data.Writes;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Security;

/// <summary>
/// 管理员 resets a person's second factor (a lost phone): it is removed, and his sessions end. If a role of his requires
/// one, he enrols again right after his next sign-in.
/// </summary>
/// <param name="OrganizationId">The administrator's organization: another organization's person does not exist for him.</param>
public sealed record ResetSecondFactor(string OrganizationId, string Id) : IWrite<bool>
{
    public string Operation => "second-factor-reset";
    public string Subject => Id;
}

internal sealed class ResetSecondFactorHandler(UserManager<DubanUser> manager) : IWriteHandler<ResetSecondFactor, bool>
{
    public async Task<bool> HandleAsync(ResetSecondFactor write, WriteContext context, CancellationToken ct)
    {
        var user = await UserRules.FindAsync(manager, write.Id, write.OrganizationId);
        SecondFactorState.Clear(user);
        await context.BeginTransactionAsync(ct);
        UserRules.Check(await manager.UpdateSecurityStampAsync(user), manager);
        return true;
    }
}
