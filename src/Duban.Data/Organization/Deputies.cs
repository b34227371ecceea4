using Duban.Data.Tasks;
using Duban.Engine.Calendar;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Organization;

/// <summary>Who stands in for whom on a given day (代理, docs/decisions/031).</summary>
public static class Deputies
{
    /// <summary>The China date of <paramref name="now"/>: a period covers whole days.</summary>
    public static DateOnly Today(DateTimeOffset now) => ChinaTime.DateOf(now);

    /// <summary>The people <paramref name="deputyUserId"/> stands in for on the day of <paramref name="now"/>.</summary>
    public static Task<List<string>> PrincipalsOfAsync(DubanDbContext db, string deputyUserId, DateTimeOffset now, CancellationToken ct)
    {
        var today = Today(now);
        return db.Set<DeputyRecord>().AsNoTracking()
            .Where(d => d.DeputyUserId == deputyUserId && d.StartsOn <= today && d.EndsOn >= today)
            .Select(d => d.UserId).Distinct().ToListAsync(ct);
    }

    /// <summary>A principal as the runtime sees him: what he may act on is what his deputy may act on for him.</summary>
    public static CurrentUser? As(OrganizationSnapshot org, string userId)
    {
        if (org.FindUser(userId) is not { } info) return null;
        return org.CurrentUserOf(info, info.Id);
    }

    /// <summary>
    /// The one <paramref name="user"/> acts for on <paramref name="task"/> today: a person he stands in for who may act on it
    /// (his own task, or one offered to his unit or role). Null when the user may act himself, or nobody.
    /// </summary>
    public static async Task<string?> ActingForAsync(DubanDbContext db, OrganizationSnapshot org, CurrentUser user, TaskRecord task,
        DateTimeOffset now, CancellationToken ct)
    {
        if (task.Status != HumanTaskStatus.Open || user.CanAct(task, org)) return null;
        foreach (var principal in await PrincipalsOfAsync(db, user.Id, now, ct))
            if (As(org, principal) is { } p && p.CanAct(task, org)) return principal;
        return null;
    }
}
