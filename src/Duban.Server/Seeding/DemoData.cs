using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Duban.Server.Seeding;

/// <summary>
/// First start with an empty database: a demo organization (a provincial justice department with eight units),
/// one user per role, and the shipped templates from workflows/ imported and published.
/// </summary>
internal sealed class DemoData(DubanDbContext db, UserManager<DubanUser> users, RoleManager<IdentityRole> roles,
    DefinitionStore definitions, OrganizationCache organization, ILogger<DemoData> logger)
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
            var record = await definitions.ImportAsync(await File.ReadAllTextAsync(file, ct), publish: true, userId: null, ct);
            logger.LogInformation("Imported and published {DefinitionId} v{Version} from {File}", record.DefinitionId, record.Version, Path.GetFileName(file));
        }
    }
}
