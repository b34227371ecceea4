using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Security;

/// <summary>
/// The code step of a sign-in: a current code whose time step is later than the last one accepted, or an unused recovery
/// code (which is then used up). The step is claimed by a conditional update, so the same code sent twice at once is
/// accepted once. The sign-in endpoint records the outcome in the audit log.
/// </summary>
public sealed record UseSecondFactor(string UserId, string? Code) : IWrite<SecondFactorUse>
{
    public string Operation => "second-factor-use";
    public string Subject => UserId;
}

public enum SecondFactorUse { Rejected, Code, RecoveryCode }

internal sealed class UseSecondFactorHandler(SecondFactor factor) : IWriteHandler<UseSecondFactor, SecondFactorUse>
{
    public async Task<SecondFactorUse> HandleAsync(UseSecondFactor write, WriteContext context, CancellationToken ct)
    {
        var user = await context.Db.Users.FirstOrDefaultAsync(u => u.Id == write.UserId, ct);
        if (user is null || !SecondFactorPolicy.IsEnrolled(user) || string.IsNullOrWhiteSpace(write.Code)) return SecondFactorUse.Rejected;
        if (SecondFactor.LooksLikeRecoveryCode(write.Code))
        {
            var hashes = SecondFactor.RecoveryHashes(user);
            var hash = SecondFactor.HashRecoveryCode(write.Code);
            if (!hashes.Remove(hash)) return SecondFactorUse.Rejected;
            user.TotpRecoveryCodes = string.Join(',', hashes);
            return SecondFactorUse.RecoveryCode;
        }
        if (factor.MatchingStep(factor.Unprotect(user.TotpSecret!), write.Code) is not { } step) return SecondFactorUse.Rejected;
        var id = user.Id;
        var claimed = await context.Db.Users.Where(u => u.Id == id && u.TotpLastStep < step)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpLastStep, step), ct);
        return claimed == 1 ? SecondFactorUse.Code : SecondFactorUse.Rejected;
    }
}
