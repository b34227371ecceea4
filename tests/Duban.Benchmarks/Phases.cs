using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Duban.Data;
using Duban.Data.Organization;
using Duban.Data.Runtime;
using Duban.Data.Runtime.Items;
using Duban.Data.Runtime.Tasks;
using Duban.Data.Tasks;
using Duban.Data.Writes;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Duban.Benchmarks;

/// <summary>What a phase measured: operations, failures, wall time and the latency of each operation.</summary>
internal sealed class PhaseResult
{
    public int Operations;
    public int Conflicts;
    public int Errors;
    public double WallSeconds;
    public double[] LatenciesMs = [];
    public readonly ConcurrentQueue<string> ErrorSamples = new();

    // Per-operation SQL figures (from SqlProfiler), summed over the phase.
    public long Commands;
    public long SyncCommands;
    public long Commits;
    public long SqlTicks;
    public long Compilations;
    /// <summary>With --profile: each completion's timeline, with the step it completed.</summary>
    public readonly ConcurrentQueue<(string Step, List<(string Event, long At)> Events)> Timelines = new();

    public double PerSecond => WallSeconds > 0 ? Operations / WallSeconds : 0;

    public void Fail(Exception e, bool conflict)
    {
        if (conflict) Interlocked.Increment(ref Conflicts);
        else Interlocked.Increment(ref Errors);
        if (ErrorSamples.Count < 5) ErrorSamples.Enqueue($"{e.GetType().Name}: {e.Message}");
    }

    public void Add(SqlProfiler.Operation op)
    {
        Interlocked.Add(ref Commands, op.Commands);
        Interlocked.Add(ref SyncCommands, op.SyncCommands);
        Interlocked.Add(ref Commits, op.Commits);
        Interlocked.Add(ref SqlTicks, op.SqlTicks);
        Interlocked.Add(ref Compilations, op.Compilations);
    }
}

internal sealed record WorkItem(Guid TaskId, Guid InstanceId, string ActivityId);

internal static class Phases
{
    /// <summary>Phase 1: <paramref name="count"/> instances of the demo procedure, from <paramref name="clients"/> clients, a scope per start.</summary>
    public static async Task<PhaseResult> StartInstancesAsync(IServiceProvider services, int count, int clients, int offset)
    {
        var result = new PhaseResult();
        var next = 0;
        var latencies = new List<long>[clients];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(count / clients + 1);
            int i;
            while ((i = Interlocked.Increment(ref next)) <= count)
            {
                await using var scope = services.CreateAsyncScope();
                var door = scope.ServiceProvider.GetRequiredService<WriteDoor>();
                var data = new JsonObject
                {
                    ["title"] = $"督查事项 {offset + i}",
                    ["source"] = "meeting",
                    ["content"] = "落实会议议定事项，按期报送办理情况。",
                    ["handlingUnit"] = "fzc",
                    ["dueDate"] = "2026-12-31",
                };
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await door.RunAsync(new StartItem(BenchEnvironment.DefinitionId, BenchEnvironment.Supervisor, data));
                    mine.Add(Stopwatch.GetTimestamp() - started);
                    Interlocked.Increment(ref result.Operations);
                }
                catch (Exception e)
                {
                    result.Fail(e, conflict: false);
                }
            }
        })));
        result.WallSeconds = wall.Elapsed.TotalSeconds;
        result.LatenciesMs = Merge(latencies);
        return result;
    }

    /// <summary>
    /// Phase 2: every open task is completed, by <paramref name="clients"/> workers taking task ids from one channel.
    /// A completion returns the tasks it opened (the next step); they go into the channel. Only the
    /// CompleteTaskAsync call is timed per completion.
    /// </summary>
    public static async Task<PhaseResult> CompleteAllAsync(IServiceProvider services, int clients, bool timelines = false)
    {
        var result = new PhaseResult();
        var channel = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

        List<WorkItem> open;
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DubanDbContext>();
            open = await db.Tasks.AsNoTracking().Where(t => t.Status == HumanTaskStatus.Open)
                .OrderBy(t => t.Id).Select(t => new WorkItem(t.Id, t.InstanceId, t.ActivityId)).ToListAsync();
        }
        if (open.Count == 0) return result;
        var outstanding = open.Count; // open tasks not yet taken care of
        foreach (var item in open) channel.Writer.TryWrite(item);

        void Settled(int opened)
        {
            if (Interlocked.Add(ref outstanding, opened - 1) == 0) channel.Writer.TryComplete();
        }

        var latencies = new List<long>[clients];
        var wall = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<long>(open.Count * 3 / clients + 1);
            await foreach (var item in channel.Reader.ReadAllAsync())
            {
                await using var scope = services.CreateAsyncScope();
                var (user, command) = Step(item.ActivityId);
                var op = SqlProfiler.Begin(timelines);
                var started = Stopwatch.GetTimestamp();
                IReadOnlyList<OpenedTask> next = [];
                bool ok;
                try
                {
                    next = await scope.ServiceProvider.GetRequiredService<WriteDoor>().RunAsync(new CompleteTask(item.TaskId, user, command));
                    mine.Add(Stopwatch.GetTimestamp() - started);
                    Interlocked.Increment(ref result.Operations);
                    ok = true;
                }
                catch (Exception e) when (e is WorkflowConflictException or DbUpdateConcurrencyException)
                {
                    result.Fail(e, conflict: true);
                    ok = false;
                }
                catch (Exception e)
                {
                    result.Fail(e, conflict: false);
                    ok = false;
                }
                finally
                {
                    op.Mark("returned");
                    SqlProfiler.End();
                }
                result.Add(op);
                if (op.Timeline is { } timeline && ok) result.Timelines.Enqueue((item.ActivityId, timeline));

                foreach (var task in next) channel.Writer.TryWrite(new WorkItem(task.Id, task.InstanceId, task.ActivityId));
                Settled(next.Count);
            }
        })));
        result.WallSeconds = wall.Elapsed.TotalSeconds;
        result.LatenciesMs = Merge(latencies);
        return result;
    }

    /// <summary>Who completes each step of the demo procedure, with which outcome and form data.</summary>
    public static (CurrentUser User, TaskSubmission Command) Step(string activityId) => activityId switch
    {
        "approve" => (BenchEnvironment.Leader, new TaskSubmission("同意", new JsonObject { ["leaderOpinion"] = "同意" }, null)),
        "handle" => (BenchEnvironment.Liaison, new TaskSubmission("提交", new JsonObject { ["report"] = "已办理" }, null)),
        "review" => (BenchEnvironment.Supervisor, new TaskSubmission("通过", new JsonObject { ["reviewOpinion"] = "同意办结" }, null)),
        _ => throw new InvalidOperationException($"unexpected step '{activityId}'"),
    };

    public static double[] Merge(IEnumerable<List<long>?> perClient)
    {
        var all = perClient.Where(l => l is not null).SelectMany(l => l!).Select(t => t * 1000.0 / Stopwatch.Frequency).ToArray();
        Array.Sort(all);
        return all;
    }

    public static double Percentile(double[] sorted, double p)
    {
        if (sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }
}
