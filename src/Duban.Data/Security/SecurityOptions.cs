namespace Duban.Data.Security;

/// <summary>
/// <c>Duban:Security</c>: sessions, passwords, sign-in throttling, proxies and request limits (decision 036). Every
/// default is the secure one; an installation loosens a value only by saying so.
/// </summary>
public sealed class SecurityOptions
{
    /// <summary>A session not used for this long ends (sliding: every request renews it).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>A session ends this long after its sign-in, however active it was.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    public PasswordPolicyOptions Password { get; set; } = new();
    public SignInThrottleOptions SignIn { get; set; } = new();
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
    public RequestLimitOptions Limits { get; set; } = new();
}

public sealed class PasswordPolicyOptions
{
    public int MinLength { get; set; } = 10;

    /// <summary>Of the four classes — upper case, lower case, digits, symbols — at least this many.</summary>
    public int RequiredClasses { get; set; } = 3;

    /// <summary>A new password may not be any of the last this many (the current one included); 0: no history.</summary>
    public int History { get; set; } = 5;

    /// <summary>A password older than this many days must be changed before anything else; 0: never expires.</summary>
    public int ExpiryDays { get; set; }
}

public sealed class SignInThrottleOptions
{
    /// <summary>
    /// Sign-in requests one client address may send per minute (any result). Generous on purpose: a whole office often
    /// reaches the server through one address at nine in the morning; the per-account budgets stop the guessing.
    /// </summary>
    public int PerClientPerMinute { get; set; } = 60;

    /// <summary>Failed sign-ins on one account from clients it has never signed in from, per <see cref="Window"/>.</summary>
    public int PerAccountFailures { get; set; } = 10;

    /// <summary>Failed sign-ins on one account from one known client (a browser the account signed in from), per <see cref="Window"/>.</summary>
    public int PerKnownClientFailures { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a browser stays known to an account after a successful sign-in.</summary>
    public TimeSpan KnownClientLifetime { get; set; } = TimeSpan.FromDays(180);
}

public sealed class ForwardedHeadersSettings
{
    /// <summary>Honour X-Forwarded-For and X-Forwarded-Proto (only behind a proxy that sets them).</summary>
    public bool Enabled { get; set; }

    /// <summary>Addresses of the proxies whose headers count; empty: the loopback addresses.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. <c>10.0.0.0/8</c>) whose proxies' headers count.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public sealed class RequestLimitOptions
{
    /// <summary>The largest JSON request body, in bytes (uploads have their own limit, <c>Duban:Attachments:MaxBytes</c>).</summary>
    public long MaxJsonBodyBytes { get; set; } = 30_000_000;

    /// <summary>The longest text in any JSON request: a form's text field, a title, a name.</summary>
    public int MaxTextLength { get; set; } = 20_000;

    /// <summary>The longest top-level comment, reason or note (<c>comment</c>, <c>reason</c>, <c>note</c>): the bound a task draft already had.</summary>
    public int MaxCommentLength { get; set; } = 2_000;

    /// <summary>An upload not tied to an item is removed this long after it was uploaded.</summary>
    public TimeSpan OrphanUploadLifetime { get; set; } = TimeSpan.FromHours(24);
}
