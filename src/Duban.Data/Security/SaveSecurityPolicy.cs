using Duban.Data.Organization;
using Duban.Data.Writes;
using Duban.Engine.Directory;
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
        if (!write.User.IsInRole(Roles.Admin)) throw new ForbiddenException("只有管理员可以修改安全策略");
        var organizationId = OrganizationScope.Require(write.User);
        if (write.SecondFactorRoles is null) throw new WorkflowInputException("secondFactorRoles", "请选择须使用两步验证的角色（可不选）");
        var roles = write.SecondFactorRoles.Select(r => r?.Trim() ?? "").Distinct(StringComparer.Ordinal).ToList();
        if (roles.FirstOrDefault(r => !Roles.Assignable.Contains(r)) is { } unknown)
            throw new WorkflowInputException("secondFactorRoles", $"角色“{unknown}”不存在");
        var row = await context.Db.Set<SecurityPolicyRecord>().FirstOrDefaultAsync(p => p.OrganizationId == organizationId, ct);
        if (row is null)
        {
            row = new SecurityPolicyRecord { OrganizationId = organizationId };
            context.Db.Set<SecurityPolicyRecord>().Add(row);
        }
        row.SecondFactorRoles = string.Join(',', Roles.Assignable.Where(roles.Contains));
        row.UpdatedAt = context.Now;
        row.UpdatedByName = write.User.DisplayName;
        return row;
    }
}
