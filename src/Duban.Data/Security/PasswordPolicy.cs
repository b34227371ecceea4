using Duban.Data.Organization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Duban.Data.Security;

/// <summary>
/// The password policy (<c>Duban:Security:Password</c>): a minimum length, at least three of the four character classes,
/// not the user name, none of the last five. Identity runs it wherever a password is set — an administrator adding or
/// resetting a person, a person changing their own — so every door to a password holds the same rules. Its errors carry
/// their Chinese text as the description (code prefix <see cref="CodePrefix"/>).
/// </summary>
public sealed class PasswordPolicy(IOptions<SecurityOptions> options, DubanDbContext db) : IPasswordValidator<DubanUser>
{
    public const string CodePrefix = "DubanPassword";

    public PasswordPolicyOptions Options => options.Value.Password;

    public async Task<IdentityResult> ValidateAsync(UserManager<DubanUser> manager, DubanUser user, string? password)
    {
        var errors = Check(user.UserName, password ?? "").Select(m => new IdentityError { Code = CodePrefix + m.Code, Description = m.Message }).ToList();
        if (errors.Count == 0 && !string.IsNullOrEmpty(password) && Options.History > 0 && user.PasswordHash is not null && await IsRecentAsync(manager, user, password))
            errors.Add(new IdentityError { Code = CodePrefix + "Reused", Description = $"新密码不能与最近 {Options.History} 次使用过的密码相同" });
        return errors.Count == 0 ? IdentityResult.Success : IdentityResult.Failed([.. errors]);
    }

    /// <summary>The rules that need no database, in Chinese; shown to the person before they type.</summary>
    public IEnumerable<(string Code, string Message)> Check(string? userName, string password)
    {
        var policy = Options;
        if (password.Length < policy.MinLength) yield return ("TooShort", $"密码至少 {policy.MinLength} 位");
        var classes = (password.Any(char.IsAsciiLetterUpper) ? 1 : 0) + (password.Any(char.IsAsciiLetterLower) ? 1 : 0)
            + (password.Any(char.IsAsciiDigit) ? 1 : 0) + (password.Any(c => !char.IsAsciiLetterOrDigit(c)) ? 1 : 0);
        if (classes < policy.RequiredClasses)
            yield return ("Classes", $"密码需包含大写字母、小写字母、数字、符号中的至少 {policy.RequiredClasses} 类");
        if (!string.IsNullOrEmpty(userName) && password.Contains(userName, StringComparison.OrdinalIgnoreCase))
            yield return ("UserName", "密码不能包含用户名");
    }

    /// <summary>What the web app shows next to the field: the rules in one line.</summary>
    public string Describe() =>
        $"至少 {Options.MinLength} 位，包含大写字母、小写字母、数字、符号中的至少 {Options.RequiredClasses} 类，不含用户名"
        + (Options.History > 0 ? $"，不能与最近 {Options.History} 次的密码相同" : "");

    private async Task<bool> IsRecentAsync(UserManager<DubanUser> manager, DubanUser user, string password)
    {
        var hashes = await PasswordAge.RecentHashesAsync(db, user.Id, Options.History, CancellationToken.None);
        // The current password counts even where the history has no row for it (a database older than the history).
        if (!hashes.Contains(user.PasswordHash!)) hashes.Insert(0, user.PasswordHash!);
        return hashes.Take(Options.History).Any(h => manager.PasswordHasher.VerifyHashedPassword(user, h, password) != PasswordVerificationResult.Failed);
    }
}
