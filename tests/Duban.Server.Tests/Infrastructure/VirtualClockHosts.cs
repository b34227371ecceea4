using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Duban.Server.Tests.Infrastructure;

/// <summary>
/// Hosts on the virtual clock (docs/decisions/021) for scenarios walked through on an organization's own dates: a copy
/// of a database first set up on the scenario's start day (without demo items, which would be chased and counted), and
/// the host on it with the clock starting that day.
/// </summary>
public static class VirtualClockHosts
{
    /// <summary>The installation as first set up on <paramref name="start"/>.</summary>
    public static SeedVariant SetUpOn(DateTimeOffset start) => new(DemoItems: false, Clock: start);

    /// <summary>A copy of the database set up on <paramref name="start"/>.</summary>
    public static Task<DatabaseTarget> DatabaseAsync(string provider, DateTimeOffset start) =>
        DatabaseTarget.SeededAsync(provider, SetUpOn(start));

    /// <summary>The plain host on that copy, before the virtual clock is set (<see cref="Virtual"/>).</summary>
    public static DubanFactory Plain(DatabaseTarget database, DateTimeOffset start) => new(database, settings: SetUpOn(start).Settings);

    /// <summary><paramref name="plain"/> on the virtual clock starting at <paramref name="start"/>, with more settings if given.</summary>
    public static WebApplicationFactory<Program> Virtual(DubanFactory plain, DateTimeOffset start, Action<IWebHostBuilder>? more = null) =>
        plain.WithWebHostBuilder(b =>
        {
            b.UseSetting("Duban:Clock:Mode", "Virtual");
            b.UseSetting("Duban:Clock:Start", start.ToString("O"));
            more?.Invoke(b);
        });
}
