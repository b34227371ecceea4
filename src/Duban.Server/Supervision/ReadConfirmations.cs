using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Tasks;
using Duban.Engine.Directory;
using Duban.Engine.Execution;
using Duban.Server.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Supervision;

/// <summary>
/// Who has and has not read an item's circulations (参阅 / 阅知 / 抄送): one line per recipient of every notice the
/// item sent — a unit (any of its liaisons or its leader confirms for it), a person, or a role.
/// </summary>
/// <param name="Total">Recipients still expected to read or having read (cancelled notices are not counted).</param>
public sealed record ReadsView(int Total, int Read, int Unread, IReadOnlyList<CirculationView> Circulations);

/// <summary>One circulation: one run of a 阅知 step.</summary>
public sealed record CirculationView(
    string ActivityId, string ActivityName, int Round, DateTimeOffset SentAt, string? Message, int Total, int Read,
    IReadOnlyList<ReadView> Recipients);

/// <param name="Status"><c>read</c> (已阅), <c>unread</c> (未阅), or <c>cancelled</c> (the item ended while the flow waited for it).</param>
public sealed record ReadView(
    Guid TaskId, string? UnitId, string? UnitName, string? UserId, string? UserName, string? Role, string Status,
    DateTimeOffset? ReadAt, string? ReadById, string? ReadByName, string? Comment);

internal static class ReadConfirmations
{
    public static RouteGroupBuilder MapReadsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances/{id:guid}/reads").WithTags("事项").RequireAuthorization();
        group.MapGet("/", async Task<Ok<ReadsView>> (Guid id, HttpContext http, DubanDbContext db, OrganizationCache orgCache, CancellationToken ct) =>
        {
            var user = await http.GetCurrentUserAsync();
            if (!await ItemVisibility.CanSeeAsync(db, user, id, ct)) throw new NotFoundException("事项不存在");
            return TypedResults.Ok(await ForInstanceAsync(db, id, await orgCache.GetAsync(ct), ct));
        }).WithSummary("阅知（参阅）确认情况：哪些单位、人员已阅，哪些未阅");
        return group;
    }

    public static async Task<ReadsView> ForInstanceAsync(DubanDbContext db, Guid instanceId, IOrganization org, CancellationToken ct)
    {
        var notices = await db.Tasks.AsNoTracking()
            .Where(t => t.InstanceId == instanceId && t.Kind == TaskKind.Notice)
            .OrderBy(t => t.CreatedAt).ThenBy(t => t.Id)
            .ToListAsync(ct);
        var circulations = notices
            .GroupBy(t => t.ExecutionId)
            .Select(g =>
            {
                var first = g.First();
                var recipients = g.Select(t => Recipient(t, org)).ToList();
                return new CirculationView(first.ActivityId, first.Name, RoundOf(first.ExecutionId), first.CreatedAt, first.Message,
                    recipients.Count(r => r.Status != "cancelled"), recipients.Count(r => r.Status == "read"), recipients);
            })
            .OrderBy(c => c.SentAt)
            .ToList();
        var read = circulations.Sum(c => c.Read);
        var total = circulations.Sum(c => c.Total);
        return new ReadsView(total, read, total - read, circulations);
    }

    private static ReadView Recipient(TaskRecord t, IOrganization org)
    {
        var status = t.Status switch
        {
            HumanTaskStatus.Completed => "read",
            HumanTaskStatus.Cancelled => "cancelled",
            _ => "unread",
        };
        // A notice to a unit stays the unit's; a notice a person claimed or was named on is that person's.
        var userId = t.CandidateUnitId is null && t.CandidateRole is null ? t.AssigneeUserId : null;
        var unitId = t.CandidateUnitId ?? (userId is not null ? org.FindUser(userId)?.UnitId : null);
        return new ReadView(
            t.Id, unitId, unitId is null ? null : org.FindUnit(unitId)?.Name ?? unitId,
            userId, userId is null ? null : org.FindUser(userId)?.DisplayName ?? userId,
            t.CandidateRole, status,
            status == "read" ? t.CompletedAt : null,
            status == "read" ? t.CompletedById : null,
            status == "read" ? t.CompletedByName : null,
            status == "read" ? t.Comment : null);
    }

    private static int RoundOf(string executionId) =>
        int.TryParse(executionId[(executionId.LastIndexOf('#') + 1)..], out var round) ? round : 1;
}
