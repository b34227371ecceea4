using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Duban.Data.Audit;

/// <summary>
/// One entry of the security audit log (decision 044): who, when, from where, what and the result. Rows are only ever
/// added; a sealer then gives each, in turn, its place in the chain (<see cref="Sequence"/>) and a hash over its content
/// and the previous row's hash, so an edited or removed row breaks every hash after it.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    /// <summary>When, to the millisecond (what the hash covers, identically on SQLite and PostgreSQL).</summary>
    public DateTimeOffset At { get; set; }
    /// <summary>The organization the act belongs to (the actor's); null for the platform's own (decision 035).</summary>
    public string? OrganizationId { get; set; }
    public string? UserId { get; set; }
    /// <summary>The account name given — for a failed sign-in, whatever was typed.</summary>
    public string? UserName { get; set; }
    public string? Address { get; set; }
    /// <summary>The kind of act: a write's operation (<c>user-add</c>) or <c>sign-in</c>, <c>export</c> …</summary>
    public required string Action { get; set; }
    /// <summary>What it was about (a person's id, a unit, an item), as the write names it.</summary>
    public string? Subject { get; set; }
    /// <summary>The act in Chinese, as the auditor reads it.</summary>
    public required string Description { get; set; }
    /// <summary><see cref="AuditResults"/>.</summary>
    public required string Result { get; set; }
    /// <summary>The place in the chain, from 1 without gaps; null until sealed.</summary>
    public long? Sequence { get; set; }
    public string? PreviousHash { get; set; }
    public string? Hash { get; set; }
}

public static class AuditResults
{
    public const string Succeeded = "成功";
    public const string Failed = "失败";
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> b)
    {
        b.ToTable("AuditLog");
        b.Property(x => x.OrganizationId).HasMaxLength(64);
        b.Property(x => x.UserId).HasMaxLength(64);
        b.Property(x => x.UserName).HasMaxLength(256);
        b.Property(x => x.Address).HasMaxLength(64);
        b.Property(x => x.Action).HasMaxLength(64);
        b.Property(x => x.Subject).HasMaxLength(256);
        b.Property(x => x.Description).HasMaxLength(500);
        b.Property(x => x.Result).HasMaxLength(16);
        b.Property(x => x.PreviousHash).HasMaxLength(64);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.HasIndex(x => x.Sequence).IsUnique();
        b.HasIndex(x => new { x.OrganizationId, x.At });
    }
}
