using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Data.Writes;

public static class WriteServiceCollectionExtensions
{
    /// <summary>The write door and every write handler in <paramref name="assembly"/> (scoped, like the database context).</summary>
    public static IServiceCollection AddWriteHandlers(this IServiceCollection services, System.Reflection.Assembly assembly)
    {
        services.TryAddScoped<WriteDoor>();
        services.TryAddSingleton<ICommitGate, OpenCommitGate>();
        foreach (var type in assembly.GetTypes().Where(t => t is { IsAbstract: false, IsInterface: false, IsGenericTypeDefinition: false }))
            foreach (var contract in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IWriteHandler<,>)))
                services.TryAdd(ServiceDescriptor.Scoped(contract, type));
        return services;
    }
}
