using Duban.Data.Calendar;
using Duban.Data.Calendar.Admin;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Supervision.Chasing;
using Duban.Data.Supervision.Extensions;
using Duban.Data.Supervision.Scoring;
using Duban.Data.Supervision.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data.Supervision;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>
    /// Work calendars, extensions, the chasing ladder (with its background job) and scoring: their reads, their inbox
    /// tasks and what an item that ends closes. Their writes are found with every other write (<c>AddWriteHandlers</c>).
    /// </summary>
    public static IServiceCollection AddDubanSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChaseOptions>(configuration.GetSection("Duban:Chasing"));
        services.AddScoped<SupervisionSettings>();
        services.AddScoped<CalendarQueries>();
        services.AddScoped<ExtensionQueries>();
        services.AddScoped<ChaseQueries>();
        services.AddScoped<ScoreService>();
        services.AddScoped<DeadlineLights>();
        services.AddScoped<IDetachedTaskHandler, ExtensionApprovalTask>();
        services.AddScoped<IDetachedTaskHandler, ChaseRecordTask>();
        services.AddScoped<IDetachedTaskHandler, ReplyToChaseNotice>();
        services.AddScoped<IItemEndedHandler, ExtensionsEnded>();
        services.AddHostedService<ShippedCalendarsOnStart>();
        services.AddSingleton<ChaseWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ChaseWorker>());
        return services;
    }
}
