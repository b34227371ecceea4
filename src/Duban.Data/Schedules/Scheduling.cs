using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data.Organization;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Microsoft.EntityFrameworkCore;

namespace Duban.Data.Schedules;

/// <summary>What the schedule writes share: who may manage them, who an item may be started as, when a schedule next runs.</summary>
internal static class Scheduling
{
    public static void RequireAdmin(CurrentUser user)
    {
        if (!user.Has(Permission.DesignProcedures)) throw new ForbiddenException("只有有「流程与文书设计」权限的人员（管理员）可以设置定期任务");
    }

    /// <summary>An administrator's schedule of their organization, tracked for change.</summary>
    public static async Task<ScheduleRecord> FindAsync(Writes.WriteContext context, CurrentUser user, Guid id, CancellationToken ct)
    {
        RequireAdmin(user);
        var organizationId = OrganizationScope.Require(user);
        return await context.Db.Set<ScheduleRecord>().FirstOrDefaultAsync(s => s.Id == id && s.OrganizationId == organizationId, ct)
            ?? throw new NotFoundException("定期任务不存在");
    }

    public static ScheduleRule RuleOf(ScheduleRecord schedule) =>
        JsonSerializer.Deserialize<ScheduleRule>(schedule.RuleJson, DefinitionJson.Options) ?? new ScheduleRule();

    public static JsonObject DefaultsOf(ScheduleRecord schedule) =>
        JsonNode.Parse(schedule.DefaultsJson) as JsonObject ?? [];

    public static WorkCalendar CalendarOf(OrganizationSnapshot org, ScheduleRecord schedule) => org.CalendarFor(schedule.OrganizationId);

    /// <summary>
    /// Why <paramref name="userId"/> cannot have items started as them for <paramref name="organizationId"/>, or null.
    /// They must be an active user of the organization holding a role that registers items.
    /// </summary>
    public static string? StarterProblem(OrganizationSnapshot org, string organizationId, string userId)
    {
        if (org.FindUser(userId) is not { } user) return "该用户不存在或已停用";
        if (user.OrganizationId != organizationId) return $"「{user.DisplayName}」不属于本单位";
        if (!org.PermissionsOf(user).Contains(Permission.SeeAllItems)) return $"「{user.DisplayName}」无权发起事项（其角色须有「查看全部事项」权限，如督查员、领导）";
        return null;
    }

    /// <summary>The user an item is started as, as the runtime sees a signed-in user.</summary>
    public static async Task<CurrentUser?> StarterAsync(DubanDbContext db, OrganizationSnapshot org, string userId, CancellationToken ct)
    {
        if (org.FindUser(userId) is not { } info) return null;
        var userName = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        return org.CurrentUserOf(info, userName ?? info.Id);
    }

    /// <summary>Sets the next occurrence after <see cref="ScheduleRecord.HandledThrough"/> and when the worker should look.</summary>
    public static void PlanNext(ScheduleRecord schedule, WorkCalendar calendar)
    {
        if (schedule.Paused)
        {
            schedule.NextOccurrence = null;
            schedule.NextRunAt = null;
            return;
        }
        var next = RuleOf(schedule).Occurrences(schedule.HandledThrough.AddDays(1), calendar).Cast<DateOnly?>().FirstOrDefault();
        schedule.NextOccurrence = next;
        schedule.NextRunAt = next is { } date ? ChinaTime.StartOf(date) : null;
    }

    /// <summary>
    /// After an organization's calendar changed (a year's notice loaded, a day edited): when its schedules next run was
    /// planned on the old one — the N-th working day, a date moved off a rest day — so each is planned again on
    /// <paramref name="calendar"/>, the calendar the write leaves. One a worker holds is left to it: it plans the next
    /// occurrence itself when it has run this one.
    /// </summary>
    public static async Task ReplanAsync(DubanDbContext db, string organizationId, WorkCalendar calendar, DateTimeOffset now, CancellationToken ct)
    {
        var schedules = await db.Set<ScheduleRecord>()
            .Where(s => s.OrganizationId == organizationId && !s.Paused && (s.LeaseUntil == null || s.LeaseUntil < now))
            .ToListAsync(ct);
        foreach (var schedule in schedules) PlanNext(schedule, calendar);
    }

    /// <summary>Lets go of a worker's lease and clears its failures.</summary>
    public static void Release(ScheduleRecord schedule)
    {
        schedule.LeaseOwner = null;
        schedule.LeaseUntil = null;
        schedule.Attempts = 0;
        schedule.LastError = null;
    }
}
