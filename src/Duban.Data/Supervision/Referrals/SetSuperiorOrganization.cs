using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Supervision.Referrals;

/// <summary>
/// 平台管理员 says which organization is above <paramref name="OrganizationId"/> (上级交办, decision 050); null: none.
/// Both are organizations of the installation; an organization is not above itself, nor above one above it.
/// </summary>
public sealed record SetSuperiorOrganization(CurrentUser By, string OrganizationId, string? SuperiorOrganizationId) : IWrite<string?>
{
    public string Operation => "organization-superior";
    public string Subject => OrganizationId;
}

internal sealed class SetSuperiorOrganizationHandler : IWriteHandler<SetSuperiorOrganization, string?>, IRetryOnDuplicateKey
{
    public async Task<string?> HandleAsync(SetSuperiorOrganization write, WriteContext context, CancellationToken ct)
    {
        if (!write.By.IsInRole(Roles.Platform)) throw new ForbiddenException("只有平台管理员可以设置上级组织");
        var db = context.Db;
        if (!await db.Units.AnyAsync(u => u.Id == write.OrganizationId && u.ParentId == null, ct)) throw new NotFoundException("组织不存在");
        var links = db.Set<OrganizationLinkRecord>();
        var link = await links.FirstOrDefaultAsync(l => l.OrganizationId == write.OrganizationId, ct);
        var superior = string.IsNullOrWhiteSpace(write.SuperiorOrganizationId) ? null : write.SuperiorOrganizationId.Trim();
        if (superior is null)
        {
            if (link is not null) links.Remove(link);
            return null;
        }
        if (superior == write.OrganizationId) throw new WorkflowInputException("superiorOrganizationId", "组织不能是自己的上级");
        if (!await db.Units.AnyAsync(u => u.Id == superior && u.ParentId == null, ct))
            throw new WorkflowInputException("superiorOrganizationId", "上级组织不存在");
        // No circle: walking up from the new superior must not come back to this organization.
        var all = await links.AsNoTracking().ToDictionaryAsync(l => l.OrganizationId, l => l.SuperiorOrganizationId, ct);
        var hops = 0;
        for (string? up = superior; up is not null && hops < 64; up = all.GetValueOrDefault(up), hops++)
            if (up == write.OrganizationId) throw new WorkflowInputException("superiorOrganizationId", "不能把下级组织设为上级（会形成循环）");
        if (link is null) links.Add(new OrganizationLinkRecord { OrganizationId = write.OrganizationId, SuperiorOrganizationId = superior, CreatedAt = context.Now });
        else link.SuperiorOrganizationId = superior;
        return superior;
    }
}
