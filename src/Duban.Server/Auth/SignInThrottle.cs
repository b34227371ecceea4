using System.Threading.RateLimiting;
using Duban.Data.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Duban.Server.Auth;

/// <summary>
/// Failed sign-ins, counted per account in two ways (decision 036). A browser that has signed in to an account before
/// carries a signed "known client" cookie for it; its failures count against that browser alone
/// (<see cref="SignInThrottleOptions.PerKnownClientFailures"/>). Every other client's failures share one budget per account
/// (<see cref="SignInThrottleOptions.PerAccountFailures"/>). Someone guessing — from one address or from many — exhausts
/// the shared budget and is answered 429, while the person on their own browser still signs in: the throttle cannot be
/// used to keep a person out. Successful sign-ins cost nothing. Counters are per app instance, in memory.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    public const string KnownClientCookie = "duban.client";

    private readonly PartitionedRateLimiter<string> _accounts;
    private readonly PartitionedRateLimiter<string> _knownClients;
    private readonly PartitionedRateLimiter<string> _codes;
    private readonly ITimeLimitedDataProtector _protector;
    private readonly SignInThrottleOptions _options;

    public SignInThrottle(IOptions<SecurityOptions> options, IDataProtectionProvider protection)
    {
        _options = options.Value.SignIn;
        _accounts = Limiter(_options.PerAccountFailures, _options.Window);
        _knownClients = Limiter(_options.PerKnownClientFailures, _options.Window);
        _codes = Limiter(_options.PerKnownClientFailures, _options.Window);
        _protector = protection.CreateProtector("Duban.SignIn.KnownClient").ToTimeLimitedDataProtector();
    }

    private static PartitionedRateLimiter<string> Limiter(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, permits),
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);

    /// <summary>The budget this attempt counts against: the known browser's own, or the account's shared one.</summary>
    public string KeyFor(HttpContext http, string userName)
    {
        var account = userName.Trim().ToUpperInvariant();
        return KnownClientOf(http, account) is { } client ? $"client:{account}:{client}" : $"account:{account}";
    }

    /// <summary>
    /// The budget of wrong second-factor codes (decision 046): per account, whatever the client — only someone who
    /// already has the password gets to the code step, and six digits must not be guessable in a window.
    /// </summary>
    public static string CodeKeyFor(string userId) => $"code:{userId}";

    public bool IsKnownClientKey(string key) => key.StartsWith("client:", StringComparison.Ordinal);

    /// <summary>Whether failures on this budget have run out (the attempt is refused before the password is checked).</summary>
    public bool IsExhausted(string key) => (Of(key).GetStatistics(key)?.CurrentAvailablePermits ?? 1) <= 0;

    public void Failed(string key)
    {
        using var lease = Of(key).AttemptAcquire(key);
    }

    public TimeSpan Window => _options.Window;

    /// <summary>After a successful sign-in: this browser is known to the account from now on.</summary>
    public void Remember(HttpContext http, string userName)
    {
        var account = userName.Trim().ToUpperInvariant();
        var client = KnownClientOf(http, account) ?? Guid.NewGuid().ToString("N");
        var value = _protector.Protect($"{account}\n{client}", _options.KnownClientLifetime);
        http.Response.Cookies.Append(KnownClientCookie, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = "/api/auth",
            MaxAge = _options.KnownClientLifetime,
            IsEssential = true,
        });
    }

    private string? KnownClientOf(HttpContext http, string account)
    {
        if (!http.Request.Cookies.TryGetValue(KnownClientCookie, out var value) || string.IsNullOrEmpty(value)) return null;
        try
        {
            var parts = _protector.Unprotect(value).Split('\n');
            return parts.Length == 2 && parts[0] == account ? parts[1] : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    private PartitionedRateLimiter<string> Of(string key) =>
        key.StartsWith("code:", StringComparison.Ordinal) ? _codes : IsKnownClientKey(key) ? _knownClients : _accounts;

    public void Dispose()
    {
        _accounts.Dispose();
        _knownClients.Dispose();
        _codes.Dispose();
    }
}
