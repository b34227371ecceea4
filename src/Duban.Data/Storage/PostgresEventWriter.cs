using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore.Update;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Duban.Data.Storage;

#pragma warning disable EF1001 // EntityEntry.GetInfrastructure() is the tracked entry EF Core's own update pipeline writes through (IUpdateEntry).

/// <summary>
/// Writes one event's changes to PostgreSQL as a single <see cref="NpgsqlBatch"/>, without EF Core's update pipeline
/// (decision 008, session 6). EF Core plans every save from scratch — it sorts the commands, generates their SQL, has
/// Npgsql parse it again and counts the rows — which was about a third of the server's CPU per task completion. An
/// event's save has a fixed, simple shape, so this writer keeps the SQL per table and column set and sends:
/// <list type="bullet">
/// <item>one concurrency-checked UPDATE per changed row, wrapped as <see cref="CheckedUpdateSqlGenerator"/> wraps
/// EF Core's: it aborts the batch when the row changed since it was read;</item>
/// <item>one multi-row INSERT per table for the new rows (an event writes four journal rows: one statement, not four),
/// returning what the database generates (identity keys, xmin).</item>
/// </list>
/// <para>The batch runs without BEGIN and COMMIT: PostgreSQL runs a batch sent with one Sync as one implicit
/// transaction, so every statement above either succeeds or rolls the whole event back (<see cref="EventSave"/>).</para>
/// <para>The writer reads EF Core's model for table, column, type mapping and value conversion, so it needs no upkeep
/// when an entity changes. It takes a save only when every pending row is a plain one it understands, and declines
/// (returns false, having sent nothing) otherwise, leaving the save to EF Core:</para>
/// <list type="bullet">
/// <item>a delete, an update of a row without a row version, or a transaction already open;</item>
/// <item>a table with foreign keys or unique indexes (their statement order would matter), inheritance, owned or
/// complex types, table splitting, or computed and default-valued columns;</item>
/// <item>a new item (<see cref="Numbering.NumberingInterceptor"/> gives it its running number inside EF Core's save);</item>
/// <item>a key EF Core has not generated yet, other than the database's identity.</item>
/// </list>
/// </summary>
public static class PostgresEventWriter
{
    /// <summary>Called after each batch this writer sent, with its statements and how long it took (the benchmark's
    /// SQL profile counts round trips with it; EF Core's command interceptors do not see these batches).</summary>
    public static event Action<DbBatch, TimeSpan>? BatchExecuted;

    private static readonly ConcurrentDictionary<IEntityType, Table?> Tables = new();
    private static readonly NpgsqlCommand ParameterFactory = new();

    /// <summary>Writes the tracked changes and accepts them, or returns false without touching the database when the
    /// save is not one this writer takes. Expects <c>DetectChanges</c> to have run.</summary>
    public static async Task<bool> TrySaveAsync(DubanDbContext db, int maxRows, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is not null || System.Transactions.Transaction.Current is not null) return false;
        if (await Numbering.NumberingInterceptor.NumbersDueAsync(db, ct)) return false;

        var updates = new List<(Table Table, IUpdateEntry Entry, ulong Columns)>();
        var inserts = new List<(Table Table, List<IUpdateEntry> Rows)>();
        var rows = 0;
        foreach (var tracked in db.ChangeTracker.Entries())
        {
            if (tracked.State is EntityState.Unchanged or EntityState.Detached) continue;
            if (++rows > maxRows) return false;
            var table = Tables.GetOrAdd(tracked.Metadata, Table.For);
            if (table is null) return false;
            var entry = (IUpdateEntry)tracked.GetInfrastructure();
            switch (tracked.State)
            {
                case EntityState.Added when table.CanInsert(entry):
                    var group = inserts.FindIndex(i => i.Table == table);
                    if (group < 0) inserts.Add((table, [entry]));
                    else inserts[group].Rows.Add(entry);
                    break;
                case EntityState.Modified when table.Token is not null && table.ChangedColumns(entry) is var columns and not 0:
                    updates.Add((table, entry, columns));
                    break;
                default:
                    return false;
            }
        }
        if (rows == 0) return true;

        // Statements that return rows first, so the result sets line up with them whether or not the reader stops at
        // the ones that return none.
        inserts.Sort((a, b) => (b.Table.Returned.Length > 0).CompareTo(a.Table.Returned.Length > 0));
        var connection = db.Database.GetDbConnection() as NpgsqlConnection;
        if (connection is null) return false;
        await using var batch = new NpgsqlBatch();
        if (db.Database.GetCommandTimeout() is { } timeout) batch.Timeout = timeout;
        foreach (var (table, entry, columns) in updates) batch.BatchCommands.Add(table.Update(entry, columns));
        foreach (var (table, group) in inserts) batch.BatchCommands.Add(table.Insert(group));

        var all = updates.Select(u => u.Entry).Concat(inserts.SelectMany(i => i.Rows)).ToList();
        await db.Database.OpenConnectionAsync(ct);
        var started = Stopwatch.GetTimestamp();
        try
        {
            batch.Connection = connection;
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                // An update returns its row's new xmin; an insert with RETURNING, what the database generated per row.
                foreach (var (table, entry, _) in updates)
                {
                    if (!await reader.ReadAsync(ct)) throw new InvalidOperationException("PostgreSQL returned no row for a checked update");
                    table.Token!.Store(entry, reader.GetValue(0));
                    await reader.NextResultAsync(ct);
                }
                foreach (var (table, group) in inserts)
                {
                    if (table.Returned.Length == 0) break;
                    await table.ReadGeneratedAsync(reader, group, ct);
                    await reader.NextResultAsync(ct);
                }
                while (await reader.NextResultAsync(ct)) { }
            }
        }
        catch (PostgresException e) when (e.SqlState == CheckedUpdateSqlGenerator.RowChangedSqlState)
        {
            throw new DbUpdateConcurrencyException(e.Message, e, all);
        }
        catch (DbException e)
        {
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e, all);
        }
        finally
        {
            BatchExecuted?.Invoke(batch, Stopwatch.GetElapsedTime(started));
            await db.Database.CloseConnectionAsync();
        }
        db.ChangeTracker.AcceptAllChanges();
        return true;
    }

    /// <summary>A column of a table, with how EF Core maps its property.</summary>
    private sealed class Column(IProperty property, string name, RelationalTypeMapping mapping)
    {
        public IProperty Property { get; } = property;
        public string Name { get; } = name;
        public RelationalTypeMapping Mapping { get; } = mapping;

        /// <summary>A positional parameter ($n), converted and typed as EF Core would send it.</summary>
        public DbParameter Parameter(object? value) => Mapping.CreateParameter(ParameterFactory, "", value, Property.IsNullable);

        /// <summary>Puts a value the database generated into the entry, as EF Core's own save does.</summary>
        public void Store(IUpdateEntry entry, object? value)
        {
            value = FromProvider(value);
            var type = Nullable.GetUnderlyingType(Property.ClrType) ?? Property.ClrType;
            if (value is not null && value.GetType() != type) value = Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
            entry.SetStoreGeneratedValue(Property, value);
        }

        public object? FromProvider(object? value) =>
            value is null or DBNull ? null : Mapping.Converter is { } converter ? converter.ConvertFromProvider(value) : value;
    }

    /// <summary>What this writer knows of one entity type's table; null from <see cref="For"/> when it cannot write it.</summary>
    private sealed class Table
    {
        private readonly string _name;
        private readonly string _quoted;
        private readonly Column[] _columns;      // every column, in model order; bit i of a column set is _columns[i]
        private readonly Column[] _written;      // the columns an INSERT writes
        private readonly Column[] _key;
        private readonly Column? _identity;      // a key the database generates
        private readonly ConcurrentDictionary<ulong, string> _updateSql = new();
        private readonly ConcurrentDictionary<int, string> _insertSql = new();

        public Column? Token { get; }            // xmin
        public Column[] Returned { get; }        // what an INSERT reads back: the identity key, xmin

        private Table(string name, string quoted, Column[] columns, Column[] key, Column? identity, Column? token)
        {
            _name = name;
            _quoted = quoted;
            _columns = columns;
            _key = key;
            _identity = identity;
            Token = token;
            _written = columns.Where(c => c != identity && c != token).ToArray();
            Returned = new[] { identity, token }.OfType<Column>().ToArray();
            // Rows are matched to what RETURNING sends back by their key, unless the database makes the key.
            if (identity is null && token is not null) Returned = key.Concat(Returned).ToArray();
        }

        public static Table? For(IEntityType type)
        {
            if (type.BaseType is not null || type.GetDerivedTypes().Any() || type.IsOwned()
                || type.GetNavigations().Any() || type.GetSkipNavigations().Any() || type.GetComplexProperties().Any()
                || type.GetForeignKeys().Any() || type.GetReferencingForeignKeys().Any()
                || type.GetIndexes().Any(i => i.IsUnique) || type.GetKeys().Count() != 1)
                return null;
            if (type.GetTableName() is not { } name) return null;
            var mappings = type.GetTableMappings().ToList();
            if (mappings.Count != 1 || mappings[0].Table.EntityTypeMappings.Count() != 1) return null;
            var store = StoreObjectIdentifier.Table(name, type.GetSchema());

            var properties = type.GetProperties().ToList();
            if (properties.Count > 64) return null;
            var columns = new List<Column>();
            Column? identity = null, token = null;
            foreach (var p in properties)
            {
                if (p.GetColumnName(store) is not { } column || p.GetRelationalTypeMapping() is not { } mapping) return null;
                if (p.GetComputedColumnSql() is not null || p.GetDefaultValueSql() is not null) return null;
                var c = new Column(p, column, mapping);
                columns.Add(c);
                if (p.ValueGenerated == ValueGenerated.Never) continue;
                if (p.IsConcurrencyToken && p.ValueGenerated == ValueGenerated.OnAddOrUpdate && column == "xmin") token = c;
                else if (p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd
                         && NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn
                             or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn or NpgsqlValueGenerationStrategy.SerialColumn)
                {
                    if (type.FindPrimaryKey()!.Properties.Count != 1) return null;
                    identity = c;
                }
                else if (!(p.IsPrimaryKey() && p.ValueGenerated == ValueGenerated.OnAdd
                           && NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) == NpgsqlValueGenerationStrategy.None))
                    return null; // generated some other way: leave it to EF Core
            }
            var key = type.FindPrimaryKey()!.Properties.Select(p => columns.First(c => c.Property == p)).ToArray();
            var quoted = type.GetSchema() is { } schema ? Quote(schema) + "." + Quote(name) : Quote(name);
            return new Table(name, quoted, columns.ToArray(), key, identity, token);
        }

        /// <summary>An insert this writer can send: no client-side key still waiting for its value.</summary>
        public bool CanInsert(IUpdateEntry entry)
        {
            if (Numbering.NumberingInterceptor.MayNumber(entry.EntityType)) return false;
            foreach (var c in _key)
                if (c != _identity && entry.HasTemporaryValue(c.Property)) return false;
            return _identity is null || entry.HasTemporaryValue(_identity.Property);
        }

        /// <summary>The columns a modified row changes, as a set of bits; 0 when it changes none this writer may set.</summary>
        public ulong ChangedColumns(IUpdateEntry entry)
        {
            ulong set = 0;
            for (var i = 0; i < _columns.Length; i++)
            {
                var c = _columns[i];
                if (!entry.IsModified(c.Property) || c == Token) continue;
                if (c.Property.IsKey() || c == _identity) return 0;
                set |= 1UL << i;
            }
            return set;
        }

        public NpgsqlBatchCommand Update(IUpdateEntry entry, ulong columns)
        {
            var command = new NpgsqlBatchCommand(_updateSql.GetOrAdd(columns, UpdateSql));
            for (var i = 0; i < _columns.Length; i++)
                if ((columns & (1UL << i)) != 0)
                    command.Parameters.Add(_columns[i].Parameter(entry.GetCurrentValue(_columns[i].Property)));
            foreach (var k in _key) command.Parameters.Add(k.Parameter(entry.GetOriginalValue(k.Property)));
            command.Parameters.Add(Token!.Parameter(entry.GetOriginalValue(Token.Property)));
            return command;
        }

        private string UpdateSql(ulong columns)
        {
            var update = new StringBuilder("UPDATE ").Append(_quoted).Append(" SET ");
            var n = 0;
            for (var i = 0; i < _columns.Length; i++)
                if ((columns & (1UL << i)) != 0)
                    update.Append(n > 0 ? ", " : "").Append(Quote(_columns[i].Name)).Append(" = $").Append(++n);
            update.Append(" WHERE ");
            foreach (var k in _key) update.Append(Quote(k.Name)).Append(" = $").Append(++n).Append(" AND ");
            var token = Quote(Token!.Name);
            update.Append(token).Append(" = $").Append(++n).Append(" RETURNING ").Append(token);
            return CheckedUpdateSqlGenerator.AppendChecked(new StringBuilder(), update.ToString(), _name, [(token, Token.Mapping.StoreType)]).ToString();
        }

        public NpgsqlBatchCommand Insert(List<IUpdateEntry> rows)
        {
            var command = new NpgsqlBatchCommand(_insertSql.GetOrAdd(rows.Count, InsertSql));
            foreach (var entry in rows)
                foreach (var c in _written)
                    command.Parameters.Add(c.Parameter(entry.GetCurrentValue(c.Property)));
            return command;
        }

        private string InsertSql(int rows)
        {
            var sql = new StringBuilder("INSERT INTO ").Append(_quoted).Append(" (")
                .AppendJoin(", ", _written.Select(c => Quote(c.Name))).Append(") VALUES ");
            var n = 0;
            for (var r = 0; r < rows; r++)
            {
                sql.Append(r > 0 ? ", (" : "(");
                for (var i = 0; i < _written.Length; i++) sql.Append(i > 0 ? ", $" : "$").Append(++n);
                sql.Append(')');
            }
            if (Returned.Length > 0) sql.Append(" RETURNING ").AppendJoin(", ", Returned.Select(c => Quote(c.Name)));
            return sql.ToString();
        }

        /// <summary>
        /// Gives each new row what the database generated for it. With an identity key, the rows of one multi-row INSERT
        /// take their keys in the order of the VALUES list, each larger than the one before, so the returned keys, sorted,
        /// belong to the rows in that order (whatever order RETURNING sends them in). Otherwise each returned row is
        /// matched to its entry by the key the row was written with.
        /// </summary>
        public async Task ReadGeneratedAsync(DbDataReader reader, List<IUpdateEntry> rows, CancellationToken ct)
        {
            if (_identity is not null)
            {
                var returned = new List<(long Key, object?[] Values)>(rows.Count);
                while (await reader.ReadAsync(ct))
                {
                    var values = new object?[Returned.Length];
                    reader.GetValues(values!);
                    returned.Add((Convert.ToInt64(values[0], System.Globalization.CultureInfo.InvariantCulture), values));
                }
                if (returned.Count != rows.Count) throw new InvalidOperationException($"PostgreSQL returned {returned.Count} rows for {rows.Count} inserted into {_name}");
                returned.Sort((a, b) => a.Key.CompareTo(b.Key));
                for (var r = 0; r < rows.Count; r++)
                    for (var i = 0; i < Returned.Length; i++)
                        Returned[i].Store(rows[r], returned[r].Values[i]);
                return;
            }
            var matched = 0;
            while (await reader.ReadAsync(ct))
            {
                var entry = rows.Find(e => _key.Select((k, i) => (k, i)).All(x => Equals(e.GetCurrentValue(x.k.Property), x.k.FromProvider(reader.GetValue(x.i)))))
                    ?? throw new InvalidOperationException($"PostgreSQL returned a row of {_name} that was not inserted");
                for (var i = _key.Length; i < Returned.Length; i++) Returned[i].Store(entry, reader.GetValue(i));
                matched++;
            }
            if (matched != rows.Count) throw new InvalidOperationException($"PostgreSQL returned {matched} rows for {rows.Count} inserted into {_name}");
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
