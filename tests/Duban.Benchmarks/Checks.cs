using Duban.Data;
using Duban.Data.Tasks;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Benchmarks;

/// <summary>After the run: did every instance really go 领导审定 → 承办 → 审核 → 办结? Not about timing.</summary>
internal static class Checks
{
    public sealed record Outcome(List<string> Problems, double AverageStateJsonChars)
    {
        public bool Ok => Problems.Count == 0;
    }

    public static async Task<Outcome> VerifyAsync(IServiceProvider services, int expectedInstances)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
        var problems = new List<string>();

        var instances = await db.Instances.CountAsync();
        if (instances != expectedInstances)
            problems.Add($"{instances} instances in the database, expected {expectedInstances}");

        var unfinished = await db.Instances.CountAsync(i => i.Status != WorkflowStatus.Completed || i.Result != "办结");
        if (unfinished > 0)
        {
            var sample = await db.Instances.AsNoTracking().Where(i => i.Status != WorkflowStatus.Completed || i.Result != "办结")
                .GroupBy(i => new { i.Status, i.Result }).Select(g => new { g.Key.Status, g.Key.Result, Count = g.Count() }).ToListAsync();
            problems.Add($"{unfinished} instances not Completed/办结: " +
                string.Join(", ", sample.Select(s => $"{s.Status}/{s.Result ?? "-"}×{s.Count}")));
        }

        var completedPerInstance = await db.Journal.Where(j => j.Kind == JournalKind.TaskCompleted)
            .GroupBy(j => j.InstanceId).Select(g => g.Count()).ToListAsync();
        var exactlyThree = completedPerInstance.Count(c => c == 3);
        if (exactlyThree != instances)
        {
            var shape = completedPerInstance.GroupBy(c => c).OrderBy(g => g.Key).Select(g => $"{g.Key} rows×{g.Count()}");
            problems.Add($"{exactlyThree} of {instances} instances have exactly 3 TaskCompleted journal rows " +
                $"({instances - completedPerInstance.Count} have none; others: {string.Join(", ", shape)})");
        }

        var openTasks = await db.Tasks.CountAsync(t => t.Status == HumanTaskStatus.Open);
        if (openTasks > 0) problems.Add($"{openTasks} tasks still open");
        var completedTasks = await db.Tasks.CountAsync(t => t.Status == HumanTaskStatus.Completed);
        if (completedTasks != 3 * expectedInstances)
            problems.Add($"{completedTasks} completed task rows, expected {3 * expectedInstances}");

        var averageState = instances == 0 ? 0 : await db.Instances.AverageAsync(i => (double)i.StateJson.Length);
        return new Outcome(problems, averageState);
    }
}
