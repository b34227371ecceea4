using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Duban.Server.Tests.Infrastructure.Api;

namespace Duban.Server.Tests.Api;

/// <summary>A completion tells its caller which tasks it opened: the next step's, or none when the item ended.</summary>
public abstract class OpenedTasksTests<TFixture>(TFixture fixture) : IAsyncLifetime where TFixture : DubanFixture
{
    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_completion_returns_the_next_steps_open_task_and_the_last_returns_none()
    {
        var ducha = await fixture.As("ducha");
        var lingdao = await fixture.As("lingdao");
        var id = await StartAsync(ducha, "demo-supervision", DemoStartData());
        var approve = await TaskOfAsync(lingdao, id);

        var afterApprove = await CompleteAsync("lingdao", approve, "同意", new JsonObject { ["leaderOpinion"] = "同意" });
        var handle = Assert.Single(afterApprove);
        Assert.Equal(("handle", id, "fzc"), (handle.ActivityId, handle.InstanceId, handle.CandidateUnitId));
        await AssertOpenInDatabaseAsync(id, handle.Id);

        var afterHandle = await CompleteAsync("fazhi", handle.Id, "提交", new JsonObject { ["report"] = "已办理" });
        var review = Assert.Single(afterHandle);
        Assert.Equal("review", review.ActivityId);
        await AssertOpenInDatabaseAsync(id, review.Id);

        // 通过 ends the item: nothing is opened.
        Assert.Empty(await CompleteAsync("ducha", review.Id, "通过", new JsonObject { ["reviewOpinion"] = "同意办结" }));
        await fixture.Factory.WithDbAsync(async db =>
            Assert.False(await db.Tasks.AnyAsync(t => t.InstanceId == id && t.Status == HumanTaskStatus.Open)));
    }

    private Task<IReadOnlyList<OpenedTask>> CompleteAsync(string userName, Guid taskId, string outcome, JsonObject data) =>
        fixture.Factory.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<DubanDbContext>();
            var user = await db.Users.AsNoTracking().SingleAsync(u => u.UserName == userName);
            var roles = await (from ur in db.UserRoles where ur.UserId == user.Id join r in db.Roles on ur.RoleId equals r.Id select r.Name!).ToListAsync();
            var current = new CurrentUser(user.Id, userName, user.DisplayName, user.UnitId, null, roles) { OrganizationId = user.OrganizationId };
            return await sp.GetRequiredService<WriteDoor>().RunAsync(new CompleteTask(taskId, current, new TaskSubmission(outcome, data, null)));
        });

    /// <summary>What the completion returned is the one open task the database holds for the item.</summary>
    private Task AssertOpenInDatabaseAsync(Guid instanceId, Guid taskId) =>
        fixture.Factory.WithDbAsync(async db =>
            Assert.Equal([taskId], await db.Tasks.Where(t => t.InstanceId == instanceId && t.Status == HumanTaskStatus.Open).Select(t => t.Id).ToListAsync()));
}

[Collection(SqliteFixture.Collection)]
public sealed class SqliteOpenedTasksTests(SqliteFixture fixture) : OpenedTasksTests<SqliteFixture>(fixture);

[Collection(PostgresFixture.Collection)]
public sealed class PostgresOpenedTasksTests(PostgresFixture fixture) : OpenedTasksTests<PostgresFixture>(fixture);
