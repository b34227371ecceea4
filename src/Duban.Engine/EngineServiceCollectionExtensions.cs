using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Duban.Engine.Expressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>The engine: activity registry, sandboxed scripts, runner and validator. All stateless singletons.</summary>
    public static IServiceCollection AddDubanEngine(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(ScriptLimits.Default);
        services.TryAddSingleton<IScriptEvaluator>(sp => new JintScriptEvaluator(sp.GetRequiredService<ScriptLimits>()));
        services.TryAddSingleton(_ => ActivityRegistry.CreateDefault());
        services.TryAddSingleton<WorkflowRunner>();
        services.TryAddSingleton<DefinitionValidator>();
        return services;
    }
}
