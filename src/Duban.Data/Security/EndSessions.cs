using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Security;

/// <summary>
/// Ends every session of a person (logout): the security stamp is renewed, and each request checks its cookie's stamp
/// against the stored one, so a cookie issued before — in this browser or any other — is refused from the next request.
/// </summary>
public sealed record EndSessions(string UserId) : IWrite<bool>
{
    public string Operation => "sessions-end";
    public string Subject => UserId;
}

internal sealed class EndSessionsHandler(UserManager<DubanUser> manager) : IWriteHandler<EndSessions, bool>
{
    public async Task<bool> HandleAsync(EndSessions write, WriteContext context, CancellationToken ct)
    {
        var user = await manager.FindByIdAsync(write.UserId) ?? throw new NotFoundException("人员不存在");
        await context.BeginTransactionAsync(ct);
        var result = await manager.UpdateSecurityStampAsync(user);
        if (!result.Succeeded) throw new WorkflowConflictException("数据已被他人修改，请刷新后重试");
        return true;
    }
}
