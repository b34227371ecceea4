using System.Reflection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Duban.Server.Infrastructure;

/// <summary>
/// The OpenAPI document is also written at build time (<c>Microsoft.Extensions.ApiDescription.Server</c>, turned on by
/// the web app's <c>npm run api:generate</c>): its GetDocument.Insider tool runs Program's entry point with a server that
/// listens nowhere and asks the app for the document. That run must not migrate or seed a database, nor start the timer
/// and chasing workers: Program skips both while <see cref="IsGenerating"/> is true. Everything that shapes the document
/// (services, endpoints, transformers) runs as usual.
/// </summary>
internal static class BuildTimeDocument
{
    /// <summary>True inside the build-time document generator (the entry assembly is its tool, not Duban.Server).</summary>
    public static bool IsGenerating { get; } = Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>Removes the background workers (timers, chasing, supervision start-up) when generating; a no-op otherwise.</summary>
    public static void SkipWorkers(IServiceCollection services)
    {
        if (IsGenerating) services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>();
    }
}
