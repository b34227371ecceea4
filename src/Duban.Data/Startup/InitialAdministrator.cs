using System.Security.Cryptography;
using Duban.Data.Organization;
using Duban.Engine.Directory;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Duban.Data.Startup;

/// <summary>
/// An installation started without demo data has no known password (decision 043): until a platform administrator has
/// set a password of his own, every start gives the first one (<c>Duban:Setup:AdministratorUserName</c>, default
/// <c>platform</c>) a fresh random one-time password, prints it in the server's log, and marks the account so that its
/// first sign-in must set his own before anything else answers. A password printed by an earlier start stops working.
/// </summary>
public sealed class InitialAdministrator(DubanDbContext db, UserManager<DubanUser> users, IConfiguration configuration,
    InitialAdministratorNotice notice, ILogger<InitialAdministrator> logger)
{
    public const string DefaultUserName = "platform";

    public async Task EnsureAsync(CancellationToken ct)
    {
        var platformRoleId = await db.Roles.Where(r => r.Name == Roles.Platform).Select(r => r.Id).SingleOrDefaultAsync(ct)
            ?? throw new InvalidOperationException($"The role {Roles.Platform} is missing; the roles step runs first.");
        var administrators = await db.UserRoles.Where(r => r.RoleId == platformRoleId).Join(db.Users, r => r.UserId, u => u.Id, (_, u) => u)
            .ToListAsync(ct);
        if (administrators.Any(u => u.IsActive && !u.MustChangePassword && u.PasswordHash is not null)) return;

        var userName = configuration["Duban:Setup:AdministratorUserName"] is { Length: > 0 } configured ? configured : DefaultUserName;
        var password = NewPassword();
        var user = administrators.FirstOrDefault(u => u.UserName == userName) ?? await users.FindByNameAsync(userName);
        if (user is null)
        {
            user = new DubanUser { UserName = userName, DisplayName = "平台管理员", MustChangePassword = true };
            Check(await users.CreateAsync(user, password), "creating the initial administrator");
        }
        else
        {
            if (user.OrganizationId is not null || user.UnitId is not null)
                throw new InvalidOperationException($"Duban:Setup:AdministratorUserName names '{userName}', a person of an organization; name a new account.");
            user.MustChangePassword = true;
            user.IsActive = true;
            Check(await users.RemovePasswordAsync(user), "clearing the initial administrator's password");
            Check(await users.AddPasswordAsync(user, password), "setting the initial administrator's password");
        }
        if (!await users.IsInRoleAsync(user, Roles.Platform)) Check(await users.AddToRoleAsync(user, Roles.Platform), "giving the initial administrator his role");

        notice.Issued(userName, password);
        logger.LogWarning("初始管理员 {UserName} 的一次性密码：{Password} —— 首次登录后须改为自己的密码；每次启动都会重新生成，直到改过为止。", userName, password);
    }

    /// <summary>20 characters from each class the policy knows, without look-alikes (0/O, 1/l/I).</summary>
    public static string NewPassword()
    {
        const string upper = "ABCDEFGHJKLMNPQRSTUVWXYZ", lower = "abcdefghijkmnopqrstuvwxyz", digits = "23456789", symbols = "@#%+=-_";
        string[] classes = [upper, lower, digits, symbols];
        var chars = new char[20];
        for (var i = 0; i < chars.Length; i++)
        {
            var set = classes[i < classes.Length ? i : RandomNumberGenerator.GetInt32(classes.Length)];
            chars[i] = set[RandomNumberGenerator.GetInt32(set.Length)];
        }
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded) throw new InvalidOperationException($"Initial administrator, {what}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }
}

/// <summary>The one-time password this start issued, if any: the welcome message repeats it; tests read it.</summary>
public sealed class InitialAdministratorNotice
{
    public string? UserName { get; private set; }
    public string? Password { get; private set; }

    internal void Issued(string userName, string password) => (UserName, Password) = (userName, password);
}
