using Duban.Data.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data.Writes;

/// <summary>Adds audit rows for the write door and for <see cref="RecordAuditEvent"/>: the actor of the scope, the time to the millisecond.</summary>
public static class AuditTrail
{
    /// <summary>A write the log records has succeeded: its row goes into the write's own transaction.</summary>
    internal static async Task AddForWriteAsync(WriteContext context, string operation, string subject, CancellationToken ct)
    {
        if (!AuditedOperations.IsAudited(operation)) return;
        await AddAsync(context, operation, subject, AuditedOperations.NameOf(operation), AuditResults.Succeeded, userName: null, ct);
    }

    internal static async Task AddAsync(WriteContext context, string action, string? subject, string description, string result,
        string? userName, CancellationToken ct)
    {
        var actor = context.Services.GetService<AuditActor>() ?? new AuditActor();
        var organizationId = actor.UserId is null ? null
            : await context.Db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => u.OrganizationId).FirstOrDefaultAsync(ct);
        context.Db.Set<AuditRecord>().Add(new AuditRecord
        {
            At = Truncate(context.Now),
            OrganizationId = organizationId,
            UserId = actor.UserId,
            UserName = Clip(userName ?? actor.UserName ?? (actor.UserId is null ? "系统" : null), 256),
            Address = Clip(actor.Address, 64),
            Action = Clip(action, 64)!,
            Subject = Clip(subject, 256),
            Description = Clip(description, 500)!,
            Result = result,
        });
    }

    /// <summary>The hash covers the time as text to the millisecond; both databases keep at least that.</summary>
    internal static DateTimeOffset Truncate(DateTimeOffset at) =>
        new DateTimeOffset(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMillisecond, TimeSpan.Zero);

    private static string? Clip(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}

/// <summary>
/// An act the log records that is not itself a write of the door — a sign-in or its failure, an export, a download — or
/// a write the door refused (recorded after its rollback, with the reason).
/// </summary>
/// <param name="UserName">The account named, when it is not the scope's actor (a failed sign-in's typed name).</param>
/// <param name="UserId">The person, when the scope has no signed-in actor yet (a sign-in that succeeded).</param>
public sealed record RecordAuditEvent(string Action, string? AuditSubject, string Description, string Result, string? UserName = null,
    string? UserId = null) : IWrite<bool>
{
    public string Operation => "audit";
    public string Subject => AuditSubject ?? Action;
}

internal sealed class RecordAuditEventHandler : IWriteHandler<RecordAuditEvent, bool>
{
    public async Task<bool> HandleAsync(RecordAuditEvent write, WriteContext context, CancellationToken ct)
    {
        if (write.UserId is not null && context.Services.GetService<AuditActor>() is { UserId: null } actor)
            actor.UserId = write.UserId;
        await AuditTrail.AddAsync(context, write.Action, write.AuditSubject, write.Description, write.Result, write.UserName, ct);
        return true;
    }
}
