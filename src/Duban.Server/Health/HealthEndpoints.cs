using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Duban.Data;
using Duban.Data.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Duban.Server.Health;

/// <summary>Configuration section <c>Duban:Health</c>.</summary>
public sealed class HealthOptions
{
    /// <summary>The backlog check reports "degraded" (still 200) when a due timer or chase case has waited this long.</summary>
    public TimeSpan BacklogWarnAfter { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>How long each check may take before it counts as failed (an unreachable database host can take 15 s to refuse).</summary>
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Liveness and readiness with ASP.NET Core's health checks (docs/decisions/020):
/// <list type="bullet">
/// <item><c>/api/health/live</c>: the process answers — no check; for a supervisor that restarts a hung process. It must
/// not restart Duban because the database is down.</item>
/// <item><c>/api/health/ready</c> and <c>/api/health</c>: the database answers a query (503 when it does not), with the
/// background jobs' backlog; for a load balancer and for anyone asking "can I use it".</item>
/// </list>
/// </summary>
internal static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddDubanHealth(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HealthOptions>(configuration.GetSection("Duban:Health"));
        services.AddScoped<BacklogReader>();
        var timeout = configuration.GetSection("Duban:Health").Get<HealthOptions>()?.CheckTimeout ?? new HealthOptions().CheckTimeout;
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", HealthStatus.Unhealthy, [ReadyTag], timeout)
            .AddCheck<BacklogHealthCheck>("backlog", HealthStatus.Unhealthy, [ReadyTag], timeout);
        return services;
    }

    public static IEndpointRouteBuilder MapDubanHealth(this IEndpointRouteBuilder app)
    {
        var live = new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync };
        var ready = new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync };
        app.MapHealthChecks("/api/health/live", live).AllowAnonymous();
        app.MapHealthChecks("/api/health/ready", ready).AllowAnonymous();
        // Its callers (test.sh, load balancers, people) ask whether Duban can be used, so it answers as readiness does.
        app.MapHealthChecks("/api/health", ready).AllowAnonymous();
        return app;
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All), Indented = false };

    /// <summary>
    /// <c>{"status":"healthy|degraded|unhealthy","durationMs":…,"checks":{"database":{"status":…,"description":…,
    /// "durationMs":…},"backlog":{…,"data":{…}}}}</c>. Exception details go to the log, not to this anonymous answer.
    /// </summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("status", Name(report.Status));
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", Name(entry.Status));
                json.WriteString("description", entry.Exception is OperationCanceledException
                    ? "检查超时，详见服务器日志"
                    : entry.Description ?? (entry.Exception is null ? null : "检查失败，详见服务器日志"));
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                if (entry.Data.Count > 0)
                {
                    json.WriteStartObject("data");
                    foreach (var (key, value) in entry.Data)
                    {
                        json.WritePropertyName(key);
                        JsonSerializer.Serialize(json, value);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return http.Response.Body.WriteAsync(buffer.ToArray()).AsTask();
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}

/// <summary>The database answers a query. Unhealthy (503) when it does not, or not within the check's timeout.</summary>
internal sealed class DatabaseHealthCheck(DubanDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var provider = db.IsPostgres ? "PostgreSQL" : "SQLite";
        try
        {
            await Duban.Data.Storage.DatabaseProbe.PingAsync(db, cancellationToken);
            return HealthCheckResult.Healthy($"数据库（{provider}）可以访问");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"数据库（{provider}）无法访问", e);
        }
    }
}

/// <summary>
/// The background jobs' backlog: due timers not yet fired, due chase cases not yet raised and closed items not yet
/// compacted, how many of them are parked after failing too often, and how long the oldest has waited. Degraded (still 200) when something waited longer
/// than <see cref="HealthOptions.BacklogWarnAfter"/> or is parked: the jobs are behind, but this instance can serve.
/// </summary>
internal sealed class BacklogHealthCheck(BacklogReader reader, IOptions<HealthOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        Backlog backlog;
        try
        {
            backlog = await reader.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "无法读取定时任务与催办的积压情况", e);
        }
        var data = new Dictionary<string, object>
        {
            ["timersDue"] = backlog.Timers.Due,
            ["timersParked"] = backlog.Timers.Parked,
            ["timersOldestDueAt"] = backlog.Timers.OldestDueAt!,
            ["chaseCasesDue"] = backlog.ChaseCases.Due,
            ["chaseCasesParked"] = backlog.ChaseCases.Parked,
            ["chaseCasesOldestDueAt"] = backlog.ChaseCases.OldestDueAt!,
            ["compactionsDue"] = backlog.Compactions.Due,
            ["compactionsParked"] = backlog.Compactions.Parked,
            ["compactionsOldestDueAt"] = backlog.Compactions.OldestDueAt!,
            ["oldestDueSeconds"] = Math.Round(backlog.OldestDueAge.TotalSeconds),
        };
        if (backlog.Compactions.Parked > 0)
            return HealthCheckResult.Degraded($"有 {backlog.Compactions.Parked} 个已办结事项的记录压缩多次失败后已暂停，需要人工处理", data: data);
        var parked = backlog.Timers.Parked + backlog.ChaseCases.Parked;
        var warnAfter = options.Value.BacklogWarnAfter;
        if (parked > 0)
            return HealthCheckResult.Degraded($"有 {parked} 项定时任务或催办多次失败后已暂停，需要人工处理", data: data);
        if (backlog.OldestDueAge > warnAfter)
            return HealthCheckResult.Degraded($"最早到期未处理的定时任务或催办已等待 {FormatAge(backlog.OldestDueAge)}（超过 {FormatAge(warnAfter)}）", data: data);
        var due = backlog.Timers.Due + backlog.ChaseCases.Due;
        var text = due == 0 ? "没有积压的定时任务或催办" : $"{due} 项定时任务或催办已到期、待后台处理";
        if (backlog.Compactions.Due > 0) text += $"；{backlog.Compactions.Due} 个已办结事项的记录待压缩（后台按节奏进行）";
        return HealthCheckResult.Healthy(text, data);
    }

    private static string FormatAge(TimeSpan age) =>
        age.TotalHours >= 1 ? $"{age.TotalHours:0.#} 小时" : age.TotalMinutes >= 1 ? $"{age.TotalMinutes:0.#} 分钟" : $"{age.TotalSeconds:0} 秒";
}
