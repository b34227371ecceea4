using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Duban.Data;
using Duban.Data.Definitions;
using Duban.Data.Organization;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Benchmarks;

/// <summary>
/// The engine alone, on one thread, no database: per completion, what the runtime does in memory —
/// read the state JSON, run the engine (which copies the state through JSON itself), write the state JSON.
/// </summary>
internal static class EngineProfile
{
    public sealed record Figures(int Completions, double DeserializeUs, double CloneUs, double ResumeUs, double SerializeUs, double TaskJsonUs, double StartUs);

    public static async Task<Figures> RunAsync(IServiceProvider services, int instances)
    {
        WorkflowDefinition definition;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            var record = await db.Definitions.AsNoTracking().FirstAsync(d => d.DefinitionId == BenchEnvironment.DefinitionId && d.IsPublished);
            definition = services.GetRequiredService<DefinitionCache>().Get(record);
        }
        var org = await services.GetRequiredService<OrganizationCache>().GetAsync();
        var runner = services.GetRequiredService<WorkflowRunner>();
        var options = DefinitionJson.Options;

        long deserialize = 0, clone = 0, resume = 0, serialize = 0, taskJson = 0, start = 0;
        var completions = 0;
        for (var round = 0; round < 2; round++) // the first round warms up and is thrown away
        {
            deserialize = clone = resume = serialize = taskJson = start = 0;
            completions = 0;
            for (var i = 0; i < instances; i++)
            {
                var id = Guid.CreateVersion7();
                var t = Stopwatch.GetTimestamp();
                var result = runner.Start(definition, id, new StartRequest(BenchEnvironment.Supervisor.ToActor(), new JsonObject
                {
                    ["title"] = $"督查事项 {i}", ["source"] = "meeting", ["content"] = "落实会议议定事项，按期报送办理情况。",
                    ["handlingUnit"] = "fzc", ["dueDate"] = "2026-12-31",
                }), org);
                start += Stopwatch.GetTimestamp() - t;
                var json = JsonSerializer.Serialize(result.State, options);

                foreach (var step in new[] { "approve", "handle", "review" })
                {
                    var task = result.Effects.NewTasks.Single();
                    var (user, command) = Phases.Step(step);

                    t = Stopwatch.GetTimestamp();
                    var state = JsonSerializer.Deserialize<WorkflowState>(json, options)!;
                    deserialize += Stopwatch.GetTimestamp() - t;

                    t = Stopwatch.GetTimestamp();
                    _ = state.Clone();
                    clone += Stopwatch.GetTimestamp() - t;

                    t = Stopwatch.GetTimestamp();
                    result = runner.Resume(definition, id, state, task.BookmarkId!, new ResumeRequest(user.ToActor())
                    {
                        TaskId = task.Id, Outcome = command.Outcome, Data = command.Data, Comment = command.Comment,
                    }, org);
                    resume += Stopwatch.GetTimestamp() - t;

                    t = Stopwatch.GetTimestamp();
                    json = JsonSerializer.Serialize(result.State, options);
                    serialize += Stopwatch.GetTimestamp() - t;

                    // The runtime also writes each new task's permissions and outcomes, and each journal row's data, as JSON.
                    t = Stopwatch.GetTimestamp();
                    foreach (var created in result.Effects.NewTasks)
                    {
                        _ = JsonSerializer.Serialize(created.Permissions, options);
                        _ = JsonSerializer.Serialize(created.Outcomes, options);
                    }
                    foreach (var entry in result.Effects.Journal) _ = entry.Data?.ToJsonString(options);
                    taskJson += Stopwatch.GetTimestamp() - t;
                    completions++;
                }
                if (result.State.Status != WorkflowStatus.Completed)
                    throw new InvalidOperationException($"engine-only run ended {result.State.Status}, expected Completed");
            }
        }
        double Us(long ticks, int n) => ticks * 1_000_000.0 / Stopwatch.Frequency / n;
        return new Figures(completions, Us(deserialize, completions), Us(clone, completions), Us(resume, completions),
            Us(serialize, completions), Us(taskJson, completions), Us(start, instances));
    }
}
