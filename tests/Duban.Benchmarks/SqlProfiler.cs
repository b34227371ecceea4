using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Duban.Benchmarks;

/// <summary>
/// Counts and times what EF sends to the server. Totals are per label (a short description of the statement);
/// an <see cref="Operation"/> set around one runtime call collects that call's round trips and time in SQL.
/// </summary>
internal sealed partial class SqlProfiler
{
    /// <summary>One operation's share: set by the caller (AsyncLocal), filled by the interceptors.</summary>
    public sealed class Operation
    {
        public int Commands;
        public int SyncCommands;
        public int Commits;
        public long SqlTicks;
        public int Compilations;
        /// <summary>When profiling: what happened when (Stopwatch timestamps), for a timeline of one completion.</summary>
        public List<(string Event, long At)>? Timeline;

        public void Mark(string what)
        {
            Timeline?.Add((what, Stopwatch.GetTimestamp()));
        }
    }

    public sealed class Totals
    {
        public long Count;
        public long Sync;
        public long Ticks;
    }

    private static readonly AsyncLocal<Operation?> CurrentOperation = new();

    public ConcurrentDictionary<string, Totals> ByLabel { get; } = new();
    public bool Recording { get; set; }
    public long Compilations => Interlocked.Read(ref _compilations);
    private long _compilations;

    public CommandCounter Commands { get; }
    public TransactionCounter Transactions { get; }
    public SaveCounter Saves { get; } = new();
    public CompilationCounter Queries { get; }
    public IInterceptor[] Interceptors => [Commands, Transactions, Saves, Queries];

    public SqlProfiler()
    {
        Commands = new CommandCounter(this);
        Transactions = new TransactionCounter(this);
        Queries = new CompilationCounter(this);
    }

    private static void Mark(string what) => CurrentOperation.Value?.Mark(what);

    private static void MarkSend(DbCommand command, string suffix = "")
    {
        if (CurrentOperation.Value is { Timeline: not null } op) op.Mark("send " + Label(command.CommandText) + suffix);
    }

    public static Operation Begin(bool timeline = false)
    {
        var op = new Operation { Timeline = timeline ? new(32) : null };
        op.Mark("start");
        CurrentOperation.Value = op;
        return op;
    }

    public static void End() => CurrentOperation.Value = null;

    public void Reset() => ByLabel.Clear();

    private void Record(DbCommand command, TimeSpan duration, bool sync)
    {
        Mark("reply");
        // Labelling hashes the whole SQL text: only when the totals are wanted.
        Record(Recording ? Label(command.CommandText) : "", duration, sync, commit: false);
    }

    /// <summary>An event's batch sent by <see cref="Duban.Data.Storage.PostgresEventWriter"/>: one round trip.</summary>
    public void RecordBatch(DbBatch batch, TimeSpan duration)
    {
        Mark("reply");
        Record(Recording ? Label(string.Join(";\n", batch.BatchCommands.Cast<DbBatchCommand>().Select(c => c.CommandText))) : "", duration, sync: false, commit: false);
    }

    private void Record(string label, TimeSpan duration, bool sync, bool commit)
    {
        if (CurrentOperation.Value is { } op)
        {
            if (commit) Interlocked.Increment(ref op.Commits);
            else Interlocked.Increment(ref op.Commands);
            if (sync) Interlocked.Increment(ref op.SyncCommands);
            Interlocked.Add(ref op.SqlTicks, duration.Ticks);
        }
        if (!Recording) return;
        var totals = ByLabel.GetOrAdd(label, _ => new Totals());
        Interlocked.Increment(ref totals.Count);
        if (sync) Interlocked.Increment(ref totals.Sync);
        Interlocked.Add(ref totals.Ticks, duration.Ticks);
    }

    private static readonly ConcurrentDictionary<string, string> Labels = new();

    /// <summary>"SELECT Tasks WHERE Id" / "batch: UPDATE Tasks; INSERT JournalEntries×4 …".</summary>
    public static string Label(string sql) => Labels.GetOrAdd(sql, static text =>
    {
        var statements = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s.Length > 0).Select(Statement).ToList();
        if (statements.Count == 1) return statements[0];
        var grouped = statements.GroupBy(s => s).Select(g => g.Count() == 1 ? g.Key : $"{g.Key}×{g.Count()}");
        return "batch: " + string.Join("; ", grouped);
    });

    private static string Statement(string sql)
    {
        var flat = Whitespace().Replace(sql, " ").Trim();
        var verb = flat.Split(' ', 2)[0].ToUpperInvariant();
        var table = verb switch
        {
            "INSERT" => TableAfter(flat, "INSERT INTO "),
            "UPDATE" => TableAfter(flat, "UPDATE "),
            "DELETE" => TableAfter(flat, "DELETE FROM "),
            _ => TableAfter(flat, " FROM "),
        };
        if (verb is "INSERT") return $"INSERT {table}";
        var where = flat.IndexOf(" WHERE ", StringComparison.Ordinal);
        var predicate = where < 0 ? "" : " WHERE " + string.Join(",", Columns().Matches(flat[(where + 7)..]).Select(m => m.Groups[1].Value).Distinct().Take(4));
        var prefix = verb == "SELECT" && flat.Contains("EXISTS (", StringComparison.Ordinal) ? "SELECT EXISTS" : verb;
        return $"{prefix} {table}{predicate}";
    }

    private static string TableAfter(string sql, string keyword)
    {
        var at = sql.IndexOf(keyword, StringComparison.OrdinalIgnoreCase);
        if (at < 0) return "?";
        var rest = sql[(at + keyword.Length)..].TrimStart();
        var match = Identifier().Match(rest);
        return match.Success ? match.Groups[1].Value : rest.Split(' ')[0];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("^\"?([A-Za-z_][A-Za-z0-9_]*)\"?")]
    private static partial Regex Identifier();

    [GeneratedRegex("\\.\"([A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial Regex Columns();

    public sealed class CommandCounter(SqlProfiler owner) : DbCommandInterceptor
    {
        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            MarkSend(command, " (sync)");
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            MarkSend(command);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            Mark("rows read");
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
        {
            Mark("rows read");
            return result;
        }

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            owner.Record(command, eventData.Duration, sync: true);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        {
            owner.Record(command, eventData.Duration, sync: false);
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            owner.Record(command, eventData.Duration, sync: true);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        {
            owner.Record(command, eventData.Duration, sync: false);
            return ValueTask.FromResult(result);
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            owner.Record(command, eventData.Duration, sync: true);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            owner.Record(command, eventData.Duration, sync: false);
            return ValueTask.FromResult(result);
        }
    }

    public sealed class TransactionCounter(SqlProfiler owner) : DbTransactionInterceptor
    {
        public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Mark("send COMMIT");
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
        {
            Mark("begin transaction");
            return ValueTask.FromResult(result);
        }

        public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
            owner.Record("COMMIT", eventData.Duration, sync: true, commit: true);

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Mark("reply");
            owner.Record("COMMIT", eventData.Duration, sync: false, commit: true);
            return Task.CompletedTask;
        }
    }

    public sealed class SaveCounter : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Mark("SaveChanges called");
            return ValueTask.FromResult(result);
        }

        public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            Mark("SaveChanges returning");
            return ValueTask.FromResult(result);
        }
    }

    /// <summary>Called when EF compiles a LINQ query, i.e. misses its query cache.</summary>
    public sealed class CompilationCounter(SqlProfiler owner) : IQueryExpressionInterceptor
    {
        public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData)
        {
            Interlocked.Increment(ref owner._compilations);
            if (CurrentOperation.Value is { } op)
            {
                Interlocked.Increment(ref op.Compilations);
                op.Mark("compile query");
            }
            return queryExpression;
        }
    }
}
