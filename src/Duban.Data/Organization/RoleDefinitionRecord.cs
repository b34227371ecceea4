using Duban.Engine.Directory;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Organization;

/// <summary>
/// A role of one organization and the permissions it carries (decision 049): one of its own (特约督查员, 督查联络员 …), or a
/// built-in role whose permissions the organization changed. A built-in role without a row holds
/// <see cref="PermissionCatalog.BuiltIn"/>. People hold roles by name (Identity's roles, shared by name across
/// organizations); what a name lets them do is read here, in their own organization.
/// </summary>
public sealed class RoleDefinitionRecord
{
    public required string OrganizationId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>Permission keys (<see cref="PermissionCatalog.Entry.Key"/>), comma-separated.</summary>
    public string Permissions { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedByName { get; set; }
    /// <summary>Two security administrators saving the same role: one wins, the other gets 409.</summary>
    public uint ConcurrencyToken { get; set; }

    public IReadOnlySet<Permission> PermissionSet =>
        Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(PermissionCatalog.Parse).OfType<Permission>().ToHashSet();
}

internal sealed class RoleDefinitionRecordConfiguration : IEntityTypeConfiguration<RoleDefinitionRecord>
{
    public void Configure(EntityTypeBuilder<RoleDefinitionRecord> b)
    {
        b.ToTable("RoleDefinitions");
        b.HasKey(x => new { x.OrganizationId, x.Name });
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.Name).HasMaxLength(RoleNames.MaxLength);
        b.Property(x => x.Description).HasMaxLength(200);
        b.Property(x => x.Permissions).HasMaxLength(500);
        b.Property(x => x.UpdatedByName).HasMaxLength(100);
        b.Ignore(x => x.PermissionSet);
    }
}

/// <summary>One organization's roles as its people, pickers and checks see them.</summary>
public sealed record OrganizationRole(string Name, string? Description, IReadOnlySet<Permission> Permissions, bool BuiltIn, uint Version);

/// <summary>The roles of an organization: the built-in ones (as it changed them) and its own.</summary>
public static class RoleNames
{
    public const int MaxLength = 20;

    public static async Task<IReadOnlyList<OrganizationRole>> OfAsync(DubanDbContext db, string organizationId, CancellationToken ct)
    {
        var rows = await db.Set<RoleDefinitionRecord>().AsNoTracking().Where(r => r.OrganizationId == organizationId).ToListAsync(ct);
        return Merge(rows);
    }

    /// <summary>The names of <see cref="OfAsync"/>, in its order: what pickers offer and what a person, a step or a policy may name.</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(DubanDbContext db, string organizationId, CancellationToken ct) =>
        [.. (await OfAsync(db, organizationId, ct)).Select(r => r.Name)];

    /// <summary>The built-in roles first, in their order (a stored row overrides the defaults), then the organization's own by name.</summary>
    public static IReadOnlyList<OrganizationRole> Merge(IEnumerable<RoleDefinitionRecord> rows)
    {
        var stored = rows.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var list = new List<OrganizationRole>();
        foreach (var name in Roles.Assignable)
            list.Add(stored.Remove(name, out var row)
                ? new OrganizationRole(name, row.Description, row.PermissionSet, true, row.ConcurrencyToken)
                : new OrganizationRole(name, null, PermissionCatalog.BuiltIn.GetValueOrDefault(name) ?? new HashSet<Permission>(), true, 0));
        list.AddRange(stored.Values.OrderBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => new OrganizationRole(r.Name, r.Description, r.PermissionSet, false, r.ConcurrencyToken)));
        return list;
    }
}
