using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Runtime.Tasks;

/// <summary>
/// 代理: a user names a deputy for a period (a leader on leave); during it the deputy sees and acts on his tasks. Only the
/// user himself or an administrator may name one; the deputy is a person of the same organization (decision 031).
/// </summary>
public sealed record SetDeputy(CurrentUser User, string? PrincipalUserId, string DeputyUserId, DateOnly StartsOn, DateOnly EndsOn, string? Reason) : IWrite<Guid>
{
    public string Operation => "deputy-set";
    public string Subject => PrincipalUserId ?? User.Id;
}

internal sealed class SetDeputyHandler(OrganizationCache cache) : IWriteHandler<SetDeputy, Guid>
{
    public async Task<Guid> HandleAsync(SetDeputy write, WriteContext context, CancellationToken ct)
    {
        var principal = string.IsNullOrWhiteSpace(write.PrincipalUserId) ? write.User.Id : write.PrincipalUserId;
        DeputyRules.MayManage(write.User, principal);
        var org = context.Organization.Within(OrganizationScope.Require(write.User));
        if (org.FindUser(principal) is null) throw new WorkflowInputException("userId", "被代理人不存在");
        var deputy = org.FindUser(write.DeputyUserId) ?? throw new WorkflowInputException("deputyUserId", "代理人不存在或不在本单位");
        if (deputy.Id == principal) throw new WorkflowInputException("deputyUserId", "不能指定本人为代理人");
        if (write.EndsOn < write.StartsOn) throw new WorkflowInputException("endsOn", "结束日期不能早于开始日期");
        if (write.EndsOn < Deputies.Today(context.Now)) throw new WorkflowInputException("endsOn", "结束日期已过");
        if (write.EndsOn.DayNumber - write.StartsOn.DayNumber > 366) throw new WorkflowInputException("endsOn", "代理期限不能超过一年");
        var overlapping = await context.Db.Set<DeputyRecord>().AnyAsync(d => d.UserId == principal && d.StartsOn <= write.EndsOn && d.EndsOn >= write.StartsOn, ct);
        if (overlapping) throw new WorkflowInputException("startsOn", "该时段已有代理人，请先取消原有的代理");
        var record = new DeputyRecord
        {
            Id = Guid.CreateVersion7(),
            UserId = principal,
            DeputyUserId = deputy.Id,
            StartsOn = write.StartsOn,
            EndsOn = write.EndsOn,
            Reason = string.IsNullOrWhiteSpace(write.Reason) ? null : write.Reason.Trim(),
            CreatedById = write.User.Id,
            CreatedAt = context.Now,
        };
        context.Db.Set<DeputyRecord>().Add(record);
        // The snapshot carries the periods (who is told on someone's behalf, decision 040).
        context.AfterCommit(cache.Invalidate);
        return record.Id;
    }
}

/// <summary>Takes a deputy back (the leader is back early, or the wrong person was named).</summary>
public sealed record RemoveDeputy(CurrentUser User, Guid DeputyId) : IWrite<bool>
{
    public string Operation => "deputy-remove";
    public string Subject => DeputyId.ToString();
}

internal sealed class RemoveDeputyHandler(OrganizationCache cache) : IWriteHandler<RemoveDeputy, bool>
{
    public async Task<bool> HandleAsync(RemoveDeputy write, WriteContext context, CancellationToken ct)
    {
        var record = await context.Db.Set<DeputyRecord>().FirstOrDefaultAsync(d => d.Id == write.DeputyId, ct)
            ?? throw new NotFoundException("代理设置不存在");
        // Another organization's setting does not exist for this user (decision 035).
        if (context.Organization.FindUser(record.UserId)?.OrganizationId != write.User.OrganizationId) throw new NotFoundException("代理设置不存在");
        DeputyRules.MayManage(write.User, record.UserId);
        context.Db.Set<DeputyRecord>().Remove(record);
        context.AfterCommit(cache.Invalidate);
        return true;
    }
}

internal static class DeputyRules
{
    public static void MayManage(CurrentUser user, string principal)
    {
        if (principal != user.Id && !user.Has(Permission.ManageUnitsAndPeople))
            throw new ForbiddenException("只能为自己设置代理人；为他人设置请联系管理员");
    }
}
