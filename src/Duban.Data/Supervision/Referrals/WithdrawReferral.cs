using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// 撤回交办 (decision 050, addendum): the superior's 督查室 withdraws its 交办 <paramref name="ReferralId"/> of item
/// <paramref name="ItemId"/>, with a reason, as long as no 办结报告 came back. The 交办 ends as withdrawn: a start or a
/// report after it is refused; the subordinate's own item, if started, stays the subordinate's to end (its office is told,
/// and the item shows the withdrawal). The superior's step is its own again — the 交办 only ever held it by reference
/// (the report would have completed it), so nothing of the superior's item is touched.
/// </summary>
public sealed record WithdrawReferral(CurrentUser By, Guid ItemId, Guid ReferralId, string? Reason) : IWrite<ReferralRecord>
{
    public string Operation => "referral-withdraw";
    public string Subject => ReferralId.ToString();
}

internal sealed class WithdrawReferralHandler : IWriteHandler<WithdrawReferral, ReferralRecord>
{
    public async Task<ReferralRecord> HandleAsync(WithdrawReferral write, WriteContext context, CancellationToken ct)
    {
        var organizationId = OrganizationScope.Require(write.By);
        if (!write.By.Has(Permission.Supervise)) throw new ForbiddenException("只有督查部门可以撤回交办");
        var db = context.Db;
        if (!await ItemVisibility.Visible(db, write.By).AnyAsync(i => i.Id == write.ItemId, ct)) throw new NotFoundException("事项不存在");
        var referral = await db.Set<ReferralRecord>().FirstOrDefaultAsync(r => r.Id == write.ReferralId && r.SuperiorItemId == write.ItemId
            && r.SuperiorOrganizationId == organizationId, ct) ?? throw new NotFoundException("交办不存在");
        var reason = write.Reason?.Trim();
        if (string.IsNullOrEmpty(reason)) throw new WorkflowInputException("reason", "请填写撤回原因");
        if (reason.Length > 500) throw new WorkflowInputException("reason", "撤回原因不超过 500 个字符");
        if (referral.Status == ReferralStatus.Withdrawn) throw new WorkflowConflictException("该交办已撤回");
        if (referral.Status == ReferralStatus.Reported) throw new WorkflowConflictException("下级组织已报送办结报告，不能撤回");

        var started = referral.Status == ReferralStatus.Started;
        referral.Status = ReferralStatus.Withdrawn;
        referral.WithdrawnAt = context.Now;
        referral.WithdrawnByName = write.By.DisplayName;
        referral.WithdrawnReason = reason;
        var superior = context.Organization.FindUnit(organizationId)?.Name ?? organizationId;
        ReferralNotices.Tell(context, referral.SubordinateOrganizationId, referral, $"{superior}撤回交办：{referral.Title}",
            $"撤回原因：{reason}" + (started ? "。本单位已启动的事项仍由本单位决定是否继续办理或撤销。" : ""),
            instanceId: null, "referral-withdrawn");
        return referral;
    }
}
