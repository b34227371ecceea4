using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Scoring;

/// <summary>撤销通报 (督查员): a bulletin issued by mistake is revoked with a reason and no longer counts; it is kept.</summary>
public sealed record RevokeBulletin(Guid BulletinId, CurrentUser User, string? Reason) : IWrite<BulletinRecord>
{
    public string Operation => "bulletin-revoke";
    public string Subject => BulletinId.ToString();
}

internal sealed class RevokeBulletinHandler : IWriteHandler<RevokeBulletin, BulletinRecord>
{
    public async Task<BulletinRecord> HandleAsync(RevokeBulletin write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.Score)) throw new ForbiddenException("只有有「考核与通报」权限的人员（督查员）可以撤销通报批评");
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤销理由");
        if (reason.Length > 500) throw new WorkflowInputException("reason", "撤销理由不能超过 500 字");
        var organizationId = OrganizationScope.Require(write.User);
        var row = await context.Db.Set<BulletinRecord>().FirstOrDefaultAsync(b => b.Id == write.BulletinId && b.OrganizationId == organizationId, ct)
            ?? throw new NotFoundException("通报记录不存在");
        if (row.Revoked) throw new WorkflowConflictException("该通报已撤销");
        row.Revoked = true;
        row.RevokeReason = reason;
        return row;
    }
}
