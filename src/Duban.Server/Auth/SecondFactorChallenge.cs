using Duban.Data.Organization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Duban.Server.Auth;

/// <summary>
/// Between the password step and the code step of a sign-in (decision 046): a short-lived signed cookie naming the person
/// and his security stamp. It opens nothing but the code step, lives five minutes, and dies with any change of the stamp
/// (a logout elsewhere, a password reset, a reset of the second factor).
/// </summary>
internal sealed class SecondFactorChallenge(IDataProtectionProvider protection)
{
    public const string Cookie = "duban.2fa";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("Duban.SignIn.SecondFactor").ToTimeLimitedDataProtector();

    public void Issue(HttpContext http, DubanUser user) =>
        http.Response.Cookies.Append(Cookie, _protector.Protect($"{user.Id}\n{user.SecurityStamp}", Lifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/api/auth",
            MaxAge = Lifetime,
            IsEssential = true,
        });

    public async Task<DubanUser?> ReadAsync(HttpContext http, UserManager<DubanUser> users)
    {
        if (!http.Request.Cookies.TryGetValue(Cookie, out var value) || string.IsNullOrEmpty(value)) return null;
        string[] parts;
        try
        {
            parts = _protector.Unprotect(value).Split('\n');
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        if (parts.Length != 2) return null;
        var user = await users.FindByIdAsync(parts[0]);
        return user is { IsActive: true } && string.Equals(user.SecurityStamp, parts[1], StringComparison.Ordinal) ? user : null;
    }

    public void Clear(HttpContext http) => http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/api/auth" });
}

/// <summary>
/// Whether this request's person must enrol a second factor first (set by <see cref="SessionValidation"/>): a role of
/// his requires one by his organization's policy and he has none. Like an expired password, only <c>/api/auth/*</c>
/// answers meanwhile — enrolment is there.
/// </summary>
internal static class SecondFactorGate
{
    private static readonly object Key = new();

    public const string Reason = "按本单位安全策略，您的角色须使用两步验证，请先启用";

    public static void Mark(HttpContext http) => http.Items[Key] = true;

    public static bool IsRequired(HttpContext http) => http.Items.ContainsKey(Key);

    public static async Task Gate(HttpContext http, Func<Task> next)
    {
        if (IsRequired(http) && http.Request.Path.StartsWithSegments("/api") && !http.Request.Path.StartsWithSegments("/api/auth"))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = StatusCodes.Status403Forbidden, Title = "请先启用两步验证", Detail = Reason },
            });
            return;
        }
        await next();
    }
}
