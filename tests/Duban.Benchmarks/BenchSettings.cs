using System.Globalization;

namespace Duban.Benchmarks;

/// <summary>What one run does. From the command line and DUBAN_BENCH_POSTGRES.</summary>
internal sealed record BenchSettings
{
    public required string ServerConnectionString { get; init; }
    public int Instances { get; init; } = 2000;
    public int Clients { get; init; } = 32;
    public int RawSeconds { get; init; } = 5;
    /// <summary>
    /// Instances started and completed before the measured phases, so the JIT and the pools are warm; further rounds
    /// follow while tiered compilation is still recompiling. Not reported.
    /// </summary>
    public int Warmup { get; init; } = 200;
    /// <summary>Count SQL commands per completion, attribute time to SQL, and time the engine alone.</summary>
    public bool Profile { get; init; }
    /// <summary>Leave the database behind (for inspection) instead of dropping it.</summary>
    public bool Keep { get; init; }

    public const string Usage =
        """
        Duban task-completion benchmark (prints figures; asserts nothing about timing).

          DUBAN_BENCH_POSTGRES='Host=…;Port=…;Username=…;Password=…;Database=postgres'   (required)
          dotnet run -c Release --project tests/Duban.Benchmarks -- [options]

          --instances N   instances started and completed (default 2000; 3 task completions each)
          --clients C     concurrent clients (default 32)
          --seconds S     duration of the raw PostgreSQL commit test (default 5)
          --warmup W      instances run through first, unmeasured (default 200; more rounds follow
                          until the JIT has settled; 0 = no warm-up)
          --profile       also count SQL round trips per completion, show a mean timeline per step,
                          and time the engine alone
          --keep          keep the benchmark database instead of dropping it
        """;

    public static BenchSettings? Parse(string[] args, out string? error)
    {
        error = null;
        var connection = Environment.GetEnvironmentVariable("DUBAN_BENCH_POSTGRES");
        int instances = 2000, clients = 32, seconds = 5, warmup = 200;
        bool profile = false, keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--instances": if (!Int(args, ref i, 1, out instances, out error)) return null; break;
                case "--clients": if (!Int(args, ref i, 1, out clients, out error)) return null; break;
                case "--seconds": if (!Int(args, ref i, 1, out seconds, out error)) return null; break;
                case "--warmup": if (!Int(args, ref i, 0, out warmup, out error)) return null; break;
                case "--profile": profile = true; break;
                case "--keep": keep = true; break;
                case "-h" or "--help": error = ""; return null;
                default: error = $"unknown argument '{args[i]}'"; return null;
            }
        }
        if (string.IsNullOrWhiteSpace(connection))
        {
            error = "DUBAN_BENCH_POSTGRES is not set";
            return null;
        }
        return new BenchSettings
        {
            ServerConnectionString = connection, Instances = instances, Clients = clients, RawSeconds = seconds,
            Warmup = warmup, Profile = profile, Keep = keep,
        };
    }

    private static bool Int(string[] args, ref int i, int min, out int value, out string? error)
    {
        value = 0;
        error = null;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out value) || value < min)
        {
            error = $"{args[i]} needs an integer ≥ {min}";
            return false;
        }
        i++;
        return true;
    }
}
