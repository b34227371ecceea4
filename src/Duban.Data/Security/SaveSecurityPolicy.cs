using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Security;

/// <summary>安全策略 (the organization's administrator): which roles must sign in with a second factor.</summary>
public sealed record SaveSecurityPolicy(CurrentUser User, IReadOnlyList<string?>? SecondFactorRoles) : IWrite<SecurityPolicyRecord>, IRetryOnDuplicateKey
{
    public string Operation => "security-policy";
    public string Subject => User.OrganizationId ?? "";
}

internal sealed class SaveSecurityPolicyHandler : IWriteHandler<SaveSecurityPolicy, SecurityPolicyRecord>
{
    public async Task<SecurityPolicyRecord> HandleAsync(SaveSecurityPolicy write, WriteContext context, CancellationToken ct)
    {
        if (!write.User.Has(Permission.ManageRolesAndSecurity)) throw new ForbiddenException("只有安全管理员可以修改安全策略");
        var organizationId = OrganizationScope.Require(write.User);
        if (write.SecondFactorRoles is null) throw new WorkflowInputException("secondFactorRoles", "请选择须使用两步验证的角色（可不选）");
        var roles = write.SecondFactorRoles.Select(r => r?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        var known = await RoleNames.NamesAsync(context.Db, organizationId, ct);
        if (roles.FirstOrDefault(r => !known.Contains(r)) is { } unknown)
            throw new WorkflowInputException("secondFactorRoles", $"角色“{unknown}”不存在");
        var row = await context.Db.Set<SecurityPolicyRecord>().FirstOrDefaultAsync(p => p.OrganizationId == organizationId, ct);
        if (row is null)
        {
            row = new SecurityPolicyRecord { OrganizationId = organizationId };
            context.Db.Set<SecurityPolicyRecord>().Add(row);
        }
        row.SecondFactorRoles = string.Join(',', known.Where(roles.Contains));
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        return row;
    }
}
