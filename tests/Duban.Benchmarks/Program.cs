// Duban benchmark: how many task completions per second the runtime sustains on PostgreSQL, next to the
// server's plain commit rate. Prints figures; asserts nothing about timing. See BenchSettings.Usage.
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Duban.Benchmarks;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
Console.OutputEncoding = System.Text.Encoding.UTF8;

// The read benchmark (issue 22): grows a server's database and times what users open, over HTTP.
if (args is ["reads", ..]) return await Duban.Benchmarks.Reads.ReadBench.RunAsync(args[1..]);

var settings = BenchSettings.Parse(args, out var error);
if (settings is null)
{
    if (!string.IsNullOrEmpty(error)) Console.Error.WriteLine($"error: {error}");
    (string.IsNullOrEmpty(error) ? Console.Out : Console.Error).WriteLine(BenchSettings.Usage);
    return string.IsNullOrEmpty(error) ? 0 : 2;
}

// Enough threads from the start that 32–64 clients are not held up by the thread pool's slow ramp-up.
ThreadPool.GetMinThreads(out var minWorkers, out var minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, settings.Clients + 8), minIo);

Console.Error.WriteLine($"setting up database and services (clients {settings.Clients}, instances {settings.Instances}) …");
await using var env = await BenchEnvironment.CreateAsync(settings);
var pgVersion = await env.ServerVersionAsync();
var pgSettings = string.Join(", ", await Task.WhenAll(new[] { "fsync", "synchronous_commit", "shared_buffers", "max_connections" }
    .Select(async s => $"{s}={await env.ServerSettingAsync(s)}")));

// Warm-up, unmeasured: instances all the way through until the JIT has settled (tiered compilation recompiles hot
// methods for a while; in a long-running server that is over after the first minutes), plus pools and caches.
var warmedUp = 0;
var warmRounds = 0;
var lastRoundJit = 0;
var warmWatch = System.Diagnostics.Stopwatch.StartNew();
while (warmedUp < settings.Warmup || (settings.Warmup > 0 && lastRoundJit > 10 && warmedUp < settings.Warmup * 20 && warmWatch.Elapsed < TimeSpan.FromSeconds(90)))
{
    var round = warmRounds == 0 ? settings.Warmup : Math.Max(100, settings.Clients * 4);
    var jitStart = System.Runtime.JitInfo.GetCompiledMethodCount();
    var warmStart = await Phases.StartInstancesAsync(env.Services, round, settings.Clients, offset: warmedUp);
    var warmDone = await Phases.CompleteAllAsync(env.Services, settings.Clients);
    await Task.Delay(200); // tier-1 compilation runs in the background after a short delay
    lastRoundJit = (int)(System.Runtime.JitInfo.GetCompiledMethodCount() - jitStart);
    warmedUp += round;
    warmRounds++;
    Console.Error.WriteLine($"warm-up round {warmRounds}: {round} instances, {lastRoundJit} methods JIT-compiled");
    if (warmStart.Errors + warmDone.Errors + warmDone.Conflicts > 0)
        Console.Error.WriteLine("warm-up had failures: " + string.Join(" | ", warmStart.ErrorSamples.Concat(warmDone.ErrorSamples)));
}

Console.Error.WriteLine("phase 1: starting instances …");
var started = await Phases.StartInstancesAsync(env.Services, settings.Instances, settings.Clients, offset: warmedUp);

Console.Error.WriteLine("phase 2: completing tasks …");
var scansBefore = await env.SequentialScansAsync();
env.Profiler.Reset();
env.Profiler.Recording = settings.Profile;
var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
var gcBefore = (G0: GC.CollectionCount(0), G1: GC.CollectionCount(1), G2: GC.CollectionCount(2), Pause: GC.GetTotalPauseDuration());
var jitBefore = (Methods: System.Runtime.JitInfo.GetCompiledMethodCount(), Time: System.Runtime.JitInfo.GetCompilationTime());
var compilationsBefore = env.Profiler.Compilations;
var postmaster = await env.PostmasterPidAsync();
var cpu = new CpuMeter(postmaster);
var completed = await Phases.CompleteAllAsync(env.Services, settings.Clients, timelines: settings.Profile);
var completedCpu = cpu.Stop();
var scansAfter = await env.SequentialScansAsync();
// Rows read by full table scans during phase 2, per completion, for the tables that grow with use. An event must find
// its rows through indexes: a scan here makes every completion slower as the database grows (decision 008).
var scanned = scansAfter.Where(t => t.Key is "WorkflowInstances" or "Tasks" or "JournalEntries" or "Timers" or "InstanceUnits")
    .Select(t => (Table: t.Key, Scans: t.Value.Scans - scansBefore.GetValueOrDefault(t.Key).Scans, Rows: t.Value.Rows - scansBefore.GetValueOrDefault(t.Key).Rows))
    .Where(t => t.Scans > 0).OrderByDescending(t => t.Rows).ToList();
var allocated = GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore;
var gc = (G0: GC.CollectionCount(0) - gcBefore.G0, G1: GC.CollectionCount(1) - gcBefore.G1, G2: GC.CollectionCount(2) - gcBefore.G2,
    Pause: GC.GetTotalPauseDuration() - gcBefore.Pause);
var jit = (Methods: System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore.Methods, Time: System.Runtime.JitInfo.GetCompilationTime() - jitBefore.Time);
var compilations = env.Profiler.Compilations - compilationsBefore;
env.Profiler.Recording = false;

Console.Error.WriteLine($"phase 3: raw UPDATE commits for {settings.RawSeconds} s …");
cpu = new CpuMeter(postmaster);
PhaseResult raw;
try
{
    raw = await RawCommits.RunAsync(env.ConnectionString, settings.Clients, settings.RawSeconds);
}
catch (Exception e)
{
    raw = new PhaseResult();
    raw.Fail(e, conflict: false);
}
var rawCpu = cpu.Stop();

EngineProfile.Figures? engine = null;
if (settings.Profile)
{
    Console.Error.WriteLine("profile: engine alone, one thread …");
    engine = await EngineProfile.RunAsync(env.Services, Math.Min(500, Math.Max(50, settings.Instances / 4)));
}

var check = await Checks.VerifyAsync(env.Services, warmedUp + settings.Instances);

// ---- report ----
string F(double v, int digits = 1) => double.IsNaN(v) ? "-" : v.ToString("N" + digits, CultureInfo.InvariantCulture);
string Row(string phase, PhaseResult r) =>
    $"| {phase,-30} | {r.Operations,8} | {F(r.WallSeconds, 2),7} | {F(r.PerSecond, 0),9} | {F(Phases.Percentile(r.LatenciesMs, 50), 2),7} | " +
    $"{F(Phases.Percentile(r.LatenciesMs, 95), 2),7} | {F(Phases.Percentile(r.LatenciesMs, 99), 2),7} | {r.Conflicts,9} | {r.Errors,6} |";

Console.WriteLine();
Console.WriteLine("Duban benchmark: task completions on PostgreSQL");
Console.WriteLine($"machine     : {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.OSDescription.Trim()}, {RuntimeInformation.FrameworkDescription}, " +
    $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");
Console.WriteLine($"load average: {LoadAverage()} (at the end; counts this run's own threads too — see 'other processes' below for outside load)");
Console.WriteLine($"postgres    : {pgVersion}");
Console.WriteLine($"pg settings : {pgSettings} (same machine)");
Console.WriteLine($"run         : --instances {settings.Instances} --clients {settings.Clients} --seconds {settings.RawSeconds} " +
    $"(warm-up {warmedUp} instances in {warmRounds} rounds, unmeasured; JIT in last round: {lastRoundJit} methods); procedure {BenchEnvironment.DefinitionId}: 领导审定 同意 → 承办 提交 → 审核 通过");
Console.WriteLine($"completer   : WriteDoor.RunAsync(CompleteTask); connection: {DescribeConnection(env.ConnectionString)}; DOTNET_ThreadPool_UnfairSemaphoreSpinLimit={Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") ?? "(default)"}");
Console.WriteLine();
Console.WriteLine($"| {"phase",-30} | {"ops",8} | {"wall s",7} | {"ops/s",9} | {"p50 ms",7} | {"p95 ms",7} | {"p99 ms",7} | {"conflicts",9} | {"errors",6} |");
Console.WriteLine($"|{new string('-', 32)}|{new string('-', 10)}|{new string('-', 9)}|{new string('-', 11)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 9)}|{new string('-', 11)}|{new string('-', 8)}|");
Console.WriteLine(Row("1 start instances (setup)", started));
Console.WriteLine(Row("2 complete tasks (measured)", completed));
Console.WriteLine(Row("3 raw UPDATE commit", raw));
Console.WriteLine();
var ratio = raw.PerSecond > 0 ? completed.PerSecond / raw.PerSecond : double.NaN;
Console.WriteLine($"task completions/s ÷ raw commits/s = {F(completed.PerSecond, 0)} ÷ {F(raw.PerSecond, 0)} = {F(ratio, 3)}");
if (completed.Operations > 0)
{
    var n = (double)(completed.Operations + completed.Conflicts + completed.Errors);
    var sqlMs = completed.SqlTicks / (double)TimeSpan.TicksPerMillisecond / n;
    var meanMs = completed.LatenciesMs.Average();
    Console.WriteLine($"per completion: {F(completed.Commands / n, 2)} SQL commands ({F(completed.SyncCommands / n, 2)} of them synchronous) + " +
        $"{F(completed.Commits / n, 2)} COMMIT = {F((completed.Commands + completed.Commits) / n, 2)} round trips; " +
        $"mean latency {F(meanMs, 2)} ms, of which waiting on SQL {F(sqlMs, 2)} ms ({F(100 * sqlMs / meanMs, 0)} %)");
}
string Cpu(CpuMeter.Usage u) =>
    $"this process {F(u.Self, 2)}, postgres {(u.Postgres is { } p ? F(p, 2) : "?")}, other processes {(u.Other is { } o ? F(o, 2) : "?")}, idle {(u.IdleCores is { } i ? F(i, 2) : "?")}";
Console.WriteLine($"CPU in cores (of {Environment.ProcessorCount}) during phase 2: {Cpu(completedCpu)}");
Console.WriteLine($"CPU in cores (of {Environment.ProcessorCount}) during phase 3: {Cpu(rawCpu)}");
if (completed.Operations > 0)
    Console.WriteLine($"CPU per task completion: this process {F(completedCpu.Self * completedCpu.Seconds * 1000 / completed.Operations, 2)} ms, " +
        $"postgres {(completedCpu.Postgres is { } pgc ? F(pgc * completedCpu.Seconds * 1000 / completed.Operations, 2) : "?")} ms " +
        $"(raw commit: this process {F(rawCpu.Self * rawCpu.Seconds * 1000 / Math.Max(1, raw.Operations), 3)} ms, " +
        $"postgres {(rawCpu.Postgres is { } pgr ? F(pgr * rawCpu.Seconds * 1000 / Math.Max(1, raw.Operations), 3) : "?")} ms)");
Console.WriteLine($"average StateJson: {F(check.AverageStateJsonChars, 0)} chars");
Console.WriteLine(scanned.Count == 0
    ? "full table scans during phase 2: none on the growing tables"
    : "full table scans during phase 2: " + string.Join(", ", scanned.Select(t => $"{t.Table} {t.Scans} scans, {F(t.Rows / (double)Math.Max(1, completed.Operations), 1)} rows read per completion")));
foreach (var t in scanned.Where(t => t.Rows > 20L * Math.Max(1, completed.Operations)))
    check.Problems.Add($"{t.Table}: full scans read {F(t.Rows / (double)Math.Max(1, completed.Operations), 0)} rows per completion — a query that should use an index does not (decision 008)");

if (settings.Profile)
{
    var total = (double)Math.Max(1, completed.Operations + completed.Conflicts + completed.Errors);
    Console.WriteLine();
    Console.WriteLine("SQL sent by CompleteTaskAsync in phase 2 (per completion; time = until the reader/result is returned):");
    Console.WriteLine($"| {"per compl.",10} | {"avg ms",7} | {"sync",5} | statement");
    foreach (var (label, t) in env.Profiler.ByLabel.OrderByDescending(kv => kv.Value.Count).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        Console.WriteLine($"| {F(t.Count / total, 2),10} | {F(t.Ticks / (double)TimeSpan.TicksPerMillisecond / t.Count, 3),7} | {(t.Sync > 0 ? "yes" : ""),5} | {label}");
    Console.WriteLine();
    Console.WriteLine($"phase 2, .NET side: {F(allocated / total / 1024.0, 0)} KB allocated per completion; GC gen0/1/2 {gc.G0}/{gc.G1}/{gc.G2}, " +
        $"paused {F(gc.Pause.TotalMilliseconds, 0)} ms ({F(100 * gc.Pause.TotalSeconds / completed.WallSeconds, 1)} % of wall); " +
        $"JIT {jit.Methods} methods, {F(jit.Time.TotalMilliseconds, 0)} ms; EF query compilations {compilations} " +
        $"({completed.Compilations} inside CompleteTaskAsync)");
    Timelines.Print(completed);
    if (engine is not null)
    {
        Console.WriteLine();
        Console.WriteLine($"engine alone, one thread, {engine.Completions} completions (µs per completion):");
        Console.WriteLine($"  StateOf (deserialize state) {F(engine.DeserializeUs)} | runner.Resume {F(engine.ResumeUs)} (includes its own state Clone ≈ {F(engine.CloneUs)}) | " +
            $"serialize state {F(engine.SerializeUs)} | task/journal JSON {F(engine.TaskJsonUs)} | total {F(engine.DeserializeUs + engine.ResumeUs + engine.SerializeUs + engine.TaskJsonUs)}");
        Console.WriteLine($"  runner.Start (incl. Jint title script) {F(engine.StartUs)} µs per instance");
    }
}

foreach (var (name, r) in new[] { ("start", started), ("complete", completed), ("raw", raw) })
    foreach (var sample in r.ErrorSamples)
        Console.WriteLine($"{name} failure: {sample}");

Console.WriteLine();
if (check.Ok)
{
    Console.WriteLine("correctness: ok");
    return 0;
}
foreach (var problem in check.Problems) Console.WriteLine($"correctness: FAILED — {problem}");
return 1;

static string LoadAverage()
{
    try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
    catch (IOException) { return "?"; }
}

static string DescribeConnection(string connectionString)
{
    var b = new Npgsql.NpgsqlConnectionStringBuilder(Duban.Data.DataServiceCollectionExtensions.WithPostgresDefaults(connectionString));
    return $"Max Auto Prepare={b.MaxAutoPrepare}, Max Pool Size={b.MaxPoolSize}, Multiplexing={b.Multiplexing}";
}
