using Duban.Data;
using Duban.Data.Calendar;
using Duban.Data.Startup;
using Duban.Data.Tasks;
using Duban.Engine.Calendar;
using Duban.Engine.Definitions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Server.Tests.Startup;

/// <summary>Checks that the first-start setup left the database whole, and everything in it once.</summary>
internal static class SetupChecks
{
    /// <summary>The procedure ids of the shipped templates (the files the host imports).</summary>
    public static IReadOnlyList<string> TemplateIds { get; } = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "workflows"), "*.json")
        .Select(f => DefinitionJson.Parse(File.ReadAllText(f))!.DefinitionId).Order(StringComparer.Ordinal).ToList();

    public static async Task<T> WithDbAsync<T>(WebApplicationFactory<Program> host, Func<DubanDbContext, Task<T>> read)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<DubanDbContext>());
    }

    public static Task<List<string>> FinishedStepsAsync(WebApplicationFactory<Program> host) =>
        WithDbAsync(host, db => db.Set<SetupStepRecord>().Select(s => s.Name).OrderBy(n => n).ToListAsync());

    /// <summary>
    /// Every step recorded; the four roles; every template once, published; the nine demo units; each demo user with its
    /// role; the demo organization's calendar, loaded before the demo items were made; the three demo items, each once
    /// and at its step.
    /// </summary>
    public static async Task AssertWholeAsync(WebApplicationFactory<Program> host)
    {
        Assert.Equal(FirstStartSetup.AllSteps.Select(s => s.Name).Order(StringComparer.Ordinal), await FinishedStepsAsync(host));
        await WithDbAsync(host, async db =>
        {
            Assert.Equal(Engine.Directory.Roles.Assignable.Append(Engine.Directory.Roles.Platform).Order(StringComparer.Ordinal),
                (await db.Roles.Select(r => r.Name!).ToListAsync()).Order(StringComparer.Ordinal));

            var definitions = await db.Definitions.Select(d => new { d.DefinitionId, d.Version, d.IsPublished }).ToListAsync();
            Assert.Equal(TemplateIds, definitions.Select(d => d.DefinitionId).Order(StringComparer.Ordinal));
            Assert.All(definitions, d => Assert.True(d.Version == 1 && d.IsPublished, $"{d.DefinitionId}: v{d.Version}, published {d.IsPublished}"));

            Assert.Equal(9, await db.Units.CountAsync());
            var memberships = await (from user in db.Users
                                     join link in db.UserRoles on user.Id equals link.UserId
                                     join role in db.Roles on link.RoleId equals role.Id
                                     select new { user.UserName, role.Name }).ToListAsync();
            Assert.Equal(DemoData.Users.Select(u => $"{u.UserName}:{u.Role}").Concat(DemoData.ExtraRoles.Select(e => $"{e.UserName}:{e.Role}")).Append($"{DemoData.PlatformUserName}:{Engine.Directory.Roles.Platform}").Order(StringComparer.Ordinal),
                memberships.Select(m => $"{m.UserName}:{m.Name}").Order(StringComparer.Ordinal));
            Assert.Equal(DemoData.Users.Count + 1, await db.Users.CountAsync());
            Assert.Equal(3, await db.Units.CountAsync(u => u.LeaderUserId != null));

            var years = await db.Set<CalendarYearRecord>().Where(y => y.OrganizationId == "sft").Select(y => new { y.Year, y.LoadedAt }).ToListAsync();
            Assert.Equal(ShippedCalendars.Years.Keys.Order(), years.Select(y => y.Year).Order());

            var items = await db.Instances.Select(i => new { i.Id, i.Title, i.CreatedAt }).ToListAsync();
            Assert.Equal(3, items.Count);
            Assert.Equal(3, items.Select(i => i.Title).Distinct().Count());
            // The items' deadlines count working days, so the calendar comes first.
            Assert.True(years.Max(y => y.LoadedAt) <= items.Min(i => i.CreatedAt), "the calendar was loaded after the demo items were made");
            var open = await db.Tasks.Where(t => t.Status == HumanTaskStatus.Open).Select(t => new { t.InstanceId, t.ActivityId }).ToListAsync();
            Assert.Equal(["approve", "handle", "review"], items.OrderBy(i => i.CreatedAt).Select(i => open.Single(t => t.InstanceId == i.Id).ActivityId));
            return 0;
        });
    }
}
