using System.Text.Json.Nodes;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Supervision.Settings;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Duban.Engine.Scoring;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>
/// The demo data of the first-start setup (docs/decisions/020): a demo organization (a provincial justice department
/// with eight units) with one user per role, a platform administrator (平台管理员, of no organization, decision 035), and
/// three demo items at different steps.
/// </summary>
public sealed class DemoData(DubanDbContext db, UserManager<DubanUser> users, DefinitionStore definitions, OrganizationCache organization,
    WriteDoor door, IFirstStartHook hook, ILogger<DemoData> logger)
{
    public const string OrganizationStep = "demo/organization";
    public const string ItemsStep = "demo/items";
    public const string Password = "Duban@2026";

    public static readonly IReadOnlyList<(string UserName, string DisplayName, string Unit, string Role)> Users =
    [
        ("admin", "系统管理员", "bgs", Roles.Admin),
        ("ducha", "王督查", "bgs", Roles.Supervisor),
        ("lingdao", "李厅长", "sft", Roles.Leader),
        ("fazhi", "张联络", "fzc", Roles.Liaison),
        ("fzcz", "赵处长", "fzc", Roles.Liaison),
        ("jinan", "刘联络", "jinan", Roles.Liaison),
        ("qingdao", "陈联络", "qingdao", Roles.Liaison),
    ];

    /// <summary>
    /// Roles a demo person holds besides his first: the demo office is small, so its administrator also grants roles
    /// (安全管理员) — one person holding several, by explicit choice (三员分立, decision 049).
    /// </summary>
    public static readonly IReadOnlyList<(string UserName, string Role)> ExtraRoles = [("admin", Roles.SecurityAdmin)];

    /// <summary>The roles of a demo person, as the start-up line prints them.</summary>
    public static IEnumerable<string> RolesOf(string userName) =>
        Users.Where(u => u.UserName == userName).Select(u => u.Role).Concat(ExtraRoles.Where(e => e.UserName == userName).Select(e => e.Role));

    private static readonly (string Id, string Name, string? Parent, string Kind)[] Units =
    [
        ("sft", "山东省司法厅（演示）", null, "机关"),
        ("bgs", "厅办公室（督查室）", "sft", "督查部门"),
        ("fzc", "法制处", "sft", "承办单位"),
        ("yjs", "政策研究室", "sft", "承办单位"),
        ("zfjd", "行政执法监督处", "sft", "承办单位"),
        ("ggfw", "公共法律服务处", "sft", "承办单位"),
        ("lsgz", "律师工作处", "sft", "承办单位"),
        ("jinan", "济南市司法局", "sft", "承办单位"),
        ("qingdao", "青岛市司法局", "sft", "承办单位"),
    ];

    /// <summary>The installation's platform administrator: creates organizations, sees none of their business.</summary>
    public const string PlatformUserName = "platform";

    private static readonly (string Unit, string UserName)[] Leaders = [("sft", "lingdao"), ("fzc", "fzcz"), ("bgs", "ducha")];

    /// <summary>
    /// The units, the users with their roles, and the units' leaders — one transaction (the step's). What is there already
    /// is kept: a unit, a user, a role membership or a leader an administrator set is not touched.
    /// </summary>
    public async Task<StepResult> OrganizationAsync(CancellationToken ct)
    {
        var present = (await db.Units.Select(u => u.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < Units.Length; i++)
        {
            var (id, name, parent, kind) = Units[i];
            if (!present.Contains(id)) db.Units.Add(new UnitRecord { Id = id, Name = name, ParentId = parent, Kind = kind, SortOrder = i });
        }
        await db.SaveChangesAsync(ct);

        foreach (var (userName, displayName, unit, _) in Users)
        {
            if (await users.FindByNameAsync(userName) is not null) continue;
            Check(await users.CreateAsync(new DubanUser { UserName = userName, DisplayName = displayName, UnitId = unit, OrganizationId = Units[0].Id }, Password),
                $"creating user {userName}");
        }
        if (await users.FindByNameAsync(PlatformUserName) is null)
            Check(await users.CreateAsync(new DubanUser { UserName = PlatformUserName, DisplayName = "平台管理员" }, Password), $"creating user {PlatformUserName}");
        // Where the old start could die and leave users without a role; here the step's transaction undoes the users too.
        await hook.AtAsync($"{OrganizationStep}:users", ct);
        foreach (var (userName, role) in Users.Select(u => (u.UserName, u.Role)).Concat(ExtraRoles))
        {
            var user = (await users.FindByNameAsync(userName))!;
            if (!await users.IsInRoleAsync(user, role)) Check(await users.AddToRoleAsync(user, role), $"giving {userName} the role {role}");
        }
        var platform = (await users.FindByNameAsync(PlatformUserName))!;
        if (!await users.IsInRoleAsync(platform, Roles.Platform)) Check(await users.AddToRoleAsync(platform, Roles.Platform), "giving platform its role");
        foreach (var (unit, userName) in Leaders)
        {
            var record = await db.Units.FirstAsync(u => u.Id == unit, ct);
            record.LeaderUserId ??= (await users.FindByNameAsync(userName))!.Id;
        }
        // The demo office is small: its administrator also reads and supervises the items — an explicit choice, stored as
        // the organization's 管理员 role (三员分立 leaves items out of 管理员 by default, decision 049).
        if (!await db.Set<RoleDefinitionRecord>().AnyAsync(r => r.OrganizationId == Units[0].Id && r.Name == Roles.Admin, ct))
            db.Set<RoleDefinitionRecord>().Add(new RoleDefinitionRecord
            {
                OrganizationId = Units[0].Id, Name = Roles.Admin, Description = "演示组织人少：管理员兼看全部事项和督查督办",
                Permissions = PermissionCatalog.Keys(PermissionCatalog.AdministratorWithItems), UpdatedAt = DateTimeOffset.UtcNow, UpdatedByName = "演示数据",
            });
        // The demo organization is scored on the county table (seed 003 §六): the explicit choice an administrator makes in
        // 考核规则 — without it an organization is not scored (docs/decisions/022).
        if (!await db.Set<SupervisionSettingsRecord>().AnyAsync(s => s.OrganizationId == Units[0].Id, ct))
            db.Set<SupervisionSettingsRecord>().Add(new SupervisionSettingsRecord { OrganizationId = Units[0].Id, ScoringTable = ScoringTables.County, UpdatedByName = "演示数据" });
        await db.SaveChangesAsync(ct);
        return StepResult.Done;
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Demo data, {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    /// <summary>One demo item: its start data, and the steps people take on it after ducha registers it.</summary>
    private sealed record DemoItem(string Title, string Source, string Content, string Unit, string Due, params DemoAction[] Actions);

    private sealed record DemoAction(string ActivityId, string UserName, string Outcome, string Field, string Text);

    /// <summary>
    /// One waiting for the leader, one with 法制处, one back with the supervision office for review — so every demo user
    /// has something in the inbox.
    /// </summary>
    private static readonly DemoItem[] Items =
    [
        new("关于推进行政复议体制改革的督办事项", "meeting", "落实厅党组会议定事项：年底前完成行政复议体制改革配套制度。", "fzc", "2026-12-31"),
        new("全省律师行业党建工作推进情况", "instruction", "落实厅领导批示：梳理律师行业党建工作进展，提出下一步措施。", "fzc", "2026-12-20",
            new DemoAction("approve", "lingdao", "同意", "leaderOpinion", "同意，请法制处牵头办理。")),
        new("2026年度法治政府建设考核自查", "document", "按省政府办公厅通知要求开展年度法治政府建设自查，报送自查报告。", "jinan", "2026-12-15",
            new DemoAction("approve", "lingdao", "同意", "leaderOpinion", "同意。"),
            new DemoAction("handle", "jinan", "提交", "report", "已完成自查，形成自查报告（初稿）。")),
    ];

    /// <summary>
    /// The demo items, made through the write door as people would — one transaction per event, so this step is resumable
    /// rather than atomic: an item is found again by its title, and only the actions it has not had yet are taken. An
    /// item whose history is not a beginning of its script (someone worked on it) is left alone.
    /// </summary>
    public async Task<StepResult> ItemsAsync(CancellationToken ct)
    {
        const string definitionId = "demo-supervision";
        if (await definitions.PublishedAsync(Units[0].Id, definitionId, ct) is null)
        {
            logger.LogWarning("The template {DefinitionId} is not published; no demo items", definitionId);
            return StepResult.Pending;
        }
        var org = await organization.GetAsync(ct);
        async Task<CurrentUser> As(string userName)
        {
            var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException($"Demo user {userName} is missing");
            var info = org.FindUser(user.Id)!;
            return org.CurrentUserOf(info, userName);
        }

        var ducha = await As("ducha");
        for (var n = 0; n < Items.Length; n++)
        {
            var item = Items[n];
            var instanceId = await db.Instances.AsNoTracking()
                .Where(i => i.DefinitionId == definitionId && i.Title == item.Title && i.InitiatorId == ducha.Id && i.ParentInstanceId == null)
                .OrderBy(i => i.CreatedAt).Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct);
            if (instanceId is null)
            {
                instanceId = (await door.RunAsync(new StartItem(definitionId, ducha, new JsonObject
                {
                    ["title"] = item.Title, ["source"] = item.Source, ["content"] = item.Content, ["handlingUnit"] = item.Unit, ["dueDate"] = item.Due,
                }), ct)).Id;
                await hook.AtAsync($"{ItemsStep}:{n + 1}:started", ct);
            }

            var tasks = await db.Tasks.AsNoTracking().Where(t => t.InstanceId == instanceId).ToListAsync(ct);
            var done = tasks.Where(t => t.Status == HumanTaskStatus.Completed).OrderBy(t => t.CompletedAt).ThenBy(t => t.Sequence)
                .Select(t => (t.ActivityId, t.Outcome)).ToList();
            var isPrefix = done.Count <= item.Actions.Length
                && done.Select((d, k) => d.ActivityId == item.Actions[k].ActivityId && d.Outcome == item.Actions[k].Outcome).All(same => same)
                && tasks.All(t => t.Status is HumanTaskStatus.Completed or HumanTaskStatus.Open);
            if (!isPrefix)
            {
                logger.LogInformation("Demo item 「{Title}」 has been worked on since it was made; left as it is", item.Title);
                continue;
            }
            foreach (var action in item.Actions.Skip(done.Count))
            {
                var task = await db.Tasks.AsNoTracking()
                    .Where(t => t.InstanceId == instanceId && t.ActivityId == action.ActivityId && t.Status == HumanTaskStatus.Open)
                    .Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
                if (task is null)
                {
                    // Not where its script expects it (faulted, or moved on by itself): a demo item is not worth a failed start.
                    logger.LogWarning("Demo item 「{Title}」 has no open step 「{ActivityId}」; left as it is", item.Title, action.ActivityId);
                    break;
                }
                await door.RunAsync(new CompleteTask(task.Value, await As(action.UserName),
                    new TaskSubmission(action.Outcome, new JsonObject { [action.Field] = action.Text }, null)), ct);
                await hook.AtAsync($"{ItemsStep}:{n + 1}:{action.ActivityId}", ct);
            }
        }
        logger.LogInformation("Demo items are there ({Count})", Items.Length);
        return StepResult.Done;
    }
}
