using System.Net;
using System.Threading.RateLimiting;
using Duban.Data.Security;
using Duban.Server.Auth;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Duban.Server.Infrastructure;

/// <summary>
/// Sessions, sign-in throttling, proxies, response headers, the CSRF header and request limits, from
/// <c>Duban:Security</c> (decision 036). <see cref="AddDubanSecurity"/> after Identity's registration; the three
/// <c>Use…</c> calls at their places in the pipeline.
/// </summary>
internal static class SecuritySetup
{
    /// <summary>The rate-limiting policy of the sign-in endpoint: sign-in requests per client address.</summary>
    public const string SignInPolicy = "sign-in";

    /// <summary>The header every state-changing API call must carry (the web app's fetch client sends it).</summary>
    public const string CsrfHeader = "X-Requested-With";

    public static IServiceCollection AddDubanSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SecurityOptions>(configuration.GetSection("Duban:Security"));
        var options = configuration.GetSection("Duban:Security").Get<SecurityOptions>() ?? new SecurityOptions();

        services.AddScoped<PasswordPolicy>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<DummyPassword>();
        services.AddSingleton<SecondFactorChallenge>();
        services.TryAddSingleton(new SessionClock(TimeProvider.System));
        services.AddSingleton<LooseUploadSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<LooseUploadSweeper>());

        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme).PostConfigure<IOptions<SecurityOptions>, SessionClock>((o, security, clock) =>
        {
            o.TimeProvider = clock.Time;
            // Idle timeout: a sliding expiry; the absolute lifetime and the security stamp are checked on every request.
            o.ExpireTimeSpan = security.Value.IdleTimeout;
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = SessionValidation.ValidateAsync;
        });

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(SignInPolicy, http => RateLimitPartition.GetFixedWindowLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = Math.Max(1, options.SignIn.PerClientPerMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.OnRejected = async (context, ct) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                    context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retry.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails = new ProblemDetails { Status = 429, Title = ProblemTitles.For(429), Detail = "登录请求过于频繁，请稍后再试" },
                });
            };
        });

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            var proxies = options.ForwardedHeaders.KnownProxies;
            var networks = options.ForwardedHeaders.KnownNetworks;
            if (proxies.Length > 0 || networks.Length > 0)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
                foreach (var proxy in proxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
                foreach (var network in networks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return services;
    }

    /// <summary>First in the pipeline: the client's address and scheme as the proxy saw them, when configured.</summary>
    public static WebApplication UseDubanForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.ForwardedHeaders.Enabled) app.UseForwardedHeaders();
        return app;
    }

    /// <summary>After the exception handler: response headers, the CSRF header, request limits.</summary>
    public static WebApplication UseDubanHardening(this WebApplication app)
    {
        app.Use(SecurityHeaders.AddAsync);
        app.Use(RequireCsrfHeaderAsync);
        app.UseMiddleware<JsonRequestLimits>();
        return app;
    }

    /// <summary>After authentication: the sign-in throttle per address, and the gate of an expired password.</summary>
    public static WebApplication UseDubanSessions(this WebApplication app)
    {
        app.UseRateLimiter();
        app.Use((http, next) => PasswordExpiry.Gate(http, () => next(http)));
        app.Use((http, next) => SecondFactorGate.Gate(http, () => next(http)));
        return app;
    }

    /// <summary>
    /// A state-changing API call must carry <see cref="CsrfHeader"/>. A page on another site can make a browser send a
    /// form or a simple request with the cookie, but not with a custom header (that needs a CORS preflight, which Duban
    /// never grants), so the header proves the call came from a page of Duban's own origin.
    /// </summary>
    private static async Task RequireCsrfHeaderAsync(HttpContext http, Func<Task> next)
    {
        var method = http.Request.Method;
        if (http.Request.Path.StartsWithSegments("/api") && !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method))
            && string.IsNullOrWhiteSpace(http.Request.Headers[CsrfHeader]))
        {
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = 403,
                    Title = ProblemTitles.For(403),
                    Detail = $"请求缺少请求头 {CsrfHeader}（防跨站请求伪造）",
                },
            });
            return;
        }
        await next();
    }
}

/// <summary>Response headers a security review looks for, on every answer (pages, files and the API).</summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// Fit for the built web app: its scripts and styles are files of its own origin; Ant Design writes style elements
    /// and attributes at run time (hence 'unsafe-inline' for styles only); images may be data: or blob: URLs (previews).
    /// </summary>
    public const string AppPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The API reference page (Scalar) starts itself with an inline script and inline styles.</summary>
    public const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static Task AddAsync(HttpContext http, Func<Task> next)
    {
        var docs = http.Request.Path.StartsWithSegments("/api/docs") || http.Request.Path.StartsWithSegments("/scalar");
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = docs ? DocsPolicy : AppPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            // No-referrer: the one-answer feedback links carry their token in the address.
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            return Task.CompletedTask;
        });
        return next();
    }
}
