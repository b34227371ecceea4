using Duban.Data.Organization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Security;

/// <summary>An organization's security policy, set by its administrator: which roles must sign in with a second factor.</summary>
public sealed class SecurityPolicyRecord
{
    public required string OrganizationId { get; set; }
    /// <summary>Role names, comma-separated; empty: the second factor is optional for everyone.</summary>
    public string SecondFactorRoles { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }

    public IReadOnlyList<string> Roles => SecondFactorRoles.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

internal sealed class SecurityPolicyRecordConfiguration : IEntityTypeConfiguration<SecurityPolicyRecord>
{
    public void Configure(EntityTypeBuilder<SecurityPolicyRecord> b)
    {
        b.ToTable("SecurityPolicies");
        b.HasKey(x => x.OrganizationId);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.SecondFactorRoles).HasMaxLength(500);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
        b.Ignore(x => x.Roles);
    }
}

/// <summary>Whether a person's roles make the second factor required in his organization.</summary>
public static class SecondFactorPolicy
{
    public static async Task<IReadOnlyList<string>> RolesAsync(DubanDbContext db, string? organizationId, CancellationToken ct)
    {
        if (organizationId is null) return [];
        var stored = await db.Set<SecurityPolicyRecord>().AsNoTracking().Where(p => p.OrganizationId == organizationId)
            .Select(p => p.SecondFactorRoles).FirstOrDefaultAsync(ct);
        return string.IsNullOrEmpty(stored) ? [] : stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>One small read when the organization requires nothing; a second, of the person's roles, when it does.</summary>
    public static async Task<bool> RequiredForAsync(DubanDbContext db, string userId, string? organizationId, CancellationToken ct)
    {
        var required = await RolesAsync(db, organizationId, ct);
        if (required.Count == 0) return false;
        var roles = await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name).ToListAsync(ct);
        return roles.Any(required.Contains);
    }

    public static bool IsEnrolled(DubanUser user) => user.TotpEnabledAt is not null && user.TotpSecret is not null;
}
