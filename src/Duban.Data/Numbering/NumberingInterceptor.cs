using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Duban.Data.Instances;
using Duban.Engine.Activities;
using Duban.Engine.Definitions;
using Duban.Engine.Execution;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Duban.Data.Numbering;

/// <summary>
/// Gives every new item (a registration, or a child item a step starts) whose procedure has <c>options.numbering</c>
/// its running number, inside the transaction that saves it. When <c>SaveChanges</c> is about to write such an item
/// and no transaction is open, this opens one, takes the numbers (<see cref="NumberSequences.NextAsync"/>), lets EF
/// write everything in it, and commits — or rolls back when the save fails, so the number goes back with the item
/// that did not come to be. Whoever calls <c>SaveChanges</c> needs to know nothing about it.
/// </summary>
public sealed class NumberingInterceptor : SaveChangesInterceptor
{
    public static readonly NumberingInterceptor Instance = new();

    /// <summary>Transactions this interceptor opened, per context, until the save ends.</summary>
    private static readonly ConditionalWeakTable<DbContext, IDbContextTransaction> Owned = new();

    /// <summary>Numbering of published definition versions by record id (a published version never changes).</summary>
    private static readonly ConcurrentDictionary<Guid, Rule?> Published = new();

    private NumberingInterceptor() { }

    /// <summary>Whether a new row of this type may get its number here: a save that adds one must go through
    /// <c>SaveChanges</c> (<see cref="Storage.PostgresEventWriter"/> declines it).</summary>
    public static bool MayNumber(Microsoft.EntityFrameworkCore.Metadata.IReadOnlyEntityType type) => type.ClrType == typeof(InstanceRecord);

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is DubanDbContext db) await NumberAsync(db, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is DubanDbContext db) NumberAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } transaction)
        {
            try { await transaction.CommitAsync(cancellationToken); }
            finally { await EndAsync(eventData.Context!, transaction); }
        }
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result) =>
        SavedChangesAsync(eventData, result).AsTask().GetAwaiter().GetResult();

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } transaction) await RollbackAsync(eventData.Context!, transaction);
    }

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        SaveChangesFailedAsync(eventData).GetAwaiter().GetResult();

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Take(eventData.Context) is { } transaction) await RollbackAsync(eventData.Context!, transaction);
    }

    public override void SaveChangesCanceled(DbContextEventData eventData) =>
        SaveChangesCanceledAsync(eventData).GetAwaiter().GetResult();

    /// <summary>
    /// Whether this save will give an item its number: a new item numbered at registration, or an item being saved
    /// with the event that numbers it (<c>assignAt</c> approval / first 交办). <see cref="Storage.PostgresEventWriter"/>
    /// leaves such a save to EF Core, so the number is taken in its transaction.
    /// </summary>
    public static async Task<bool> NumbersDueAsync(DubanDbContext db, CancellationToken ct) => (await DueAsync(db, ct)).Count > 0;

    /// <summary>The items this save numbers, each with its rule and the time its number is dated.</summary>
    private static async Task<List<(InstanceRecord Instance, NumberingOptions Options, DateTimeOffset At)>> DueAsync(DubanDbContext db, CancellationToken ct)
    {
        // Instances and journal lines are added with DbSet.Add, which marks them Added at once: no need for the full
        // DetectChanges that Entries() runs by default — SaveChanges runs it right after this anyway, and on every save
        // it is not free.
        var detect = db.ChangeTracker.AutoDetectChangesEnabled;
        List<(InstanceRecord Instance, bool Added)> unnumbered;
        List<JournalEntryRecord> journal;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            unnumbered = db.ChangeTracker.Entries<InstanceRecord>()
                .Where(e => e.Entity.Number is null && e.State is EntityState.Added or EntityState.Modified or EntityState.Unchanged)
                .Select(e => (e.Entity, e.State == EntityState.Added))
                .ToList();
            journal = unnumbered.Count == 0 ? [] : db.ChangeTracker.Entries<JournalEntryRecord>()
                .Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = detect;
        }
        var due = new List<(InstanceRecord, NumberingOptions, DateTimeOffset)>();
        foreach (var (instance, added) in unnumbered)
        {
            if (!added && !journal.Any(j => j.InstanceId == instance.Id)) continue;
            if (await RuleAsync(db, instance.DefinitionRecordId, ct) is not { } rule) continue;
            if (rule.Options.EffectiveAssignAt == NumberingOptions.AtRegistration)
            {
                if (added) due.Add((instance, rule.Options, instance.CreatedAt));
                continue;
            }
            var trigger = journal.FirstOrDefault(j => j.InstanceId == instance.Id && j.ActivityId is { } a && rule.Steps.Contains(a)
                && (rule.Options.EffectiveAssignAt == NumberingOptions.AtFirstAssign
                    ? j.Kind == JournalKind.TaskCreated
                    : j.Kind == JournalKind.TaskCompleted && j.Outcome == rule.Outcome));
            if (trigger is not null) due.Add((instance, rule.Options, trigger.At));
        }
        return due;
    }

    private static async Task NumberAsync(DubanDbContext db, CancellationToken ct)
    {
        var requests = await DueAsync(db, ct);
        if (requests.Count == 0) return;

        var transaction = db.Database.CurrentTransaction;
        if (transaction is null)
        {
            // No savepoint is needed inside a transaction that exists only for this save.
            db.Database.AutoSavepointsEnabled = false;
            transaction = await db.Database.BeginTransactionAsync(ct);
            Owned.AddOrUpdate(db, transaction);
        }
        try
        {
            // Counters in a fixed order, so two saves that take numbers of two sequences never wait on each other in a circle.
            foreach (var (instance, options, at) in requests.OrderBy(r => r.Options.SequenceKey, StringComparer.Ordinal).ThenBy(r => r.At))
            {
                var next = await NumberSequences.NextAsync(db, options.SequenceKey, options.PeriodOf(at), at, ct);
                instance.Number = options.Format(next, at);
                // An item numbered after registration is an update; the save may have run DetectChanges already.
                var entry = db.Entry(instance);
                if (entry.State != EntityState.Added) entry.Property(i => i.Number).IsModified = true;
            }
        }
        catch
        {
            if (Take(db) is { } owned) await RollbackAsync(db, owned);
            throw;
        }
    }

    /// <summary>
    /// A procedure's numbering as the interceptor applies it: the rule, the steps whose events give the number (the
    /// approval step, or every 交办 step) and the approving outcome.
    /// </summary>
    private sealed record Rule(NumberingOptions Options, IReadOnlySet<string> Steps, string? Outcome);

    /// <summary>
    /// The numbering of the definition version an item runs on. A version published before numbering was checked on
    /// publish may carry an unusable rule: such items get no number rather than no registration.
    /// </summary>
    private static async Task<Rule?> RuleAsync(DubanDbContext db, Guid recordId, CancellationToken ct)
    {
        if (Published.TryGetValue(recordId, out var known)) return known;
        var row = await db.Definitions.AsNoTracking().Where(d => d.Id == recordId)
            .Select(d => new { d.Json, d.IsPublished }).FirstOrDefaultAsync(ct);
        if (row is null) return null;
        Rule? rule;
        try
        {
            var definition = DefinitionJson.Parse(row.Json);
            rule = NumberingOptions.From(definition.Options) is { } options ? RuleOf(options, definition) : null;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException) { rule = null; }
        if (row.IsPublished) Published[recordId] = rule;
        return rule;
    }

    private static Rule RuleOf(NumberingOptions options, WorkflowDefinition definition)
    {
        var nodes = definition.Root?.Activities ?? [];
        return options.EffectiveAssignAt switch
        {
            NumberingOptions.AtFirstAssign => new Rule(options, nodes.Where(n => n.Type == ActivityTypes.Assign).Select(n => n.Id).ToHashSet(), null),
            NumberingOptions.AtApproval when options.Step is { } step => new Rule(options, new HashSet<string> { step },
                options.Outcome ?? (definition.Root?.Find(step) is { } node ? UserTaskActivity.Outcomes(node)[0] : null)),
            _ => new Rule(options, new HashSet<string>(), null),
        };
    }

    private static IDbContextTransaction? Take(DbContext? context)
    {
        if (context is null || !Owned.TryGetValue(context, out var transaction)) return null;
        Owned.Remove(context);
        return transaction;
    }

    private static async Task RollbackAsync(DbContext context, IDbContextTransaction transaction)
    {
        try { await transaction.RollbackAsync(); }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException) { /* the connection may be gone; disposing ends the transaction */ }
        finally { await EndAsync(context, transaction); }
    }

    private static async Task EndAsync(DbContext context, IDbContextTransaction transaction)
    {
        await transaction.DisposeAsync();
        context.Database.AutoSavepointsEnabled = true;
    }
}
