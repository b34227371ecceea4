using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Organization;

/// <summary>A signed-in person. Roles come from ASP.NET Core Identity; the unit says whose items they see.</summary>
public sealed class DubanUser : IdentityUser
{
    public required string DisplayName { get; set; }
    public string? UnitId { get; set; }
    /// <summary>
    /// The organization (root unit) the person belongs to — the root above <see cref="UnitId"/> when there is one; null
    /// only for a platform administrator, who belongs to none (decision 035).
    /// </summary>
    public string? OrganizationId { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>
    /// The password was set by the installation, not by the person (the initial administrator's one-time password):
    /// until he sets his own, only the sign-in endpoints answer him (decision 043).
    /// </summary>
    public bool MustChangePassword { get; set; }
    /// <summary>
    /// The password was set by an administrator (a new person, a reset): one-time like the initial one, with its own reason
    /// (decision 046). Cleared with <see cref="MustChangePassword"/> when the person sets his own.
    /// </summary>
    public bool PasswordSetByAdministrator { get; set; }
    /// <summary>The TOTP secret (protected with the installation's data-protection keys); set while enrolling and once enrolled.</summary>
    public string? TotpSecret { get; set; }
    /// <summary>When the second factor took effect (one code verified); null: not enrolled (a pending secret does not count).</summary>
    public DateTimeOffset? TotpEnabledAt { get; set; }
    /// <summary>The last time step a code was accepted for: a code of that step or earlier is not accepted again (no replay).</summary>
    public long TotpLastStep { get; set; }
    /// <summary>The unused recovery codes' SHA-256 hashes, comma-separated; each works once in place of a code.</summary>
    public string? TotpRecoveryCodes { get; set; }
}

/// <summary>A unit in the organization tree (厅办公室, 法制处, 各市局 …).</summary>
public sealed class UnitRecord
{
    public required string Id { get; set; }
    public required string Name { get; set; }
    public string? ParentId { get; set; }
    public int SortOrder { get; set; }
    public string? LeaderUserId { get; set; }
    /// <summary>分管领导: the leader in charge of the unit (decides its extension requests when the procedure says so).</summary>
    public string? SupervisorUserId { get; set; }
    /// <summary>督查部门 (supervision office), 承办单位 (handling unit), 领导班子 …</summary>
    public string? Kind { get; set; }
    /// <summary>A disabled (停用) unit stays in the tree for the items that name it, but is offered for nothing new.</summary>
    public bool IsActive { get; set; } = true;
    /// <summary>Optimistic concurrency: two administrators saving the same unit — one wins, the other gets 409.</summary>
    public uint ConcurrencyToken { get; set; }
}

internal sealed class UnitRecordConfiguration : IEntityTypeConfiguration<UnitRecord>
{
    public void Configure(EntityTypeBuilder<UnitRecord> b)
    {
        b.ToTable("Units");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.ParentId).HasMaxLength(64);
        b.Property(x => x.LeaderUserId).HasMaxLength(64);
        b.Property(x => x.SupervisorUserId).HasMaxLength(64);
        b.Property(x => x.Kind).HasMaxLength(50);
        b.HasIndex(x => x.ParentId);
    }
}

internal sealed class DubanUserConfiguration : IEntityTypeConfiguration<DubanUser>
{
    public void Configure(EntityTypeBuilder<DubanUser> b)
    {
        b.Property(x => x.DisplayName).HasMaxLength(100);
        b.Property(x => x.UnitId).HasMaxLength(64);
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.HasIndex(x => x.OrganizationId);
        b.HasIndex(x => x.UnitId);
        b.Property(x => x.TotpSecret).HasMaxLength(500);
        b.Property(x => x.TotpRecoveryCodes).HasMaxLength(1000);
    }
}
