using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Duban.Benchmarks.Reads;

/// <summary>
/// The read benchmark (issue 22, decision 042): grows a database a Duban server made to N items by cloning the items the
/// engine made there, then times what users open, over HTTP against a running server — so the same database can be read
/// by an old and a new build in turn. Prints figures; asserts nothing.
/// </summary>
internal static class ReadBench
{
    public const string Usage =
        """
        Duban read benchmark (issue 22). A server (any build) must have made the database first (demo data on).

          dotnet run -c Release --project tests/Duban.Benchmarks -- reads grow <connection string> <items>
              clone the items already there (made by the engine: their tasks, journal, units, scores, chases)
              until the database holds <items> items, spread over units, years and statuses; then VACUUM ANALYZE
          dotnet run -c Release --project tests/Duban.Benchmarks -- reads measure <base url> [rounds] [label]
              sign in as ducha (督查员) and fazhi (法制处 liaison) and time each read <rounds> times (default 15)
          dotnet run -c Release --project tests/Duban.Benchmarks -- reads size <connection string>
              bytes per item (the whole database, and the journal's share)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        switch (args)
        {
            case ["grow", var connection, var items] when int.TryParse(items, out var n):
                await Grower.GrowAsync(connection, n);
                await PrintSizeAsync(connection);
                return 0;
            case ["size", var connection]:
                await PrintSizeAsync(connection);
                return 0;
            case ["measure", var url, ..]:
                var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 15;
                await MeasureAsync(url, rounds, args.Length > 3 ? args[3] : "");
                return 0;
            default:
                Console.Error.WriteLine(Usage);
                return 2;
        }
    }

    public static async Task PrintSizeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM "WorkflowInstances"),
                   (SELECT count(*) FROM "WorkflowInstances" WHERE "Status" IN ('Completed', 'Cancelled')),
                   pg_database_size(current_database()),
                   pg_total_relation_size('"JournalEntries"')
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        long items = reader.GetInt64(0), closed = reader.GetInt64(1), bytes = reader.GetInt64(2), journal = reader.GetInt64(3);
        Console.WriteLine($"size: {items} items ({closed} closed), database {bytes / 1048576.0:N1} MB = {bytes / (double)Math.Max(1, items):N0} bytes per item, " +
            $"journal {100.0 * journal / bytes:N0} %");
        await reader.CloseAsync();
        // Per table (rows, TOAST and indexes), bytes per item: where the size is (decision 042's addendum, compaction).
        await using var tables = new NpgsqlCommand(
            """
            SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC
            """, connection);
        await using var rows = await tables.ExecuteReaderAsync();
        long listed = 0;
        var per = (double)Math.Max(1, items);
        while (await rows.ReadAsync())
        {
            long table = rows.GetInt64(1), indexes = rows.GetInt64(2);
            listed += table + indexes;
            if (table + indexes >= 8 * per) // tables of a few pages (users, settings …) are left out
                Console.WriteLine($"size:   {rows.GetString(0),-22} {(table + indexes) / per,7:N0} bytes per item (table {table / per:N0}, indexes {indexes / per:N0})");
        }
        Console.WriteLine($"size:   {"all tables",-22} {listed / per,7:N0} bytes per item; the rest of the database (catalog, fixed) {(bytes - listed) / per:N0}");
        await rows.CloseAsync();
        // Each index on its own (decision 042's addendum "closed items smaller"): which of them a closed item pays for.
        await using var indexList = new NpgsqlCommand(
            """
            SELECT i.relname, t.relname, pg_relation_size(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            JOIN pg_class t ON t.oid = x.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
            WHERE n.nspname = 'public' ORDER BY pg_relation_size(i.oid) DESC
            """, connection);
        await using var indexRows = await indexList.ExecuteReaderAsync();
        while (await indexRows.ReadAsync())
            if (indexRows.GetInt64(2) >= 8 * per)
                Console.WriteLine($"size:   index {indexRows.GetString(0),-54} {indexRows.GetInt64(2) / per,7:N0} bytes per item ({indexRows.GetString(1)})");
    }

    /// <param name="WalkTo">When set, the page of that number reached as a reader reaches it: by nextCursor from page 1 (the
    /// walk not timed), or — a build without keyset paging — by <c>page=</c>.</param>
    private sealed record Probe(string Name, string User, string Path, int WalkTo = 0);

    private static async Task MeasureAsync(string baseUrl, int rounds, string label)
    {
        var ducha = await SignInAsync(baseUrl, "ducha");
        var fazhi = await SignInAsync(baseUrl, "fazhi");
        var clients = new Dictionary<string, HttpClient> { ["ducha"] = ducha, ["fazhi"] = fazhi };
        var year = DateTime.UtcNow.Year;
        // An item both can open: the liaison's newest.
        var someItem = (await fazhi.GetFromJsonAsync<JsonElement>("/api/ledger?page=1&pageSize=1")).GetProperty("items")[0].GetProperty("id").GetString();
        var probes = new List<Probe>();
        foreach (var user in new[] { "ducha", "fazhi" })
            foreach (var box in new[] { "todo", "notice", "done" })
                probes.Add(new($"inbox {box} first page", user, $"/api/tasks?box={box}&page=1&pageSize=20"));
        probes.Add(new("inbox done, next to page 50", "ducha", "/api/tasks?box=done&pageSize=20", 50));
        probes.AddRange(
        [
            new("ledger first page", "ducha", "/api/ledger?page=1&pageSize=20"),
            new("ledger first page", "fazhi", "/api/ledger?page=1&pageSize=20"),
            new("ledger unit+red+dates", "ducha", $"/api/ledger?unitId=fzc&light=red&dateField=createdAt&from={year - 2}-01-01&to={year}-12-31&page=1&pageSize=20"),
            new("ledger open, sort dueAt, page 50", "ducha", "/api/ledger?status=open&sort=dueAt&order=asc&page=50&pageSize=20"),
            new("ledger sort dueAt, page 50", "ducha", "/api/ledger?sort=dueAt&order=asc&page=50&pageSize=20"),
            new("ledger sort dueAt, next to page 50", "ducha", "/api/ledger?sort=dueAt&order=asc&pageSize=20", 50),
            new("ledger sort dueAt, next to page 250", "ducha", "/api/ledger?sort=dueAt&order=asc&pageSize=20", 250),
            new("ledger newest, next to page 250", "ducha", "/api/ledger?pageSize=20", 250),
            new("ledger title, next to page 250", "ducha", "/api/ledger?sort=title&order=asc&pageSize=20", 250),
            new("ledger title search", "ducha", "/api/ledger?q=" + Uri.EscapeDataString("依法行政") + "&page=1&pageSize=20"),
            new("ledger title search", "fazhi", "/api/ledger?q=" + Uri.EscapeDataString("依法行政") + "&page=1&pageSize=20"),
            new("the year's scores", "ducha", $"/api/scoring/{year}"),
            new("dashboard", "ducha", "/api/dashboard"),
            new("dashboard", "fazhi", "/api/dashboard"),
            new("dashboard, one unit, this year", "ducha", $"/api/dashboard?unitId=fzc&from={year}-01-01&to={year}-12-31"),
            new("early warnings", "ducha", "/api/dashboard/warnings"),
            new("item page", "ducha", $"/api/instances/{someItem}"),
            new("item page", "fazhi", $"/api/instances/{someItem}"),
        ]);
        // DUBAN_READS_ONLY=dashboard,scores: only the probes whose name contains one of these (a quicker pass over a few).
        if (Environment.GetEnvironmentVariable("DUBAN_READS_ONLY") is { Length: > 0 } only)
            probes = probes.Where(p => only.Split(',').Any(o => p.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();
        Console.WriteLine($"read benchmark {label} against {baseUrl}, {rounds} rounds (+2 warm-up), {DateTime.UtcNow:HH:mm:ss} UTC");
        Console.WriteLine($"| {"request",-34} | {"user",-5} | {"p50 ms",7} | {"p95 ms",7} | {"max ms",7} | total");
        foreach (var walked in probes)
        {
            var client = clients[walked.User];
            var probe = walked.WalkTo > 0 ? walked with { Path = await WalkAsync(client, walked.Path, walked.WalkTo) } : walked;
            var times = new List<double>();
            string total = "";
            for (var r = 0; r < rounds + 2; r++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.GetAsync(probe.Path);
                var body = await response.Content.ReadAsStringAsync();
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    total = $"HTTP {(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}";
                    break;
                }
                if (r >= 2) times.Add(watch.Elapsed.TotalMilliseconds);
                if (r == 0) total = TotalOf(body);
            }
            times.Sort();
            Console.WriteLine($"| {probe.Name,-34} | {probe.User,-5} | {Percentile(times, 50),7:N1} | {Percentile(times, 95),7:N1} | {(times.Count > 0 ? times[^1] : double.NaN),7:N1} | {total}");
        }
    }

    /// <summary>The request for page <paramref name="page"/> of <paramref name="path"/>: its cursor, walked to by nextCursor.</summary>
    private static async Task<string> WalkAsync(HttpClient client, string path, int page)
    {
        string? after = null;
        for (var p = 1; p < page; p++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>(path + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)));
            if (!body.TryGetProperty("nextCursor", out var next) || next.ValueKind != JsonValueKind.String) return $"{path}&page={page}";
            after = next.GetString();
        }
        return path + (after is null ? "" : "&after=" + Uri.EscapeDataString(after));
    }

    private static string TotalOf(string body)
    {
        using var json = JsonDocument.Parse(body);
        if (json.RootElement.ValueKind != JsonValueKind.Object) return "";
        var parts = new List<string>();
        foreach (var name in new[] { "total", "totalIsEstimate", "totalCapped", "hasMore", "page" })
            if (json.RootElement.TryGetProperty(name, out var value)) parts.Add($"{name}={value}");
        return string.Join(" ", parts);
    }

    private static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }

    private static async Task<HttpClient> SignInAsync(string baseUrl, string userName)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Requested-With", "XMLHttpRequest");
        using var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = "Duban@2026" });
        response.EnsureSuccessStatusCode();
        return client;
    }
}
