using System.Globalization;
using System.Security.Claims;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Duban.Server.Auth;

/// <summary>
/// Checks every signed-in request's cookie against the database: its security stamp must still be the person's (a
/// logout, a password change or an administrator's reset renews it, and with it every session ends at once, on every
/// instance), and its sign-in must be younger than <see cref="SecurityOptions.AbsoluteLifetime"/>. One small read per
/// request replaces Identity's stamp validator, which checks only every 30 minutes.
/// </summary>
internal static class SessionValidation
{
    /// <summary>When the session's sign-in happened (Unix seconds); kept when the cookie is renewed.</summary>
    public const string SignedInAtClaim = "duban:signed_in_at";

    public static Claim SignedInAt(DateTimeOffset at) =>
        new(SignedInAtClaim, at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);

    public static DateTimeOffset? SignedInAtOf(ClaimsPrincipal principal) =>
        long.TryParse(principal.FindFirstValue(SignedInAtClaim), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var options = services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var principal = context.Principal;
        if (principal is null) return;
        var now = services.GetRequiredService<SessionClock>().Now;
        var signedIn = SignedInAtOf(principal);
        if (signedIn is null || now - signedIn.Value > options.AbsoluteLifetime)
        {
            await RejectAsync(context);
            return;
        }
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stampType = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var stamp = principal.FindFirstValue(stampType);
        var db = services.GetRequiredService<DubanDbContext>();
        var stored = id is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new { u.Id, u.SecurityStamp, u.PasswordHash, u.MustChangePassword, u.PasswordSetByAdministrator, u.OrganizationId, Enrolled = u.TotpEnabledAt != null })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (stored?.SecurityStamp is null || stamp is null || !string.Equals(stored.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            await RejectAsync(context);
            return;
        }
        if (stored.MustChangePassword)
            PasswordExpiry.Mark(context.HttpContext, stored.PasswordSetByAdministrator ? PasswordExpiry.SetByAdministrator : PasswordExpiry.Initial);
        else if (options.Password.ExpiryDays > 0
            && await PasswordAge.IsExpiredAsync(db, new DubanUser { Id = stored.Id, DisplayName = "", PasswordHash = stored.PasswordHash }, options.Password, now, context.HttpContext.RequestAborted))
            PasswordExpiry.Mark(context.HttpContext, PasswordExpiry.Expired);
        // A role of his requires a second factor and he has none: he enrols before anything else (decision 046).
        if (!stored.Enrolled && await SecondFactorPolicy.RequiredForAsync(db, stored.Id, stored.OrganizationId, context.HttpContext.RequestAborted))
            SecondFactorGate.Mark(context.HttpContext);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}

/// <summary>
/// The clock of sessions and password ages: real time, whatever the installation's (possibly virtual) clock says — a
/// virtual clock moved a week ahead must not sign everyone out. Tests put a fake one here to age a session.
/// </summary>
internal sealed class SessionClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset Now => Time.GetUtcNow();
}
