using System.Diagnostics;

namespace Duban.Engine.Tests.Expressions;

/// <summary>
/// What stopping a runaway script cost: CPU time of the thread that ran it, and wall-clock time.
/// </summary>
/// <remarks>
/// "Stops within a second" is a bound on the work the server does for the script, so the tests assert on CPU time.
/// Wall-clock time on a loaded CI machine includes seconds spent waiting for a core and would make the tests flaky;
/// it is only checked against a loose bound that proves the call came back. Off Linux, CPU time falls back to wall time.
/// </remarks>
internal readonly record struct ScriptCost(TimeSpan Cpu, TimeSpan Wall)
{
    public static readonly TimeSpan CpuBound = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WallBound = TimeSpan.FromSeconds(10);

    public static ScriptCost Measure(Action run)
    {
        var cpuBefore = ThreadCpu();
        var wall = Stopwatch.StartNew();
        try
        {
            run();
        }
        finally
        {
            wall.Stop();
        }
        var cpuAfter = ThreadCpu();
        return new ScriptCost(cpuBefore is { } b && cpuAfter is { } a ? a - b : wall.Elapsed, wall.Elapsed);
    }

    /// <summary>Runs <paramref name="run"/>, which must throw <typeparamref name="T"/>, and measures it.</summary>
    public static (T Error, ScriptCost Cost) MeasureThrows<T>(Action run) where T : Exception
    {
        T? error = null;
        var cost = Measure(() => error = Assert.Throws<T>(run));
        return (error!, cost);
    }

    public void AssertQuick(string what)
    {
        Assert.True(Cpu < CpuBound, $"{what}: {Cpu.TotalMilliseconds:0} ms of CPU (wall {Wall.TotalMilliseconds:0} ms)");
        Assert.True(Wall < WallBound, $"{what}: came back after {Wall.TotalMilliseconds:0} ms");
    }

    /// <summary>User + system time of the calling thread, from /proc (clock ticks of 10 ms); null where there is no /proc.</summary>
    private static TimeSpan? ThreadCpu()
    {
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After "pid (comm) ": state is field 3 of proc(5), utime 14 and stime 15.
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return TimeSpan.FromMilliseconds(ticks * 10);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
