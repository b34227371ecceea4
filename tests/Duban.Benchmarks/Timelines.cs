using System.Diagnostics;
using System.Globalization;

namespace Duban.Benchmarks;

/// <summary>
/// The mean timeline of one completion, per step: the time between consecutive events (query sent, reply, rows read,
/// SaveChanges …). With one client the gaps between a reply and the next send are the .NET side's own CPU.
/// </summary>
internal static class Timelines
{
    public static void Print(PhaseResult result)
    {
        foreach (var step in result.Timelines.GroupBy(t => t.Step).OrderBy(g => StepOrder(g.Key)))
        {
            // Completions of one step normally follow one sequence of events; take the commonest.
            var shapes = step.GroupBy(t => string.Join("|", t.Events.Select(e => e.Event))).OrderByDescending(g => g.Count()).ToList();
            var common = shapes[0].ToList();
            var events = common[0].Events.Select(e => e.Event).ToList();
            var gaps = new double[events.Count - 1];
            foreach (var (_, timeline) in common)
                for (var i = 1; i < timeline.Count; i++)
                    gaps[i - 1] += (timeline[i].At - timeline[i - 1].At) * 1000.0 / Stopwatch.Frequency;
            for (var i = 0; i < gaps.Length; i++) gaps[i] /= common.Count;

            Console.WriteLine();
            Console.WriteLine($"timeline of completing '{step.Key}' (mean of {common.Count} completions of {step.Count()}; total {Ms(gaps.Sum())} ms):");
            double sql = 0, dotnet = 0;
            for (var i = 0; i < gaps.Length; i++)
            {
                var waiting = events[i].StartsWith("send ", StringComparison.Ordinal);
                if (waiting) sql += gaps[i]; else dotnet += gaps[i];
                Console.WriteLine($"  {Ms(gaps[i]),7} ms  {(waiting ? "server " : ".NET   ")} {events[i]}  →  {events[i + 1]}");
            }
            Console.WriteLine($"  = {Ms(sql)} ms waiting for the server (send → reply), {Ms(dotnet)} ms in .NET");
        }
    }

    private static int StepOrder(string step) => step switch { "approve" => 0, "handle" => 1, "review" => 2, _ => 3 };

    private static string Ms(double ms) => ms.ToString("0.000", CultureInfo.InvariantCulture);
}
