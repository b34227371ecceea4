using Duban.Data.Calendar;
using Duban.Data.Definitions;
using Duban.Data.Notifications;
using Duban.Data.Organization;
using Duban.Data.Supervision.Scoring;
using Duban.Data.Supervision.Settings;
using Duban.Data.Writes;
using Microsoft.AspNetCore.Identity;

namespace Duban.Data.Simulation;

/// <summary>
/// What a simulation's throwaway installation starts with (docs/decisions/045): one organization's rows as read from the
/// real database — units, people and their roles, calendar, supervision settings, scoring rules, notification settings,
/// published procedures and the version simulated.
/// </summary>
public sealed record SandboxSeed(
    IReadOnlyList<UnitRecord> Units,
    IReadOnlyList<DubanUser> Users,
    IReadOnlyList<IdentityRole> Roles,
    IReadOnlyList<IdentityUserRole<string>> UserRoles,
    IReadOnlyList<CalendarYearRecord> CalendarYears,
    IReadOnlyList<CalendarDayRecord> CalendarDays,
    IReadOnlyList<SupervisionSettingsRecord> Settings,
    IReadOnlyList<ScoreRuleRecord> ScoreRules,
    IReadOnlyList<NotificationSettingsRecord> NotificationSettings,
    IReadOnlyList<DefinitionRecord> Definitions);

/// <summary>
/// Fills a simulation's own database with <see cref="SandboxSeed"/>. Run only through a sandbox's write door — the
/// sandbox is a separate installation on a temporary file; nothing of it reaches the real database.
/// </summary>
public sealed record SeedSandbox(SandboxSeed Seed) : IWrite<int>
{
    public string Operation => "simulation-seed";
    public string Subject => "sandbox";
}

internal sealed class SeedSandboxHandler(OrganizationCache cache) : IWriteHandler<SeedSandbox, int>
{
    public Task<int> HandleAsync(SeedSandbox write, WriteContext context, CancellationToken ct)
    {
        var seed = write.Seed;
        var db = context.Db;
        db.Units.AddRange(seed.Units);
        db.Users.AddRange(seed.Users);
        db.Roles.AddRange(seed.Roles);
        db.UserRoles.AddRange(seed.UserRoles);
        db.Set<CalendarYearRecord>().AddRange(seed.CalendarYears);
        db.Set<CalendarDayRecord>().AddRange(seed.CalendarDays);
        db.Set<SupervisionSettingsRecord>().AddRange(seed.Settings);
        db.Set<ScoreRuleRecord>().AddRange(seed.ScoreRules);
        db.Set<NotificationSettingsRecord>().AddRange(seed.NotificationSettings);
        db.Definitions.AddRange(seed.Definitions);
        context.AfterCommit(cache.Invalidate);
        return Task.FromResult(seed.Units.Count + seed.Users.Count + seed.Definitions.Count);
    }
}
