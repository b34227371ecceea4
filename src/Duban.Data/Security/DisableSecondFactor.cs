using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Duban.Engine.Forms;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Security;

/// <summary>A person turns his second factor off, with his password and a current code — unless a role of his requires it.</summary>
public sealed record DisableSecondFactor(string UserId, string? Password, string? Code) : IWrite<bool>
{
    public string Operation => "second-factor-disable";
    public string Subject => UserId;
}

internal sealed class DisableSecondFactorHandler(UserManager<DubanUser> manager, SecondFactor factor) : IWriteHandler<DisableSecondFactor, bool>
{
    public async Task<bool> HandleAsync(DisableSecondFactor write, WriteContext context, CancellationToken ct)
    {
        var user = await manager.FindByIdAsync(write.UserId) ?? throw new NotFoundException("人员不存在");
        if (!SecondFactorPolicy.IsEnrolled(user)) throw new WorkflowConflictException("尚未启用两步验证");
        if (await SecondFactorPolicy.RequiredForAsync(context.Db, user.Id, user.OrganizationId, ct))
            throw new WorkflowInputException("code", "您的角色按安全策略必须使用两步验证，不能关闭");
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(write.Password)) errors.Add(new("password", "请输入密码"));
        if (string.IsNullOrWhiteSpace(write.Code)) errors.Add(new("code", "请输入动态口令"));
        if (errors.Count > 0) throw new WorkflowInputException("请输入密码和动态口令", errors);
        if (!await manager.CheckPasswordAsync(user, write.Password!)) throw new WorkflowInputException("password", "密码不正确");
        // The password is asked too, so a code of the current window is enough (no replay check: the person may just have signed in with it).
        if (factor.MatchingStep(factor.Unprotect(user.TotpSecret!), write.Code) is null)
            throw new WorkflowInputException("code", "动态口令不正确");
        SecondFactorState.Clear(user);
        return true;
    }
}

internal static class SecondFactorState
{
    public static void Clear(DubanUser user)
    {
        user.TotpSecret = null;
        user.TotpEnabledAt = null;
        user.TotpLastStep = 0;
        user.TotpRecoveryCodes = null;
    }
}
