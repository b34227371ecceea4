using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Security;

/// <summary>A person starts enrolling: a new secret is kept as pending; it takes effect only when a code from it is verified.</summary>
public sealed record BeginSecondFactor(string UserId) : IWrite<SecondFactorSetup>
{
    public string Operation => "second-factor-begin";
    public string Subject => UserId;
}

/// <param name="Secret">Base32, to type into an authenticator app.</param>
/// <param name="Uri">The <c>otpauth://</c> URI (what a QR code would hold).</param>
public sealed record SecondFactorSetup(string Secret, string Uri);

internal sealed class BeginSecondFactorHandler(SecondFactor factor) : IWriteHandler<BeginSecondFactor, SecondFactorSetup>
{
    public async Task<SecondFactorSetup> HandleAsync(BeginSecondFactor write, WriteContext context, CancellationToken ct)
    {
        var user = await context.Db.Users.FirstOrDefaultAsync(u => u.Id == write.UserId, ct) ?? throw new NotFoundException("人员不存在");
        if (SecondFactorPolicy.IsEnrolled(user)) throw new WorkflowConflictException("已启用两步验证；如需更换，请先关闭后重新启用");
        var secret = SecondFactor.NewSecret();
        user.TotpSecret = factor.Protect(secret);
        user.TotpRecoveryCodes = null;
        return new SecondFactorSetup(secret, SecondFactor.UriOf(secret, user.UserName ?? user.Id));
    }
}
