using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Data.Supervision;

public static class SupervisionServiceCollectionExtensions
{
    /// <summary>Work calendars, extensions, the chasing ladder (with its background job) and scoring.</summary>
    public static IServiceCollection AddDubanSupervision(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ChaseOptions>(configuration.GetSection("Duban:Chasing"));
        services.AddScoped<SupervisionSettings>();
        services.AddScoped<CalendarService>();
        services.AddScoped<ExtensionService>();
        services.AddScoped<ChaseService>();
        services.AddScoped<ScoreService>();
        services.AddScoped<DeadlineLights>();
        services.AddScoped<Runtime.Tasks.IDetachedTaskHandler, ExtensionTaskHandler>();
        services.AddScoped<Runtime.Tasks.IDetachedTaskHandler, ChaseTaskHandler>();
        services.AddScoped<Runtime.IItemEndedHandler, ExtensionsEnded>();
        services.AddHostedService<SupervisionStartup>();
        services.AddSingleton<ChaseWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ChaseWorker>());
        return services;
    }
}
