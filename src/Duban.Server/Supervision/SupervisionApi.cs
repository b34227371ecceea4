namespace Duban.Server.Supervision;

/// <summary>Maps every supervision endpoint of this area (calendar, extensions, chasing, settings, scoring).</summary>
internal static class DeadlineApi
{
    public static IEndpointRouteBuilder MapDeadlinesApi(this IEndpointRouteBuilder app)
    {
        app.MapCalendarApi();
        app.MapExtensionsApi();
        app.MapChasingApi();
        app.MapSupervisionSettingsApi();
        app.MapScoringApi();
        app.MapReferralsApi();
        return app;
    }
}
