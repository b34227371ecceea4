using Duban.Data.Definitions;
using Duban.Data.Jobs;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Timers;
using Duban.Data.Security;
using Duban.Data.Writes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Update;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Data;

public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Storage and runtime. SQLite in <c>Duban:DataDir</c> unless <c>Duban:Database:Provider</c> is <c>Postgres</c>,
    /// in which case <c>ConnectionStrings:Duban</c> is required.
    /// </summary>
    public static IServiceCollection AddDubanData(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("Duban").Get<DataOptions>() ?? new DataOptions();
        services.Configure<DataOptions>(configuration.GetSection("Duban"));
        services.Configure<TimerOptions>(configuration.GetSection("Duban:Timers"));
        services.Configure<Schedules.ScheduleOptions>(configuration.GetSection("Duban:Schedules"));
        services.Configure<Runtime.Items.CompactionOptions>(configuration.GetSection("Duban:Compaction"));

        if (string.Equals(options.Database.Provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = configuration.GetConnectionString("Duban");
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Duban:Database:Provider is Postgres but ConnectionStrings:Duban is not set.");
            services.AddDbContextPool<DubanDbContext, PostgresDubanDbContext>(o => o.UseNpgsql(WithPostgresDefaults(connectionString))
                .ReplaceService<IUpdateSqlGenerator, Storage.CheckedUpdateSqlGenerator>()
                .AddInterceptors(Numbering.NumberingInterceptor.Instance, Security.PasswordHistoryInterceptor.Instance));
        }
        else
        {
            var dataDir = Path.GetFullPath(options.DataDir);
            System.IO.Directory.CreateDirectory(dataDir);
            var connectionString = $"Data Source={Path.Combine(dataDir, "duban.db")}";
            services.AddDbContextPool<DubanDbContext, SqliteDubanDbContext>(o => o.UseSqlite(connectionString)
                .AddInterceptors(Storage.SqliteOpenRetry.Instance, Numbering.NumberingInterceptor.Instance, Security.PasswordHistoryInterceptor.Instance));
        }

        services.AddDataProtection().SetApplicationName("Duban");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IServiceScopeFactory>((o, scopes) => o.XmlRepository = new DatabaseXmlRepository(scopes));
        // Codes are checked against real time, never the (possibly virtual) installation clock.
        services.AddSingleton(sp => new Security.SecondFactor(sp.GetRequiredService<IDataProtectionProvider>()));

        // The clock: the system's, or (training, acceptance, demos) a virtual one every time-dependent part reads.
        var clockOptions = configuration.GetSection("Duban:Clock").Get<Clock.ClockOptions>() ?? new Clock.ClockOptions();
        services.Configure<Clock.ClockOptions>(configuration.GetSection("Duban:Clock"));
        services.AddSingleton(new Clock.VirtualClock(clockOptions.IsVirtual, TimeProvider.System));
        if (clockOptions.IsVirtual) services.Replace(ServiceDescriptor.Singleton<TimeProvider>(sp => sp.GetRequiredService<Clock.VirtualClock>()));
        services.AddSingleton<Clock.VirtualClockRefresher>();
        services.AddHostedService(sp => sp.GetRequiredService<Clock.VirtualClockRefresher>());

        services.TryAddSingleton<DefinitionCache>();
        services.TryAddSingleton<OrganizationCache>();
        services.Configure<IdempotencyOptions>(configuration.GetSection("Duban:Idempotency"));
        services.AddWriteHandlers(typeof(DubanDbContext).Assembly);
        services.AddSingleton<IdempotencyCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<IdempotencyCleanup>());
        services.AddScoped<DefinitionStore>();
        services.AddScoped<ItemWriter>();
        services.AddScoped<LeaseClaimer>();
        services.AddSingleton<TimerWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerWorker>());
        services.AddScoped<Audit.AuditActor>();
        services.AddSingleton(sp => new Writes.AuditSealer(sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Writes.AuditSealer>>())
        {
            Interval = configuration.GetValue("Duban:Audit:SealInterval", TimeSpan.FromSeconds(5)),
        });
        services.AddHostedService(sp => sp.GetRequiredService<Writes.AuditSealer>());
        services.AddSingleton<Schedules.ScheduleWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Schedules.ScheduleWorker>());
        services.AddSingleton<Runtime.Items.CompactionWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<Runtime.Items.CompactionWorker>());
        return services;
    }

    /// <summary>
    /// Adds what Duban's short, repeated statements gain from unless the operator chose otherwise: server-side prepared
    /// statements (<c>Max Auto Prepare</c>) and no <c>DISCARD ALL</c> on every pooled connection's return
    /// (<c>No Reset On Close</c>; Duban sets no session state). See docs/decisions/008.
    /// </summary>
    public static string WithPostgresDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) builder.MaxAutoPrepare = 50;
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }
}
