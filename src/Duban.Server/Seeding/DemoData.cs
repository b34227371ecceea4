using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Seeding;

/// <summary>
/// First start with an empty database: a demo organization (a provincial justice department with eight units),
/// one user per role, and the shipped templates from workflows/ imported and published.
/// </summary>
internal sealed class DemoData(DubanDbContext db, UserManager<DubanUser> users, RoleManager<IdentityRole> roles,
    DefinitionStore definitions, OrganizationCache organization, WriteDoor door, IConfiguration configuration, ILogger<DemoData> logger)
{
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

    public async Task SeedAsync(string workflowsDir, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct)) return;
        logger.LogInformation("Empty database: seeding the demo organization and templates");

        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role)) await roles.CreateAsync(new IdentityRole(role));

        for (var i = 0; i < Units.Length; i++)
        {
            var (id, name, parent, kind) = Units[i];
            db.Units.Add(new UnitRecord { Id = id, Name = name, ParentId = parent, Kind = kind, SortOrder = i });
        }
        await db.SaveChangesAsync(ct);

        foreach (var (userName, displayName, unit, role) in Users)
        {
            var user = new DubanUser { UserName = userName, DisplayName = displayName, UnitId = unit };
            var result = await users.CreateAsync(user, Password);
            if (!result.Succeeded) throw new InvalidOperationException($"Seeding user {userName}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            await users.AddToRoleAsync(user, role);
        }
        var leaders = new Dictionary<string, string> { ["sft"] = "lingdao", ["fzc"] = "fzcz", ["bgs"] = "ducha" };
        foreach (var (unit, userName) in leaders)
        {
            var user = await users.FindByNameAsync(userName);
            (await db.Units.FirstAsync(u => u.Id == unit, ct)).LeaderUserId = user!.Id;
        }
        await db.SaveChangesAsync(ct);
        organization.Invalidate();

        if (!Directory.Exists(workflowsDir))
        {
            logger.LogWarning("No workflows folder at {Dir}; no templates imported", workflowsDir);
            return;
        }
        foreach (var file in Directory.GetFiles(workflowsDir, "*.json").Order())
        {
            var record = await door.RunAsync(new Duban.Data.Definitions.Admin.ImportDefinition(await File.ReadAllTextAsync(file, ct), Publish: true, UserId: null), ct);
            logger.LogInformation("Imported and published {DefinitionId} v{Version} from {File}", record.DefinitionId, record.Version, Path.GetFileName(file));
        }

        if (configuration.GetValue("Duban:Seed:DemoItems", true) && await definitions.PublishedAsync("demo-supervision", ct) is not null)
            await SeedItemsAsync(ct);
    }

    /// <summary>
    /// A few items in flight, made through the write door as people would: one waiting for the leader, one with 法制处,
    /// one back with the supervision office for review — so every demo user has something in the inbox.
    /// </summary>
    private async Task SeedItemsAsync(CancellationToken ct)
    {
        var org = await organization.GetAsync(ct);
        async Task<CurrentUser> As(string userName)
        {
            var user = await users.FindByNameAsync(userName) ?? throw new InvalidOperationException(userName);
            var info = org.FindUser(user.Id)!;
            return new CurrentUser(user.Id, userName, info.DisplayName, info.UnitId, info.UnitId is { } u ? org.FindUnit(u)?.Name : null, info.Roles);
        }
        async Task Do(Guid instanceId, string userName, string outcome, JsonObject? data = null)
        {
            var task = db.Tasks.Where(t => t.InstanceId == instanceId && t.Status == HumanTaskStatus.Open).Select(t => t.Id).Single();
            await door.RunAsync(new CompleteTask(task, await As(userName), new TaskSubmission(outcome, data, null)), ct);
        }
        JsonObject Item(string title, string source, string content, string unit, string due) => new()
        {
            ["title"] = title, ["source"] = source, ["content"] = content, ["handlingUnit"] = unit, ["dueDate"] = due,
        };

        var ducha = await As("ducha");
        await door.RunAsync(new StartItem("demo-supervision", ducha,
            Item("关于推进行政复议体制改革的督办事项", "meeting", "落实厅党组会议定事项：年底前完成行政复议体制改革配套制度。", "fzc", "2026-12-31")), ct);

        var second = await door.RunAsync(new StartItem("demo-supervision", ducha,
            Item("全省律师行业党建工作推进情况", "instruction", "落实厅领导批示：梳理律师行业党建工作进展，提出下一步措施。", "fzc", "2026-12-20")), ct);
        await Do(second.Id, "lingdao", "同意", new JsonObject { ["leaderOpinion"] = "同意，请法制处牵头办理。" });

        var third = await door.RunAsync(new StartItem("demo-supervision", ducha,
            Item("2026年度法治政府建设考核自查", "document", "按省政府办公厅通知要求开展年度法治政府建设自查，报送自查报告。", "jinan", "2026-12-15")), ct);
        await Do(third.Id, "lingdao", "同意", new JsonObject { ["leaderOpinion"] = "同意。" });
        await Do(third.Id, "jinan", "提交", new JsonObject { ["report"] = "已完成自查，形成自查报告（初稿）。" });
        logger.LogInformation("Seeded three demo items");
    }
}
