using System.Diagnostics;
using Npgsql;

namespace Duban.Benchmarks.Reads;

/// <summary>
/// Grows a PostgreSQL database by cloning its seed items — the ones the engine made (demo data, or items made through the
/// API) — with every row that belongs to them: tasks, journal, units, 交办 records, chases, extensions, score entries,
/// readers. Clone <c>g</c> of a row gets ids <c>md5(id || g)</c> (so references between the cloned rows still hold), its
/// times moved back by up to four years, its 承办 unit moved round the organization's units, and its title varied. A clone
/// older than 60 days is closed (its item completed, its open tasks completed by their holder) — most of a ledger is
/// finished work. Tenancy columns (<c>OrganizationId</c>) are copied as they are. One INSERT … SELECT generate_series per
/// table and chunk, so a million items take minutes.
/// </summary>
internal static class Grower
{
    private static readonly string[] Tables =
        ["WorkflowInstances", "Tasks", "InstanceUnits", "JournalEntries", "Assignments", "ScoreEntries", "Chases", "ChaseCases", "Extensions", "ItemOwners", "ItemReaders"];

    /// <summary>uuid columns that name a cloned row (the others, such as DefinitionRecordId, are kept).</summary>
    private static readonly HashSet<string> ClonedIds =
        ["Id", "InstanceId", "ParentInstanceId", "TaskId", "ReplacedByTaskId", "ReplacesTaskId", "CaseId", "ActionTaskId", "NoticeTaskId", "ApprovalTaskId"];

    private static readonly HashSet<string> UnitColumns = ["UnitId", "CandidateUnitId", "InitiatorUnitId"];

    /// <summary>The demo organization's 承办 units: a clone's unit is one of them in turn.</summary>
    private const string HandlingUnits = "ARRAY['fzc','yjs','zfjd','ggfw','lsgz','jinan','qingdao']";

    private const string Words = "ARRAY['依法行政','营商环境','安全生产','乡村振兴','信访积案','生态环保','行政复议','法律援助','公证改革','人民调解'," +
        "'社区矫正','普法宣传','律师行业','司法鉴定','仲裁发展','执法监督','规范性文件','合法性审查','政务公开','数字法治','队伍建设','党建工作','基层治理'," +
        "'矛盾化解','风险防控','专项整治','调查研究','考核评价','整改落实','制度建设','会议议定','领导批示','建议提案','重点任务','民生实事','审计整改','巡视整改']";

    public static async Task GrowAsync(string connectionString, int target)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var seeds = await ScalarAsync(connection, """SELECT count(*) FROM "WorkflowInstances" WHERE "Title" NOT LIKE '%#%'""");
        var now = await ScalarAsync(connection, """SELECT count(*) FROM "WorkflowInstances" """);
        if (seeds == 0) throw new InvalidOperationException("no seed items: start a server on this database first (demo data on)");
        var firstGeneration = (now - seeds) / seeds + 1;
        var generations = (target - now + seeds - 1) / seeds;
        Console.Error.WriteLine($"grow: {now} items ({seeds} seeds) → {target}: {generations} generations from {firstGeneration}");
        if (generations <= 0) return;
        var ids = new Dictionary<string, string>();
        await using (var users = new NpgsqlCommand("""SELECT "UserName", "Id" FROM "AspNetUsers" WHERE "UserName" IN ('ducha','lingdao','fazhi')""", connection))
        await using (var reader = await users.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids[reader.GetString(0)] = reader.GetString(1);

        var statements = new List<string>();
        foreach (var table in Tables)
            statements.Add(await InsertFor(connection, table, ids));

        var chunk = Math.Max(1, 20_000 / (int)seeds);
        var watch = Stopwatch.StartNew();
        for (var from = firstGeneration; from < firstGeneration + generations; from += chunk)
        {
            var to = Math.Min(firstGeneration + generations - 1, from + chunk - 1);
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var sql in statements)
            {
                await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
                command.Parameters.AddWithValue("from", (int)from);
                command.Parameters.AddWithValue("to", (int)to);
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
            Console.Error.WriteLine($"grow: generations {from}–{to} ({(to - firstGeneration + 1) * seeds + now} items, {watch.Elapsed.TotalSeconds:N0} s)");
        }
        // A build that compacts closed items (decision 042's addendum) has each closed item queued, as its closing write would
        // have done (and its migration does for items closed before it): the clones are queued the same way.
        if (await ScalarAsync(connection, "SELECT count(*) FROM information_schema.tables WHERE table_name = 'ItemCompactions'") > 0)
        {
            await using var queue = new NpgsqlCommand(
                """
                INSERT INTO "ItemCompactions" ("Id", "InstanceId", "DueAt", "LineCount", "Attempts")
                SELECT i."Id", i."Id", COALESCE(i."FinishedAt", i."UpdatedAt"), 0, 0 FROM "WorkflowInstances" i
                WHERE i."Status" IN ('Completed', 'Cancelled') AND NOT EXISTS (SELECT 1 FROM "ItemCompactions" c WHERE c."InstanceId" = i."Id")
                """, connection)
            { CommandTimeout = 0 };
            Console.Error.WriteLine($"grow: {await queue.ExecuteNonQueryAsync()} closed items queued for compaction");
        }
        await using (var vacuum = new NpgsqlCommand("VACUUM ANALYZE", connection) { CommandTimeout = 0 })
            await vacuum.ExecuteNonQueryAsync();
    }

    private static async Task<string> InsertFor(NpgsqlConnection connection, string table, Dictionary<string, string> users)
    {
        var columns = new List<(string Name, string Type, bool Identity)>();
        await using (var command = new NpgsqlCommand(
            "SELECT column_name, data_type, is_identity = 'YES' FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", connection))
        {
            command.Parameters.AddWithValue(table);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }
        const string shift = "make_interval(days => (g * 3) % 1461)";
        const string closed = "((g * 3) % 1461 > 60)";
        var names = new List<string>();
        var values = new List<string>();
        foreach (var (name, type, identity) in columns)
        {
            if (identity) continue;
            var c = $"s.\"{name}\"";
            var value = type switch
            {
                "uuid" when ClonedIds.Contains(name) => $"md5({c}::text || ':' || g)::uuid",
                "timestamp with time zone" => $"{c} - {shift}",
                _ when UnitColumns.Contains(name) => $"CASE WHEN {c} = ANY({HandlingUnits}) THEN ({HandlingUnits})[1 + g % 7] ELSE {c} END",
                _ => c,
            };
            value = (table, name) switch
            {
                ("WorkflowInstances", "Title") => $"({Words})[1 + g % 37] || '：' || {c} || ' #' || g",
                ("WorkflowInstances", "Number") => $"{c} || '-' || g",
                ("WorkflowInstances", "Status") => $"CASE WHEN {closed} AND {c} IN ('Running','Suspended') THEN 'Completed' ELSE {c} END",
                ("WorkflowInstances", "FinishedAt") => $"CASE WHEN {closed} AND s.\"Status\" IN ('Running','Suspended') THEN s.\"UpdatedAt\" + interval '20 days' - {shift} ELSE {value} END",
                ("Tasks", "Status") => $"CASE WHEN {closed} AND {c} = 'Open' THEN 'Completed' ELSE {c} END",
                ("Tasks", "CompletedAt") => $"CASE WHEN {closed} AND s.\"Status\" = 'Open' THEN s.\"CreatedAt\" + interval '3 days' - {shift} ELSE {value} END",
                ("Tasks", "CompletedById") => $"CASE WHEN {closed} AND s.\"Status\" = 'Open' THEN coalesce(s.\"AssigneeUserId\", " +
                    $"CASE WHEN s.\"CandidateRole\" = '领导' THEN '{users["lingdao"]}' WHEN s.\"CandidateRole\" = '督查员' THEN '{users["ducha"]}' " +
                    $"WHEN ({HandlingUnits})[1 + g % 7] = 'fzc' THEN '{users["fazhi"]}' ELSE 'someone' END) ELSE {c} END",
                ("ChaseCases", "NextCheckAt") => "NULL",
                // The read model's columns (decision 042), where the build has them: a closed clone has no open step.
                ("WorkflowInstances", "OpenStepDeadlines") => $"CASE WHEN {closed} THEN 0 ELSE {c} END",
                ("WorkflowInstances", "NearestStepDueAt" or "RedFrom") => $"CASE WHEN {closed} AND s.\"Status\" IN ('Running','Suspended') THEN NULL ELSE {value} END",
                ("WorkflowInstances", "LedgerDueAt") => $"CASE WHEN {closed} AND s.\"Status\" IN ('Running','Suspended') THEN s.\"DueAt\" - {shift} ELSE {value} END",
                _ => value,
            };
            names.Add($"\"{name}\"");
            values.Add(value);
        }
        var seedFilter = table == "WorkflowInstances"
            ? "s.\"Title\" NOT LIKE '%#%'"
            : "s.\"InstanceId\" IN (SELECT \"Id\" FROM \"WorkflowInstances\" WHERE \"Title\" NOT LIKE '%#%')";
        return $"INSERT INTO \"{table}\" ({string.Join(", ", names)}) SELECT {string.Join(", ", values)} " +
            $"FROM \"{table}\" s CROSS JOIN generate_series(@from, @to) g WHERE {seedFilter} ON CONFLICT DO NOTHING";
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
