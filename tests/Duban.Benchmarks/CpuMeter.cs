using System.Diagnostics;
using System.Globalization;

namespace Duban.Benchmarks;

/// <summary>
/// Where the machine's CPU went during a phase (Linux, best effort): this process, the postgres processes,
/// everything else. In cores, i.e. CPU-seconds per wall second.
/// </summary>
internal sealed class CpuMeter
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    private readonly int? _postmaster;
    private readonly long _wallStart;
    private readonly TimeSpan _selfStart;
    private readonly (long Busy, long Total)? _systemStart;
    private readonly long? _postgresStart;

    /// <param name="postmaster">The benchmark server's postmaster: only it and its children count as "postgres".</param>
    public CpuMeter(int? postmaster)
    {
        _postmaster = postmaster;
        _postgresStart = PostgresTicks(postmaster);
        _systemStart = SystemTicks();
        _selfStart = Process.GetCurrentProcess().TotalProcessorTime;
        _wallStart = Stopwatch.GetTimestamp();
    }

    public sealed record Usage(double Seconds, double Self, double? Postgres, double? Other, double? IdleCores);

    public Usage Stop()
    {
        var seconds = Stopwatch.GetElapsedTime(_wallStart).TotalSeconds;
        var self = (Process.GetCurrentProcess().TotalProcessorTime - _selfStart).TotalSeconds / seconds;
        double? postgres = PostgresTicks(_postmaster) is { } pgEnd && _postgresStart is { } pgStart ? (pgEnd - pgStart) / ClockTicksPerSecond / seconds : null;
        double? busy = null, idle = null;
        if (SystemTicks() is { } end && _systemStart is { } start)
        {
            busy = (end.Busy - start.Busy) / ClockTicksPerSecond / seconds;
            idle = ((end.Total - start.Total) - (end.Busy - start.Busy)) / ClockTicksPerSecond / seconds;
        }
        double? other = busy is { } b && postgres is { } p ? Math.Max(0, b - self - p) : null;
        return new Usage(seconds, self, postgres, other, idle);
    }

    private static (long Busy, long Total)? SystemTicks()
    {
        try
        {
            var cpu = File.ReadLines("/proc/stat").First(l => l.StartsWith("cpu ", StringComparison.Ordinal));
            var v = cpu.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
            var total = v.Take(8).Sum();
            var idle = v[3] + v[4];
            return (total - idle, total);
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>utime+stime of the postmaster and its children (backends, writers, autovacuum) alive now.</summary>
    private static long? PostgresTicks(int? postmaster)
    {
        if (!OperatingSystem.IsLinux() || postmaster is not { } root) return null;
        long sum = 0;
        try
        {
            foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
            {
                var name = Path.GetFileName(dir);
                if (name.Length == 0 || !char.IsAsciiDigit(name[0])) continue;
                string stat;
                try { stat = File.ReadAllText(Path.Combine(dir, "stat")); }
                catch (IOException) { continue; }
                catch (UnauthorizedAccessException) { continue; }
                var open = stat.IndexOf('(');
                var close = stat.LastIndexOf(')');
                if (open < 0 || close < open) continue;
                var fields = stat[(close + 2)..].Split(' ');
                if (name != root.ToString(CultureInfo.InvariantCulture) && fields[1] != root.ToString(CultureInfo.InvariantCulture)) continue;
                // after the comm: state(0) ppid … utime is field 14 overall → index 11 here, stime index 12.
                sum += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            return sum;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The parent of a local backend process, i.e. the postmaster; null if the server is not on this machine.</summary>
    public static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            if (!stat.Contains("(postgres)", StringComparison.Ordinal)) return null;
            return int.Parse(stat[(close + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
