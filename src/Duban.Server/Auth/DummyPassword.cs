using Duban.Data.Organization;
using Microsoft.AspNetCore.Identity;

namespace Duban.Server.Auth;

/// <summary>
/// A hash of a random password, made by the installation's own hasher, to verify against when a sign-in names an account
/// that does not exist: the unknown account then costs the same PBKDF2 rounds as a known one (one verification each).
/// The hash is made once per hasher settings; the hasher is the one Identity uses for real accounts.
/// </summary>
internal sealed class DummyPassword
{
    private readonly DubanUser _nobody = new() { DisplayName = "" };
    private string? _hash;

    public void Verify(IPasswordHasher<DubanUser> hasher, string password)
    {
        ArgumentNullException.ThrowIfNull(hasher);
        _hash ??= hasher.HashPassword(_nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)));
        hasher.VerifyHashedPassword(_nobody, _hash, password);
    }
}

/// <summary>
/// Whether this request's person must change his password first (set by <see cref="SessionValidation"/>): it expired, or
/// it is the installation's one-time initial password (decision 043).
/// </summary>
internal static class PasswordExpiry
{
    private static readonly object Key = new();

    public const string Expired = "密码已过期，请先修改密码";
    public const string Initial = "这是系统生成的一次性初始密码，请先改为自己的密码";
    public const string SetByAdministrator = "您的密码由管理员设置，仅可使用一次，请先改为自己的密码";

    public static void Mark(HttpContext http, string reason) => http.Items[Key] = reason;

    public static bool IsExpired(HttpContext http) => http.Items.ContainsKey(Key);

    /// <summary>Why the password must be changed first; null when it need not be.</summary>
    public static string? Reason(HttpContext http) => http.Items.TryGetValue(Key, out var reason) ? reason as string : null;

    /// <summary>
    /// While the password is expired only the sign-in endpoints answer (to change it, read who one is, or sign out);
    /// everything else is 403 with a message that says why.
    /// </summary>
    public static async Task Gate(HttpContext http, Func<Task> next)
    {
        if (IsExpired(http) && http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/auth"))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
                {
                    Status = StatusCodes.Status403Forbidden,
                    Title = "请先修改密码",
                    Detail = Reason(http),
                },
            });
            return;
        }
        await next();
    }
}
