using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Security;

/// <summary>
/// A person proves the app holds the pending secret with one code: the second factor takes effect, and ten recovery codes
/// are made — returned this once, kept only as hashes. The code's step counts as used.
/// </summary>
public sealed record ConfirmSecondFactor(string UserId, string? Code) : IWrite<IReadOnlyList<string>>
{
    public string Operation => "second-factor-enrol";
    public string Subject => UserId;
}

internal sealed class ConfirmSecondFactorHandler(SecondFactor factor) : IWriteHandler<ConfirmSecondFactor, IReadOnlyList<string>>
{
    public async Task<IReadOnlyList<string>> HandleAsync(ConfirmSecondFactor write, WriteContext context, CancellationToken ct)
    {
        var user = await context.Db.Users.FirstOrDefaultAsync(u => u.Id == write.UserId, ct) ?? throw new NotFoundException("人员不存在");
        if (SecondFactorPolicy.IsEnrolled(user)) throw new WorkflowConflictException("已启用两步验证");
        if (user.TotpSecret is null) throw new WorkflowInputException("code", "请先生成密钥");
        if (string.IsNullOrWhiteSpace(write.Code)) throw new WorkflowInputException("code", "请输入验证器显示的 6 位动态口令");
        if (factor.MatchingStep(factor.Unprotect(user.TotpSecret), write.Code) is not { } step)
            throw new WorkflowInputException("code", "动态口令不正确，请核对手机时间后重试");
        var codes = SecondFactor.NewRecoveryCodes();
        user.TotpEnabledAt = context.Now;
        user.TotpLastStep = step;
        user.TotpRecoveryCodes = string.Join(',', codes.Select(SecondFactor.HashRecoveryCode));
        return codes;
    }
}
