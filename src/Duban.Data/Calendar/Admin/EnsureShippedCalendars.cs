using Duban.Data.Organization;
using Duban.Data.Writes;

namespace Duban.Data.Calendar.Admin;

/// <summary>
/// Every organization named that has no work calendar yet gets the shipped years (on start, and for an organization
/// seen for the first time). Two processes doing it at once add the same rows: the second loses on the key and the door
/// runs it again, which then finds them. Answers how many organizations got a calendar.
/// </summary>
public sealed record EnsureShippedCalendars(IReadOnlyList<string> OrganizationIds) : IWrite<int>, IRetryOnDuplicateKey
{
    public string Operation => "calendar-ensure";
    public string Subject => string.Join(",", OrganizationIds);
}

internal sealed class EnsureShippedCalendarsHandler(OrganizationCache organizationCache) : IWriteHandler<EnsureShippedCalendars, int>
{
    public async Task<int> HandleAsync(EnsureShippedCalendars write, WriteContext context, CancellationToken ct)
    {
        var loaded = 0;
        foreach (var organizationId in write.OrganizationIds.Distinct())
            if (await CalendarRows.EnsureShippedAsync(context.Db, organizationId, context.Now, ct))
                loaded++;
        if (loaded > 0) context.AfterCommit(organizationCache.Invalidate);
        return loaded;
    }
}
