using Duban.Data.Writes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Duban.Data.Calendar.Admin;

/// <summary>On start: every organization without a calendar gets the shipped years (first start included).</summary>
internal sealed class ShippedCalendarsOnStart(IServiceScopeFactory scopes) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var roots = await db.Units.AsNoTracking().Where(u => u.ParentId == null).Select(u => u.Id).ToListAsync(cancellationToken);
        if (roots.Count > 0)
            await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new EnsureShippedCalendars(roots), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
